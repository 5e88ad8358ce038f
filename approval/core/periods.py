"""Statistics periods: a month, a quarter or a year of the body's local dates, and the UTC range
the database compares (it stores naive UTC; a day starts at local midnight, so an item published
at 23:30 Beijing time on 31 October belongs to October).

Written ``2026-10`` (a month), ``2026-Q4`` (a quarter) or ``2026`` (a year) in URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from approval.core import clock
from approval.core.msgids import N_, translate

FIRST_YEAR, LAST_YEAR = 2000, 2100
QUARTER_LABELS = (
    N_("%(year)s年第一季度"),
    N_("%(year)s年第二季度"),
    N_("%(year)s年第三季度"),
    N_("%(year)s年第四季度"),
)


@dataclass(frozen=True)
class Period:
    """A month, a quarter or a year of local dates."""

    kind: str  # "month" | "quarter" | "year"
    year: int
    number: int = 0  # the month (1–12) or quarter (1–4); 0 for a year

    @property
    def first_day(self) -> date:
        month = {"month": self.number, "quarter": 3 * self.number - 2}.get(self.kind, 1)
        return date(self.year, month, 1)

    @property
    def end_day(self) -> date:
        """The day after the period (exclusive end)."""
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        return add_months(self.first_day, months)

    @property
    def last_day(self) -> date:
        return self.end_day - timedelta(days=1)

    @property
    def utc_range(self) -> tuple[datetime, datetime]:
        """[start, end) as stored times: local midnight of the first day and of the day after."""
        return utc_start(self.first_day), utc_start(self.end_day)

    @property
    def key(self) -> str:
        return {
            "month": f"{self.year}-{self.number:02d}",
            "quarter": f"{self.year}-Q{self.number}",
            "year": f"{self.year}",
        }[self.kind]

    @property
    def label(self) -> str:
        if self.kind == "month":
            return translate(N_("%(year)s年%(month)s月"), year=self.year, month=self.number)
        if self.kind == "quarter":
            return translate(QUARTER_LABELS[self.number - 1], year=self.year)
        return translate(N_("%(year)s年"), year=self.year)


_PERIOD = re.compile(r"^\s*(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])))?\s*$")


def parse_period(text: str | None) -> Period:
    """ "2026-10" (a month), "2026-Q4" (a quarter) or "2026" (a year); ValueError otherwise."""
    match = _PERIOD.match(text or "")
    if not match:
        raise ValueError(text)
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(text)
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(text)
        return Period("month", year, month)
    if match.group(3):
        return Period("quarter", year, int(match.group(3)))
    return Period("year", year)


def today() -> date:
    """The body's local date now (read through ``clock`` at call time)."""
    return clock.local_today()


def current_month() -> Period:
    now = today()
    return Period("month", now.year, now.month)


def recent_periods(months: int = 24, quarters: int = 8, years: int = 5) -> list[Period]:
    """What the period chooser offers: the latest months, quarters and years, newest first."""
    now = today()
    out = [
        Period("month", d.year, d.month)
        for d in (add_months(date(now.year, now.month, 1), -i) for i in range(months))
    ]
    quarter = (now.month - 1) // 3
    out += [
        Period("quarter", (now.year * 4 + quarter - i) // 4, (quarter - i) % 4 + 1)
        for i in range(quarters)
    ]
    out += [Period("year", now.year - i) for i in range(years)]
    return out


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def utc_start(day: date) -> datetime:
    """Local midnight at the start of ``day``, as the stored (naive UTC) time."""
    local = datetime.combine(day, time(0), tzinfo=clock.local_zone())
    return local.astimezone(UTC).replace(tzinfo=None)
