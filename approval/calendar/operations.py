"""The working-day calendar's overrides (工作日历调整), kept by the system admin (系统管理员).

The State Council's holiday notice for next year arrives each November, and the chinesecalendar
package that carries it some weeks later. Meanwhile (or if the arrangement is changed during the
year) the system admin enters the days off (放假) and the make-up working days (调休上班) here;
approval/core/workdays.py applies them over the package. Overrides are national: one table for the
whole deployment.

One override per date. An entry may span several consecutive days (a notice reads "2月6日至12日
放假"): each day becomes one row, and the days that the calendar already counts that way (a
Saturday inside a holiday, a weekday of a covered year that is a working day anyway) are skipped
and reported. An override that would change nothing is refused rather than stored: a row in this
table claims "the calendar is wrong here", and a row that claims nothing would only mislead
whoever reviews the table later (and the page shows, for each row, whether it still departs
from the package once a newer package covers its year).

Each change is one audit entry naming the days. Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from approval import permissions
from approval.audit import trail as audit
from approval.calendar.current import current_calendar, forget_current_calendar
from approval.core.clock import local_today
from approval.core.errors import InvalidInput, NotFound, PermissionDenied
from approval.core.holiday_notice import Notice, NoticeDay, parse_notice
from approval.core.msgids import N_, translate
from approval.core.roles import Role
from approval.core.text import strip_invisible
from approval.core.workdays import (
    PackageDay,
    base_is_working_day,
    package_adjustments,
    package_covers,
    package_range,
    statutory_adjustments,
)
from approval.extensions import db
from approval.models import CalendarOverride

MAX_NOTE_CHARS = 100  # calendar_overrides.note
MAX_SPAN_DAYS = 31  # days of one entry
FIRST_YEAR = 2000  # no deadline of this app starts earlier
YEARS_AHEAD = 2  # next year's notice, and a margin

DENIED = N_("只有系统管理员可以维护工作日历")
WEEKDAYS = (
    N_("星期一"),
    N_("星期二"),
    N_("星期三"),
    N_("星期四"),
    N_("星期五"),
    N_("星期六"),
    N_("星期日"),
)
KIND_CODES = {True: "working_day", False: "day_off"}  # in the audit trail
# a date that has an override already, as a refusal lists it (made a working day or a day off)
ALREADY = {
    True: N_("%(day)s已设为工作日（%(note)s）"),
    False: N_("%(day)s已设为休息日（%(note)s）"),
}
# a change that changes nothing: one day or several, made working days or days off
POINTLESS = {
    (True, True): N_("%(day)s%(source)s本来就是工作日，无需调整。"),
    (True, False): N_("%(day)s%(source)s本来就是休息日，无需调整。"),
    (False, True): N_("所选的 %(n)s 天%(source)s本来就是工作日，无需调整。"),
    (False, False): N_("所选的 %(n)s 天%(source)s本来就是休息日，无需调整。"),
}


@dataclass
class OverrideChange:
    added: list[CalendarOverride] = field(default_factory=list)
    unchanged: list[date] = field(default_factory=list)  # skipped: already so


@dataclass(frozen=True)
class OverrideRow:
    """An override as the page lists it, with what the calendar would say without it."""

    override: CalendarOverride
    base_is_working_day: bool

    @property
    def is_redundant(self) -> bool:
        """The package (a newer one, since) says the same: the row may be removed."""
        return self.override.is_working_day == self.base_is_working_day


@dataclass(frozen=True)
class YearView:
    year: int
    covered: bool  # the package knows the year's holiday arrangement
    package_range: tuple[int, int] | None
    rows: list[OverrideRow]
    package_days: list[PackageDay]  # the package's holidays on weekdays and make-up days
    # a year the package does not cover: the statutory holidays on weekdays (counted off)
    statutory_days: list[PackageDay] = field(default_factory=list)

    @property
    def entered(self) -> bool:
        """Not covered, but the State Council's arrangement is entered (the year has overrides):
        no warning."""
        return not self.covered and bool(self.rows)

    @property
    def first_year(self) -> int:
        return FIRST_YEAR

    @property
    def last_year(self) -> int:
        return last_year()


def last_year() -> int:
    return local_today().year + YEARS_AHEAD


def describe(day: date) -> str:
    """The date and its weekday, translated."""
    return translate(
        N_("%(date)s（%(weekday)s）"),
        date=day.isoformat(),
        weekday=translate(WEEKDAYS[day.weekday()]),
    )


# ------------------------------------------------------------------------------- changes


def add_overrides(
    user, first: date, last: date | None, is_working_day: bool, note: str
) -> OverrideChange:
    """Make first..last (last None: first alone) working days or days off."""
    _guard(user)
    note = _note(note)
    last = last or first
    _check_span(first, last)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    existing = db.session.scalars(
        select(CalendarOverride)
        .where(CalendarOverride.day.between(first, last))
        .order_by(CalendarOverride.day)
    ).all()
    if existing:
        _refuse_already(existing)
    change = OverrideChange()
    for day in days:
        if base_is_working_day(day) == is_working_day:
            change.unchanged.append(day)
        else:
            row = CalendarOverride(
                day=day, is_working_day=is_working_day, note=note, created_by_id=user.id
            )
            db.session.add(row)
            change.added.append(row)
    if not change.added:
        _refuse_pointless(days, is_working_day)
    try:
        db.session.flush()
    except IntegrityError as exc:  # entered by someone else in the same instant; caller rolls back
        raise InvalidInput("所选日期刚刚已被他人录入调整，请刷新页面后查看", "day") from exc
    audit.record(
        "calendar_override_add",
        actor=user,
        detail={
            "role": Role.SYSADMIN,
            "count": len(change.added),
            "note": note,
            "days": [[o.day.isoformat(), KIND_CODES[is_working_day]] for o in change.added],
            "unchanged": [d.isoformat() for d in change.unchanged],
        },
    )
    db.session.flush()
    forget_current_calendar()
    return change


@dataclass(frozen=True)
class NoticeRow:
    """A day of the pasted notice, and what saving it does."""

    notice_day: NoticeDay
    status: str  # "add"; "unchanged" (the calendar counts it so already); "entered" (a row has it)

    @property
    def day(self) -> date:
        return self.notice_day.day


@dataclass(frozen=True)
class NoticePlan:
    notice: Notice
    rows: list[NoticeRow]

    @property
    def to_add(self) -> list[NoticeRow]:
        return [r for r in self.rows if r.status == "add"]


def plan_notice(user, year: int, text: str) -> NoticePlan:
    """Read the pasted notice of ``year`` and say, day by day, what saving it would do. A day
    whose override says the opposite is refused (remove that row first)."""
    _guard(user)
    notice = parse_notice(text, year)
    for d in notice.days:
        if not FIRST_YEAR <= d.day.year <= last_year():
            raise InvalidInput(
                "只能录入 %(first)s 年至 %(last)s 年的日期",
                "notice",
                first=FIRST_YEAR,
                last=last_year(),
            )
    existing = {
        o.day: o
        for o in db.session.scalars(
            select(CalendarOverride).where(CalendarOverride.day.in_([d.day for d in notice.days]))
        )
    }
    clashes = [
        o
        for d in notice.days
        if (o := existing.get(d.day)) and o.is_working_day != d.is_working_day
    ]
    if clashes:
        _refuse_already(clashes, "notice")
    rows = [
        NoticeRow(
            d,
            "entered"
            if d.day in existing
            else "unchanged"
            if base_is_working_day(d.day) == d.is_working_day
            else "add",
        )
        for d in notice.days
    ]
    return NoticePlan(notice, rows)


def add_notice(user, year: int, text: str) -> NoticePlan:
    """Save the pasted notice of ``year``: its days off and make-up working days that the
    calendar does not count so already become overrides, in one audit entry that keeps the
    days and the notice's reference. After it the year counts as entered (no more warning)."""
    plan = plan_notice(user, year, text)
    if not plan.to_add:
        raise InvalidInput("通知中的日期都已按此计算或录入，无需调整。", "notice")
    reference = plan.notice.reference
    for row in plan.to_add:
        d = row.notice_day
        note = translate(
            N_("%(year)s年%(holiday)s调休上班")
            if d.is_working_day
            else N_("%(year)s年%(holiday)s"),
            year=year,
            holiday=d.holiday or translate(N_("放假安排")),
        )
        if reference:
            note = f"{note}（{reference}）"
        db.session.add(
            CalendarOverride(
                day=d.day,
                is_working_day=d.is_working_day,
                note=note[:MAX_NOTE_CHARS],
                created_by_id=user.id,
            )
        )
    try:
        db.session.flush()
    except IntegrityError as exc:  # entered by someone else in the same instant; caller rolls back
        raise InvalidInput("所选日期刚刚已被他人录入调整，请刷新页面后查看", "notice") from exc
    audit.record(
        "calendar_notice_add",
        actor=user,
        detail={
            "role": Role.SYSADMIN,
            "year": year,
            "reference": reference,
            "count": len(plan.to_add),
            "days": [
                [r.day.isoformat(), KIND_CODES[r.notice_day.is_working_day]] for r in plan.to_add
            ],
            "unchanged": [r.day.isoformat() for r in plan.rows if r.status == "unchanged"],
            "entered": [r.day.isoformat() for r in plan.rows if r.status == "entered"],
        },
    )
    db.session.flush()
    forget_current_calendar()
    return plan


