"""The working-day calendar (工作日历): which dates are working days, and deadlines counted in them.

A date is a working day according to, in this order:

1. an override (``calendar_overrides``, kept by the system admin): it says 工作日 or 休息日;
2. the ``chinesecalendar`` package (import ``chinese_calendar``): the State Council's holidays and
   调休 make-up working days, for the years it covers (1.11.0: 2004–2026). The package raises
   ``NotImplementedError`` for any date of another year (it compares the year with the first and
   last year of its holiday table), so coverage is a whole year or nothing;
3. otherwise (a year the package does not cover yet: next year's notice arrives each November,
   the package release some weeks later) the statutory holidays of 《全国年节及纪念日放假办法》
   (``statutory_holidays``: 元旦, 春节 from 除夕 to 初三, 清明, 劳动节 two days, 端午, 中秋,
   国庆 three days, as amended in 2024; the lunar dates and 清明 computed with ``borax``) and the
   weekends are days off, Monday to Friday otherwise work. No 调休 is guessed: the make-up
   working days and the bridging days off come only from the State Council's notice, which the
   system admin enters as overrides. A result that relied on an uncovered year for which no
   override is entered yet names it (``uncovered_years``) so that pages can warn ("statutory
   holidays counted, 调休 not entered"); a year with overrides counts as entered.

Counting rule (条例 Art. 26, "20 working days"): the day of the event is not counted. The deadline
of an event on day D is the n-th working day after D; an event on a holiday starts counting on the
next working day all the same. ``working_days_between(a, b)`` counts the working days in (a, b]
and is negative when b is before a, so ``working_days_between(today, due)`` is the number of
working days left (0: due today; -1: one working day late) and
``working_days_between(d, add_working_days(d, n).due) == n``.

Cost: the package's own ``is_workday`` scans its whole table on every call (it computes the first
and last year each time), so the package is read once per process into one set of working days per
year. A ``Calendar`` merges the overrides into that per year on first use and then answers with
set lookups and binary searches: a 20-day deadline is a few bisections, cheap enough for every row
of an inbox. ``current_calendar()`` keeps one Calendar per request (in ``flask.g``), with every
override read in one query; a signed-in request's is kept by the worker process between requests
while the body's settings version is unchanged (``platform/settings_cache.py``). A Calendar built with a
``loader`` (outside any app context) loads three years around the first year asked, and further
years likewise.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

import chinese_calendar
from borax.calendars.lunardate import MAX_LUNAR_YEAR, MIN_LUNAR_YEAR, LunarDate, TermUtils

WEEKEND = (5, 6)  # Saturday, Sunday
FIRST_PROBED_YEAR = 1990  # package_range() looks for covered years from here …
PROBED_YEARS_AHEAD = 10  # … to this many years after the last covered year found so far
MAX_YEARS_SCANNED = 50  # a deadline further away than this is a bug, not a deadline

# Loads the overrides of the years first..last (inclusive): {date: is_working_day}.
OverrideLoader = Callable[[int, int], Mapping[date, bool]]


# ------------------------------------------------------------------------------ the package


@cache
def package_covers(year: int) -> bool:
    """Whether the chinesecalendar package knows the holiday arrangement of ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=1)
def package_range() -> tuple[int, int] | None:
    """The first and last year the package covers (it covers a contiguous range)."""
    covered = [
        y
        for y in range(FIRST_PROBED_YEAR, date.today().year + PROBED_YEARS_AHEAD)
        if package_covers(y)
    ]
    return (covered[0], covered[-1]) if covered else None


def _days_of(year: int) -> Iterable[date]:
    day, end = date(year, 1, 1), date(year, 12, 31)
    while day <= end:
        yield day
        day += timedelta(days=1)


def _is_weekday(day: date) -> bool:
    return day.weekday() not in WEEKEND


# ------------------------------------------------------------------------------ the law


