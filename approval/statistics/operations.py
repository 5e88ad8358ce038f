"""The office's statistics (信息报送情况统计) and what the monthly 通报 is made of.

Every figure is counted from facts the app records when they happen, for a period of local dates
(Asia/Shanghai: BABEL_DEFAULT_TIMEZONE) turned into a range of the stored UTC times:

- 报送 (submitted): items whose FIRST submission (the audit trail's ``submit`` entry of round 1)
  falls in the period. A resubmission after a return or a recall does not count again: the seed
  reports count items 上报 and 录用.
- 退回 (returned): every return in the period (an item returned twice counts twice), from any step,
  the publisher's included; the reasons are the returns' written reasons, grouped after trimming
  spaces and closing punctuation.
- 发布/录用 (published): items first published in the period (``items.published_at``; a later 撤稿
  does not undo it). 不予公开 (withheld): withholdings in the period.
- 录用率 = published / submitted of the same period ("—" when nothing was submitted). Both count
  the period's events, so items submitted earlier and published now can lift it above 100%.
- 年度目标 / 完成率 = items published from 1 January to the end of the period / the department's
  target for that year ("—" without a target); the body's = its total / the sum of the targets.
- 平均办理时长 per step: each decision in the period (同意, 退回, 保密审查通过, 不予公开, 发布), minus
  the moment the item arrived at that step (its submission, the previous step's approval, the
  secrecy sign-off); calendar hours. A recall is the author's, not the step's, and is left out.
- 超期发布 (published late): items first published in the period on a local date after the 20th
  working day following the 成文日期 of the published revision (条例 Art. 26; the day formed is not
  counted), by the working-day calendar (approval/core/workdays.py).
- 栏目不更新 (stale categories): as of today, categories whose newest publication (theirs or a
  subcategory's, still online) is more days ago than their limit (``stale_after_days``, else
  CATALOG_STALE_AFTER_DAYS), or that never had one. The same index probes as the catalog page.

Each figure is one GROUP BY over an index range of the period (audit entries by body, action and
time; items by body and publication time), whatever the number of departments: the cost grows
with the period's events, not with the history. Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from flask_babel import gettext
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from approval.accounts.departments import departments_of
from approval.calendar import current as working_calendar
from approval.core import clock
from approval.core.periods import Period, add_months, today, utc_start
from approval.core.workflow import APPROVED
from approval.deadlines.operations import PUBLICATION_WORKING_DAYS as DEADLINE_WORKING_DAYS
from approval.extensions import db
from approval.models import (
    AuditEntry,
    Body,
    Category,
    Decision,
    Department,
    DepartmentTarget,
    Item,
    Revision,
    chains_for,
)
from approval.portal import catalog
from approval.publication import categories
from approval.statistics import interaction_part

DEFAULT_STALE_AFTER_DAYS = 90  # CATALOG_STALE_AFTER_DAYS when the deployment sets none
TOP_REASONS = 5
TREND_MONTHS = 12
NO_RATE = "—"

SUBMIT, RETURN, WITHHOLD = "submit", "return", "withhold"
ARRIVALS = ("submit", "approve", "sign_off")  # an item reaches a step
STEP_DECISIONS = ("approve", "return", "sign_off", "withhold", "publish")  # a step is done
CLOSING_PUNCTUATION = "。．.，,；;！!？?、 "


# ------------------------------------------------------------------------------ results


def rate(part: int, whole: int | None) -> Decimal | None:
    """part / whole to four decimals (rounded half up), None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def rate_text(value: Decimal | None) -> str:
    """160.67% — or "—" when the rate does not exist (nothing submitted, no target)."""
    return NO_RATE if value is None else f"{value * 100:.2f}%"


@dataclass
class Figures:
    submitted: int = 0
    returned: int = 0
    published: int = 0
    withheld: int = 0
    late: int = 0
    published_in_year: int = 0  # 1 January to the end of the period
    target: int | None = None

    @property
    def adoption_rate(self) -> Decimal | None:
        return rate(self.published, self.submitted)

    @property
    def completion(self) -> Decimal | None:
        return rate(self.published_in_year, self.target)


@dataclass
class DepartmentRow:
    department_id: int
    name: str
    rank: int
    figures: Figures


@dataclass(frozen=True)
class Reason:
    text: str
    count: int


@dataclass(frozen=True)
class StepTime:
    state: str
    name: str
    decisions: int  # the period's decisions whose arrival the trail records
    average_seconds: float | None

    @property
    def average_hours(self) -> float | None:
        return None if self.average_seconds is None else self.average_seconds / 3600

    @property
    def hours_text(self) -> str:
        """Hours to one decimal ("1.7"), or "—" when the step decided nothing in the period."""
        return NO_RATE if self.average_seconds is None else f"{self.average_seconds / 3600:.1f}"


