"""Deadlines of the items still open (draft, at a step of the chain, or approved and waiting for
publication), counted in working days (``approval/core/workdays.py``).

- 公开期限 (条例 Art. 26): published within 20 working days of being formed or changed. The date is
  the current revision's 成文日期 (a changed document carries the date of the change), and the
  day itself is not counted. It runs whatever the item's state: a draft formed a month ago and
  never submitted is late, and its department is told.
- 环节办理时限: each step of the chain may have a limit in working days (``StepTimeLimit``, set by
  the general office; no row, no limit), counted from the local day the item entered the step.
  An item waiting at a step is changed only by a transition, so its ``updated_at`` is the time
  it entered the step (drafts, edited in place, have no step deadline).

A deadline is overdue once its day has passed (``left`` < 0: working days late), due soon when
at most ``PUBLICATION_DUE_SOON`` / ``STEP_DUE_SOON`` working days are left (0: due today), else
on time. Lists flag the first two; ``board`` finds them for a whole body in SQL, turning each
"due before D" into "started before ``Calendar.earliest_start(D, n)``" (deadlines grow with the
start date), so the database compares a date or a time and computes no calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from flask import g, has_request_context
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from approval.calendar import current as working_calendar
from approval.core import clock
from approval.core.periods import utc_start
from approval.core.workflow import APPROVED, DRAFT, Chain
from approval.extensions import db
from approval.models import (
    Chains,
    Department,
    Item,
    Revision,
    StepTimeLimit,
    chain_of,
    chains_for,
)
from approval.platform import settings_cache
from approval.publication.queries import RETURNED_IN_ROUND

PUBLICATION_WORKING_DAYS = 20  # 条例 Art. 26
PUBLICATION_DUE_SOON = 5  # working days left at which a 公开期限 is flagged
STEP_DUE_SOON = 1  # … and a step's limit (due today or on the next working day)
BOARD_ROWS = 50  # the dashboard lists this many items per kind, most urgent first


class Level(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TIME = "on_time"


@dataclass(frozen=True)
class Due:
    """One deadline of one item."""

    due: date
    # working days left: 0 due today (or passed on the holidays after it), -2 two working days
    # late; None: passed so long ago that it is not counted
    left: int | None
    level: Level
    uncovered_years: tuple[int, ...]  # counted without the State Council's notice: say so
    step_key: str | None = None  # None: the 公开期限; else the step whose limit it is
    step_name: str | None = None

    @property
    def flagged(self) -> bool:
        return self.level is not Level.ON_TIME

    @property
    def late_by(self) -> int | None:
        """Working days late (0: passed, but no working day missed yet); None: not counted."""
        return None if self.left is None else max(0, -self.left)


@dataclass(frozen=True)
class ItemDeadlines:
    publication: Due | None
    step: Due | None

    @property
    def flagged(self) -> list[Due]:
        return [d for d in (self.step, self.publication) if d is not None and d.flagged]


PROACTIVE = "proactive"  # 主动公开: the only 公开方式 that is published, so has a 公开期限


def open_states(chain: Chain | Chains) -> list[str]:
    """The states in which an item still has to be published: a deadline runs."""
    return [DRAFT, *(s.state for s in chain.steps), APPROVED]


def _level(due: date, on: date, left: int, soon: int) -> Level:
    """Overdue once the due day has passed: also on the holidays right after it, when no
    working day has been missed yet (``left`` is 0 then), as ``cutoffs`` says in SQL."""
    if due < on:
        return Level.OVERDUE
    return Level.DUE_SOON if left <= soon else Level.ON_TIME


def _due(calendar, start: date, n: int, soon: int, on: date, step=None) -> Due:
    deadline = calendar.add_working_days(start, n)
    step_key, step_name = (step.key, step.name) if step else (None, None)
    try:
        span = calendar.working_days_between(on, deadline.due)
    except ValueError:  # due decades ago (a 成文日期 of 1926): late by more than is counted
        return Due(deadline.due, None, Level.OVERDUE, deadline.uncovered_years, step_key, step_name)
    return Due(
        deadline.due,
        span.working_days,
        _level(deadline.due, on, span.working_days, soon),
        tuple(sorted(set(deadline.uncovered_years) | set(span.uncovered_years))),
        step_key,
        step_name,
    )


def step_limits(body_id: int) -> Mapping[str, int]:
    """The body's step limits (step key → working days), read once per request and kept by the
    process while the body's settings version is unchanged (platform/settings_cache.py)."""
    cache = g.setdefault("_step_limits", {}) if has_request_context() else {}
    if body_id not in cache:
        cache[body_id] = settings_cache.cached(
            "step_limits", lambda: _read_step_limits(body_id), body_id
        )
    return cache[body_id]


