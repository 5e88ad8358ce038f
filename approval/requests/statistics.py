"""The register's figures for a period (依申请公开, issue 28 "Statistics"): the annual report's
table 三 (国办公开办函〔2021〕30号, 三、收到和处理政府信息公开申请情况) with its cross-checks, the
requests by state, the replies sent late, and the requests overdue today.

Table 三 counts requests by the day of receipt (``received_on``, Art. 31) and the day they ended
(``closed_on``); a request still awaiting the office's confirmation (``received_on`` empty) is not
counted. For a period [start, end], in each applicant column:

- 一 本年新收: received in [start, end];
- 二 上年结转: received before start and not closed before start;
- 三 本年度办理结果: closed in [start, end], in the row of its outcome
  (``core.request_outcomes.row_of``); (七) 总计 is the sum of the 22 result rows;
- 四 结转下年度继续办理: received on or before end and not closed by end.

So 一 + 二 = (七) + 四 in every column (every request counted in 一 or 二 either closed in the period
or is still open at its end), the 总计 column is the sum of the six others, and year Y's 四 is year
Y+1's 二: they hold by construction, and ``TableThree.checks`` proves it on the figures it holds
(a closed request with no outcome, or a figure changed by hand, makes the check naming that cell
fail). The counts are one SQL aggregate; the table is plain data (``TableThree.from_counts``), so
the annual report can rebuild it from any year's figures.

Lateness needs the reply clock (``core.request_clock``), a Python function of a request's dates and
the working-day calendar: a reply was late when, on the day it was sent (``closed_on``), the clock
says overdue. Only the requests closed in the period (or open now) are read for it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import load_only, selectinload

from approval.calendar import current as working_calendar
from approval.core.request_clock import OVERDUE, TimelineError, reply_clock
from approval.core.request_outcomes import BY_CODE, ROW_KEYS
from approval.core.request_vocab import (
    OPEN_STATES,
    ORGANISATION_KINDS,
    PERSON,
    REQUEST_STATES,
    SUBMITTED,
)
from approval.extensions import db
from approval.models import InformationRequest

# the columns: 自然人; 法人或其他组织 by kind (商业企业 … 其他); 总计
PERSON_COLUMN, TOTAL_COLUMN = "person", "total"
APPLICANT_COLUMNS = (PERSON_COLUMN, *ORGANISATION_KINDS)
COLUMNS = (*APPLICANT_COLUMNS, TOTAL_COLUMN)

# the rows: 一, 二, the 22 result rows (ROW_KEYS: "1", "2", "3.1" … "6.3"), (七) 总计, 四
NEW, CARRIED_IN, RESULTS_TOTAL, CARRIED_OUT = "new", "carried_in", "results_total", "carried_out"
RESULT_ROWS = ROW_KEYS
ROWS = (NEW, CARRIED_IN, *RESULT_ROWS, RESULTS_TOTAL, CARRIED_OUT)

# the cross-checks (勾稽关系)
BALANCE = "balance"  # in a column: 一 + 二 = (七) + 四
TOTAL_OF_COLUMNS = "total_of_columns"  # in a row: 总计 = the sum of the other columns
TOTAL_OF_RESULTS = "total_of_results"  # in a column: (七) = the sum of the result rows

Cell = tuple[str, str]  # (row key, column key)


@dataclass(frozen=True)
class Failure:
    """One cross-check that does not hold: ``cell`` is the cell the rule checks (the sum's, or
    四 for the balance), ``cells`` every cell the equation reads; ``left`` = ``right`` should hold
    (the balance: 一 + 二 and (七) + 四; the totals: the cell and the sum of its parts)."""

    rule: str
    cell: Cell
    cells: tuple[Cell, ...]
    left: int
    right: int

    @property
    def row(self) -> str:
        return self.cell[0]

    @property
    def column(self) -> str:
        return self.cell[1]


@dataclass
class TableThree:
    """Table 三 of one period: ``table[row, column]`` (``ROWS`` × ``COLUMNS``), every cell present.
    ``unclassified`` counts, per applicant column, the requests closed in the period without a
    known outcome (not in any result row: the balance of their column fails)."""

    start: date
    end: date
    cells: dict[Cell, int]
    unclassified: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, cell: Cell) -> int:
        return self.cells[cell]

    def __setitem__(self, cell: Cell, value: int) -> None:
        if cell not in self.cells:
            raise KeyError(cell)
        self.cells[cell] = value

    def row(self, key: str) -> list[int]:
        """The row's figures in ``COLUMNS`` order."""
        return [self.cells[key, c] for c in COLUMNS]

    @classmethod
    def from_counts(
        cls,
        start: date,
        end: date,
        new: dict[str, int],
        carried_in: dict[str, int],
        results: dict[Cell, int],
        carried_out: dict[str, int],
        unclassified: dict[str, int] | None = None,
    ) -> TableThree:
        """The table from the applicant columns' counts (``results``: (result row, column) → the
        requests closed in the period with an outcome of that row); the 总计 column and (七) are
        computed here."""
        cells: dict[Cell, int] = {}
        for column in APPLICANT_COLUMNS:
            cells[NEW, column] = new.get(column, 0)
            cells[CARRIED_IN, column] = carried_in.get(column, 0)
            for row in RESULT_ROWS:
                cells[row, column] = results.get((row, column), 0)
            cells[RESULTS_TOTAL, column] = sum(cells[row, column] for row in RESULT_ROWS)
            cells[CARRIED_OUT, column] = carried_out.get(column, 0)
        for row in ROWS:
            cells[row, TOTAL_COLUMN] = sum(cells[row, c] for c in APPLICANT_COLUMNS)
        return cls(start, end, cells, {c: n for c, n in (unclassified or {}).items() if n})

    def checks(self) -> list[Failure]:
        """Every cross-check that fails, each naming its cell (an empty list: all hold)."""
        failures = []
        for column in COLUMNS:
            parts = [(row, column) for row in RESULT_ROWS]
            total = sum(self.cells[c] for c in parts)
            if self.cells[RESULTS_TOTAL, column] != total:
                failures.append(
                    Failure(
                        TOTAL_OF_RESULTS,
                        (RESULTS_TOTAL, column),
                        ((RESULTS_TOTAL, column), *parts),
                        self.cells[RESULTS_TOTAL, column],
                        total,
                    )
                )
        for row in ROWS:
            parts = [(row, column) for column in APPLICANT_COLUMNS]
            total = sum(self.cells[c] for c in parts)
            if self.cells[row, TOTAL_COLUMN] != total:
                failures.append(
                    Failure(
                        TOTAL_OF_COLUMNS,
                        (row, TOTAL_COLUMN),
                        ((row, TOTAL_COLUMN), *parts),
                        self.cells[row, TOTAL_COLUMN],
                        total,
                    )
                )
        for column in COLUMNS:
            cells = ((NEW, column), (CARRIED_IN, column), (RESULTS_TOTAL, column))
            cells += ((CARRIED_OUT, column),)
            received = self.cells[NEW, column] + self.cells[CARRIED_IN, column]
            handled = self.cells[RESULTS_TOTAL, column] + self.cells[CARRIED_OUT, column]
            if received != handled:
                failures.append(Failure(BALANCE, (CARRIED_OUT, column), cells, received, handled))
        return failures


