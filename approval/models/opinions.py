"""常用意见: each user's reusable opinions, offered on the item page's decision panels.

A personal preference, like a browser's saved text: only its owner reads or changes it, and it
is not audited (what is decided with it is: the opinion is copied into the decision)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from approval.core.clock import utcnow
from approval.extensions import db

TEXT_MAX = 500
PER_USER_MAX = 50


class SavedOpinion(db.Model):
    __tablename__ = "saved_opinions"
    __table_args__ = (Index("ix_saved_opinions_user_position", "user_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(String(TEXT_MAX))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
