"""Finished work found again (issue 27): 已办 (what a reviewer decided or published), the body's
published items, and every item of the body for the office. Keyset pages, a fixed number of
queries whatever the page size; every row is one the user may still see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import selectinload

from approval import permissions
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, Decision, Item, chain_for, chain_of
from approval.platform.paging import parse_cursor
from approval.platform.routing import db_id
from approval.publication import list_filters, queries

PUBLISH = "publish"  # the audit action of a publication (by hand; the job's has no actor)
# the actions still open on a published item, offered as links to the item page
FOLLOW_UPS = (Action.UNPUBLISH, Action.CHANGE_VALIDITY)


@dataclass(frozen=True)
class DoneRow:
    """One thing the user did: their decision (or publication), when, and the item now."""

    item: Item
    action: str  # approve, return, sign_off, withhold, publish
    at: datetime
    step_name: str | None  # the step decided at; None: a publication
    opinion: str


# ------------------------------------------------------------------------------ 已办


def _done_cursor(at: datetime, kind: str, ident: int) -> str:
    return f"{at.isoformat()}_{kind}{ident}"


def _parse_done_cursor(raw: str | None):
    """(time, kind, id): kind "d" a decision, "p" a publication; None if absent or malformed."""
    if not raw:
        return None
    stamp, _, rest = raw.rpartition("_")
    try:
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is not None or rest[:1] not in ("d", "p"):
            return None
        return moment, rest[0], db_id(rest[1:])
    except ValueError:
        return None


def done(user, chosen: list_filters.ListFilter, size: int = 20, cursor: str | None = None):
    """The user's decisions and publications, newest first: (rows, next cursor). Two sources
    merged by time (at one instant a decision sorts before a publication), each read as one
    keyset page; then the page's items in one query."""
    after = _parse_done_cursor(cursor)
    decisions = select(Decision).join(Item, Item.id == Decision.item_id)
    decisions = decisions.where(Decision.actor_id == user.id, Item.body_id == user.body_id)
    published = select(AuditEntry).join(Item, Item.id == AuditEntry.item_id)
    published = published.where(
        AuditEntry.body_id == user.body_id,
        AuditEntry.action == PUBLISH,
        AuditEntry.actor_id == user.id,
    )
    decisions = list_filters.apply(decisions, _not_mine(chosen), user, Decision.created_at)
    published = list_filters.apply(published, _not_mine(chosen), user, AuditEntry.occurred_at)
    if after:
        at, kind, ident = after
        if kind == "d":
            decisions = decisions.where(tuple_(Decision.created_at, Decision.id) < (at, ident))
            published = published.where(AuditEntry.occurred_at <= at)
        else:
            decisions = decisions.where(Decision.created_at < at)
            published = published.where(tuple_(AuditEntry.occurred_at, AuditEntry.id) < (at, ident))
    found = [
        (d.created_at, 1, d.id, d.item_id, d.action, d.step_name, d.opinion)
        for d in db.session.scalars(
            decisions.order_by(Decision.created_at.desc(), Decision.id.desc()).limit(size + 1)
        )
    ] + [
        (e.occurred_at, 0, e.id, e.item_id, PUBLISH, None, "")
        for e in db.session.scalars(
            published.order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc()).limit(size + 1)
        )
    ]
    found.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)
    more, found = len(found) > size, found[:size]
    items = _items({r[3] for r in found})
    rows = [
        DoneRow(items[r[3]], r[4], r[0], r[5], r[6])
        for r in found
        if r[3] in items and permissions.can_view_item(user, items[r[3]])
    ]
    last = found[-1] if found else None
    nxt = _done_cursor(last[0], "d" if last[1] else "p", last[2]) if more and last else None
    return rows, nxt


def _not_mine(chosen):
    """已办 is the user's own by definition: "mine" narrows nothing more."""
    chosen.mine = False
    return chosen


def _items(ids) -> dict[int, Item]:
    if not ids:
        return {}
    return {
        i.id: i
        for i in db.session.scalars(select(Item).where(Item.id.in_(ids)).options(*queries.LIST_ROW))
        .unique()
        .all()
    }


# ------------------------------------------------------------------------------ staff lists


def published_items(user, chosen, size: int = 20, cursor: str | None = None):
    """The body's items that were published (still online, or taken down), newest publication
    first (ix_items_published); each with the follow-up actions the user may still take."""
    query = select(Item).where(Item.body_id == user.body_id, Item.published_at.is_not(None))
    query = list_filters.apply(query, chosen, user, Item.published_at)
    # who contributed decides whether the user may take an item down (the authors may not)
    query = query.options(selectinload(Item.contributors))
    rows, nxt = queries._page(query, "published_at", parse_cursor(cursor), size)
    visible = [i for i in rows if permissions.can_view_item(user, i)]
    return [(i, follow_ups(user, i)) for i in visible], nxt


def follow_ups(user, item) -> list[Action]:
    chain = chain_of(item)
    return [a for a in FOLLOW_UPS if permissions.can(user, item, a, chain)]


def body_items(user, chosen, size: int = 20, cursor: str | None = None):
    """Every item of the body once submitted (a draft never submitted stays in its department),
    newest change first."""
    query = select(Item).where(Item.body_id == user.body_id, Item.round > 0)
    query = list_filters.apply(query, chosen, user, Item.updated_at)
    rows, nxt = queries._page(query, "updated_at", parse_cursor(cursor), size)
    return [i for i in rows if permissions.can_view_item(user, i)], nxt


def department_items(user, chosen, size: int = 20, cursor: str | None = None):
    """Everything of the officer's department (本部门信息), filtered, newest change first."""
    query = select(Item).where(Item.department_id == user.department_id)
    query = list_filters.apply(query, chosen, user, Item.updated_at)
    return queries._page(query, "updated_at", parse_cursor(cursor), size)


# ------------------------------------------------------------------------------ next item

# after these, the reviewer may go on with the next item of the same inbox section
WORKING_THROUGH = (
    Action.APPROVE,
    Action.RETURN,
    Action.SIGN_OFF,
    Action.WITHHOLD,
    Action.PUBLISH,
)


def section_before(item) -> str | None:
    """The inbox section ``item`` waits in now (asked before a decision moves it on)."""
    return queries.section_key(item, chain_of(item))


def next_item(user, item, action, key: str | None) -> dict | None:
    """After ``action`` on ``item``, the most urgent item still waiting for ``user`` in the
    section ``key`` the item was in, as {"id", "title"} for the flash (read before the commit,
    which expires what is loaded); None if there is none or the action is not a decision."""
    if key is None or Action(action) not in WORKING_THROUGH:
        return None
    upcoming = queries.next_waiting(user, chain_for(user.body_id), key, item.id)
    return {"id": upcoming.id, "title": upcoming.title} if upcoming is not None else None