@cache
def statutory_holidays(year: int) -> dict[date, str]:
    """The days off of 《全国年节及纪念日放假办法》 in ``year`` (全体公民放假的节日), in the revision
    in force that year, without any 调休: what the calendar counts for a year the package does not
    cover. In force from 2025 (the 2024 amendment): 元旦 1 day; 春节 4 days, 除夕 (the last day
    of the 12th lunar month) to 初三; 清明 1 day (the day of the solar term); 劳动节 May 1–2;
    端午 1 day (lunar 5/5); 中秋 1 day (lunar 8/15); 国庆 Oct 1–3. Earlier revisions (only a
    test pinning an old year as uncovered reaches them; the package covers 2004–2026): 2014–2024
    春节 初一–初三 and 劳动节 May 1; 2008–2013 春节 除夕–初二; before 2008 春节 初一–初三, 劳动节
    May 1–3, and no 清明, 端午 or 中秋. Outside borax's lunar range (1900–2100) only the days of
    fixed solar dates are known."""
    days: dict[date, list[str]] = {}

    def add(day: date, name: str) -> None:
        days.setdefault(day, []).append(name)

    add(date(year, 1, 1), "元旦")
    for day in range(1, 4 if year < 2008 else 3 if year >= 2025 else 2):
        add(date(year, 5, day), "劳动节")
    for day in (1, 2, 3):
        add(date(year, 10, day), "国庆节")
    if MIN_LUNAR_YEAR <= year <= MAX_LUNAR_YEAR:
        new_year = LunarDate(year, 1, 1).to_solar_date()  # 初一; 除夕 is the day before
        first = -1 if year >= 2025 or 2008 <= year <= 2013 else 0
        last = 1 if 2008 <= year <= 2013 else 2
        for offset in range(first, last + 1):
            add(new_year + timedelta(days=offset), "春节")
        if year >= 2008:
            add(TermUtils.nth_term_day(year, term_name="清明"), "清明节")
            add(LunarDate(year, 5, 5).to_solar_date(), "端午节")
            add(LunarDate(year, 8, 15).to_solar_date(), "中秋节")
    return {day: "、".join(names) for day, names in sorted(days.items())}


@cache
def _base_working_days(year: int, from_package: bool = True) -> frozenset[date]:
    """The working days of ``year`` without overrides: the package's where it covers the year
    (its rule, read from its tables: a listed make-up day works, a listed holiday does not, else
    Monday–Friday), else (or when told not to use the package) Monday–Friday less the statutory
    holidays."""
    if not (from_package and package_covers(year)):
        holidays = statutory_holidays(year)
        return frozenset(d for d in _days_of(year) if _is_weekday(d) and d not in holidays)
    holidays, workdays = chinese_calendar.holidays, chinese_calendar.workdays
    return frozenset(
        d for d in _days_of(year) if d in workdays or (_is_weekday(d) and d not in holidays)
    )


def base_is_working_day(day: date) -> bool:
    """What the package (or, for a year it does not cover, the statutory holidays and the
    weekend rule) says of ``day``."""
    return _check(day) in _base_working_days(day.year)


@dataclass(frozen=True)
class PackageDay:
    """A date on which the package departs from Monday–Friday: a holiday on a weekday, or a
    make-up working day (调休上班) on a weekend."""

    day: date
    is_working_day: bool
    name: str  # 春节, 国庆节 …


def package_adjustments(year: int) -> list[PackageDay]:
    """The package's holidays falling on weekdays and its make-up working days of ``year``."""
    if not package_covers(year):
        return []
    base = _base_working_days(year)
    names = {**chinese_calendar.holidays, **chinese_calendar.workdays}
    return [
        PackageDay(d, d in base, _holiday_name(names.get(d)))
        for d in _days_of(year)
        if (d in base) != _is_weekday(d)
    ]


def statutory_adjustments(year: int) -> list[PackageDay]:
    """For a year the package does not cover: the statutory holidays that fall on weekdays (the
    days the calendar takes off without the notice)."""
    if package_covers(year):
        return []
    return [PackageDay(d, False, n) for d, n in statutory_holidays(year).items() if _is_weekday(d)]


def _holiday_name(value) -> str:
    try:
        return chinese_calendar.Holiday(value).chinese
    except ValueError:
        return str(value or "")


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class Deadline:
    """The ``working_days``-th working day after ``start`` (the day of the event)."""

    start: date
    working_days: int
    due: date
    # years counted on statutory holidays + weekends, with no 调休 entered
    uncovered_years: tuple[int, ...] = ()

    @property
    def covered(self) -> bool:
        return not self.uncovered_years


@dataclass(frozen=True)
class Span:
    """Working days in (start, end]; negative when end is before start."""

    start: date
    end: date
    working_days: int
    uncovered_years: tuple[int, ...] = ()

    @property
    def covered(self) -> bool:
        return not self.uncovered_years


def _check(day) -> date:
    # a datetime is a date too, but in UTC it may be the wrong day: callers pass local dates
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day


def _uncovered(first: date, last: date, covers: Callable[[int], bool]) -> tuple[int, ...]:
    """The years of the days first..last that ``covers`` does not cover."""
    if last < first:
        return ()
    return tuple(y for y in range(first.year, last.year + 1) if not covers(y))


# ------------------------------------------------------------------------------ the calendar


