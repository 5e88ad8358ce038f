"""The audit trail: one append-only, hash-chained log for the whole system.

Entries keep names as they were at the time (no foreign keys: users may be renamed, the trail must
not change). Database triggers (see the first migration) refuse UPDATE and DELETE.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from approval.extensions import db

GENESIS_HASH = "0" * 64


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_body", "body_id", "id"),)  # the body's trail, by id
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )  # = chain position
    occurred_at: Mapped[datetime]
    body_id: Mapped[int | None]  # None: not of one body (unknown user)
    actor_id: Mapped[int | None]
    actor_username: Mapped[str] = mapped_column(String(64), default="")
    actor_name: Mapped[str] = mapped_column(String(64), default="")
    actor_roles: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[int | None] = mapped_column(index=True)
    revision_id: Mapped[int | None]
    revision_hash: Mapped[str | None] = mapped_column(String(80))
    round: Mapped[int | None]
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    ip: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON
    hash_alg: Mapped[str] = mapped_column(String(16))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    HASHED_FIELDS = (
        "id",
        "occurred_at",
        "actor_id",
        "actor_username",
        "actor_name",
        "actor_roles",
        "action",
        "item_id",
        "revision_id",
        "revision_hash",
        "round",
        "from_state",
        "to_state",
        "ip",
        "detail",
        "hash_alg",
        "prev_hash",
    )
    # columns added after the first entries were written: hashed when set, so older entries
    # keep verifying and a later entry's value cannot be removed unnoticed
    LATER_HASHED_FIELDS = ("body_id",)


class AuditHead(db.Model):
    """The single row every append locks first, so concurrent appends form one chain."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
