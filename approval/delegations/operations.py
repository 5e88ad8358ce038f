"""请假代理: a reviewer names a deputy for a date range, and may revoke it.

Who may act for whom is ``permissions``' question (``acting_for``, ``delegation_covers``); this
module keeps the delegations themselves: the rules a new one must meet, its revocation, and the
lists of the 我的代理 page. Every create and revoke is one audit entry naming the principal, the
deputy, the role and the dates, and a notification to the deputy. The caller commits.

Rules for a new delegation:
- the role is one the principal holds and that decides at a step of the body's chain
  (``permissions.delegable_roles``);
- the deputy is an enabled account of the same body, not the principal, not an admin account,
  and already a reviewer (holds 分管领导, 办公室审核 or 保密审查员): someone trusted to review;
- the dates are local (the body's time zone): from today on, the end not before the start, at most
  ``MAX_DAYS`` days, both ends counted;
- no overlap with another unrevoked delegation of the same principal and role (a Conflict: one
  deputy per role at a time, so "on whose behalf" never depends on who clicks first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from approval import permissions
from approval.audit import trail as audit
from approval.core import clock
from approval.core.clock import utcnow
from approval.core.errors import Conflict, InvalidInput, NotFound
from approval.core.roles import DECISION_ROLES, is_admin_account
from approval.extensions import db
from approval.models import Delegation, User, UserRole, chain_for
from approval.models.delegations import MAX_DAYS, REASON_MAX, active_for_deputy
from approval.models.notifications import Kind
from approval.notifications import operations as notifications
from approval.platform.i18n import role_label

CREATED, REVOKED = "delegation_created", "delegation_revoked"  # audit actions
LISTED = 50  # past delegations shown per list (current and future ones: all of them)

__all__ = ["active_for_deputy", "candidates", "create", "mine", "revoke"]


@dataclass
class Lists:
    given: list[Delegation]  # by the user, to a deputy
    received: list[Delegation]  # to the user, as a deputy
    today: date


def create(
    user,
    role: str,
    deputy_id: int | None,
    starts_on: date | None,
    ends_on: date | None,
    reason: str | None,
) -> Delegation:
    """A delegation of ``user``'s ``role`` to the account ``deputy_id`` (see the module's rules).
    InvalidInput names the field at fault; an overlap is a Conflict."""
    chain = chain_for(user.body_id)
    if role not in permissions.delegable_roles(user, chain):
        raise InvalidInput("请选择您在审批流程中担任、可以委托的角色", "role")
    deputy = _deputy(user, deputy_id)
    _check_dates(starts_on, ends_on)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise InvalidInput("事由不能超过 %(n)s 字", "reason", n=REASON_MAX)
    _lock_principal(user)
    clash = _overlapping(user, role, starts_on, ends_on)
    if clash is not None:
        raise Conflict(
            "您的“%(role)s”角色在 %(start)s 至 %(end)s 已委托给 %(deputy)s，代理期间不能重叠；"
            "请先撤销那一项，或另选日期",
            role=role_label(role),
            start=clash.starts_on.isoformat(),
            end=clash.ends_on.isoformat(),
            deputy=clash.deputy.display_name,
        )
    delegation = Delegation(
        body_id=user.body_id,
        principal=user,
        deputy=deputy,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason or None,
    )
    db.session.add(delegation)
    db.session.flush()
    audit.record(CREATED, actor=user, detail=_detail(delegation))
    notifications.on_delegation(delegation, Kind.DELEGATED)
    return delegation


def revoke(user, delegation_id: int) -> Delegation:
    """End ``user``'s own delegation now (a current one) or before it starts (a future one).
    Anyone else's, or none, is NotFound; a revoked or past one is a Conflict."""
    _lock_principal(user)
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.principal_id != user.id:
        raise NotFound("代理记录不存在")
    status = delegation.status(clock.local_today())
    if status == "revoked":
        raise Conflict("该代理已经撤销")
    if status == "past":
        raise Conflict("该代理已经结束，不能撤销")
    delegation.revoked_at, delegation.revoked_by_id = utcnow(), user.id
    audit.record(REVOKED, actor=user, detail={**_detail(delegation), "status": status})
    notifications.on_delegation(delegation, Kind.DELEGATION_REVOKED)
    return delegation


