"""The audit trail page's reads: entries newest first, keyset-paged by id, and its filters."""

from __future__ import annotations

from sqlalchemy import select

from approval.extensions import db
from approval.models import AuditEntry


def audit_page(
    body_id: int,
    before_id: int | None = None,
    size: int = 50,
    item_id: int | None = None,
    username: str | None = None,
    action: str | None = None,
):
    """The body's audit entries (and those of no body: failed logins of unknown names), newest
    first, keyset-paged by id; returns (entries, id to continue before). The two owners are read
    apart, each newest first from the (body_id, id) index, and merged: one query with OR would
    sort every entry of the body."""
    conditions = audit_filters(item_id, username, action)
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
    item_id: int | None = None, username: str | None = None, action: str | None = None
) -> list:
    """The audit trail page's filters as conditions (the export of that page uses the same)."""
    conditions = []
    if item_id:
        conditions.append(AuditEntry.item_id == item_id)
    if username:
        conditions.append(AuditEntry.actor_username == username)
    if action:
        conditions.append(AuditEntry.action == action)
    return conditions
