"""The reminder before the annual report's deadline (条例 Art. 49: county-level departments
publish by 31 January; a township follows its county's notice), written by the reminder job
(``approval.jobs``, ``flask jobs run``) into the notifications.

The report on year Y is due on ``ANNUAL_REPORT_DUE`` (month-day, default "01-31") of year Y+1.
While the body's report on Y is not published:

- from ``ANNUAL_REPORT_REMIND_DAYS`` (default 30) days before the due day until that day, the
  people who write it (``can_write_annual_report``: the office's statistics staff and the
  general office's 信息员) are told once that it is due;
- within as many days after the due day, they are told once that it is late (not later: a body
  that starts using the app in the autumn published last year's report on paper).

One event per person, body, report year and level (``event_key``; the notifications' ON CONFLICT
DO NOTHING): a second run writes nothing again."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from approval.core.workflow import PUBLISHED
from approval.extensions import db
from approval.models import AnnualReport, Body, Item, User
from approval.models.notifications import Kind
from approval.notifications import operations as notifications
from approval.permissions import annual_reports as may


def due_on(report_year: int, month_day: str) -> date:
    """The day the report on ``report_year`` is due: ``month_day`` ("MM-DD") of the next year."""
    try:
        month, day = (int(part) for part in str(month_day).split("-"))
        return date(report_year + 1, month, day)
    except ValueError as exc:
        raise ValueError(f"ANNUAL_REPORT_DUE must be MM-DD, e.g. 01-31: {month_day!r}") from exc


def level(on: date, due: date, remind_days: int) -> str | None:
    """Kind.DUE_SOON within ``remind_days`` before ``due`` (the day itself included),
    Kind.OVERDUE within as many days after it, else None."""
    window = timedelta(days=remind_days)
    if due - window <= on <= due:
        return Kind.DUE_SOON
    if due < on <= due + window:
        return Kind.OVERDUE
    return None


def _settings() -> tuple[str, int]:
    config = current_app.config
    return config["ANNUAL_REPORT_DUE"], int(config["ANNUAL_REPORT_REMIND_DAYS"])


def body_ids_to_remind(on: date) -> tuple[int, date, str, list[int]]:
    """The report year concerned on ``on``, its due day, the level, and the bodies whose report
    on that year is not published (none outside the reminder's window)."""
    month_day, remind_days = _settings()
    year = on.year - 1
    due = due_on(year, month_day)
    kind = level(on, due, remind_days)
    if kind is None:
        return year, due, "", []
    published = (
        select(AnnualReport.body_id)
        .join(Item, Item.id == AnnualReport.item_id)
        .where(AnnualReport.year == year, Item.state == PUBLISHED)
    )
    ids = db.session.scalars(
        select(Body.id).where(Body.id.not_in(published)).order_by(Body.id)
    ).all()
    return year, due, kind, list(ids)


def recipients(body_id: int) -> list[tuple[int, str | None]]:
    users = db.session.scalars(
        select(User)
        .where(User.body_id == body_id, User.is_enabled.is_(True))
        .options(
            selectinload(User.role_rows),
            selectinload(User.led_departments),
            joinedload(User.department),
        )
        .order_by(User.id)
    ).all()
    return [(u.id, u.email) for u in users if may.can_write_annual_report(u, body_id)]


def remind(body_id: int, year: int, due: date, kind: str) -> int:
    """Tell the writers of ``body_id``'s report on ``year`` (once per person and level)."""
    return notifications.notify(
        recipients(body_id),
        kind=kind,
        body_id=body_id,
        item_id=None,
        params={"annual_report_year": year, "due_on": due.isoformat()},
        event_key=f"{kind}:annual_report:{body_id}:{year}",
    )
