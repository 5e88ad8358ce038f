"""Work nobody can do (无人办理): items waiting at a step of the chain, or for publication, for
which no enabled account of the body holds what the step needs (its role and, at a
department's step, the lead of that department).

Grants and accounts change under waiting items: the only 分管领导 of a department is given
another department, the only 保密审查员 leaves and their account is disabled. Nothing refuses
that (the security admin may have to revoke first and grant the successor next), but the items
would wait unseen, in nobody's inbox. The security admin's 授权 page lists them, so the grant
that is missing is made. Per item exclusions (nobody decides on what they wrote, or twice in a
round) are not counted here: the step has somebody; whether that person may take this very item
is the item's own matter, shown on its page.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import permissions
from ..extensions import db
from ..models import Department, Item, User, chain_for
from ..roles import Role
from ..workflow import APPROVED, PUBLISHING_STEP_NAME, Scope


@dataclass(frozen=True)
class Unattended:
    step_name: str  # the chain step's name, or 发布
    role: str       # the role the step needs
    department: str | None  # at a department's step: the department nobody leads
    count: int      # items waiting there


def unattended(body_id: int) -> list[Unattended]:
    """The body's waiting work that no enabled account can take, in chain order."""
    chain = chain_for(body_id)
    waiting = db.session.execute(
        select(Item.state, Item.department_id, func.count())
        .where(Item.body_id == body_id,
               Item.state.in_([s.state for s in chain.steps] + [APPROVED]))
        .group_by(Item.state, Item.department_id)).all()
    if not waiting:
        return []
    holders = db.session.scalars(select(User).where(User.body_id == body_id, User.is_enabled)
                                 .options(selectinload(User.role_rows),
                                          selectinload(User.led_departments))).all()
    names = dict(db.session.execute(select(Department.id, Department.name)
                                    .where(Department.body_id == body_id)).all())
    found = []
    for step in chain.steps:
        per_department: dict[int | None, int] = {}
        for state, department_id, count in waiting:
            if state == step.state:
                key = department_id if step.scope == Scope.DEPARTMENT else None
                per_department[key] = per_department.get(key, 0) + count
        for department_id, count in sorted(per_department.items(),
                                           key=lambda pair: names.get(pair[0], "")):
            probe = SimpleNamespace(body_id=body_id, department_id=department_id)
            if not any(permissions.eligible_for_step(user, step, probe) for user in holders):
                found.append(Unattended(step.name, step.role, names.get(department_id),
                                        count))
    to_publish = sum(count for state, _, count in waiting if state == APPROVED)
    if to_publish and not any(user.has_role(Role.PUBLISHER) for user in holders):
        found.append(Unattended(PUBLISHING_STEP_NAME, Role.PUBLISHER.value, None, to_publish))
    return found
