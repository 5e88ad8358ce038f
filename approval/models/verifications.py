"""Requests to verify the audit trail's hash chain, run by ``flask jobs run``
(audit/verification_jobs.py), with their progress and result."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.extensions import db

PENDING, RUNNING, INTACT, BROKEN, FAILED = "pending", "running", "intact", "broken", "failed"


class AuditVerification(db.Model):
    __tablename__ = "audit_verifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the CLI
    requested_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    entries_checked: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), default=0
    )
    total: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    first_broken_entry: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite")
    )
    outcome: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    error: Mapped[str | None] = mapped_column(Text)  # the problem found, in English (the CLI's)

    requested_by = relationship("User", lazy="joined")

    @property
    def is_done(self) -> bool:
        return self.finished_at is not None
