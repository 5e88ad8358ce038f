"""Reminders about requests' deadlines (依申请公开), written by the reminder job (``approval.jobs``,
``flask jobs run``) into the notifications, as the 公开期限's reminders are.

- The reply is due within ``queries.DUE_SOON`` working days (the register's amber badge): the
  officers of the department the request is assigned to and the office (``is_request_office``)
  are told once; again once it is overdue (red). A request not yet assigned: the office only.
- No reply reminder while the clock stands still: a pause still open (a third party, another
  body, a fee), or a 补正 awaited.
- A 补正 whose deadline passed with no answer (``CORRECTION_LAPSED``): the office is told once that
  it may close the request as 逾期不补正 (Art. 30).

Each reminder is one event per person, request, level and due day (``event_key``; the
notifications' ON CONFLICT DO NOTHING): a second run, or a run on another host, writes nothing
again; a new due day (an extension, the clock restarted by a 补正) is a new event. The text names
the 申请编号 and the due day, never the applicant (``notifications.messages``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from approval.core.request_clock import CORRECTION_LAPSED
from approval.core.request_vocab import CORRECTION_REQUESTED, OPEN_STATES
from approval.core.roles import Role
from approval.extensions import db
from approval.models import InformationRequest, User, UserRole
from approval.models.notifications import Kind
from approval.notifications import operations as notifications
from approval.permissions import requests as may
from approval.requests.queries import standing

REPLY, CORRECTION = "reply", "correction"  # which deadline a reminder is about
# the roles of the people who may be told: the office's (is_request_office) and the officers
_ROLES = (Role.OFFICER, Role.OFFICE_AUDITOR, Role.PUBLISHER, Role.LEADER)


@dataclass(frozen=True)
class Reminder:
    kind: str  # Kind.DUE_SOON | Kind.OVERDUE
    deadline: str  # REPLY | CORRECTION
    due_on: date
    office_only: bool


def reminder_for(info_request: InformationRequest, on: date) -> Reminder | None:
    """What to remind about ``info_request`` on ``on``, if anything."""
    if info_request.state not in OPEN_STATES or info_request.received_on is None:
        return None
    s = standing(info_request, on)
    clock = s.clock
    if clock is None:
        return None
    if info_request.state == CORRECTION_REQUESTED:
        if clock.state == CORRECTION_LAPSED:
            return Reminder(Kind.OVERDUE, CORRECTION, info_request.correction_deadline, True)
        return None  # awaiting the corrected request: no reply is due
    if info_request.open_pause is not None or clock.due is None:
        return None
    office_only = info_request.department_id is None
    if s.level == "overdue":
        return Reminder(Kind.OVERDUE, REPLY, clock.due, office_only)
    if s.level == "due_soon":
        return Reminder(Kind.DUE_SOON, REPLY, clock.due, office_only)
    return None


def recipients(info_request: InformationRequest, office_only: bool) -> list[tuple[int, str | None]]:
    """The enabled people of the request's body who are the office, and (unless
    ``office_only``) the officers of the department it is assigned to."""
    users = db.session.scalars(
        select(User)
        .where(
            User.body_id == info_request.body_id,
            User.is_enabled.is_(True),
            User.id.in_(
                select(UserRole.user_id).where(UserRole.role.in_([str(r) for r in _ROLES]))
            ),
        )
        .options(
            selectinload(User.role_rows),
            selectinload(User.led_departments),
            joinedload(User.department),
        )
        .order_by(User.id)
    ).all()

    def told(user: User) -> bool:
        if may.is_request_office(user):
            return True
        return (
            not office_only
            and info_request.department_id is not None
            and user.has_role(Role.OFFICER)
            and user.department_id == info_request.department_id
        )

    return [(u.id, u.email) for u in users if told(u)]


def open_request_ids() -> list[int]:
    """Every open request of every body whose clock can run (received), oldest first."""
    return list(
        db.session.scalars(
            select(InformationRequest.id)
            .where(
                InformationRequest.state.in_(OPEN_STATES),
                InformationRequest.received_on.is_not(None),
            )
            .order_by(InformationRequest.id)
        )
    )


def remind(info_request: InformationRequest, on: date) -> int:
    """Write the reminder ``info_request`` calls for on ``on`` (once per person and event);
    returns how many notifications were written."""
    reminder = reminder_for(info_request, on)
    if reminder is None:
        return 0
    return notifications.notify(
        recipients(info_request, reminder.office_only),
        kind=reminder.kind,
        body_id=info_request.body_id,
        item_id=None,
        params={
            "request_id": info_request.id,
            "request_number": info_request.number,
            "deadline": reminder.deadline,
            "due_on": reminder.due_on.isoformat(),
        },
        event_key=(
            f"{reminder.kind}:request_{reminder.deadline}:{info_request.id}:"
            f"{reminder.due_on.isoformat()}"
        ),
    )
