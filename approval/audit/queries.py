"""The audit trail page's reads: entries newest first, keyset-paged by id, and its filters."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from approval.core.periods import utc_start
from approval.extensions import db
from approval.models import AuditEntry


def audit_page(
    body_id: int,
    before_id: int | None = None,
    size: int = 50,
    item_id: int | None = None,
    username: str | None = None,
    action: str | None = None,
    from_day: date | None = None,
    to_day: date | None = None,
):
    """The body's audit entries (and those of no body: failed logins of unknown names), newest
    first, keyset-paged by id; returns (entries, id to continue before). The two owners are read
    apart, each newest first from the (body_id, id) index, and merged: one query with OR would
    sort every entry of the body."""
    conditions = audit_filters(item_id, username, action, from_day, to_day)
    if before_id:
        conditions.append(AuditEntry.id < before_id)

    def newest(owner):
        query = select(AuditEntry).where(owner, *conditions)
        return db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(size + 1)).all()

    rows = sorted(
        newest(AuditEntry.body_id == body_id) + newest(AuditEntry.body_id.is_(None)),
        key=lambda entry: entry.id,
        reverse=True,
    )[: size + 1]
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


def audit_filters(
    item_id: int | None = None,
    username: str | None = None,
    action: str | None = None,
    from_day: date | None = None,
    to_day: date | None = None,
) -> list:
    """The audit trail page's filters as conditions (the export of that page uses the same).
    ``from_day`` and ``to_day`` are the body's local dates, both included."""
    conditions = []
    if from_day:
        conditions.append(AuditEntry.occurred_at >= utc_start(from_day))
    if to_day:
        conditions.append(AuditEntry.occurred_at < utc_start(to_day + timedelta(days=1)))
    if item_id:
        conditions.append(AuditEntry.item_id == item_id)
    if username:
        conditions.append(AuditEntry.actor_username == username)
    if action:
        conditions.append(AuditEntry.action == action)
    return conditions
