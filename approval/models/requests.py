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
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
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
    # the day of receipt; None for an online request the office has not yet confirmed (Art. 31)
    received_on: Mapped[date | None]
    # the portal's 查询码, as a SHA-256 hex digest (the code itself is shown once, to the applicant)
    tracking_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

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

    # how the request ended: a reply type or a closure (core.request_outcomes: one table 三 row)
    outcome: Mapped[str | None] = mapped_column(String(32))
    closed_on: Mapped[date | None]  # the reply sent, or the request closed
    # Art. 44: the proactive draft the office started from this request
    proactive_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", use_alter=True))
    # None for a request filed on the portal until the office confirms receipt (then: who did)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    body = relationship("Body")
    department = relationship("Department")
    registered_by = relationship("User", foreign_keys=[registered_by_id])
    extension_approved_by = relationship("User", foreign_keys=[extension_approved_by_id])
    proactive_item = relationship("Item", foreign_keys=[proactive_item_id])
    # the reply (an item that walks the chain, items.request_id); None until one is drafted
    reply = relationship(
        "Item",
        primaryjoin="Item.request_id == InformationRequest.id",
        foreign_keys="Item.request_id",
        uselist=False,
        viewonly=True,
    )
    deliveries = relationship(
        "RequestDelivery",
        back_populates="request",
        order_by="RequestDelivery.delivered_on, RequestDelivery.id",
        cascade="all, delete-orphan",
    )
    cases = relationship(
        "RequestCase",
        back_populates="request",
        order_by="RequestCase.filed_on, RequestCase.id",
        cascade="all, delete-orphan",
    )
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
    # the third party or the other body consulted (for the 征求意见书)
    party: Mapped[str | None] = mapped_column(String(CONTACT_MAX))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # fee: 信息处理费, yuan
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request = relationship("InformationRequest", back_populates="pauses")


class RequestDelivery(db.Model):
    """A document sent to the applicant (or the third party): which, how, when, and the proof
    (a scan of the 送达回证, the postal receipt, the e-mail sent), stored as a real file."""

    __tablename__ = "request_deliveries"
    __table_args__ = (
        CheckConstraint(
            "document IN ('reply', 'correction', 'extension', 'third_party')", name="document"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_requests.id"), index=True)
    document: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))
    delivered_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    proof_filename: Mapped[str | None] = mapped_column(String(200))
    proof_storage_name: Mapped[str | None] = mapped_column(String(100))
    proof_content_type: Mapped[str | None] = mapped_column(String(100))
    proof_size: Mapped[int | None]
    proof_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request = relationship("InformationRequest", back_populates="deliveries")
    created_by = relationship("User")


class RequestCase(db.Model):
    """A 行政复议 or 行政诉讼 brought over the request (annual report table 四)."""

    __tablename__ = "request_cases"
    __table_args__ = (
        CheckConstraint("kind IN ('review', 'litigation')", name="kind"),
        CheckConstraint("result IN ('upheld', 'corrected', 'other', 'pending')", name="result"),
        CheckConstraint(
            "(kind = 'review' AND after_review = false) OR kind = 'litigation'",
            name="after_review_litigation_only",
        ),
        Index("ix_request_cases_body_filed", "body_id", "filed_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("information_requests.id"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    kind: Mapped[str] = mapped_column(String(16))  # review (行政复议) | litigation (行政诉讼)
    after_review: Mapped[bool] = mapped_column(default=False)  # litigation: 复议后起诉
    filed_on: Mapped[date]
    authority: Mapped[str] = mapped_column(String(CONTACT_MAX))  # 复议机关 or 法院
    case_number: Mapped[str | None] = mapped_column(String(100))
    result: Mapped[str] = mapped_column(String(16), default="pending")
    decided_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    request = relationship("InformationRequest", back_populates="cases")


class RequestSequence(db.Model):
    """The last 申请编号 sequence number used per body and year; numbers are never reused."""

    __tablename__ = "request_sequences"
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
