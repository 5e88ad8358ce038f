"""Notifications: who hears about what, written in the transaction of the change that caused it.

``on_transition`` is called by ``transitions.perform`` after the audit entry, so a notification
exists exactly when its transition does (a rollback takes both). Who is told:

- submit, and an approval that moves the item to the next step: everyone who can act at the new
  step (``permissions.eligible_for_step``, as the inbox, and the deputies of a delegation that
  covers the item today), except the item's authors, the actor,
  and whoever already decided in this round (they cannot act again, and their inbox leaves it out);
- the last approval (the secrecy sign-off, the item now waits for publication): the publishers
  of the body except the authors and the actor, and the authors (their item passed);
- return: the authors, with the step and the reason;
- withhold (不予公开): the authors, with the reason;
- publish (by hand or by the scheduled job): the authors, with the 索引号;
- a delegation (请假代理) made or revoked: the deputy, with the principal, the role and the dates
  (``on_delegation``), so nobody finds out from their inbox that they decide for someone.

"The authors" are the item's contributors (``permissions.authors_of``) who are still officers of
its department and whose account is enabled: the people who can act on a returned draft.

Every notification names its event (``event_key``) and is written with INSERT … ON CONFLICT DO
NOTHING on (user_id, event_key), so an event reaches each person once, however often it is
reported: ``remind`` (due soon / overdue, called by a job) relies on it.

Read side: the bell's capped unread count, the keyset-paged list, mark one / all as read. A user
only ever reads or marks their own notifications (``own`` is a NotFound otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased, contains_eager, selectinload

from approval import permissions
from approval.core import clock
from approval.core.clock import utcnow
from approval.core.errors import NotFound
from approval.core.hashing import canonical_json
from approval.core.roles import Role
from approval.core.workflow import APPROVED, DRAFT, PUBLISHING_STEP_NAME, Action, Chain
from approval.extensions import db
from approval.models import Delegation, Item, Notification, User, UserRole, chain_of
from approval.models.notifications import Kind
from approval.publication import events

BELL_CAP = 99  # the bell counts exactly up to here, then says "99+"
PAGE_SIZE = 20
Recipient = tuple[int, str | None]  # (user id, e-mail address or None)


# ---------------------------------------------------------------- writing


def subscribe() -> None:
    """Hear every move of the chain (publication/events.py)."""
    events.item_moved.connect(_on_item_moved, weak=False)


def _on_item_moved(item: Item, *, action, actor, from_state, to_state, given, chain) -> None:
    on_transition(item, action, actor, from_state, to_state, given=given, chain=chain)


def on_transition(
    item: Item,
    action: Action | str,
    actor,
    from_state: str,
    to_state: str,
    *,
    given=None,
    chain: Chain | None = None,
) -> int:
    """Notify the people a transition concerns (see the module's docstring). Returns how many
    notifications were written."""
    action = Action(action)
    chain = chain or chain_of(item)
    params = {"title": item.title, "actor": actor.display_name if actor else ""}
    opinion = (getattr(given, "opinion", "") or "").strip()
    event_key = f"item:{item.id}:{item.round}:{action.value}:{from_state}"

    def tell(recipients, kind, **extra):
        return notify(
            recipients,
            kind=kind,
            body_id=item.body_id,
            item_id=item.id,
            params={**params, **extra},
            event_key=event_key,
        )

    if action in (Action.SUBMIT, Action.APPROVE) and (step := chain.step_for(to_state)):
        return tell(
            step_recipients(item, step, exclude={actor.id}), Kind.SUBMITTED_TO_YOU, step=step.name
        )
    if action is Action.SIGN_OFF and to_state == APPROVED:
        return tell(
            publisher_recipients(item, exclude={actor.id})
            + author_recipients(item, exclude={actor.id}),
            Kind.APPROVED,
        )
    if action is Action.RETURN and to_state == DRAFT:
        step = chain.step_for(from_state)
        return tell(
            author_recipients(item, exclude={actor.id}),
            Kind.RETURNED,
            step=step.name if step else PUBLISHING_STEP_NAME,
            reason=opinion,
        )
    if action is Action.WITHHOLD:
        return tell(author_recipients(item, exclude={actor.id}), Kind.WITHHELD, reason=opinion)
    if action is Action.PUBLISH:
        return tell(
            author_recipients(item, exclude={actor.id}),
            Kind.PUBLISHED,
            index_number=(item.amends or item).index_number,  # a 修订: its item's number
        )
    return 0


def on_delegation(delegation: Delegation, kind: str) -> int:
    """Tell the deputy that ``delegation`` was made (``Kind.DELEGATED``) or revoked
    (``Kind.DELEGATION_REVOKED``); called by ``delegations.operations`` in its transaction."""
    if kind not in (Kind.DELEGATED, Kind.DELEGATION_REVOKED):
        raise ValueError(f"not a delegation notice: {kind}")
    deputy, principal = delegation.deputy, delegation.principal
    if not deputy.is_enabled:
        return 0
    return notify(
        [(deputy.id, deputy.email)],
        kind=kind,
        body_id=delegation.body_id,
        item_id=None,
        params={
            "actor": principal.display_name,
            "principal": principal.display_name,
            "role": delegation.role,
            "starts_on": delegation.starts_on.isoformat(),
            "ends_on": delegation.ends_on.isoformat(),
            "reason": delegation.reason or "",
        },
        event_key=f"delegation:{delegation.id}:{kind}",
    )


def remind(
    item: Item,
    kind: str,
    due_on: date,
    recipients: Iterable[Recipient] | None = None,
    deadline: str = "publication",
    **extra,
) -> int:
    """A reminder (``Kind.DUE_SOON`` / ``Kind.OVERDUE``) about ``item``'s deadline ``due_on``, to
    ``recipients`` (default: whoever can act on the item now, ``current_actors``). ``deadline``
    names which one: "publication" (公开期限) or a step's key (its time limit). Once per person,
    item, round, kind, deadline and due day: a job may call it on every run."""
    if kind not in (Kind.DUE_SOON, Kind.OVERDUE):
        raise ValueError(f"not a reminder: {kind}")
    if recipients is None:
        recipients = current_actors(item)
    return notify(
        recipients,
        kind=kind,
        body_id=item.body_id,
        item_id=item.id,
        params={"title": item.title, "due_on": due_on.isoformat(), **extra},
        event_key=f"{kind}:{deadline}:{item.id}:{item.round}:{due_on.isoformat()}",
    )


def notify(
    recipients: Iterable[Recipient],
    *,
    kind: str,
    body_id: int,
    item_id: int | None,
    params: dict,
    event_key: str,
) -> int:
    """One INSERT for all recipients; a person who already has this event is skipped (ON
    CONFLICT DO NOTHING), also when a concurrent transaction wrote it first. Returns how many
    rows were written."""
    if kind not in Kind.ALL:
        raise ValueError(f"unknown notification kind: {kind}")
    mail_on = bool(current_app.config.get("MAIL_SMTP_HOST"))
    now, payload, seen, rows = utcnow(), canonical_json(params), set(), []
    for user_id, email in recipients:
        if user_id in seen:
            continue
        seen.add(user_id)
        rows.append(
            {
                "user_id": user_id,
                "body_id": body_id,
                "kind": kind,
                "item_id": item_id,
                "params": payload,
                "event_key": event_key,
                "created_at": now,
                "mail_pending": mail_on and bool(email),
                "mail_attempts": 0,
            }
        )
    if not rows:
        return 0
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    # one multi-row INSERT (the table, not the ORM's bulk path, which may split it into an
    # executemany); RETURNING lists only the rows written, on both databases
    statement = (
        insert(Notification.__table__)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["user_id", "event_key"])
        .returning(Notification.__table__.c.id)
    )
    return len(db.session.execute(statement).all())


# ---------------------------------------------------------------- who


def step_recipients(item: Item, step, exclude: set[int] = frozenset()) -> list[Recipient]:
    """Everyone who can act at ``step`` on ``item``: the body's enabled holders of the step's
    role, filtered by ``permissions.eligible_for_step`` (the rule the inbox and the permission
    checks use), and the deputies of those away (请假代理), less the authors, ``exclude`` and
    whoever already decided in this round (a person listed twice is told once: ``notify``)."""
    candidates = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.body_id == item.body_id, User.is_enabled.is_(True), UserRole.role == str(step.role)
        )
        .options(selectinload(User.role_rows), selectinload(User.led_departments))
        .order_by(User.id)
    ).all()
    left_out = permissions.authors_of(item) | set(exclude)
    own = [u for u in candidates if permissions.eligible_for_step(u, step, item)]
    return [
        (u.id, u.email)
        for u in [*own, *_deputies(item, step)]
        if u.id not in left_out and not permissions.has_decided_in_round(u, item)
    ]


def _deputies(item: Item, step) -> list[User]:
    """The deputies (请假代理) who may act at ``step`` for ``item`` today in someone's place: the
    enabled deputies of the body's active delegations of the step's role that cover the item
    (``permissions.delegation_covers``, the rule of the inbox and the permission checks)."""
    today = clock.local_today()
    principal, deputy = aliased(User), aliased(User)
    delegations = db.session.scalars(
        select(Delegation)
        .join(principal, Delegation.principal_id == principal.id)
        .join(deputy, Delegation.deputy_id == deputy.id)
        .where(
            Delegation.body_id == item.body_id,
            Delegation.ends_on >= today,
            Delegation.starts_on <= today,
            Delegation.revoked_at.is_(None),
            Delegation.role == str(step.role),
            deputy.is_enabled.is_(True),
        )
        .options(
            contains_eager(Delegation.principal.of_type(principal)).options(
                selectinload(principal.role_rows), selectinload(principal.led_departments)
            ),
            contains_eager(Delegation.deputy.of_type(deputy)).options(
                selectinload(deputy.role_rows)
            ),
        )
        .order_by(Delegation.id)
    ).all()
    return [
        d.deputy
        for d in delegations
        if permissions.can_use_delegations(d.deputy)
        and permissions.delegation_covers(d, step, item)
    ]


def publisher_recipients(item: Item, exclude: set[int] = frozenset()) -> list[Recipient]:
    """The body's enabled publishers who may publish this item (not its authors)."""
    rows = db.session.execute(
        select(User.id, User.email)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.body_id == item.body_id,
            User.is_enabled.is_(True),
            UserRole.role == str(Role.PUBLISHER),
        )
        .order_by(User.id)
    ).all()
    left_out = permissions.authors_of(item) | set(exclude)
    return [(r.id, r.email) for r in rows if r.id not in left_out]