def _read_step_limits(body_id: int) -> Mapping[str, int]:
    """Read-only: a worker's copy is shared by its requests."""
    return MappingProxyType(
        dict(
            db.session.execute(
                select(StepTimeLimit.step_key, StepTimeLimit.working_days).where(
                    StepTimeLimit.body_id == body_id
                )
            ).all()
        )
    )


def forget_step_limits() -> None:
    """Drop this request's copy (after the limits changed in it: tests, tools)."""
    if has_request_context():
        g.pop("_step_limits", None)


def of_item(
    item: Item,
    on: date | None = None,
    chain: Chain | Chains | None = None,
    limits: Mapping[str, int] | None = None,
) -> ItemDeadlines | None:
    """The item's 公开期限 and (at a step with a limit) the step's due day, as of ``on``
    (default: today, local); None for an item that is no longer open."""
    chain = chain or chain_of(item)
    revision = item.current_revision
    if (
        item.state not in open_states(chain)
        or revision is None
        or revision.disclosure_mode != PROACTIVE
    ):
        return None  # done, or a record that is never published (依申请公开, 不予公开)
    on = on or clock.local_today()
    calendar = working_calendar.current_calendar()
    publication = _due(
        calendar, clock_start(item, revision), PUBLICATION_WORKING_DAYS, PUBLICATION_DUE_SOON, on
    )
    step, limit = chain.step_for(item.state), None
    if step is not None:
        limit = (step_limits(item.body_id) if limits is None else limits).get(step.key)
    step_due = None
    if limit:
        entered = clock.to_local(item.updated_at).date()
        step_due = _due(calendar, entered, limit, STEP_DUE_SOON, on, step)
    return ItemDeadlines(publication, step_due)


# ------------------------------------------------------------------------------ the whole body


@dataclass(frozen=True)
class Cutoffs:
    """For one deadline length: the start dates before which a deadline is overdue, or due soon
    (or overdue), as of a given day."""

    overdue_before: date
    flagged_before: date


def cutoffs(calendar, on: date, n: int, soon: int) -> Cutoffs:
    """Due before ``on`` ⇔ started before earliest_start(on); at most ``soon`` working days left
    ⇔ due on or before the soon-th working day after ``on`` ⇔ started before
    earliest_start(that day + 1)."""
    last_soon = calendar.add_working_days(on, soon).due
    return Cutoffs(
        calendar.earliest_start(on, n), calendar.earliest_start(last_soon + timedelta(days=1), n)
    )


@dataclass
class DepartmentCount:
    department_id: int
    name: str
    publication_overdue: int = 0
    publication_due_soon: int = 0
    step_overdue: int = 0
    step_due_soon: int = 0

    @property
    def total(self) -> int:
        return (
            self.publication_overdue
            + self.publication_due_soon
            + self.step_overdue
            + self.step_due_soon
        )


@dataclass
class Board:
    """What the 期限看板 shows: counts per department, and the most urgent items of each kind."""

    on: date
    departments: list[DepartmentCount]
    totals: DepartmentCount
    publication: list[tuple[Item, ItemDeadlines]] = field(default_factory=list)
    steps: list[tuple[Item, ItemDeadlines]] = field(default_factory=list)
    limits: Mapping[str, int] = field(default_factory=dict)
    uncovered_years: tuple[int, ...] = ()


def clock_start(item: Item, revision) -> date:
    """The day the 公开期限 counts from: the 成文日期, or for a 修订 the day it was started (the
    information changed then: 条例 Art. 26, 自该政府信息形成或者变更之日起)."""
    if item.amends_id is not None:
        return clock.to_local(item.created_at).date()
    return revision.formed_on


def _started_before(day: date):
    """SQL twin of ``clock_start(...) < day`` on items joined to their current revision."""
    return or_(
        and_(Item.amends_id.is_(None), Revision.formed_on < day),
        and_(Item.amends_id.is_not(None), Item.created_at < utc_start(day)),
    )


