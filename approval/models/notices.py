"""公示 (approval/notices): the objections (异议) staff log against a published 公示.

The 公示期 and the channel for objections live on the revision (models/items.py), in its sealed
content; the take-down's marks live on the item (``notice_taken_down_at``,
``notice_original_revision_id``). An objection names the person who objected only in its summary,
which staff see and the portal never shows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.core.clock import utcnow
from approval.extensions import db

CHANNEL_MAX, SUMMARY_MAX, HANDLING_MAX = 100, 2000, 2000


class NoticeObjection(db.Model):
    __tablename__ = "notice_objections"
    __table_args__ = (Index("ix_notice_objections_item", "item_id", "received_on", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    received_on: Mapped[date]
    channel: Mapped[str] = mapped_column(String(CHANNEL_MAX))  # 来电, 来信, 来访, 网上 …
    summary: Mapped[str] = mapped_column(Text)
    handling: Mapped[str] = mapped_column(Text, default="")  # 处理情况; "" while open
    handled_on: Mapped[date | None]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)  # compare-and-swap on every change
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    item = relationship("Item")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    handled_by = relationship("User", foreign_keys=[handled_by_id])

    @property
    def is_handled(self) -> bool:
        return self.handled_on is not None
