"""In-app notifications (the bell) and their e-mail outbox.

One row per person and event. ``event_key`` names the event (an item's submission in round 3, a
return from 办公室审核, a due-soon reminder for one deadline …); ``(user_id, event_key)`` is unique,
so the same event never reaches a person twice, whoever creates it how often (a job run twice, on
two hosts at once). ``params`` holds what the message needs, as it was at the time (title, step,
actor's name, reason), so the list shows it without reading the item.

E-mail is an outbox on the same rows: ``mail_pending`` while a message should still be sent
(set at creation when mail is configured and the person has an address); ``flask jobs run``
claims a row for a few minutes (``mail_claimed_at``), sends it, then sets ``emailed_at``. A failed
send releases the claim and is retried on the next run (``mail_attempts``, ``mail_error``).
"""

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.core.clock import utcnow
from approval.extensions import db


class Kind:
    SUBMITTED_TO_YOU = "submitted_to_you"  # an item now waits for you (a chain step)
    RETURNED = "returned"  # your item was returned, with the reason
    APPROVED = "approved"  # the chain is complete: the item waits for publication
    PUBLISHED = "published"  # your item is on the portal
    WITHHELD = "withheld"  # your item is not to be published (不予公开)
    DUE_SOON = "due_soon"  # reminders (a job creates them; see services)
    OVERDUE = "overdue"
    DELEGATED = "delegated"  # 请假代理: you are named someone's deputy
    DELEGATION_REVOKED = "delegation_revoked"  # … and that delegation was revoked

    ALL = (
        SUBMITTED_TO_YOU,
        RETURNED,
        APPROVED,
        PUBLISHED,
        WITHHELD,
        DUE_SOON,
        OVERDUE,
        DELEGATED,
        DELEGATION_REVOKED,
    )


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "event_key"),  # one notification per person and event
        Index("ix_notifications_user_unread", "user_id", "read_at", "id"),  # the bell's count
        Index("ix_notifications_user_list", "user_id", "id"),  # the list, newest first
        # the outbox: only the rows still to be e-mailed (a handful), whatever the table's size
        Index(
            "ix_notifications_mail_pending",
            "id",
            sqlite_where=text("mail_pending = 1"),
            postgresql_where=text("mail_pending"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    kind: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    params: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    event_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    mail_pending: Mapped[bool] = mapped_column(default=False)
    mail_claimed_at: Mapped[datetime | None]
    mail_attempts: Mapped[int] = mapped_column(default=0)
    mail_error: Mapped[str | None] = mapped_column(String(500))
    emailed_at: Mapped[datetime | None]

    user = relationship("User")

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def data(self) -> dict:
        return json.loads(self.params) if self.params else {}
