"""A body (公开主体) and its departments; one department is the general office (党政办/办公室)."""

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from approval.extensions import db

DEFAULT_INDEX_PATTERN = "{credit_code}/{year}-{seq:05d}"


class Body(db.Model):
    __tablename__ = "bodies"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码
    index_pattern: Mapped[str] = mapped_column(String(100), default=DEFAULT_INDEX_PATTERN)
    # incremented with every change of the body's chain, step limits or the calendar
    # (platform/settings_cache.py): a worker's copies of them are good while it is unchanged
    settings_version: Mapped[int] = mapped_column(default=0, server_default="0")

    departments = relationship("Department", back_populates="body", order_by="Department.position")
    policy = relationship("SecurityPolicy", uselist=False)  # None: the configured defaults

    @validates("index_pattern")
    def _check_index_pattern(self, _key, pattern: str) -> str:
        """A pattern that could repeat a 索引号 (another body's, or last year's) is refused."""
        check_index_pattern(pattern)
        return pattern


def check_index_pattern(pattern: str) -> None:
    # {credit_code}: 索引号 are unique across bodies; {year} and {seq}: the sequence restarts yearly
    if any(f"{{{name}" not in pattern for name in ("credit_code", "year", "seq")):
        raise ValueError("索引号格式必须包含 {credit_code}、{year} 和 {seq}")
    try:
        pattern.format(credit_code="X" * 18, year=2026, seq=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"索引号格式无效：{exc}") from exc


class Department(db.Model):
    __tablename__ = "departments"
    __table_args__ = (
        Index(
            "uq_departments_one_general_office",
            "body_id",
            unique=True,
            sqlite_where=text("is_general_office"),
            postgresql_where=text("is_general_office"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(db.ForeignKey("bodies.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    is_general_office: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    body = relationship("Body", back_populates="departments")