def remove_override(user, override_id: int) -> CalendarOverride:
    """Remove one override: the date goes back to what the package (or the weekend) says."""
    _guard(user)
    override = db.session.get(CalendarOverride, override_id, with_for_update=True)
    if override is None:
        raise NotFound("该调整记录不存在或已被删除")
    db.session.delete(override)
    audit.record(
        "calendar_override_remove",
        actor=user,
        detail={
            "role": Role.SYSADMIN,
            "count": 1,
            "note": override.note,
            "days": [[override.day.isoformat(), KIND_CODES[override.is_working_day]]],
        },
    )
    db.session.flush()
    forget_current_calendar()
    return override


def _guard(user) -> None:
    if not permissions.can_manage_calendar(user):
        raise PermissionDenied(DENIED)


def _note(value: str | None) -> str:
    note = strip_invisible(value or "").strip()
    if not note:
        raise InvalidInput("请填写说明，如“2027年元旦”", "note")
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput("说明不能超过 %(max)s 字", "note", max=MAX_NOTE_CHARS)
    return note


def _check_span(first: date, last: date) -> None:
    for day, field_name in ((first, "day"), (last, "until")):
        if not FIRST_YEAR <= day.year <= last_year():
            raise InvalidInput(
                "只能录入 %(first)s 年至 %(last)s 年的日期",
                field_name,
                first=FIRST_YEAR,
                last=last_year(),
            )
    if last < first:
        raise InvalidInput("结束日期不能早于开始日期", "until")
    if (last - first).days + 1 > MAX_SPAN_DAYS:
        raise InvalidInput("一次最多录入连续 %(max)s 天", "until", max=MAX_SPAN_DAYS)


