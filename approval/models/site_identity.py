"""A body's site identity (网站标识), set by its general office and shown in the portal's footer:
主办单位, 网站标识码, ICP备案号, 公安机关备案号 and contact details. Without a row the footer shows
the body's name as the 主办单位 and nothing else (approval/portal/site_identity.py)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from approval.core.clock import utcnow
from approval.extensions import db


class SiteIdentity(db.Model):
    __tablename__ = "site_identities"
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    sponsor: Mapped[str] = mapped_column(String(100), default="")  # 主办单位
    site_code: Mapped[str] = mapped_column(String(20), default="")  # 网站标识码
    icp_number: Mapped[str] = mapped_column(String(64), default="")  # ICP备案号
    police_number: Mapped[str] = mapped_column(String(64), default="")  # 公安机关备案号
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    version: Mapped[int] = mapped_column(default=1)  # compare-and-swap on every save
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __mapper_args__ = {"version_id_col": version}

    FIELDS = ("sponsor", "site_code", "icp_number", "police_number", "address", "phone", "email")
