"""The statutory reply clock of a request for government information (依申请公开), as a pure
function: the dates of one request in, its due dates and working days left out. No Flask, no
database: the register (package ``approval/requests/``, to come) reads a request's dates from its
rows, builds a ``RequestTimeline`` and calls ``reply_clock`` with the request's Calendar
(``approval/core/workdays.py``) and the body's local today.

The law (《中华人民共和国政府信息公开条例》, 2019):

- Art. 31: the day of receipt (in person: that day; registered post: the day signed for; other
  channels: the day the body confirms receipt). ``received`` is that day, already decided.
- Art. 30 (补正): when a request is unclear the body asks, once and for everything missing,
  within 7 working days of receipt (一次性告知). The reply period then runs from the day the
  corrected request is received. An applicant who does not answer within the period the body set
  is deemed to have given up (视为放弃申请): the request closes as 逾期不补正 (annual report,
  table 三, row (六) 1).
- Art. 33: the reply is due within 20 working days of receipt (自收到申请之日起20个工作日内); an
  extension, once, of at most 20 working days, approved by the head of the disclosure office and
  notified to the applicant. The time needed to consult a third party or another body is not
  counted in the period (Art. 33 para. 2).
- Art. 32: the third party answers within 15 working days of receiving the consultation letter.
- Art. 34: information made with another body: its consent is asked; the time it takes is not
  counted (Art. 33 para. 2).
- 国办函〔2020〕109号 (《政府信息公开信息处理费管理办法》): when the body charges a fee, the period
  from the fee notice until the applicant pays is not counted; the applicant pays within 20
  working days of receiving the notice, else the request is deemed given up.

Counting rules chosen here:

1. **The day of the event is not counted** (as the 公开期限 in ``workdays``): the reply is due on
   the 20th working day after ``received``, the 补正 notice on the 7th. A request received on a
   holiday starts counting on the next working day all the same.
2. **After a 补正 the clock restarts** on the day the corrected request is received
   (``correction_received``), which is then the day of the event: the days before it are not
   kept (Art. 30: "答复期限自行政机关收到补正的申请之日起计算"). While the body waits for the answer
   there is no reply due date (state ``awaiting_correction``); once the day the body set
   (``correction_deadline``) has passed with no answer, the state is ``correction_lapsed``. A
   correction received after that day is still honoured (the applicant may have had a 正当理由,
   which the body, not the clock, judges): the register records it only if the body accepts it.
3. **A pause from S to E excludes the days S..E, both included**; the working days counted
   before S are kept and counting resumes on the first working day after E. The notice's wording
   "自…之日起至…之日止" names both days as inside the period, and the day the consultation
   letter or fee notice goes out is a day spent on the consultation or the fee, not on the
   reply. The end day is the day of the event (the opinion, the consent or the payment arrives)
   from which the rest of the period runs, so it is not counted either, as in rule 1. So a
   closed pause extends the due date by the working days within S..E (those that fall on or
   before the due date it would otherwise have): a pause that starts after the reply was already
   due does not make a late request timely.
4. **An open pause** (no end yet) that starts before the due date means there is no due date:
   the result gives the working days used before it and those remaining, and the state ``paused``.
5. **The extension** adds ``extension_days`` (0..20) working days to the period: the due date is
   the (20 + extension_days)-th counted working day.
6. **Working days left** as of ``today``: the period less the working days counted in
   (clock start, today], pauses left out, so it stands still during a pause; from the day after
   the due date on, minus the working days after the due date (0: due today; -1: one working day
   late). The state is ``overdue`` from the calendar day after the due date, so on the Saturday
   after a Friday due date it is ``overdue`` with 0 working days left.

Not decided here: no cap is put on a third-party pause. Art. 32's 15 working days run from the
third party's *receipt* of the letter, a day the clock is not given; the register ends the pause
on the day the opinion arrives or the third party's period runs out. Likewise the fee's 20
working days to pay (and the 逾期未缴费 closing, table 三 row (六) 2) are the register's to watch.

Validation refuses, with ``TimelineError`` (a ``ValueError`` naming the ``field``): a correction
answered before it was asked for, asked for before receipt, answered or given a deadline without
being asked for, or a deadline before the request; an extension outside 0..20; a pause of an
unknown kind, ending before it starts, starting before the clock starts (before receipt, or
before the corrected request is received, or while it is awaited), or overlapping another (an
open pause overlaps every later one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from approval.core.workdays import Deadline, Span

REPLY_WORKING_DAYS = 20  # Art. 33 para. 1
MAX_EXTENSION_WORKING_DAYS = 20  # Art. 33 para. 2
CORRECTION_NOTICE_WORKING_DAYS = 7  # Art. 30
# a fee notice is paid within 20 working days of the notice, or the request is no longer handled
# (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号)
FEE_PAYMENT_WORKING_DAYS = 20

# kinds of pause (the time they take is not counted)
THIRD_PARTY = "third_party"  # Art. 32, Art. 33 para. 2
OTHER_BODY = "other_body"  # Art. 34, Art. 33 para. 2
FEE = "fee"  # 国办函〔2020〕109号: from the fee notice until payment
PAUSE_KINDS = (THIRD_PARTY, OTHER_BODY, FEE)

# states (a hint for the register's pages; the register keeps the request's own state)
AWAITING_CORRECTION = "awaiting_correction"
CORRECTION_LAPSED = "correction_lapsed"
RUNNING = "running"
PAUSED = "paused"
OVERDUE = "overdue"

ONE_DAY = timedelta(days=1)


class WorkingCalendar(Protocol):
    """What the clock needs of ``workdays.Calendar``."""

    def add_working_days(self, start: date, n: int) -> Deadline: ...

    def working_days_between(self, start: date, end: date) -> Span: ...


class TimelineError(ValueError):
    """Dates that cannot describe a request; ``field`` names the offending input."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Pause:
    """Days S..E (both included) not counted; ``end`` None: still going on."""

    kind: str
    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class RequestTimeline:
    """The dates of one request that the clock depends on. ``pauses`` may be given as
    ``Pause`` objects or (kind, start, end) tuples; they are kept sorted by start."""

    received: date
    correction_requested: date | None = None
    correction_received: date | None = None
    correction_deadline: date | None = None
    pauses: Sequence[Pause | tuple] = ()
    extension_days: int = 0

    def __post_init__(self):
        object.__setattr__(self, "pauses", _pauses(self.pauses))
        _validate(self)

    @property
    def awaiting_correction(self) -> bool:
        return self.correction_requested is not None and self.correction_received is None

    @property
    def clock_start(self) -> date | None:
        """The day the reply period runs from (not itself counted), or None while a 补正 is
        awaited."""
        if self.awaiting_correction:
            return None
        return self.correction_received or self.received

    @property
    def period(self) -> int:
        return REPLY_WORKING_DAYS + self.extension_days


