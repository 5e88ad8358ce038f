"""The working-day calendar of this request: the State Council's (core.workdays) with the body's
corrections (calendar_overrides), read once per request and kept by the settings cache."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, date

from flask import g, has_app_context
from sqlalchemy import select

from approval.core.workdays import Calendar, Deadline, Span
from approval.extensions import db
from approval.models import CalendarOverride
from approval.platform import settings_cache


def load_overrides(first_year: int, last_year: int) -> dict[date, bool]:
    """The overrides of the years first..last, in one query (the unique index on day)."""
    rows = db.session.execute(
        select(CalendarOverride.day, CalendarOverride.is_working_day).where(
            CalendarOverride.day.between(date(first_year, 1, 1), date(last_year, 12, 31))
        )
    )
    return {day: is_working for day, is_working in rows}


def current_calendar() -> Calendar:
    """The calendar of this request (or app context), with every override, read in one query (a
    few dozen rows a year). In a signed-in request the process keeps it, with the years it has
    worked out, while the user's body's settings version is unchanged (platform/settings_cache.py);
    holding every override from the start, it never loads more under another thread's feet."""
    if not has_app_context():
        return Calendar(loader=load_overrides)
    calendar = g.get("_workday_calendar")
    if calendar is None:
        calendar = g._workday_calendar = settings_cache.cached(
            "calendar", lambda: Calendar(overrides=load_overrides(MINYEAR, MAXYEAR))
        )
    return calendar


def forget_current_calendar() -> None:
    """Drop the cached calendar (after the overrides changed in this request)."""
    if has_app_context():
        g.pop("_workday_calendar", None)


def is_working_day(day: date) -> bool:
    return current_calendar().is_working_day(day)


def add_working_days(start: date, n: int) -> Deadline:
    return current_calendar().add_working_days(start, n)


def working_days_between(start: date, end: date) -> Span:
    return current_calendar().working_days_between(start, end)
