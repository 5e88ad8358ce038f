"""Per-step time limits (各环节办理时限): how many working days an item may wait at one step of a
body's approval chain before it is flagged and its people reminded. Set by the general office's
staff (``permissions.can_set_targets``); one row per body and step key; no row means no limit.

Keyed by the step's key rather than a chain_steps row: a body on the default chain has no rows
there, and a step's key is what its state (``pending_<key>``) is named after.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from approval.core.clock import utcnow
from approval.extensions import db

MAX_STEP_WORKING_DAYS = 60


class StepTimeLimit(db.Model):
    __tablename__ = "step_time_limits"
    __table_args__ = (
        UniqueConstraint("body_id", "step_key"),
        CheckConstraint(
            f"working_days BETWEEN 1 AND {MAX_STEP_WORKING_DAYS}", name="working_days_range"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    step_key: Mapped[str] = mapped_column(String(32))
    working_days: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
