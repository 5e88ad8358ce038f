"""Annual publication targets per department (年度目标任务), and the index the statistics read.

A target is the number of items a department is expected to have published in a calendar year
(the seed reports: "共公开信息482条，完成目标任务的160.67%"). Set by the general office's staff
(``permissions.can_set_targets``); one row per department and year; no row means no target.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.core.clock import utcnow
from approval.extensions import db
from approval.models.audit import AuditEntry


class DepartmentTarget(db.Model):
    __tablename__ = "department_targets"
    __table_args__ = (
        UniqueConstraint("department_id", "year"),
        CheckConstraint("target > 0", name="target_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    year: Mapped[int]
    target: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    department = relationship("Department")


# The statistics count transitions of one kind in a period (submissions, returns, withholdings,
# step decisions) from the audit trail: one range of this index per kind, never a scan of the
# body's whole trail. Declared here, with the statistics' other schema, so that the metadata
# matches migration 0011 (it belongs to audit_entries; it could move to models/audit.py).
ix_audit_entries_body_action_time = Index(
    "ix_audit_entries_body_action_time",
    AuditEntry.__table__.c.body_id,
    AuditEntry.__table__.c.action,
    AuditEntry.__table__.c.occurred_at,
)