def _refuse_already(existing: list[CalendarOverride], field_name: str = "day") -> None:
    listed = translate(N_("；")).join(
        translate(ALREADY[o.is_working_day], day=describe(o.day), note=o.note) for o in existing[:5]
    )
    more = translate(N_("等 %(n)s 天"), n=len(existing)) if len(existing) > 5 else ""
    raise InvalidInput(
        "%(listed)s%(more)s。每个日期只能有一条调整，如需更改，请先删除原记录。",
        field_name,
        listed=listed,
        more=more,
    )


def _refuse_pointless(days: list[date], is_working_day: bool) -> None:
    covered = all(package_covers(d.year) for d in days)
    source = translate(N_("按国务院放假安排") if covered else N_("按法定节假日和周末规则"))
    raise InvalidInput(
        POINTLESS[len(days) == 1, is_working_day],
        "day",
        day=describe(days[0]),
        n=len(days),
        source=source,
    )


# ------------------------------------------------------------------------------- reading


def year_view(year: int) -> YearView:
    """The year's overrides (oldest date first) and what the package says of the year."""
    overrides = db.session.scalars(
        select(CalendarOverride)
        .options(joinedload(CalendarOverride.created_by))
        .where(CalendarOverride.day.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(CalendarOverride.day)
    ).all()
    return YearView(
        year=year,
        covered=package_covers(year),
        package_range=package_range(),
        rows=[OverrideRow(o, base_is_working_day(o.day)) for o in overrides],
        package_days=package_adjustments(year),
        statutory_days=statutory_adjustments(year),
    )


def uncovered_years_ahead(today: date | None = None) -> list[int]:
    """This year and next year, those that the package does not cover and for which no
    arrangement is entered yet (the page warns of them)."""
    year = (today or local_today()).year
    calendar = current_calendar()
    return [y for y in (year, year + 1) if not calendar.covers(y)]
