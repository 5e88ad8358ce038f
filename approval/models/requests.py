"""依申请公开: the request register. One row per request for government information, its pauses
(time not counted) as child rows, and the per-body, per-year sequence of the 申请编号.

The dates map one to one onto ``core.request_clock.RequestTimeline`` (``timeline()``): the day of
receipt (Art. 31, decided at registration from the channel's dates, ``core.request_receipt``),
the 补正 notice, its deadline and the corrected request, the pauses and the extension. The
applicant's personal data (name, ID number, contact details) lives only here: the register's
pages show it to the people handling the request and to the office, and never anywhere public.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.core.clock import utcnow
from approval.core.request_clock import MAX_EXTENSION_WORKING_DAYS, RequestTimeline
from approval.core.request_vocab import REGISTERED
from approval.extensions import db

NAME_MAX, CONTACT_MAX, TEXT_MAX, NOTE_MAX = 100, 200, 4000, 500
# 申请编号: like the 索引号 (publication), per body and year, never reused
REQUEST_NUMBER_PATTERN = "依申请〔{year}〕{seq:04d}号"


class InformationRequest(db.Model):
    __tablename__ = "information_requests"
    __table_args__ = (
        UniqueConstraint("body_id", "number"),
        # the register: a body's requests in a state, newest first (keyset on created_at, id)
        Index("ix_information_requests_body_state", "body_id", "state", "created_at", "id"),
        Index("ix_information_requests_body_created", "body_id", "created_at", "id"),
        # a department's requests
        Index("ix_information_requests_department", "department_id", "created_at", "id"),
        CheckConstraint(
            f"extension_days BETWEEN 0 AND {MAX_EXTENSION_WORKING_DAYS}", name="extension_days"
        ),
        CheckConstraint("applicant_kind IN ('person', 'organisation')", name="applicant_kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    number: Mapped[str] = mapped_column(String(64))  # 申请编号
    state: Mapped[str] = mapped_column(String(32), default=REGISTERED)
    version: Mapped[int] = mapped_column(default=1)  # compare-and-swap on every change

    # the applicant
    applicant_kind: Mapped[str] = mapped_column(String(16))  # person | organisation
    applicant_name: Mapped[str] = mapped_column(String(NAME_MAX))  # person's or organisation's
    id_type: Mapped[str | None] = mapped_column(String(32))  # person
    id_number: Mapped[str | None] = mapped_column(String(64))
    credit_code: Mapped[str | None] = mapped_column(String(18))  # organisation: 统一社会信用代码
    legal_representative: Mapped[str | None] = mapped_column(String(NAME_MAX))
    contact_person: Mapped[str | None] = mapped_column(String(NAME_MAX))
    organisation_kind: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(CONTACT_MAX))
    email: Mapped[str | None] = mapped_column(String(CONTACT_MAX))
    address: Mapped[str | None] = mapped_column(String(CONTACT_MAX))
    postcode: Mapped[str | None] = mapped_column(String(16))

    # what is asked for, and how it is to be provided
    description: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(Text)  # optional since the 2019 条例
    provision: Mapped[str] = mapped_column(String(16))  # 提供方式
    pickup: Mapped[str] = mapped_column(String(16))  # 获取方式

    # how it came in (Art. 29) and the day of receipt (Art. 31)
    channel: Mapped[str] = mapped_column(String(32))
    submitted_on: Mapped[date | None]  # handed in, posted, sent, or told (oral)
    signed_for_on: Mapped[date | None]  # registered post: signed for by the body
    confirmed_on: Mapped[date | None]  # ordinary post, fax, e-mail, online, oral: confirmed
    applicant_confirmed: Mapped[bool] = mapped_column(default=False)  # oral: record confirmed
    received_on: Mapped[date]  # the day of receipt

    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))

    # 补正 (Art. 30): one notice listing everything missing
    correction_requested_on: Mapped[date | None]
    correction_items: Mapped[str | None] = mapped_column(Text)
    correction_deadline: Mapped[date | None]
    correction_received_on: Mapped[date | None]

    # 延期 (Art. 33 para. 2): once, at most 20 working days
    extension_days: Mapped[int] = mapped_column(default=0)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extension_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    extension_approved_on: Mapped[date | None]

    closed_on: Mapped[date | None]
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    body = relationship("Body")
    department = relationship("Department")
    registered_by = relationship("User", foreign_keys=[registered_by_id])
    extension_approved_by = relationship("User", foreign_keys=[extension_approved_by_id])
    pauses = relationship(
        "RequestPause",
        back_populates="request",
        order_by="RequestPause.starts_on",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def open_pause(self) -> RequestPause | None:
        return next((p for p in self.pauses if p.ends_on is None), None)

    def timeline(self, **changes) -> RequestTimeline:
        """The dates the reply clock reads (``changes`` override them: a change checked before it
        is made). Raises ``request_clock.TimelineError`` for dates that cannot be."""
        values = {
            "received": self.received_on,
            "correction_requested": self.correction_requested_on,
            "correction_received": self.correction_received_on,
            "correction_deadline": self.correction_deadline,
            "pauses": [(p.kind, p.starts_on, p.ends_on) for p in self.pauses],
            "extension_days": self.extension_days,
        }
        values.update(changes)
        return RequestTimeline(**values)


class RequestPause(db.Model):
    """Days S..E not counted (third party, another body, a fee); ``ends_on`` None: still on."""

    __tablename__ = "request_pauses"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("kind IN ('third_party', 'other_body', 'fee')", name="kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request = relationship("InformationRequest", back_populates="pauses")


class RequestSequence(db.Model):
    """The last 申请编号 sequence number used per body and year; numbers are never reused."""

    __tablename__ = "request_sequences"
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