def _column():
    """A request's column: 自然人, or the organisation's kind (an unknown or missing kind: 其他)."""
    kind = InformationRequest.organisation_kind
    return case(
        (InformationRequest.applicant_kind == PERSON, PERSON_COLUMN),
        (kind.in_(list(ORGANISATION_KINDS)), kind),
        else_="other",
    )


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def table_three(body_id: int, start: date, end: date) -> TableThree:
    """Table 三 of the body's register for [start, end] (both included), in one query: the
    requests received by ``end`` and not closed before ``start``, counted by column and outcome."""
    r = InformationRequest
    open_at_end = or_(r.closed_on.is_(None), r.closed_on > end)
    column = _column().label("column")
    rows = db.session.execute(
        select(
            column,
            r.outcome,
            _count(r.received_on >= start).label("new"),
            _count(r.received_on < start).label("carried_in"),
            _count(and_(r.closed_on.is_not(None), r.closed_on <= end)).label("closed"),
            _count(open_at_end).label("carried_out"),
        )
        .where(
            r.body_id == body_id,
            r.received_on.is_not(None),
            r.received_on <= end,
            or_(r.closed_on.is_(None), r.closed_on >= start),
        )
        .group_by(column, r.outcome)
    )
    new, carried_in, carried_out, unclassified = Counter(), Counter(), Counter(), Counter()
    results: Counter = Counter()
    for row in rows:
        new[row.column] += row.new
        carried_in[row.column] += row.carried_in
        carried_out[row.column] += row.carried_out
        if not row.closed:
            continue
        outcome = BY_CODE.get(row.outcome) if row.outcome else None
        if outcome is None:
            unclassified[row.column] += row.closed
        else:
            results[outcome.row, row.column] += row.closed
    return TableThree.from_counts(start, end, new, carried_in, results, carried_out, unclassified)


