"""The national working-day calendar's corrections (工作日历调整), kept by the system admin.

One table for the whole deployment (no body_id): the State Council's holiday arrangement is the
same for every body. A row says that one date is a working day or a day off, whatever the
``chinesecalendar`` package (or, for a year it does not cover, the weekend rule) says; see
approval/core/workdays.py.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.core.clock import utcnow
from approval.extensions import db


class CalendarOverride(db.Model):
    __tablename__ = "calendar_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)  # one override per date
    is_working_day: Mapped[bool]  # True: 上班 (调休); False: 放假
    note: Mapped[str] = mapped_column(String(100))  # e.g. 2027年元旦
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by = relationship("User")