def _conditions(on: date, chain: Chain | Chains, limits: Mapping[str, int]):
    """SQL conditions (on items joined to their current revision) for each flag."""
    calendar = working_calendar.current_calendar()
    pub = cutoffs(calendar, on, PUBLICATION_WORKING_DAYS, PUBLICATION_DUE_SOON)
    step_overdue, step_flagged = [], []
    for step in chain.steps:
        if not limits.get(step.key):
            continue
        cut = cutoffs(calendar, on, limits[step.key], STEP_DUE_SOON)
        at_step = Item.state == step.state
        step_overdue.append(and_(at_step, Item.updated_at < utc_start(cut.overdue_before)))
        step_flagged.append(and_(at_step, Item.updated_at < utc_start(cut.flagged_before)))
    false = Item.id.is_(None)  # the primary key is never NULL
    return {
        "publication_overdue": _started_before(pub.overdue_before),
        "publication_flagged": _started_before(pub.flagged_before),
        "step_overdue": or_(*step_overdue) if step_overdue else false,
        "step_flagged": or_(*step_flagged) if step_flagged else false,
    }


def _open_items(query, body_id: int, chain: Chain | Chains):
    """The body's items that still have a deadline (``of_item``), joined to their current
    revision."""
    return query.join(Revision, Revision.id == Item.current_revision_id).where(
        Item.body_id == body_id,
        Item.state.in_(open_states(chain)),
        Revision.disclosure_mode == PROACTIVE,
    )


def board(
    body_id: int, department_id: int | None = None, on: date | None = None, rows: int = BOARD_ROWS
) -> Board:
    """The body's open items that are overdue or due soon: counts per department (one grouped
    query) and the ``rows`` most urgent of each kind (longest overdue first)."""
    on = on or clock.local_today()
    # every version's steps: rounds started before a change of the chain finish on theirs
    chain, limits = chains_for(body_id), step_limits(body_id)
    where = _conditions(on, chain, limits)
    base = _open_items(select(Item), body_id, chain)
    if department_id:
        base = base.where(Item.department_id == department_id)
    flagged = or_(where["publication_flagged"], where["step_flagged"])

    def total(condition):
        return func.sum(case((condition, 1), else_=0))

    counted = db.session.execute(
        base.with_only_columns(
            Item.department_id,
            total(where["publication_overdue"]),
            total(and_(where["publication_flagged"], ~where["publication_overdue"])),
            total(where["step_overdue"]),
            total(and_(where["step_flagged"], ~where["step_overdue"])),
        )
        .where(flagged)
        .group_by(Item.department_id)
    ).all()
    names = dict(
        db.session.execute(
            select(Department.id, Department.name).where(Department.body_id == body_id)
        ).all()
    )
    departments = sorted(
        (
            DepartmentCount(d, names.get(d, ""), *(int(n or 0) for n in numbers))
            for d, *numbers in counted
        ),
        key=lambda c: (-c.publication_overdue, -c.step_overdue, -c.total, c.name),
    )
    totals = DepartmentCount(
        0,
        "",
        *(
            sum(getattr(c, f) for c in departments)
            for f in (
                "publication_overdue",
                "publication_due_soon",
                "step_overdue",
                "step_due_soon",
            )
        ),
    )

    options = (
        joinedload(Item.current_revision),
        joinedload(Item.department),
        joinedload(Item.author),
        RETURNED_IN_ROUND,
    )
    publication = db.session.scalars(
        base.where(where["publication_flagged"])
        .options(*options)
        .order_by(Revision.formed_on, Item.id)
        .limit(rows)
    ).all()
    # overdue before due soon, then the longest waiting (steps' limits differ, so within a
    # group this is close to, not exactly, the most working days late first)
    steps = db.session.scalars(
        base.where(where["step_flagged"])
        .options(*options)
        .order_by(case((where["step_overdue"], 0), else_=1), Item.updated_at, Item.id)
        .limit(rows)
    ).all()

    def with_deadlines(items):
        return [(item, of_item(item, on, chain, limits)) for item in items]

    result = Board(
        on, departments, totals, with_deadlines(publication), with_deadlines(steps), limits
    )
    result.uncovered_years = tuple(
        sorted(
            {
                y
                for _, d in result.publication + result.steps
                for due in d.flagged
                for y in due.uncovered_years
            }
        )
    )
    return result


def flagged_item_ids(on: date | None = None) -> list[int]:
    """Every open item of every body with a deadline overdue or due soon (for the reminders
    job), oldest first."""
    on = on or clock.local_today()
    from approval.models import Body

    ids: list[int] = []
    for body_id in db.session.scalars(select(Body.id).order_by(Body.id)):
        chain, limits = chains_for(body_id), step_limits(body_id)
        where = _conditions(on, chain, limits)
        ids += db.session.scalars(
            _open_items(select(Item.id), body_id, chain)
            .where(or_(where["publication_flagged"], where["step_flagged"]))
            .order_by(Item.id)
        ).all()
    return ids
