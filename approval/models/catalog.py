"""主题分类: the catalog tree of a body's disclosure portal."""

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.extensions import db


class Category(db.Model):
    __tablename__ = "categories"
    __table_args__ = (
        UniqueConstraint("body_id", "code"),
        Index("ix_categories_body_parent", "body_id", "parent_id", "position"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    position: Mapped[int] = mapped_column(default=0)
    # 栏目不更新: days without a publication after which the statistics list the category as
    # stale (None: the deployment's CATALOG_STALE_AFTER_DAYS)
    stale_after_days: Mapped[int | None]

    body = relationship("Body")
    parent = relationship("Category", remote_side="Category.id")

    @property
    def full_name(self) -> str:
        return f"{self.parent.full_name} / {self.name}" if self.parent else self.name