def author_recipients(item: Item, exclude: set[int] = frozenset()) -> list[Recipient]:
    """The item's authors who are still enabled officers of its department (who can open it and
    fix a returned draft)."""
    ids = permissions.authors_of(item) - set(exclude)
    if not ids:
        return []
    rows = db.session.execute(
        select(User.id, User.email)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.id.in_(ids),
            User.is_enabled.is_(True),
            User.department_id == item.department_id,
            UserRole.role == str(Role.OFFICER),
        )
        .order_by(User.id)
    ).all()
    return [(r.id, r.email) for r in rows]


def current_actors(item: Item) -> list[Recipient]:
    """Whoever can move the item on now: the people of its pending step, the publishers of an
    approved item, the authors of a draft."""
    chain = chain_of(item)
    step = chain.step_for(item.state)
    if step is not None:
        return step_recipients(item, step)
    if item.state == APPROVED:
        return publisher_recipients(item)
    if item.state == DRAFT:
        return author_recipients(item)
    return []


# ---------------------------------------------------------------- reading


def unread_count(user_id: int) -> int:
    """Exact up to BELL_CAP, else BELL_CAP + 1: one probe of (user_id, read_at, id)."""
    unread = (
        select(Notification.id)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .limit(BELL_CAP + 1)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(unread))


def shown_count(count: int) -> str:
    return f"{BELL_CAP}+" if count > BELL_CAP else str(count)


def page(
    user_id: int, before_id: int | None = None, size: int = PAGE_SIZE
) -> tuple[list[Notification], int | None]:
    """The user's notifications, newest first, keyset-paged by id: (rows, id to continue
    before, or None on the last page)."""
    query = select(Notification).where(Notification.user_id == user_id)
    if before_id:
        query = query.where(Notification.id < before_id)
    rows = db.session.scalars(query.order_by(Notification.id.desc()).limit(size + 1)).all()
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


def own(user, notification_id: int) -> Notification:
    """The user's own notification; anyone else's, or none, is the same NotFound."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or user is None or notification.user_id != user.id:
        raise NotFound("通知不存在")
    return notification


def mark_read(user, notification_id: int) -> Notification:
    notification = own(user, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(user) -> int:
    """Every unread notification of the user (one UPDATE); returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
