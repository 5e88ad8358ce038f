"""The portal's own pages, written by the general office: 信息公开指南 and 信息公开制度."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.core.clock import utcnow
from approval.extensions import db

# slug → default title; the office writes the content, the portal shows it to the public
PAGE_TITLES = {"guide": "信息公开指南", "rules": "信息公开制度"}


class PortalPage(db.Model):
    __tablename__ = "portal_pages"
    __table_args__ = (UniqueConstraint("body_id", "slug"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    slug: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by = relationship("User")
