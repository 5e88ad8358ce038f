"""Work nobody can do (无人办理): items waiting at a step of the chain, or for publication, that
no enabled account of the body may take, by the rules of the inbox and of the permission checks.

Grants and accounts change under waiting items: the only 分管领导 of a department is given
another department, the only 保密审查员 leaves and their account is disabled. And the rules that
keep a review independent can leave an item with nobody even when the step has people: a holder
of both 办公室审核 and 保密审查员 who approved at the office may not also sign off in the same
round, and nobody decides on what they wrote. Nothing refuses a grant for this (the security
admin may have to revoke first and grant the successor next), but such items wait unseen, in
nobody's inbox. The security admin's 授权 page lists them, so the missing grant is made.

Each step reads its waiting items once, with the inbox's conditions for every holder of the
step's role (``permissions.sql.may_decide_at``, ``may_publish``). Deputies (请假代理) are not counted:
a deputy acts only for a principal who could act themself. Items that started their round on an
earlier version of the chain are counted at that version's steps (``Chains.waiting_steps``). Not
covered: returned drafts of a department with no officer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import selectinload

from approval import permissions
from approval.core.roles import Role
from approval.core.workflow import APPROVED, PUBLISHING_STEP_NAME, Scope
from approval.extensions import db
from approval.models import Department, Item, User, UserRole, chains_for
from approval.permissions.sql import may_decide_at, may_publish


@dataclass(frozen=True)
class Unattended:
    step_name: str  # the chain step's name, or 发布
    role: str  # the role the step needs
    department: str | None  # the department the step's leader must lead (department and
    # general-office steps), else None
    count: int  # items waiting there that nobody may take
    nobody_holds: bool  # no enabled account holds the step (for this department) at all;
    # else its holders are all excluded (they wrote, or decided already)


def unattended(body_id: int) -> list[Unattended]:
    """The body's waiting work that no enabled account may take, in chain order."""
    waiting_steps = chains_for(body_id).waiting_steps()
    roles = {str(waiting.step.role) for waiting in waiting_steps} | {str(Role.PUBLISHER)}
    holders = db.session.scalars(
        select(User)
        .where(
            User.body_id == body_id,
            User.is_enabled.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(sorted(roles)))),
        )
        .options(selectinload(User.role_rows), selectinload(User.led_departments))
        .order_by(User.id)
    ).all()
    departments = db.session.scalars(
        select(Department).where(Department.body_id == body_id).order_by(Department.position)
    ).all()
    found = []
    for waiting in waiting_steps:
        step = waiting.step
        able = [
            condition for user in holders if (condition := may_decide_at(user, step)) is not None
        ]
        stuck = _stuck(step.state, body_id, able, waiting.versions)
        if step.scope == Scope.DEPARTMENT:
            for department in departments:
                if stuck.get(department.id):
                    found.append(
                        Unattended(
                            step.name,
                            str(step.role),
                            department.name,
                            stuck[department.id],
                            _nobody_holds(holders, step, department),
                        )
                    )
        elif total := sum(stuck.values()):
            office = next((d for d in departments if d.is_general_office), None)
            within = office if step.scope == Scope.GENERAL_OFFICE else None
            found.append(
                Unattended(
                    step.name,
                    str(step.role),
                    within.name if within else None,
                    total,
                    _nobody_holds(holders, step, within),
                )
            )
    able = [condition for user in holders if (condition := may_publish(user)) is not None]
    if total := sum(_stuck(APPROVED, body_id, able).values()):
        found.append(
            Unattended(
                PUBLISHING_STEP_NAME,
                str(Role.PUBLISHER),
                None,
                total,
                not any(user.has_role(Role.PUBLISHER) for user in holders),
            )
        )
    return found


def _stuck(
    state: str, body_id: int, able: list, versions: tuple[int, ...] | None = None
) -> dict[int, int]:
    """Per department, how many items in ``state`` (on one of the chain ``versions``, None: on
    any) none of the ``able`` conditions admits."""
    nobody = ~or_(*able) if able else true()
    on_version = Item.chain_version.in_(versions) if versions is not None else true()
    return dict(
        db.session.execute(
            select(Item.department_id, func.count())
            .where(Item.body_id == body_id, Item.state == state, on_version, nobody)
            .group_by(Item.department_id)
        ).all()
    )


def _nobody_holds(holders: list[User], step, department: Department | None) -> bool:
    """Whether no holder is one of the step's people at all (for items of ``department``, the
    one its leader must lead; None for a step of the whole body)."""
    if department is None and step.scope != Scope.BODY:
        return True  # a general-office step in a body that has no general office
    probe = _Probe(department.body_id, department.id) if department else None
    return not any(permissions.eligible_for_step(user, step, probe) for user in holders)


@dataclass(frozen=True)
class _Probe:
    """What ``permissions.eligible_for_step`` reads of an item: its body and department."""

    body_id: int
    department_id: int