@dataclass(frozen=True)
class TrendMonth:
    year: int
    month: int
    submitted: int
    published: int


@dataclass(frozen=True)
class StaleCategory:
    category_id: int
    code: str
    name: str  # the full name, parents first
    last_published: datetime | None
    days_since: int | None  # None: never published
    limit_days: int


@dataclass
class Report:
    body_name: str
    period: Period
    department_id: int | None
    total: Figures
    rows: list[DepartmentRow]
    reasons: list[Reason]
    step_times: list[StepTime]
    trend: list[TrendMonth]
    stale: list[StaleCategory]
    as_of: date
    uncovered_years: tuple[int, ...] = ()  # deadlines counted without the State Council's notice
    default_stale_days: int = DEFAULT_STALE_AFTER_DAYS
    interaction: interaction_part.InteractionPart | None = None  # 互动回应 of the period

    @property
    def selected(self) -> DepartmentRow | None:
        return next((r for r in self.rows if r.department_id == self.department_id), None)

    @property
    def figures(self) -> Figures:
        """The cards' figures: the chosen department's, or the whole body's."""
        selected = self.selected
        return selected.figures if selected else self.total

    @property
    def year_to_date_label(self) -> str:
        """What "published this year" covers: 1 January to the period's end, or to today while
        the period runs."""
        last = self.period.last_day
        if self.period.first_day <= self.as_of < last:
            last = self.as_of
        return gettext(
            "%(year)s年1月1日至%(month)s月%(day)s日",
            year=self.period.year,
            month=last.month,
            day=last.day,
        )

    @property
    def title(self) -> str:
        return gettext(
            "%(body)s %(period)s 政务公开信息报送情况通报",
            body=self.body_name,
            period=self.period.label,
        )


# ------------------------------------------------------------------------------ the report


def report(body_id: int, period: Period, department_id: int | None = None) -> Report:
    """Every figure of ``period`` for the body, per department, and for ``department_id``."""
    start, end = period.utc_range
    departments = departments_of(body_id)
    figures = {d.id: Figures() for d in departments}

    for department, action, count in _transitions(body_id, start, end):
        row = figures.get(department)
        if row is not None:
            setattr(
                row, {SUBMIT: "submitted", RETURN: "returned", WITHHOLD: "withheld"}[action], count
            )
    late_if, uncovered = _late_threshold(period)
    for department, published, late in _publications(body_id, start, end, late_if):
        if department in figures:
            figures[department].published, figures[department].late = published, int(late or 0)
    year_start = utc_start(date(period.year, 1, 1))
    for department, published, _late in _publications(body_id, year_start, end, None):
        if department in figures:
            figures[department].published_in_year = published
    for department, target in db.session.execute(
        select(DepartmentTarget.department_id, DepartmentTarget.target)
        .join(Department, Department.id == DepartmentTarget.department_id)
        .where(Department.body_id == body_id, DepartmentTarget.year == period.year)
    ):
        figures[department].target = target

    rows = _ranked([DepartmentRow(d.id, d.name, 0, figures[d.id]) for d in departments])
    body = db.session.get(Body, body_id)
    department_id = department_id if department_id in figures else None
    return Report(
        body_name=body.name,
        period=period,
        department_id=department_id,
        total=_total(figures.values()),
        rows=rows,
        reasons=return_reasons(body_id, start, end, department_id),
        step_times=step_times(body_id, start, end, department_id),
        trend=trend(body_id, period, department_id),
        stale=stale_categories(body_id),
        as_of=today(),
        uncovered_years=uncovered,
        default_stale_days=stale_default(),
        interaction=interaction_part.build(
            body_id, period.first_day, period.last_day, today(), departments
        ),
    )


