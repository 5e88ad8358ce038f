"""Read side: inbox sections, lists and counts. Keyset pagination, never deep OFFSET."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, and_, bindparam, case, exists, func, literal, or_, select, tuple_
from sqlalchemy.orm import contains_eager, joinedload, with_expression

from approval import permissions
from approval.core import clock
from approval.core.roles import Role
from approval.core.workflow import APPROVED, DRAFT, Chain
from approval.extensions import db
from approval.models import Decision, Delegation, Item, Revision, ScreeningFinding, chains_for
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
from approval.platform.paging import cursor_of
from approval.platform.routing import db_id

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


# Inboxes put the most urgent first (issue 27). The 公开期限 (条例 Art. 26, deadlines/) falls 20
# working days after the 成文日期, so it comes in 成文日期 order; a record that is never published
# (依申请公开, 不予公开) has none and comes after. Then the longest waiting: every item of a section
# waits at one step, whose time limit (环节办理时限) runs from the time it arrived (``updated_at``),
# so the oldest arrival has the fewest days left. The sort reads only the section's rows: one
# state of one body (or department), the work in hand, never the published history.
NO_PUBLICATION_DUE = date(9999, 12, 31)
DUE_FIRST = case(
    (Revision.disclosure_mode == "proactive", Revision.formed_on),
    else_=literal(NO_PUBLICATION_DUE, Date),
)
URGENT_ROW = (
    contains_eager(Item.current_revision).load_only(
        Revision.title, Revision.formed_on, Revision.disclosure_mode
    ),
    *LIST_ROW[1:],
)


def _urgent_cursor(item) -> str:
    revision = item.current_revision
    due = revision.formed_on if revision.disclosure_mode == "proactive" else NO_PUBLICATION_DUE
    return f"{due.isoformat()}_{item.updated_at.isoformat()}_{item.id}"


def _parse_urgent_cursor(raw: str | None):
    if not raw:
        return None
    try:
        due, moment, ident = raw.split("_")
        moment = datetime.fromisoformat(moment)
        if moment.tzinfo is not None:
            return None
        return date.fromisoformat(due), moment, db_id(ident)
    except ValueError:
        return None


def _urgent(query):
    return query.join(Revision, Revision.id == Item.current_revision_id).options(*URGENT_ROW)


URGENT_ORDER = (DUE_FIRST, Item.updated_at, Item.id)


def _urgent_page(query, cursor, size: int):
    """A page of an inbox section, most urgent first, below ``cursor``."""
    query = _urgent(query)
    if cursor:
        query = query.where(tuple_(*URGENT_ORDER) > tuple_(*cursor))
    rows = (
        db.session.scalars(prepared(query.order_by(*URGENT_ORDER).limit(_constant(size + 1))))
        .unique()
        .all()
    )
    more = len(rows) > size
    rows = rows[:size]
    return rows, (_urgent_cursor(rows[-1]) if more else None)


def _count(query) -> int:
    """Exact up to COUNT_CAP: past it the inbox says "99+", and counting further would read
    every waiting row on every visit."""
    return db.session.scalar(
        prepared(select(func.count()).select_from(query.limit(_constant(COUNT_CAP + 1)).subquery()))
    )


def inbox_sections(
    user, chain: Chain, size: int = 20, cursors: dict | None = None
) -> list[Section]:
    """The 待办 sections this user has, with counts: one per chain step they act at, drafts, 待发布;
    each most urgent first (``URGENT_ORDER``). ``chain`` is the body's current chain; a step only
    earlier versions of it have is listed while items started on those versions wait there
    (``Chains.waiting_steps``)."""
    cursors = cursors or {}
    sections = []
    # the lists and counts are ``prepared``: each section's state is written into the SQL
    for key, title, query, keep_empty in _section_queries(user, chain):
        count = _count(query)
        if count or keep_empty:
            rows, nxt = _urgent_page(query, _parse_urgent_cursor(cursors.get(key)), size)
            sections.append(Section(key, title, count, rows, nxt))
    return sections


def section_key(item, chain: Chain) -> str | None:
    """The inbox section an item waits in (as ``inbox_sections`` keys them), by its state."""
    if item.state == APPROVED:
        return "publish"
    step = chain.step_for(item.state)
    return step.key if step is not None else None


def next_waiting(user, chain: Chain, key: str | None, after_id: int) -> Item | None:
    """The most urgent item still waiting for ``user`` in the inbox section ``key`` (after a
    decision on ``after_id``, which is not it): one query, None if the section is empty."""
    for _key, _title, query, _keep in _section_queries(user, chain, only=key):
        return db.session.scalars(
            _urgent(query.where(Item.id != after_id)).order_by(*URGENT_ORDER).limit(1)
        ).first()
    return None


def _section_queries(user, chain: Chain, only: str | None = None):
    """(key, title, query, keep_empty) of each inbox section the user has, in page order;
    ``only``: that section alone."""
    base = select(Item).where(Item.body_id == user.body_id)
    if user.has_role(Role.OFFICER) and user.department_id and only in (None, "drafts"):
        yield (
            "drafts",
            "",
            base.where(Item.department_id == user.department_id, Item.state == _constant(DRAFT)),
            True,
        )
    # the same exclusions as permissions.denial: nobody decides on what they contributed to, or
    # twice in one round (a holder of two roles sees the item once, at the first of their steps)
    delegations = held_today(user) if permissions.can_use_delegations(user) else []
    for key, definitions in _steps_by_key(chain, user.body_id).items():
        if only not in (None, key):
            continue
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
            yield (
                key,
                definitions[0].step.name,
                base.where(
                    *(wheres[0] if len(wheres) == 1 else [or_(*(and_(*w) for w in wheres))]),
                    not_contributed_by(user.id),
                    not_decided_by(user.id),
                ),
                any(waiting.is_current for waiting in definitions),
            )
    if user.has_role(Role.PUBLISHER) and only in (None, "publish"):
        yield "publish", "", base.where(Item.state == _constant(APPROVED), may_publish(user)), True


def deputising(user, chain: Chain) -> dict[str, list[Delegation]]:
    """请假代理: by inbox section key, the delegations held today whose principals' items that
    step's list also holds (as ``_section_queries`` adds them): the page says whose, and says
    when they have none waiting."""
    held = held_today(user) if permissions.can_use_delegations(user) else []
    found: dict[str, list[Delegation]] = {}
    for key, definitions in _steps_by_key(chain, user.body_id).items():
        for waiting in definitions:
            for delegation in held:
                if delegation.role != waiting.step.role:
                    continue
                if may_decide_at(delegation.principal, waiting.step) is None:
                    continue
                if delegation not in found.setdefault(key, []):
                    found[key].append(delegation)
    return {key: listed for key, listed in found.items() if listed}


def upcoming_delegations(user) -> list[Delegation]:
    """The delegations ``user`` will hold as a deputy from a later day (not revoked), soonest
    first: the inbox says whose items will appear, and from when."""
    if not permissions.can_use_delegations(user):
        return []
    return db.session.scalars(
        select(Delegation)
        .where(
            Delegation.deputy_id == user.id,
            Delegation.body_id == user.body_id,
            Delegation.revoked_at.is_(None),
            Delegation.starts_on > clock.local_today(),
        )
        .options(joinedload(Delegation.principal))
        .order_by(Delegation.starts_on, Delegation.id)
    ).all()


def _steps_by_key(chain: Chain, body_id: int) -> dict:
    """The steps an item of the body may wait at, grouped by key: ``chain``'s first (the body's
    current chain), then those of earlier versions that rounds started on them may still be at."""
    grouped = {step.key: [] for step in chain.steps}
    for waiting in chains_for(body_id).waiting_steps():
        grouped.setdefault(waiting.step.key, []).append(waiting)
    return {key: definitions for key, definitions in grouped.items() if definitions}
