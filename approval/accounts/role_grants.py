"""Granting business roles (授权), the security admin's work under 三员分立.

The system admin makes accounts, with no roles; the security admin of the same body decides
what each account may do: its business roles and, for a 分管领导, the departments it leads. The
three admin roles are not granted here: admin accounts are made with the deployment's commands
(``flask create-user``), so no admin can make themself, or anyone, another admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from approval.accounts import account_filters, logins
from approval.audit import trail as audit
from approval.core.errors import Conflict, InvalidInput, NotFound
from approval.core.roles import ADMIN_ROLES, BUSINESS_ROLES, Role, is_admin_account
from approval.extensions import db
from approval.models import Department, User, UserRole
from approval.platform.i18n import N_

ADMIN_ACCOUNT = N_("三员账号的角色只能用部署命令设置")
NOT_BUSINESS = N_("只能授予业务角色")
LEADER_NEEDS_DEPARTMENT = N_("分管领导须至少分管一个科室")
LEADS_WITHOUT_ROLE = N_("只有分管领导才能分管科室")
UNKNOWN_DEPARTMENT = N_("所选科室不属于本单位")
UNCHANGED = N_("角色和分管科室没有变化")
NOT_FOUND = N_("该账号不存在")


NO_ROLES = "none"  # the list's role filter for accounts not granted anything yet
PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    department_id: int | None = None
    text: str | None = None  # in the name or the username
    role: str = ""  # a business role, NO_ROLES, or "" for every account

    def as_args(self) -> dict:
        return {
            k: v
            for k, v in (("department", self.department_id), ("q", self.text), ("role", self.role))
            if v
        }


def account_page(
    actor, filters: Filters, after: str | None = None, size: int = PAGE_SIZE
) -> tuple[list[User], str | None]:
    """The business accounts of the security admin's body (and those with no role yet; admin
    accounts are not theirs to grant), in username order, keyset-paged on the username."""
    has_admin_role = select(UserRole.user_id).where(UserRole.role.in_(list(ADMIN_ROLES)))
    query = select(User).where(
        User.body_id == actor.body_id,
        User.id.not_in(has_admin_role),
        *account_filters.conditions(filters.department_id, filters.text),
    )
    if filters.role == NO_ROLES:
        query = query.where(~select(UserRole).where(UserRole.user_id == User.id).exists())
    elif filters.role:
        query = query.where(
            select(UserRole)
            .where(UserRole.user_id == User.id, UserRole.role == filters.role)
            .exists()
        )
    if after:
        query = query.where(User.username > after)
    rows = db.session.scalars(
        query.options(
            joinedload(User.department),
            selectinload(User.role_rows),
            selectinload(User.led_departments),
        )
        .order_by(User.username)
        .limit(size + 1)
    ).all()
    return rows[:size], (rows[size - 1].username if len(rows) > size else None)


@dataclass(frozen=True)
class Grant:
    roles: frozenset[Role]
    led_department_ids: frozenset[int]


def grantee(actor, user_id: int, for_update: bool = False) -> User:
    """The account the security admin may grant roles to: one of their body's (another body's is
    NotFound, as if it did not exist) and not an admin account (Conflict). ``for_update``: its
    row locked first, so two grants at once are made one after the other."""
    user = logins.load_for_update(user_id) if for_update else db.session.get(User, user_id)
    if user is None or user.body_id != actor.body_id:
        raise NotFound(NOT_FOUND)
    if is_admin_account(user):
        raise Conflict(ADMIN_ACCOUNT)
    return user


def current(user: User) -> Grant:
    return Grant(frozenset(user.roles), frozenset(d.id for d in user.led_departments))


def grant(actor, user: User, roles, led_department_ids) -> tuple[Grant, Grant]:
    """Give ``user`` exactly these business roles and led departments; audited with what they had
    before. Returns (before, after). Raises InvalidInput (nothing changes) for an admin or unknown
    role, a leader without a department, departments without the leader role, another body's
    department, or no change at all. The caller commits."""
    try:
        wanted = frozenset(Role(r) for r in roles)
    except ValueError as exc:
        raise InvalidInput(NOT_BUSINESS, field="roles") from exc
    if not wanted <= BUSINESS_ROLES:
        raise InvalidInput(NOT_BUSINESS, field="roles")
    led_ids = frozenset(int(i) for i in led_department_ids)
    if Role.LEADER in wanted and not led_ids:
        raise InvalidInput(LEADER_NEEDS_DEPARTMENT, field="led_departments")
    if led_ids and Role.LEADER not in wanted:
        raise InvalidInput(LEADS_WITHOUT_ROLE, field="led_departments")
    departments = (
        db.session.scalars(
            select(Department).where(Department.id.in_(led_ids), Department.body_id == user.body_id)
        ).all()
        if led_ids
        else []
    )
    if len(departments) != len(led_ids):
        raise InvalidInput(UNKNOWN_DEPARTMENT, field="led_departments")
    before, after = current(user), Grant(wanted, led_ids)
    if before == after:
        raise InvalidInput(UNCHANGED)
    names = {d.id: d.name for d in [*user.led_departments, *departments]}
    user.set_roles(wanted)
    user.led_departments = sorted(departments, key=lambda d: d.position)
    audit.record(
        "roles_granted",
        actor=actor,
        body_id=user.body_id,
        detail={
            "role": Role.SECURITY_ADMIN,
            "username": user.username,
            "display_name": user.display_name,
            "roles": {"from": sorted(before.roles), "to": sorted(after.roles)},
            "led_departments": {
                "from": sorted(names[i] for i in before.led_department_ids),
                "to": sorted(names[i] for i in after.led_department_ids),
            },
        },
    )
    return before, after
