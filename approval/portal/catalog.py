"""The general office's portal administration: the catalog tree (主题分类) and the portal pages
(信息公开指南, 信息公开制度).

Only the general office's 办公室审核 and 发布员 staff of the body manage them
(``permissions.can_manage_portal``). Every change that changes something is ONE audit entry whose
detail names the category (code, name, parent code) or the page (slug, title, content hash).

Changes to one body's catalog and pages are serialised by a lock on the body's row (PostgreSQL;
SQLite write requests already hold the database's write lock): the code-uniqueness check, the
cycle check and the sibling positions are then read after any concurrent change has committed.

A category's siblings are ordered by (position, code), as the portal shows them
(``public.category_tree``); a move renumbers the siblings 0…n-1. A category may be deleted only
when it has no children and no revision (draft, sealed or published) or item refers to it: a
sealed revision is immutable and its hash covers its category. Services never commit.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from approval import permissions
from approval.audit import trail as audit
from approval.core.clock import utcnow
from approval.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from approval.core.msgids import N_, translate
from approval.core.roles import Role
from approval.core.text import strip_invisible
from approval.core.workflow import PUBLISHED
from approval.extensions import db
from approval.models import PAGE_TITLES, Body, Category, Item, PortalPage, Revision
from approval.publication.categories import Row

CODE_PATTERN = re.compile(r"[0-9A-Za-z_-]{1,32}")
MAX_CODE_CHARS = 32  # categories.code
MAX_NAME_CHARS = 100  # categories.name
MAX_TITLE_CHARS = 100  # portal_pages.title
MAX_PAGE_CHARS = 50_000  # a 信息公开指南 is a few pages of text
DIRECTIONS = ("up", "down")

DENIED = N_("只有本单位党政办公室的办公室审核人员或发布员可以管理公开专栏")
CODE_FORMAT = N_("分类代码须为 1–32 位字母、数字、下划线（_）或连字符（-）")
# a subclass of the error classes is no extraction keyword (scripts/i18n.sh): its message is marked
CODE_TAKEN = N_("分类代码“%(code)s”已被本单位的其他分类使用，请换一个代码")


class CodeTaken(Conflict):
    """Another category of the body already has this code (409, shown at the code field)."""

    field = "code"


@dataclass(frozen=True)
class Usage:
    """What refers to a category: child categories, whether any item's revision or the item
    itself files it, and when an item filed under it was last published (栏目更新)."""

    children: int = 0
    in_use: bool = False
    last_published: datetime | None = None

    @property
    def deletable(self) -> bool:
        """The same rule ``delete_category`` applies (there with exact counts, for its message)."""
        return not self.children and not self.in_use


# ------------------------------------------------------------------------------- reading


def subtree(rows_: list[Row], category_id: int) -> frozenset[int]:
    """The category and everything below it (from ``rows`` in tree order): where it may not go."""
    ids, depth = set(), None
    for row in rows_:
        if depth is not None:
            if row.depth <= depth:
                break
            ids.add(row.category.id)
        elif row.category.id == category_id:
            ids.add(category_id)
            depth = row.depth
    return frozenset(ids)


def usage(body_id: int) -> dict[int, Usage]:
    """Per category of the body, from index probes only (one per category and question, never a
    count over the items: the page costs the same at a million items)."""
    children = dict(
        db.session.execute(
            select(Category.parent_id, func.count())
            .where(Category.body_id == body_id, Category.parent_id.is_not(None))
            .group_by(Category.parent_id)
        ).all()
    )
    filed = exists().where(Revision.category_id == Category.id)
    filed_item = exists().where(Item.category_id == Category.id)
    last = (
        select(func.max(Item.published_at))
        .where(Item.category_id == Category.id, Item.state == PUBLISHED)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Category.id, filed | filed_item, last).where(Category.body_id == body_id)
    ).all()
    return {i: Usage(children.get(i, 0), bool(used), moment) for i, used, moment in rows}


def _refusal(category: Category) -> str | None:
    """Why the category may not be deleted, translated (None: it may)."""
    children = db.session.scalar(select(func.count()).where(Category.parent_id == category.id))
    if children:
        return translate(N_("该分类下还有 %(n)s 个子分类，请先删除或移走子分类"), n=children)
    using = (
        select(Revision.item_id)
        .where(Revision.category_id == category.id)
        .union(select(Item.id).where(Item.category_id == category.id))
        .subquery()
    )
    items = db.session.scalar(select(func.count()).select_from(using))
    if items:
        return translate(
            N_("有 %(n)s 条信息（含草稿、审批中和已发布的稿件）使用该分类，不能删除"), n=items
        )
    return None


def pages(body_id: int) -> dict[str, PortalPage | None]:
    """Each portal page slug with its saved row (None: never saved)."""
    saved = {
        p.slug: p
        for p in db.session.scalars(select(PortalPage).where(PortalPage.body_id == body_id))
    }
    return {slug: saved.get(slug) for slug in PAGE_TITLES}


def page_marker(page: PortalPage | None) -> str:
    """What the editor saw: changes whenever the saved title or content changes."""
    if page is None:
        return "new"
    return hashlib.sha256(f"{page.title}\x00{page.content}".encode()).hexdigest()[:32]


# ------------------------------------------------------------------------------- categories


def create_category(
    user, body_id: int, *, code: str, name: str, parent_id: int | None = None
) -> Category:
    """Add a category at the end of its siblings."""
    _guard(user, body_id)
    _lock(body_id)
    code, name = _code(code), _name(name)
    parent = _parent(body_id, parent_id)
    _refuse_taken(body_id, code)
    category = Category(
        body_id=body_id,
        code=code,
        name=name,
        parent_id=parent.id if parent else None,
        position=_next_position(body_id, parent.id if parent else None),
    )
    db.session.add(category)
    db.session.flush()
    audit.record(
        "category_create",
        actor=user,
        body_id=body_id,
        detail={"role": _role(user), **_described(category, parent)},
    )
    return category


def update_category(
    user, category_id: int, *, code: str, name: str, parent_id: int | None
) -> list[str]:
    """Change code, name and parent; returns the names of the fields that changed. A new parent
    puts the category at the end of its new siblings; a parent inside its own subtree is
    refused."""
    category = _load(user, category_id)
    code, name = _code(code), _name(name)
    parent = _parent(category.body_id, parent_id)
    if parent is not None:
        _refuse_cycle(category, parent)
    if code != category.code:
        _refuse_taken(category.body_id, code, besides=category.id)
    before = _described(category, category.parent)
    new_parent_id = parent.id if parent else None
    changed = [
        f
        for f, old, new in (
            ("code", category.code, code),
            ("name", category.name, name),
            ("parent", category.parent_id, new_parent_id),
        )
        if old != new
    ]
    if not changed:
        return []
    if "parent" in changed:
        category.position = _next_position(category.body_id, new_parent_id)
        old_parent_id = category.parent_id
        category.parent = parent
        db.session.flush()
        _renumber(category.body_id, old_parent_id)  # close the gap it left
    category.code, category.name = code, name
    db.session.flush()
    audit.record(
        "category_update",
        actor=user,
        body_id=category.body_id,
        detail={
            "role": _role(user),
            **_described(category, parent),
            "fields": changed,
            "before": before,
        },
    )
    return changed


def move_category(user, category_id: int, direction: str) -> bool:
    """Swap the category with its previous ("up") or next ("down") sibling; False when it is
    already first/last (nothing changes, nothing is audited)."""
    if direction not in DIRECTIONS:
        raise InvalidInput("无效的移动方向", "direction")
    category = _load(user, category_id)
    siblings = _siblings(category.body_id, category.parent_id)
    at = siblings.index(category)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(siblings):
        return False
    siblings[at], siblings[to] = siblings[to], siblings[at]
    _set_positions(siblings)
    db.session.flush()
    audit.record(
        "category_move",
        actor=user,
        body_id=category.body_id,
        detail={
            "role": _role(user),
            **_described(category, category.parent),
            "direction": direction,
            "from": at + 1,
            "to": to + 1,
        },
    )
    return True


def delete_category(user, category_id: int) -> Category:
    """Delete a category nothing refers to; otherwise a Conflict saying what still uses it."""
    category = _load(user, category_id)
    refusal = _refusal(category)
    if refusal:
        raise Conflict("不能删除分类“%(name)s”：%(reason)s", name=category.name, reason=refusal)
    described, parent_id = _described(category, category.parent), category.parent_id
    db.session.delete(category)
    try:
        db.session.flush()
    except IntegrityError as exc:  # filed by a draft in the same instant; the caller rolls back
        raise Conflict(
            "不能删除分类“%(name)s”：它刚刚被一条信息使用", name=described["name"]
        ) from exc
    _renumber(category.body_id, parent_id)
    audit.record(
        "category_delete",
        actor=user,
        body_id=category.body_id,
        detail={"role": _role(user), **described},
    )
    db.session.flush()
    return category


# ------------------------------------------------------------------------------- pages


def save_page(
    user, body_id: int, slug: str, *, title: str, content: str, seen: str | None = None
) -> tuple[PortalPage, list[str]]:
    """Create or update the body's page ``slug``; returns (page, changed fields). ``seen`` is the
    ``page_marker`` the editor's form was built from: if someone saved the page since, Conflict."""
    _guard(user, body_id)
    if slug not in PAGE_TITLES:
        raise NotFound("页面不存在")
    _lock(body_id)
    title = _clean_line(title) or PAGE_TITLES[slug]
    if len(title) > MAX_TITLE_CHARS:
        raise InvalidInput("标题不能超过 %(max)s 字", "title", max=MAX_TITLE_CHARS)
    content = clean_text(content)
    if not content:
        raise InvalidInput("请填写页面内容", "content")
    if len(content) > MAX_PAGE_CHARS:
        raise InvalidInput(
            "页面内容不能超过 %(max)s 字（现有 %(n)s 字）",
            "content",
            max=MAX_PAGE_CHARS,
            n=len(content),
        )
    page = db.session.scalar(
        select(PortalPage)
        .where(PortalPage.body_id == body_id, PortalPage.slug == slug)
        .execution_options(populate_existing=True)
    )
    if seen is not None and seen != page_marker(page):
        who = page.updated_by.display_name if page and page.updated_by else ""
        who = who or translate(N_("他人"))
        raise Conflict(
            "该页面在您打开之后已被%(who)s修改并保存。您填写的内容仍在下方，请核对后再保存。",
            who=who,
        )
    created = page is None
    if created:
        page = PortalPage(body_id=body_id, slug=slug, title=title, content="")
        db.session.add(page)
    changed = [
        f
        for f, old, new in (
            ("title", None if created else page.title, title),
            ("content", None if created else page.content, content),
        )
        if old != new
    ]
    if not changed:
        return page, []
    page.title, page.content = title, content
    page.updated_at, page.updated_by = utcnow(), user
    db.session.flush()
    audit.record(
        "portal_page_update",
        actor=user,
        body_id=body_id,
        detail={
            "role": _role(user),
            "slug": slug,
            "title": title,
            "created": created,
            "fields": changed,
            "chars": len(content),
            "sha256": hashlib.sha256(content.encode()).hexdigest(),
        },
    )
    return page, changed