# ------------------------------------------------------------------------------ the rest


@dataclass
class Figures:
    """What the statistics page shows besides table 三."""

    start: date
    end: date
    today: date
    # the requests received in the period (awaiting confirmation: submitted) by their state now
    by_state: dict[str, int]
    closed: int  # requests closed in the period
    late: int  # … whose reply clock said overdue on the day they closed
    overdue_now: int  # open requests of the body whose reply is overdue today
    uncounted: int = 0  # requests whose dates the clock cannot read (not counted late or not)
    uncovered_years: tuple[int, ...] = ()  # counted without the State Council's 调休 notice

    @property
    def received(self) -> int:
        """Received in the period (table 三's 本年新收 total): those awaiting confirmation aside."""
        return sum(n for state, n in self.by_state.items() if state != SUBMITTED)


# the columns the reply clock reads (InformationRequest.timeline) and the pauses with them
_CLOCK_COLUMNS = (
    load_only(
        InformationRequest.id,
        InformationRequest.state,
        InformationRequest.received_on,
        InformationRequest.correction_requested_on,
        InformationRequest.correction_received_on,
        InformationRequest.correction_deadline,
        InformationRequest.extension_days,
        InformationRequest.closed_on,
    ),
    selectinload(InformationRequest.pauses),
)


def state_counts(body_id: int, start: date, end: date) -> dict[str, int]:
    """The requests received in [start, end] by their state now, every state listed; a request
    awaiting the office's confirmation counts by the day it was submitted."""
    r = InformationRequest
    day = func.coalesce(r.received_on, r.submitted_on)
    counts = dict(
        db.session.execute(
            select(r.state, func.count())
            .where(r.body_id == body_id, day >= start, day <= end)
            .group_by(r.state)
        ).all()
    )
    return {state: counts.get(state, 0) for state in REQUEST_STATES}


def figures(body_id: int, start: date, end: date, today: date) -> Figures:
    """Counts per state, late replies among the requests closed in [start, end], and the open
    requests overdue as of ``today``."""
    calendar = working_calendar.current_calendar()
    r = InformationRequest
    uncovered: set[int] = set()
    uncounted = 0

    def clock_on(request, day):
        nonlocal uncounted
        try:
            found = reply_clock(request.timeline(), day, calendar)
        except TimelineError:
            uncounted += 1
            return None
        uncovered.update(found.uncovered_years)
        return found

    closed = db.session.scalars(
        select(r)
        .where(
            r.body_id == body_id,
            r.received_on.is_not(None),
            r.closed_on >= start,
            r.closed_on <= end,
        )
        .options(*_CLOCK_COLUMNS)
    ).all()
    late = 0
    for request in closed:
        found = clock_on(request, request.closed_on)
        late += bool(found and found.state == OVERDUE)
    still_open = db.session.scalars(
        select(r)
        .where(r.body_id == body_id, r.state.in_(OPEN_STATES), r.received_on.is_not(None))
        .options(*_CLOCK_COLUMNS)
    ).all()
    overdue_now = 0
    for request in still_open:
        found = clock_on(request, today)
        overdue_now += bool(found and found.state == OVERDUE)
    return Figures(
        start,
        end,
        today,
        state_counts(body_id, start, end),
        len(closed),
        late,
        overdue_now,
        uncounted,
        tuple(sorted(uncovered)),
    )
