"""Records assigned to a department (依申请公开 requests, 互动回应 messages): who of the
department handles one — its officers and the leaders who lead it, of the same body — and the
SQL twin for the registers' lists. Deny by default: anyone else is refused here, and the office
is the caller's rule."""

from __future__ import annotations

from sqlalchemy import false

from approval.core.roles import Role
from approval.permissions import _is_business_user, leads_department


def handles_for_department(user, record) -> bool:
    """An officer of, or a leader of, the department ``record`` is assigned to."""
    if record.department_id is None or not _is_business_user(user):
        return False
    if user.body_id != record.body_id:
        return False
    officer = user.has_role(Role.OFFICER) and user.department_id == record.department_id
    return officer or leads_department(user, record.department_id)


def handles_some_department(user) -> bool:
    """An officer, or a leader who leads a department: may have records assigned to them."""
    if not _is_business_user(user):
        return False
    return user.has_role(Role.OFFICER) or bool(user.has_role(Role.LEADER) and user.led_departments)


def visible_by_department(user, model, is_office: bool):
    """The SQL twin of "the office, or ``handles_for_department``" for ``model``'s rows (a WHERE
    clause): the whole body for the office, else the departments the user handles."""
    if not _is_business_user(user):
        return false()
    in_body = model.body_id == user.body_id
    if is_office:
        return in_body
    departments = set()
    if user.has_role(Role.OFFICER) and user.department_id is not None:
        departments.add(user.department_id)
    if user.has_role(Role.LEADER):
        departments.update(d.id for d in user.led_departments)
    if not departments:
        return false()
    return in_body & model.department_id.in_(sorted(departments))
