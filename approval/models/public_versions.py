"""修订记录: each version of an item that was public, in order (publication/amendments.py).

The first row is written when the item is published; each published 修订 (amendment) adds one,
with the note its author gave. A row points to the revision that was public: for a 修订 that
revision belongs to the amendment item, whose decisions bound it. The item's
``published_revision`` is the newest row's revision (or, after a 公示 take-down, the masked
version that replaced it, approval/notices).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.extensions import db


class PublicVersion(db.Model):
    __tablename__ = "public_versions"
    __table_args__ = (UniqueConstraint("item_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    number: Mapped[int]  # 1 for the first publication, then 2, 3 … per published 修订
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    # the 修订 item whose chain approved this version; None for the first publication
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    note: Mapped[str] = mapped_column(Text, default="")  # 修订说明 ("" for the first)
    published_at: Mapped[datetime]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # this version withdrew every earlier one from the portal (the amendment said so: what they
    # held must not stay public); staff still see them through the amendments
    hides_earlier: Mapped[bool] = mapped_column(default=False, server_default=false())

    revision = relationship("Revision")
    amendment = relationship("Item", foreign_keys=[amendment_id])
