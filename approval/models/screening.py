"""Screening results kept with a sealed revision, and the body's sensitive-word list."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.extensions import db

BLOCKING_SEVERITY = "high"  # a finding of this severity blocks the secrecy sign-off


class ScreeningFinding(db.Model):
    """Something the secrecy pre-check found in a sealed revision (its text or an attachment).
    Computed once when the revision is sealed; the revision never changes, so neither do these."""

    __tablename__ = "screening_findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), index=True)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    field: Mapped[str] = mapped_column(String(16))  # title | summary | body | attachment
    location: Mapped[str] = mapped_column(String(100), default="")  # inside an attachment
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(8))
    start: Mapped[int] = mapped_column(default=0)  # offsets in the field (or segment) text
    end: Mapped[int] = mapped_column(default=0)
    excerpt: Mapped[str] = mapped_column(String(300), default="")  # the context shown
    matched: Mapped[str] = mapped_column(String(200), default="")
    masked: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(String(200), default="")

    attachment = relationship("Attachment")

    @property
    def is_blocking(self) -> bool:
        return self.severity == BLOCKING_SEVERITY


class SensitiveWord(db.Model):
    """The body's sensitive-word list, managed by the security admin."""

    __tablename__ = "sensitive_words"
    __table_args__ = (UniqueConstraint("body_id", "word"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    word: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(32), default="")
    severity: Mapped[str] = mapped_column(String(8), default="medium")