@dataclass(frozen=True)
class ReplyClock:
    """The clock of one request as of ``today``."""

    today: date
    state: str  # AWAITING_CORRECTION | CORRECTION_LAPSED | RUNNING | PAUSED | OVERDUE
    correction_notice_due: date  # the 7th working day after receipt (Art. 30)
    correction_notice_late: bool  # the 补正 notice went out after that day
    clock_start: date | None  # receipt, or the day the corrected request arrived
    period: int  # 20 + extension_days working days
    due: date | None  # None while a 补正 is awaited or an open pause stops the clock
    used: int | None  # working days counted in (clock_start, today], pauses left out
    left: int | None  # see rule 6; None while a 补正 is awaited
    paused_working_days: int  # working days not counted before the due date (or so far)
    paused: bool  # a pause covers today
    paused_since: date | None
    pause_kind: str | None
    uncovered_years: tuple[int, ...] = ()  # counted without the State Council's data

    @property
    def covered(self) -> bool:
        return not self.uncovered_years


# ------------------------------------------------------------------------------ validation


def _is_date(value) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _pauses(values: Iterable[Pause | tuple]) -> tuple[Pause, ...]:
    pauses = []
    for value in values:
        if not isinstance(value, Pause):
            try:
                value = Pause(*value)
            except TypeError as error:
                raise TimelineError(
                    f"a pause is (kind, start, end), not {value!r}", "pauses"
                ) from error
        pauses.append(value)
    for pause in pauses:
        if pause.kind not in PAUSE_KINDS:
            raise TimelineError(
                f"unknown kind of pause {pause.kind!r} (expected one of {', '.join(PAUSE_KINDS)})",
                "pauses",
            )
        if not _is_date(pause.start) or not (pause.end is None or _is_date(pause.end)):
            raise TimelineError("a pause's start and end must be dates", "pauses")
    return tuple(sorted(pauses, key=lambda p: p.start))


def _validate(t: RequestTimeline) -> None:
    for name in ("received", "correction_requested", "correction_received", "correction_deadline"):
        value = getattr(t, name)
        if not (_is_date(value) or (value is None and name != "received")):
            raise TimelineError(f"{name} must be a date, not {type(value).__name__}", name)
    if t.correction_requested is None:
        for name in ("correction_received", "correction_deadline"):
            if getattr(t, name) is not None:
                raise TimelineError(f"{name} without correction_requested", name)
    else:
        if t.correction_requested < t.received:
            raise TimelineError(
                "the correction was requested before the request was received",
                "correction_requested",
            )
        if t.correction_received is not None and t.correction_received < t.correction_requested:
            raise TimelineError(
                "the corrected request was received before the correction was requested",
                "correction_received",
            )
        if t.correction_deadline is not None and t.correction_deadline < t.correction_requested:
            raise TimelineError(
                "the correction deadline is before the correction was requested",
                "correction_deadline",
            )
    if isinstance(t.extension_days, bool) or not isinstance(t.extension_days, int):
        raise TimelineError(
            "extension_days must be a whole number of working days", "extension_days"
        )
    if not 0 <= t.extension_days <= MAX_EXTENSION_WORKING_DAYS:
        raise TimelineError(
            f"extension_days must be 0..{MAX_EXTENSION_WORKING_DAYS} (Art. 33: once, at most "
            f"{MAX_EXTENSION_WORKING_DAYS} working days), not {t.extension_days}",
            "extension_days",
        )
    start = t.clock_start
    previous: Pause | None = None
    for pause in t.pauses:
        if pause.end is not None and pause.end < pause.start:
            raise TimelineError(
                f"a {pause.kind} pause ends ({pause.end}) before it starts ({pause.start})",
                "pauses",
            )
        if start is None:
            raise TimelineError(
                "a pause while the corrected request is awaited: the reply clock is not running",
                "pauses",
            )
        if pause.start < start:
            raise TimelineError(
                f"a {pause.kind} pause starts ({pause.start}) before the reply clock ({start})",
                "pauses",
            )
        if previous is not None and (previous.end is None or pause.start <= previous.end):
            raise TimelineError(
                f"pauses overlap: {previous.kind} from {previous.start} and {pause.kind} "
                f"from {pause.start}",
                "pauses",
            )
        previous = pause


