"""Read side of the public portal: what a citizen may see, paged by keyset (never deep OFFSET).

Listings hold published items only; an unpublished (撤稿) item keeps its page, with the notice.
"""

from __future__ import annotations

from sqlalchemy import select, tuple_
from sqlalchemy.orm import joinedload

from approval.core.workflow import PUBLISHED, UNPUBLISHED
from approval.extensions import db
from approval.models import Attachment, Body, Category, Item, PortalPage
from approval.platform.paging import parse_cursor
from approval.publication import amendments
from approval.publication.categories import CategoryNode

PAGE_SIZE = 20


def bodies() -> list[Body]:
    return list(db.session.scalars(select(Body).order_by(Body.id)))


def category_by_code(body_id: int, code: str) -> Category | None:
    return db.session.scalar(
        select(Category).where(Category.body_id == body_id, Category.code == code)
    )


def find_node(tree: list[CategoryNode], code: str) -> tuple[CategoryNode | None, list[Category]]:
    """The node with this code and the path of categories above it (for the breadcrumb)."""
    for node in tree:
        if node.category.code == code:
            return node, []
        found, path = find_node(node.children, code)
        if found:
            return found, [node.category, *path]
    return None, []


def _published(query, cursor: str | None, size: int):
    position = parse_cursor(cursor)
    if position:
        query = query.where(tuple_(Item.published_at, Item.id) < tuple_(*position))
    rows = db.session.scalars(
        # IS NOT NULL: PostgreSQL sorts NULLs first in a descending scan, so without it the first
        # page would step over every never-published item (drafts, withheld) of the body
        query.where(Item.state == PUBLISHED, Item.published_at.is_not(None))
        .options(joinedload(Item.published_revision), joinedload(Item.department))
        .order_by(Item.published_at.desc(), Item.id.desc())
        .limit(size + 1)
    ).all()
    more = len(rows) > size
    rows = rows[:size]
    return rows, (f"{rows[-1].published_at.isoformat()}_{rows[-1].id}" if more else None)


def latest(body_id: int, cursor: str | None = None, size: int = PAGE_SIZE):
    """The body's published items, newest first; returns (items, cursor of the next page)."""
    return _published(select(Item).where(Item.body_id == body_id), cursor, size)


def in_category(body_id: int, category_id: int, cursor: str | None = None, size: int = PAGE_SIZE):
    """The body's items filed directly under one category, newest first (index
    ix_items_public_category)."""
    return _published(
        select(Item).where(Item.category_id == category_id, Item.body_id == body_id), cursor, size
    )


def newest_changes(body_id: int, category_id: int | None, size: int) -> list[Item]:
    """A feed's entries: the newest published items and the most recently revised ones (修订),
    by the later of the two dates, newest first; a revised item comes back to the top."""
    if category_id is None:
        published, _ = latest(body_id, size=size)
    else:
        published, _ = in_category(body_id, category_id, size=size)
    query = select(Item).where(
        Item.body_id == body_id, Item.state == PUBLISHED, Item.revised_at.is_not(None)
    )
    if category_id is not None:
        query = query.where(Item.category_id == category_id)
    revised = db.session.scalars(
        query.options(joinedload(Item.published_revision), joinedload(Item.department))
        .order_by(Item.revised_at.desc(), Item.id.desc())
        .limit(size)
    ).all()
    merged = {i.id: i for i in (*published, *revised)}.values()
    newest = sorted(merged, key=lambda i: (i.revised_at or i.published_at, i.id), reverse=True)
    return newest[:size]


def published_attachment(item_id: int, attachment_id: int) -> Attachment | None:
    """An attachment of an item's published revision, or of an earlier public version, while the
    item is published (a withdrawn item's files go offline with it)."""
    item = public_item(item_id)
    if item is None or item.state != PUBLISHED:
        return None
    attachment = db.session.get(Attachment, attachment_id)
    # the public version's, or an earlier public version's (修订记录, publication/amendments.py)
    if attachment is None or attachment.revision_id not in amendments.public_revision_ids(item):
        return None
    return attachment


def portal_page(body_id: int, slug: str) -> PortalPage | None:
    """The office's 信息公开指南/制度 page, if it has written one."""
    return db.session.scalar(select(PortalPage).filter_by(body_id=body_id, slug=slug))


def public_item(item_id: int) -> Item | None:
    """A published or unpublished item with what its page shows; None for anything else."""
    item = db.session.scalar(
        select(Item)
        .where(Item.id == item_id, Item.state.in_([PUBLISHED, UNPUBLISHED]))
        .options(
            joinedload(Item.published_revision),
            joinedload(Item.department),
            joinedload(Item.category),
        )
    )
    return item
