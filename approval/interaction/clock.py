"""The time limits of 互动回应: a message is answered within its category's working days of the
day it was received (the day itself not counted), on the working calendar of
``approval.calendar`` (State Council holidays and 调休). ``standing`` is how the lists show it:
red once overdue, amber with ``DUE_SOON`` working days or fewer left.

``stale_before``: 国办秘函〔2019〕19号 makes a valid message left unanswered for more than three
months a single veto; a message received before this day and still open is one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from approval.calendar import current as working_calendar
from approval.core.interaction_vocab import DEFAULT_LIMITS, DUE_SOON, OPEN_STATES, STALE_MONTHS
from approval.extensions import db
from approval.models import InteractionTimeLimit


def limits_of(body_id: int) -> dict[str, int]:
    """The working days per category for the body: its own where set, else the defaults."""
    own = dict(
        db.session.execute(
            select(InteractionTimeLimit.category, InteractionTimeLimit.working_days).where(
                InteractionTimeLimit.body_id == body_id
            )
        ).all()
    )
    return {category: own.get(category, days) for category, days in DEFAULT_LIMITS.items()}


def due_on(start: date, working_days: int) -> date:
    """The ``working_days``-th working day after ``start``."""
    return working_calendar.add_working_days(start, working_days).due


def first_due_on(message) -> date:
    """The due day of the first round: ``due_on`` until the message is reopened; then counted
    again from the day received with the working days it was opened with (a reopening keeps
    ``limit_days``, operations.rate)."""
    if not message.reopened_count:
        return message.due_on
    return due_on(message.received_on, message.limit_days)


@dataclass(frozen=True)
class Standing:
    level: str  # overdue | due_soon | on_time | closed
    due: date
    left: int | None  # working days left (negative: late by), None when closed

    @property
    def late_by(self) -> int:
        return max(0, -(self.left or 0))


def standing(message, today: date) -> Standing:
    if message.state not in OPEN_STATES:
        return Standing("closed", message.due_on, None)
    left = working_calendar.working_days_between(today, message.due_on).working_days
    if today > message.due_on:
        return Standing("overdue", message.due_on, left)
    return Standing("due_soon" if left <= DUE_SOON else "on_time", message.due_on, left)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day where it is short)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def stale_before(today: date) -> date:
    """Open messages received before this day have waited more than three months."""
    return months_before(today, STALE_MONTHS)