def clean_text(text: str | None) -> str:
    """Plain text as the portal shows it: line breaks kept (\\n), invisible and control
    characters dropped, trailing spaces and leading/trailing blank lines trimmed."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(strip_invisible(line).rstrip() for line in lines).strip("\n")


# ------------------------------------------------------------------------------- helpers


def _guard(user, body_id: int) -> None:
    if not permissions.can_manage_portal(user, body_id):
        raise PermissionDenied(DENIED)


def _role(user) -> str:
    return Role.OFFICE_AUDITOR if user.has_role(Role.OFFICE_AUDITOR) else Role.PUBLISHER


def _lock(body_id: int) -> None:
    """One writer per body's catalog and pages at a time."""
    db.session.execute(select(Body.id).where(Body.id == body_id).with_for_update())


def _load(user, category_id: int) -> Category:
    """The user's body's category, read after the body's lock; another body's is not found."""
    _guard(user, user.body_id)
    _lock(user.body_id)
    category = db.session.get(Category, category_id, populate_existing=True)
    if category is None or category.body_id != user.body_id:
        raise NotFound("该分类不存在或已被删除")
    return category


def _clean_line(value: str | None) -> str:
    return strip_invisible(value or "").strip()


def _code(value: str | None) -> str:
    code = _clean_line(value)
    if not CODE_PATTERN.fullmatch(code):
        raise InvalidInput(CODE_FORMAT if code else N_("请填写分类代码"), "code")
    return code