def mine(user) -> Lists:
    """The user's delegations, given and received: every current and future one (soonest start
    first), then the ``LISTED`` most recent past or revoked ones."""
    today = clock.local_today()

    def listed(column):
        query = (
            select(Delegation)
            .where(column == user.id)
            .options(
                joinedload(Delegation.principal).joinedload(User.department),
                joinedload(Delegation.deputy).joinedload(User.department),
            )
        )
        ahead = db.session.scalars(
            query.where(Delegation.ends_on >= today, Delegation.revoked_at.is_(None)).order_by(
                Delegation.starts_on, Delegation.id
            )
        ).all()
        behind = db.session.scalars(
            query.where((Delegation.ends_on < today) | Delegation.revoked_at.is_not(None))
            .order_by(Delegation.ends_on.desc(), Delegation.id.desc())
            .limit(LISTED)
        ).all()
        return [*ahead, *behind]

    return Lists(listed(Delegation.principal_id), listed(Delegation.deputy_id), today)


def candidates(user) -> list[User]:
    """The accounts ``user`` may name as deputy: the enabled reviewers of their body, themself
    and admin accounts excepted, by department and name."""
    reviewers = select(UserRole.user_id).where(UserRole.role.in_([str(r) for r in DECISION_ROLES]))
    rows = db.session.scalars(
        select(User)
        .where(
            User.body_id == user.body_id,
            User.is_enabled.is_(True),
            User.id != user.id,
            User.id.in_(reviewers),
        )
        .options(joinedload(User.department), selectinload(User.role_rows))
        .order_by(User.department_id, User.display_name, User.id)
    ).all()
    return [u for u in rows if not is_admin_account(u)]


def _deputy(user, deputy_id: int | None) -> User:
    deputy = db.session.get(User, deputy_id) if deputy_id else None
    if deputy is None or deputy.body_id != user.body_id:
        raise InvalidInput("请选择代理人", "deputy_id")
    if deputy.id == user.id:
        raise InvalidInput("不能委托给自己", "deputy_id")
    if not deputy.is_enabled:
        raise InvalidInput(
            "%(name)s 的账号已停用，不能作为代理人", "deputy_id", name=deputy.display_name
        )
    if is_admin_account(deputy) or not deputy.roles & DECISION_ROLES:
        raise InvalidInput(
            "代理人须是本单位的审批人员（分管领导、办公室审核或保密审查员）", "deputy_id"
        )
    return deputy


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None:
        raise InvalidInput("请填写开始日期", "starts_on")
    if ends_on is None:
        raise InvalidInput("请填写结束日期", "ends_on")
    if starts_on < clock.local_today():
        raise InvalidInput("开始日期不能早于今天", "starts_on")
    if ends_on < starts_on:
        raise InvalidInput("结束日期不能早于开始日期", "ends_on")
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise InvalidInput("代理期限最长 %(n)s 天", "ends_on", n=MAX_DAYS)


def _lock_principal(user) -> None:
    """Take the principal's row first (PostgreSQL; SQLite's write transaction holds the lock
    already): two delegations added at once are checked for overlap one after the other."""
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())


def _overlapping(user, role: str, starts_on: date, ends_on: date) -> Delegation | None:
    return db.session.scalars(
        select(Delegation)
        .where(
            Delegation.principal_id == user.id,
            Delegation.ends_on >= starts_on,
            Delegation.starts_on <= ends_on,
            Delegation.role == role,
            Delegation.revoked_at.is_(None),
        )
        .order_by(Delegation.starts_on)
        .limit(1)
    ).first()


def _detail(delegation: Delegation) -> dict:
    """What the audit entry says: the people as they are named now, the role and the dates."""

    def person(u):
        return {"username": u.username, "display_name": u.display_name}

    return {
        "role": delegation.role,
        "delegation_id": delegation.id,
        "principal": person(delegation.principal),
        "deputy": person(delegation.deputy),
        "starts_on": delegation.starts_on.isoformat(),
        "ends_on": delegation.ends_on.isoformat(),
        "reason": delegation.reason or "",
    }