# ------------------------------------------------------------------------------ the clock


def reply_clock(timeline: RequestTimeline, today: date, calendar: WorkingCalendar) -> ReplyClock:
    """The clock of ``timeline`` as of ``today`` (the body's local date), counted in
    ``calendar``'s working days (a ``workdays.Calendar``)."""
    if not _is_date(today):
        raise TimelineError(f"today must be a date, not {type(today).__name__}", "today")
    uncovered: set[int] = set()

    def add(start: date, n: int) -> date:
        deadline = calendar.add_working_days(start, n)
        uncovered.update(deadline.uncovered_years)
        return deadline.due

    def between(start: date, end: date) -> int:
        """Working days in (start, end]; 0 when end is not after start."""
        if end <= start:
            return 0
        span = calendar.working_days_between(start, end)
        uncovered.update(span.uncovered_years)
        return span.working_days

    notice_due = add(timeline.received, CORRECTION_NOTICE_WORKING_DAYS)
    notice_late = (
        timeline.correction_requested is not None and timeline.correction_requested > notice_due
    )
    start = timeline.clock_start
    common = dict(
        today=today,
        correction_notice_due=notice_due,
        correction_notice_late=notice_late,
        clock_start=start,
        period=timeline.period,
    )
    if start is None:  # Art. 30: no reply period until the corrected request arrives
        lapsed = timeline.correction_deadline is not None and today > timeline.correction_deadline
        return ReplyClock(
            **common,
            state=CORRECTION_LAPSED if lapsed else AWAITING_CORRECTION,
            due=None,
            used=None,
            left=None,
            paused_working_days=0,
            paused=False,
            paused_since=None,
            pause_kind=None,
            uncovered_years=tuple(sorted(uncovered)),
        )

    # The due date: walk the pauses in order, counting the working days between them.
    def paused_through(pause: Pause, last: date | None) -> int:
        """Working days of pause.start..last that the clock would otherwise count."""
        end = last if pause.end is None or (last is not None and last < pause.end) else pause.end
        return between(max(pause.start - ONE_DAY, start), end)

    due: date | None = None
    counted: list[Pause] = []  # the pauses that stop the clock (not those after the due date)
    cursor, left_to_count = start, timeline.period
    for pause in timeline.pauses:
        before = between(cursor, pause.start - ONE_DAY)  # working days in (cursor, S)
        if before >= left_to_count:
            break  # due before this pause starts: it, and every later one, changes nothing
        left_to_count -= before
        counted.append(pause)
        if pause.end is None:
            cursor = None  # rule 4: an open pause stops the clock, no due date
            break
        cursor = pause.end
    if cursor is not None:
        due = add(cursor, left_to_count)
        paused_days = sum(paused_through(p, None) for p in counted)
    else:  # the days not counted so far
        paused_days = sum(paused_through(p, today) for p in counted)

    # Working days used as of today: those in (start, today] outside the pauses that count.
    used = between(start, today) - sum(paused_through(p, today) for p in counted)
    if due is not None and today > due:
        left = -between(due, today)
    else:
        left = timeline.period - used

    current = next((p for p in timeline.pauses if p.covers(today)), None)
    if due is not None and today > due:
        state = OVERDUE
    elif current is not None:
        state = PAUSED
    else:
        state = RUNNING
    return ReplyClock(
        **common,
        state=state,
        due=due,
        used=used,
        left=left,
        paused_working_days=paused_days,
        paused=current is not None,
        paused_since=current.start if current else None,
        pause_kind=current.kind if current else None,
        uncovered_years=tuple(sorted(uncovered)),
    )


def fee_payment_due(notice_day: date, calendar: WorkingCalendar) -> date:
    """The last day to pay a fee notified on ``notice_day`` (the notice day not counted)."""
    return calendar.add_working_days(notice_day, FEE_PAYMENT_WORKING_DAYS).due