def _total(rows) -> Figures:
    total = Figures()
    targets = [r.target for r in rows if r.target]
    for r in rows:
        for name in ("submitted", "returned", "published", "withheld", "late", "published_in_year"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    total.target = sum(targets) if targets else None
    return total


def _ranked(rows: list[DepartmentRow]) -> list[DepartmentRow]:
    """By published, then adoption rate ("—" last); equal on both shares a rank; ties keep the
    departments' order."""

    def key(row):
        adoption = row.figures.adoption_rate
        return row.figures.published, -1 if adoption is None else adoption

    ordered = sorted(rows, key=key, reverse=True)  # stable: ties stay in department order
    for row in ordered:
        row.rank = 1 + sum(1 for other in rows if key(other) > key(row))
    return ordered


def _transitions(body_id: int, start: datetime, end: datetime):
    """(department, action, count) of first submissions, returns and withholdings."""
    entry = AuditEntry
    return db.session.execute(
        select(Item.department_id, entry.action, func.count())
        .select_from(entry)
        .join(Item, Item.id == entry.item_id)
        .where(
            entry.body_id == body_id,
            entry.action.in_((SUBMIT, RETURN, WITHHOLD)),
            Item.request_id.is_(None),  # a reply to a request is not information published
            Item.amends_id.is_(None),  # nor is a 修订 of an item already counted
            entry.occurred_at >= start,
            entry.occurred_at < end,
            or_(entry.action != SUBMIT, entry.round == 1),
        )
        .group_by(Item.department_id, entry.action)
    ).all()


def _publications(body_id: int, start: datetime, end: datetime, late_if):
    """(department, published, late) of the items first published in [start, end). The published
    revision's 成文日期 is read by primary key per item: a join let PostgreSQL hash all of
    ``revisions`` once a period holds a tenth of them."""
    late = literal(0)
    if late_if is not None:
        formed_on = (
            select(Revision.formed_on)
            .where(Revision.id == Item.published_revision_id)
            .scalar_subquery()
        )
        late = func.sum(case((formed_on < late_if, 1), else_=0))
    return db.session.execute(
        select(Item.department_id, func.count(), late)
        .where(Item.body_id == body_id, Item.published_at >= start, Item.published_at < end)
        .group_by(Item.department_id)
    ).all()


def _for_department(query, entry, department_id: int | None):
    if department_id is None:
        return query
    return query.join(Item, Item.id == entry.item_id).where(Item.department_id == department_id)


# ------------------------------------------------------------------------------ late publication


def _late_threshold(period: Period):
    """A CASE over the publication time that gives, for the local day of publication, the
    earliest 成文日期 still on time (an item formed before it is late), and the years whose
    holidays the calendar had to guess. Days with the same threshold share one branch (a
    weekend's days go with the next working day), so a year is some 250 branches."""
    calendar = working_calendar.current_calendar()
    last = min(period.last_day, today())
    day, runs, uncovered, cache = period.first_day, [], set(), {}
    while day <= last:
        due = day
        while not calendar.is_working_day(due):
            due += timedelta(days=1)
        if due not in cache:
            cache[due] = calendar.earliest_start(due, DEADLINE_WORKING_DAYS)
            uncovered.update(
                calendar.add_working_days(cache[due], DEADLINE_WORKING_DAYS).uncovered_years
            )
        boundary = utc_start(day + timedelta(days=1))
        if runs and runs[-1][1] == cache[due]:
            runs[-1] = (boundary, cache[due])
        else:
            runs.append((boundary, cache[due]))
        day += timedelta(days=1)
    if not runs:
        return None, ()
    return _search_tree(Item.published_at, runs), tuple(sorted(uncovered))


def _search_tree(column, runs: list[tuple[datetime, date]]):
    """The threshold of the run ``column`` falls in, as nested CASEs that halve the runs at each
    level: some 8 comparisons per row for a year's 250 runs, not 125 on average."""
    if len(runs) == 1:
        return literal(runs[0][1])
    middle = len(runs) // 2
    return case(
        (column < runs[middle - 1][0], _search_tree(column, runs[:middle])),
        else_=_search_tree(column, runs[middle:]),
    )


# ------------------------------------------------------------------------------ details


def return_reasons(
    body_id: int,
    start: datetime,
    end: datetime,
    department_id: int | None = None,
    limit: int = TOP_REASONS,
) -> list[Reason]:
    """The most common written reasons of the period's returns, most frequent first."""
    entry = AuditEntry
    query = (
        select(Decision.opinion, func.count())
        .select_from(entry)
        .join(
            Decision,
            and_(
                Decision.item_id == entry.item_id,
                Decision.round == entry.round,
                Decision.action == RETURN,
            ),
        )
        .where(
            entry.body_id == body_id,
            entry.action == RETURN,
            entry.occurred_at >= start,
            entry.occurred_at < end,
        )
        .group_by(Decision.opinion)
    )
    counts: dict[str, int] = {}
    for opinion, count in db.session.execute(_for_department(query, entry, department_id)):
        text = " ".join((opinion or "").split()).rstrip(CLOSING_PUNCTUATION)
        counts[text] = counts.get(text, 0) + count
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return [Reason(text, count) for text, count in ranked[:limit]]


def step_times(
    body_id: int, start: datetime, end: datetime, department_id: int | None = None
) -> list[StepTime]:
    """Average time from an item's arrival at a step to that step's decision, for the decisions
    of the period, per step of the body's chain and for 待发布 (until published or returned)."""
    entry, arrival = AuditEntry, aliased(AuditEntry)
    arrived = (
        select(func.max(arrival.occurred_at))
        .where(
            arrival.item_id == entry.item_id,
            arrival.id < entry.id,
            arrival.to_state == entry.from_state,
            arrival.action.in_(ARRIVALS),
        )
        .scalar_subquery()
    )
    inner = select(
        entry.from_state.label("state"),
        entry.occurred_at.label("left_at"),
        arrived.label("arrived_at"),
    ).where(
        entry.body_id == body_id,
        entry.action.in_(STEP_DECISIONS),
        entry.occurred_at >= start,
        entry.occurred_at < end,
    )
    # PostgreSQL would otherwise inline the arrival lookup into both aggregates (twice the probes)
    decided = (
        _for_department(inner, entry, department_id)
        .cte("decided")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    seconds = _seconds(decided.c.arrived_at, decided.c.left_at)
    found = {
        state: (count, None if average is None else float(average))
        for state, count, average in db.session.execute(
            select(decided.c.state, func.count(decided.c.arrived_at), func.avg(seconds)).group_by(
                decided.c.state
            )
        )
    }
    steps = [(s.state, s.name) for s in chains_for(body_id).steps]
    steps.append((APPROVED, gettext("发布")))
    steps += [(state, state) for state in found if state not in dict(steps)]
    return [StepTime(state, name, *found.get(state, (0, None))) for state, name in steps]


def _seconds(earlier, later):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def trend(body_id: int, period: Period, department_id: int | None = None) -> list[TrendMonth]:
    """Submitted and published per month, for the twelve months ending with the period's last."""
    first = add_months(date(period.last_day.year, period.last_day.month, 1), 1 - TREND_MONTHS)
    months = [add_months(first, i) for i in range(TREND_MONTHS + 1)]
    bounds = [utc_start(m) for m in months]

    def per_month(column, query, entry=None):
        bucket = case(*[(column < b, i) for i, b in enumerate(bounds[1:])], else_=-1)
        query = query.add_columns(bucket.label("bucket")).where(
            column >= bounds[0], column < bounds[-1]
        )
        if entry is not None:
            query = _for_department(query, entry, department_id)
        elif department_id is not None:
            query = query.where(Item.department_id == department_id)
        inner = query.subquery()
        return dict(
            db.session.execute(select(inner.c.bucket, func.count()).group_by(inner.c.bucket)).all()
        )

    entry = AuditEntry
    submitted = per_month(
        entry.occurred_at,
        select()
        .select_from(entry)
        .where(entry.body_id == body_id, entry.action == SUBMIT, entry.round == 1),
        entry,
    )
    published = per_month(
        Item.published_at, select().select_from(Item).where(Item.body_id == body_id)
    )
    return [
        TrendMonth(m.year, m.month, submitted.get(i, 0), published.get(i, 0))
        for i, m in enumerate(months[:-1])
    ]


def stale_default() -> int:
    return int(current_app.config.get("CATALOG_STALE_AFTER_DAYS") or DEFAULT_STALE_AFTER_DAYS)


def stale_categories(body_id: int) -> list[StaleCategory]:
    """Categories not updated within their limit, as of today: never published first, then the
    longest silent, then in catalog order. A category's newest publication is its own or any
    subcategory's (``catalog.usage``: the catalog page's index probes)."""
    usage, now, default = catalog.usage(body_id), today(), stale_default()
    in_order: list[tuple[Category, str, datetime | None]] = []

    def walk(nodes, prefix: str) -> datetime | None:
        newest_of_all = None
        for node in nodes:
            name = f"{prefix}{node.category.name}"
            at = len(in_order)
            in_order.append((node.category, name, None))
            own = usage[node.category.id].last_published if node.category.id in usage else None
            newest = _latest(own, walk(node.children, f"{name} / "))
            in_order[at] = (node.category, name, newest)
            newest_of_all = _latest(newest_of_all, newest)
        return newest_of_all

    walk(categories.category_tree(body_id), "")
    stale = []
    for category, name, newest in in_order:
        limit = category.stale_after_days or default
        days = None if newest is None else (now - clock.to_local(newest).date()).days
        if days is None or days > limit:
            stale.append(StaleCategory(category.id, category.code, name, newest, days, limit))
    return sorted(stale, key=lambda s: (s.days_since is not None, -(s.days_since or 0)))


def _latest(*moments):
    return max((m for m in moments if m is not None), default=None)
