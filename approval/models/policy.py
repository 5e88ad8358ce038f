"""A body's security policy (安全策略), set by its security admin; without a row the deployment's
configuration applies (approval/accounts/policy.py)."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from approval.core.clock import utcnow
from approval.extensions import db


class SecurityPolicy(db.Model):
    __tablename__ = "security_policies"
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), primary_key=True)
    password_max_age_days: Mapped[int]
    login_max_failures: Mapped[int]
    login_failure_window_minutes: Mapped[int]
    login_lock_minutes: Mapped[int]
    session_idle_minutes: Mapped[int]
    session_max_hours: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
