"""Reminders about messages' due days (互动回应), written by ``flask jobs run`` (approval/jobs.py
calls ``run``) into the notifications, as the request register's are (requests/reminders.py).

- An open message with ``DUE_SOON`` working days or fewer left (the register's amber badge): the
  office and, once it is assigned, the officers of its department are told once; again once it
  is overdue (red). While its answer waits at the leader step, the department's leaders too.
  Not yet assigned (or reopened, back with the office): the office only.
- Each reminder is one event per person, message, level and due day (``event_key``; the
  notifications' ON CONFLICT DO NOTHING): a second run, or a run on another host, writes nothing
  again; a new due day (the message reopened) is a new event.
- The text names the message's subject and due day, never the sender (notifications/messages.py).
Each message is its own transaction; one answered since it was listed is skipped.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from approval.core.clock import to_local, utcnow
from approval.core.interaction_vocab import ASSIGNED, LEADER_STEP, OPEN_STATES, REVIEWING
from approval.core.roles import Role
from approval.extensions import db
from approval.interaction.clock import standing
from approval.models import InteractionMessage, User, UserRole
from approval.models.notifications import Kind
from approval.notifications import operations as notifications
from approval.permissions import interaction as may
from approval.permissions import leads_department
from approval.platform.db_setup import write_transactions
from approval.platform.job_results import JobResult

_ROLES = (Role.OFFICER, Role.OFFICE_AUDITOR, Role.PUBLISHER, Role.LEADER)


def recipients(message: InteractionMessage) -> list[tuple[int, str | None]]:
    with_department = message.state in (ASSIGNED, REVIEWING) and message.department_id
    users = db.session.scalars(
        select(User)
        .where(
            User.body_id == message.body_id,
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

    at_leader = bool(
        message.state == REVIEWING and message.review_step == LEADER_STEP and message.department_id
    )

    def told(user: User) -> bool:
        if may.is_interaction_office(user):
            return True
        if at_leader and leads_department(user, message.department_id):
            return True
        return bool(
            with_department
            and user.has_role(Role.OFFICER)
            and user.department_id == message.department_id
        )

    return [(u.id, u.email) for u in users if told(u)]


def remind(message: InteractionMessage, on: date) -> int:
    """Write the reminder ``message`` calls for on ``on`` (once per person and event)."""
    s = standing(message, on)
    if s.level not in ("due_soon", "overdue"):
        return 0
    kind = Kind.OVERDUE if s.level == "overdue" else Kind.DUE_SOON
    return notifications.notify(
        recipients(message),
        kind=kind,
        body_id=message.body_id,
        item_id=None,
        params={
            "message_id": message.id,
            "message_subject": message.subject,
            "due_on": message.due_on.isoformat(),
        },
        event_key=f"{kind}:message:{message.id}:{message.due_on.isoformat()}",
    )


def run(now: datetime | None = None) -> JobResult:
    """Every open message of every body, each in its own transaction."""
    now = now or utcnow()
    on = to_local(now).date()
    result = JobResult("留言答复期限提醒 (message reminders)", "reminded", unit="message")
    db.session.rollback()
    message_ids = list(
        db.session.scalars(
            select(InteractionMessage.id)
            .where(InteractionMessage.state.in_(OPEN_STATES))
            .order_by(InteractionMessage.id)
        )
    )
    db.session.rollback()
    log = current_app.logger
    with write_transactions():
        for message_id in message_ids:
            try:
                message = db.session.get(InteractionMessage, message_id, populate_existing=True)
                written = remind(message, on) if message is not None else 0
                db.session.commit()
            except Exception:  # noqa: BLE001 - one message's failure must not stop the others
                db.session.rollback()
                result.failed.append(
                    (message_id, "unexpected error (see the log); retried next run")
                )
                log.exception("reminders for message %s failed", message_id)
                continue
            if written:
                result.done.append(message_id)
    return result