class Calendar:
    """The package plus the overrides. ``overrides`` (a mapping, for tests and tools) or
    ``loader`` (years → overrides, read lazily, a few years per call) supplies them.
    ``covers`` (default: ``package_covers``) says which years the package is used for; a test
    pins it so that its hand-computed "uncovered year" stays uncovered after a package upgrade.
    A year the package does not cover counts the statutory holidays; it is "entered" (no
    warning) once it has at least one override: the system admin enters the State Council's
    notice for the year as overrides (the calendar page's paste form takes the whole notice)."""

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        loader: OverrideLoader | None = None,
        covers: Callable[[int], bool] | None = None,
    ):
        self._loader = loader
        self._covers = covers or package_covers
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._entered_years: set[int] = {day.year for day in self._overrides}
        self._loaded_years: set[int] = set()
        self._years: dict[int, tuple[tuple[date, ...], frozenset[date]]] = {}

    def covers(self, year: int) -> bool:
        """Whether ``year`` is counted with the State Council's arrangement, from the package or
        entered by the system admin (else: statutory holidays only, and pages warn)."""
        if self._covers(year):
            return True
        self._ensure_loaded(year)
        return year in self._entered_years

    # -- overrides

    def _ensure_loaded(self, year: int) -> None:
        if self._loader is None or year in self._loaded_years:
            return
        first, last = year - 1, year + 1  # neighbours too: deadlines cross New Year
        while first in self._loaded_years:
            first += 1
        while last in self._loaded_years:
            last -= 1
        loaded = self._loader(first, last)
        self._overrides.update(loaded)
        self._entered_years.update(day.year for day in loaded)
        self._loaded_years.update(range(first, last + 1))

    def override(self, day: date) -> bool | None:
        """The override of ``day`` (True: working day, False: day off), or None."""
        self._ensure_loaded(_check(day).year)
        return self._overrides.get(day)

    # -- days

    def _year(self, year: int) -> tuple[tuple[date, ...], frozenset[date]]:
        """The working days of ``year``, sorted and as a set, overrides applied."""
        cached = self._years.get(year)
        if cached is None:
            self._ensure_loaded(year)
            working = set(_base_working_days(year, self._covers(year)))
            for day, is_working in self._overrides.items():
                if day.year == year:
                    (working.add if is_working else working.discard)(day)
            cached = self._years[year] = (tuple(sorted(working)), frozenset(working))
        return cached

    def is_working_day(self, day: date) -> bool:
        return _check(day) in self._year(day.year)[1]

    def working_days_of(self, year: int) -> tuple[date, ...]:
        return self._year(year)[0]

    # -- counting

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The n-th working day after ``start``; ``start`` itself is not counted (n=0: start)."""
        _check(start)
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return Deadline(start, 0, start)
        year, left = start.year, n
        days = self.working_days_of(year)
        index = bisect_right(days, start)  # the first working day after start
        while len(days) - index < left:
            left -= len(days) - index
            year, index = year + 1, 0
            if year - start.year > MAX_YEARS_SCANNED:
                raise ValueError(f"no {n} working days within {MAX_YEARS_SCANNED} years")
            days = self.working_days_of(year)
        due = days[index + left - 1]
        return Deadline(start, n, due, _uncovered(start + timedelta(days=1), due, self.covers))

    def earliest_start(self, due: date, n: int) -> date:
        """The earliest start whose deadline ``add_working_days(start, n).due`` is not before
        ``due`` (deadlines grow with their start, so every later start is due on or after it):
        the working day n working days before the first working day on or after ``due``. A query
        turns "due before D" into "started before earliest_start(D, n)", an index range."""
        _check(due)
        if n <= 0:
            raise ValueError("n must be positive")
        year = due.year
        days = self.working_days_of(year)
        index, need = bisect_left(days, due), n  # days[index]: the first working day >= due
        while index < need:
            need -= index
            year -= 1
            if due.year - year > MAX_YEARS_SCANNED:
                raise ValueError(f"no {n} working days within {MAX_YEARS_SCANNED} years")
            days = self.working_days_of(year)
            index = len(days)
        return days[index - need]

    def working_days_between(self, start: date, end: date) -> Span:
        """Working days in (start, end], negative (those in (end, start]) when end < start."""
        _check(start), _check(end)
        low, high, sign = (start, end, 1) if start <= end else (end, start, -1)
        if high.year - low.year > MAX_YEARS_SCANNED:
            raise ValueError(f"dates more than {MAX_YEARS_SCANNED} years apart")
        count = 0
        for year in range(low.year, high.year + 1):
            days = self.working_days_of(year)
            count += bisect_right(days, high) - bisect_right(days, low)
        return Span(
            start, end, sign * count, _uncovered(low + timedelta(days=1), high, self.covers)
        )
