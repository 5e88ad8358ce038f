"""互动回应 (issue 25): the public's messages (咨询, 建议, 投诉, 其他), their answers with a two-step
review, the senders' ratings, the 政务公开日 events where messages were taken, the office's time
limits per category, and its 常见问题 (FAQ).

The sender's name and contact details live only on ``InteractionMessage``: the pages of the
people handling a message and the office show them; the portal, feeds, API and search never do
(the public 问答 list shows the subject, the masked text and the answer).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.core.clock import utcnow
from approval.core.interaction_vocab import REGISTERED
from approval.extensions import db

SUBJECT_MAX, NAME_MAX, CONTACT_MAX, TEXT_MAX, NOTE_MAX = 100, 100, 200, 4000, 500

event_departments = Table(
    "interaction_event_departments",
    db.metadata,
    Column("event_id", ForeignKey("interaction_events.id"), primary_key=True),
    Column("department_id", ForeignKey("departments.id"), primary_key=True),
)


class InteractionMessage(db.Model):
    __tablename__ = "interaction_messages"
    __table_args__ = (
        Index("ix_interaction_messages_body_state", "body_id", "state", "received_on", "id"),
        Index("ix_interaction_messages_department", "department_id", "state"),
        CheckConstraint(
            "category IN ('consultation', 'suggestion', 'complaint', 'other')", name="category"
        ),
        CheckConstraint("reopened_count BETWEEN 0 AND 1", name="reopened_once"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    state: Mapped[str] = mapped_column(String(16), default=REGISTERED)
    version: Mapped[int] = mapped_column(default=1)

    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX))
    category: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    # the sender (optional name; at least one way to answer them)
    sender_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    phone: Mapped[str | None] = mapped_column(String(CONTACT_MAX))
    email: Mapped[str | None] = mapped_column(String(CONTACT_MAX))
    address: Mapped[str | None] = mapped_column(String(CONTACT_MAX))
    may_publish: Mapped[bool] = mapped_column(default=False)

    channel: Mapped[str] = mapped_column(String(16))
    received_on: Mapped[date]
    limit_days: Mapped[int]  # the working days it had when it was (re)opened
    due_on: Mapped[date]
    event_id: Mapped[int | None] = mapped_column(ForeignKey("interaction_events.id"), index=True)
    # the portal's 查询码 as a SHA-256 hex digest (requests.intake.tracking_code_hash)
    tracking_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    review_step: Mapped[str | None] = mapped_column(String(16))  # while REVIEWING
    transferred_to: Mapped[str | None] = mapped_column(String(NAME_MAX))  # 转办: the other body
    transfer_note: Mapped[str | None] = mapped_column(String(NOTE_MAX))  # shown to the sender
    answered_on: Mapped[date | None]
    reopened_count: Mapped[int] = mapped_column(default=0)
    reopened_on: Mapped[date | None]
    # closed as invalid (无效留言) by the office: the reason (shown to the sender), the day, and
    # the state it was closed from (where reopening it takes it back)
    invalid_reason: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    invalid_on: Mapped[date | None]
    invalid_from: Mapped[str | None] = mapped_column(String(16))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    body = relationship("Body")
    department = relationship("Department")
    event = relationship("InteractionEvent", back_populates="messages")
    replies = relationship(
        "InteractionReply",
        back_populates="message",
        order_by="InteractionReply.id",
        cascade="all, delete-orphan",
    )
    ratings = relationship(
        "InteractionRating",
        back_populates="message",
        order_by="InteractionRating.id",
        cascade="all, delete-orphan",
    )

    @property
    def round(self) -> int:
        """1 until the sender reopens it, then 2."""
        return 1 + self.reopened_count

    @property
    def current_reply(self) -> InteractionReply | None:
        return next((r for r in reversed(self.replies) if r.round == self.round), None)

    @property
    def answer(self) -> InteractionReply | None:
        """The last approved answer (what the sender and the 问答 list read)."""
        return next((r for r in reversed(self.replies) if r.approved_at is not None), None)

    def rating_of(self, round_: int) -> InteractionRating | None:
        return next((r for r in self.ratings if r.round == round_), None)


class InteractionReply(db.Model):
    """The department's answer in one round: drafted, reviewed by its leader and by the office."""

    __tablename__ = "interaction_replies"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("interaction_messages.id"), index=True)
    round: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(Text)
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    returned_reason: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    message = relationship("InteractionMessage", back_populates="replies")
    drafted_by = relationship("User", foreign_keys=[drafted_by_id])
    leader = relationship("User", foreign_keys=[leader_id])
    office = relationship("User", foreign_keys=[office_id])


class InteractionRating(db.Model):
    """The sender's rating of the answer of one round (through the 查询码)."""

    __tablename__ = "interaction_ratings"
    __table_args__ = (
        CheckConstraint("rating IN ('satisfied', 'basically', 'dissatisfied')", name="rating"),
        db.UniqueConstraint("message_id", "round"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("interaction_messages.id"))
    round: Mapped[int]
    rating: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    rated_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    message = relationship("InteractionMessage", back_populates="ratings")


class InteractionEvent(db.Model):
    """A 政务公开日 (open day): when, where, the departments present, how many people came."""

    __tablename__ = "interaction_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(CONTACT_MAX))
    people_received: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    departments = relationship(
        "Department", secondary=event_departments, order_by="Department.position"
    )
    messages = relationship(
        "InteractionMessage", back_populates="event", order_by="InteractionMessage.id"
    )


class InteractionTimeLimit(db.Model):
    """The office's working days to answer a category (else ``DEFAULT_LIMITS``)."""

    __tablename__ = "interaction_time_limits"
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    working_days: Mapped[int]


class InteractionFaq(db.Model):
    """A 常见问题 the office keeps on the portal, often drawn from an answered message; shown in
    ``position`` order (the office moves entries up and down); edits check ``version``."""

    __tablename__ = "interaction_faqs"
    __table_args__ = (Index("ix_interaction_faqs_body_position", "body_id", "position", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    question: Mapped[str] = mapped_column(String(TEXT_MAX))
    answer: Mapped[str] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("interaction_messages.id"))
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version}