def _name(value: str | None) -> str:
    name = _clean_line(value)
    if not name:
        raise InvalidInput("请填写分类名称", "name")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput("分类名称不能超过 %(max)s 字", "name", max=MAX_NAME_CHARS)
    return name


def _parent(body_id: int, parent_id: int | None) -> Category | None:
    if parent_id is None:
        return None
    parent = db.session.get(Category, parent_id)
    if parent is None or parent.body_id != body_id:
        raise InvalidInput("所选上级分类不存在，请刷新页面后重新选择", "parent_id")
    return parent


def _refuse_taken(body_id: int, code: str, besides: int | None = None) -> None:
    """Codes are unique per body, regardless of letter case (they name the portal's URLs)."""
    query = select(Category.code).where(
        Category.body_id == body_id, func.lower(Category.code) == code.lower()
    )
    if besides is not None:
        query = query.where(Category.id != besides)
    taken = db.session.scalar(query.limit(1))
    if taken is not None:
        raise CodeTaken(CODE_TAKEN, code=taken)


def _refuse_cycle(category: Category, parent: Category) -> None:
    parents = dict(
        db.session.execute(
            select(Category.id, Category.parent_id).where(Category.body_id == category.body_id)
        ).all()
    )
    node, seen = parent.id, set()
    while node is not None and node not in seen:
        if node == category.id:
            raise InvalidInput("不能把分类放到它自己或它的下级分类之下", "parent_id")
        seen.add(node)
        node = parents.get(node)


def _siblings(body_id: int, parent_id: int | None) -> list[Category]:
    parent_is = (
        Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id
    )
    return list(
        db.session.scalars(
            select(Category)
            .where(Category.body_id == body_id, parent_is)
            .order_by(Category.position, Category.code, Category.id)
        )
    )


def _set_positions(siblings: list[Category]) -> None:
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position


def _renumber(body_id: int, parent_id: int | None) -> None:
    _set_positions(_siblings(body_id, parent_id))


def _next_position(body_id: int, parent_id: int | None) -> int:
    siblings = _siblings(body_id, parent_id)
    return max((s.position for s in siblings), default=-1) + 1


def _described(category: Category, parent: Category | None) -> dict:
    return {"code": category.code, "name": category.name, "parent": parent.code if parent else None}
