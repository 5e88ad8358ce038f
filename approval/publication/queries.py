"""Read side: inbox sections, lists and counts. Keyset pagination, never deep OFFSET."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, exists, func, or_, select, tuple_
from sqlalchemy.orm import joinedload, with_expression

from approval import permissions
from approval.core.roles import Role
from approval.core.workflow import APPROVED, DRAFT, Chain
from approval.extensions import db
from approval.models import Decision, Item, Revision, ScreeningFinding, chains_for
from approval.models.delegations import held_today
from approval.models.screening import BLOCKING_SEVERITY
from approval.permissions.sql import (
    may_decide_at,
    may_publish,
    not_contributed_by,
    not_decided_by,
    step_scope,
)
from approval.platform.db_setup import prepared
from approval.platform.paging import cursor_of, parse_cursor

# an inbox section counts its rows exactly up to here, then says "99+" (as phone badges do): a
# count reads every row it counts, with the section's two exclusion probes for each, on every
# visit; the exact figures per state are on 信息统计
COUNT_CAP = 99


@dataclass
class Section:
    key: str
    title: str  # the step's name for chain steps; the template words every section
    count: int  # exact up to COUNT_CAP, else COUNT_CAP + 1
    items: list
    next_cursor: str | None = None

    @property
    def shown_count(self) -> str:
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)


# Whether a row is a draft sent back in its latest round (Item.is_returned: the 已退回 badge),
# read with the row instead of every decision of every row
RETURNED_IN_ROUND = with_expression(
    Item.returned_in_round,
    and_(
        Item.state == DRAFT,
        Item.round > 0,
        exists().where(
            Decision.item_id == Item.id, Decision.round == Item.round, Decision.action == "return"
        ),
    ),
)

# What a list row shows (macros.html item_row), in one query: the item with its current revision's
# title, 成文日期 and 公开方式 (not its text), department and author, and two per-row probes
# instead of every decision and finding (Item.is_returned, Item.blocking_finding_count).
LIST_ROW = (
    joinedload(Item.current_revision).load_only(
        Revision.title, Revision.formed_on, Revision.disclosure_mode
    ),
    joinedload(Item.department),
    joinedload(Item.author),
    RETURNED_IN_ROUND,
    with_expression(
        Item.blocking_count,
        select(func.count())
        .where(
            ScreeningFinding.revision_id == Item.current_revision_id,
            ScreeningFinding.severity == BLOCKING_SEVERITY,
        )
        .scalar_subquery(),
    ),
)


def _constant(value):
    """A value written into the SQL, not sent as a parameter: a state or a LIMIT changes the best
    plan of a ``prepared`` query, so each value gets a prepared query, and a plan, of its own."""
    return bindparam(None, value, literal_execute=True)


def _page(query, column: str, cursor, size: int):
    order_col = getattr(Item, column)
    if cursor:
        query = query.where(tuple_(order_col, Item.id) < tuple_(*cursor))
    rows = (
        db.session.scalars(
            prepared(
                query.options(*LIST_ROW)
                .order_by(order_col.desc(), Item.id.desc())
                .limit(_constant(size + 1))
            )
        )
        .unique()
        .all()
    )
    more = len(rows) > size
    rows = rows[:size]
    return rows, (cursor_of(rows[-1], column) if more else None)


def _count(query) -> int:
    """Exact up to COUNT_CAP: past it the inbox says "99+", and counting further would read
    every waiting row on every visit."""
    return db.session.scalar(
        prepared(select(func.count()).select_from(query.limit(_constant(COUNT_CAP + 1)).subquery()))
    )


def inbox_sections(
    user, chain: Chain, size: int = 20, cursors: dict | None = None
) -> list[Section]:
    """The 待办 sections this user has, with counts: one per chain step they act at, drafts, 待发布.
    ``chain`` is the body's current chain; a step only earlier versions of it have is listed
    while items started on those versions wait there (``Chains.waiting_steps``)."""
    cursors = cursors or {}
    sections = []
    base = select(Item).where(Item.body_id == user.body_id)
    # the lists and counts are ``prepared``: each section's state is written into the SQL

    def add(key, title, query, keep_empty=True):
        count = _count(query)
        if count or keep_empty:
            rows, nxt = _page(query, "updated_at", parse_cursor(cursors.get(key)), size)
            sections.append(Section(key, title, count, rows, nxt))

    if user.has_role(Role.OFFICER) and user.department_id:
        add(
            "drafts",
            "",
            base.where(Item.department_id == user.department_id, Item.state == _constant(DRAFT)),
        )
    # the same exclusions as permissions.denial: nobody decides on what they contributed to, or
    # twice in one round (a holder of two roles sees the item once, at the first of their steps)
    delegations = held_today(user) if permissions.can_use_delegations(user) else []
    for key, definitions in _steps_by_key(chain, user.body_id).items():
        wheres = []
        for waiting in definitions:
            step = waiting.step
            # who the user acts as at this step: themself, and (请假代理) each principal of a
            # delegation of the step's role who may decide on the item (permissions.acting_for)
            whose = [step_scope(user, step)]
            for delegation in delegations:
                if delegation.role != step.role:
                    continue
                whose.append(may_decide_at(delegation.principal, step))
            whose = [condition for condition in whose if condition is not None]
            if whose:
                where = [Item.state == _constant(step.state), or_(*whose)]
                if waiting.versions is not None:  # the key means another step on other versions
                    where.append(
                        or_(*(Item.chain_version == _constant(v) for v in waiting.versions))
                    )
                wheres.append(where)
        if wheres:
            add(
                key,
                definitions[0].step.name,
                base.where(
                    *(wheres[0] if len(wheres) == 1 else [or_(*(and_(*w) for w in wheres))]),
                    not_contributed_by(user.id),
                    not_decided_by(user.id),
                ),
                keep_empty=any(waiting.is_current for waiting in definitions),
            )
    if user.has_role(Role.PUBLISHER):
        add("publish", "", base.where(Item.state == _constant(APPROVED), may_publish(user)))
    return sections


def _steps_by_key(chain: Chain, body_id: int) -> dict:
    """The steps an item of the body may wait at, grouped by key: ``chain``'s first (the body's
    current chain), then those of earlier versions that rounds started on them may still be at."""
    grouped = {step.key: [] for step in chain.steps}
    for waiting in chains_for(body_id).waiting_steps():
        grouped.setdefault(waiting.step.key, []).append(waiting)
    return {key: definitions for key, definitions in grouped.items() if definitions}


def department_items(user, size: int = 20, cursor: str | None = None):
    """Everything of the officer's department, newest change first."""
    query = select(Item).where(Item.department_id == user.department_id)
    return _page(query, "updated_at", parse_cursor(cursor), size)
