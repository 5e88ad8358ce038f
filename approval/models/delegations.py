"""请假代理: a reviewer who will be away names a deputy for a date range.

A delegation hands one business role (the role of one or more chain steps: 分管领导, 办公室审核,
保密审查员) of the *principal* to a *deputy* from ``starts_on`` to ``ends_on`` (local dates,
both inclusive). While it is active the deputy may decide at those steps, for the items the
principal could decide on, and the decision records on whose behalf it was taken
(``Decision.on_behalf_of_id``). ``permissions`` decides who may act; this module only stores the
rows and reads the active ones once per request.

A revoked delegation keeps its row (``revoked_at``, ``revoked_by_id``): the list of given and
received delegations is part of the record, and every create and revoke is audited.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from flask import g, has_request_context
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, bindparam, select
from sqlalchemy.orm import Mapped, aliased, contains_eager, joinedload, mapped_column, relationship

from approval.core import clock
from approval.core.clock import utcnow
from approval.extensions import db
from approval.models.users import User
from approval.platform.db_setup import prepared

MAX_DAYS = 90  # the longest delegation, both ends counted
REASON_MAX = 200


class Delegation(db.Model):
    __tablename__ = "delegations"
    __table_args__ = (
        # a deputy's active delegations (every request that asks what they may do), and a
        # principal's (their list, and the overlap check when they add one): ends_on >= today
        # is the range, the few rows left are filtered on start and revocation
        Index("ix_delegations_deputy_ends", "deputy_id", "ends_on"),
        Index("ix_delegations_principal_ends", "principal_id", "ends_on"),
        # the deputies to notify when an item reaches a step (notifications/operations.py)
        Index("ix_delegations_body_ends", "body_id", "ends_on"),
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("deputy_id <> principal_id", name="not_oneself"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    principal_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    deputy_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(32))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str | None] = mapped_column(Text)  # 出差, 休假 …
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    principal = relationship("User", foreign_keys=[principal_id])
    deputy = relationship("User", foreign_keys=[deputy_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    def status(self, today: date) -> str:
        """revoked, past, current or future (as of the body's date ``today``)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.ends_on < today:
            return "past"
        return "current" if self.starts_on <= today else "future"


def active_for_deputy(user, on_date: date) -> list[Delegation]:
    """The delegations ``user`` holds as a deputy on ``on_date``: not revoked, within their
    dates, from an enabled principal of the user's body; oldest first. The principals come
    with their roles and led departments (what ``permissions.eligible_for_step`` reads)."""
    return list(
        db.session.scalars(
            _active_for_deputy_query(),
            {"deputy_id": user.id, "on_date": on_date, "body_id": user.body_id},
        )
        .unique()
        .all()
    )


@lru_cache(maxsize=1)
def _active_for_deputy_query():
    """The statement, composed once: composing it (an alias of users, eager loads through the
    alias) took 1.3 ms, several times what running it takes, on every signed-in list page."""
    principal = aliased(User)
    # one query: a deputy holds a few delegations, each principal a few roles and departments;
    # prepared, as it runs on every signed-in list page
    return prepared(
        select(Delegation)
        .join(principal, Delegation.principal_id == principal.id)
        .where(
            Delegation.deputy_id == bindparam("deputy_id"),
            Delegation.ends_on >= bindparam("on_date"),
            Delegation.starts_on <= bindparam("on_date"),
            Delegation.revoked_at.is_(None),
            principal.is_enabled.is_(True),
            principal.body_id == bindparam("body_id"),
        )
        .options(
            contains_eager(Delegation.principal.of_type(principal)).options(
                joinedload(principal.role_rows), joinedload(principal.led_departments)
            )
        )
        .order_by(Delegation.starts_on, Delegation.id)
    )


def held_today(user) -> list[Delegation]:
    """``active_for_deputy`` for the body's today, read once per request (a list page asks for
    every row; the delegations do not change under a request's feet). Outside a request (jobs,
    tests) it is read every time."""
    if not has_request_context():
        return active_for_deputy(user, clock.local_today())
    cache = g.setdefault("_delegations_held", {})
    if user.id not in cache:
        cache[user.id] = active_for_deputy(user, clock.local_today())
    return cache[user.id]
