"""What a user typed into a form when their session had already ended (accounts/kept_forms.py):
kept until the same user signs in again and sees it filled in, or for KEEP_HOURS."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from approval.extensions import db


class KeptSubmission(db.Model):
    __tablename__ = "kept_submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)  # named in the signed session
    user_id: Mapped[int] = mapped_column(index=True)  # who must sign in again (no foreign key:
    username: Mapped[str] = mapped_column(String(64))  # a kept form never blocks a user change)
    endpoint: Mapped[str] = mapped_column(String(64))  # where it was posted
    return_path: Mapped[str] = mapped_column(String(500))  # the page that shows the form
    fields: Mapped[str] = mapped_column(Text)  # JSON list of [name, value] pairs
    kept_at: Mapped[datetime]
