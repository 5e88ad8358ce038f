"""Who may see and do what in the request register (依申请公开), and the SQL twin for its list.

Deny by default. A request carries the applicant's personal data, so only two kinds of people see
it (issue 28, "Privacy"):

- **the office**: the general office's 办公室审核 and 发布员 staff and the leaders who lead the
  general office (the 办公室分管负责人): the disclosure office, which keeps the register, sees
  every request of its body and registers, assigns, asks for 补正 and closes them;
- **the assigned department**: its officers (信息员) and the leaders who lead it, for the
  requests assigned to it, and only while they are.

Pauses (consulting a third party, another body, a fee notice) are started and ended by the office
or by the assigned department, who write the letters. The extension (Art. 33: "经政府信息公开工作
机构负责人同意") is approved by the head of the disclosure office: in a township the general
office is the disclosure office, and its head is the leader who leads it, the same person the
chain's ``general_office`` scope names (``leads_general_office``). No role is added for it.
"""

from __future__ import annotations

from approval.core.roles import Role
from approval.models.requests import InformationRequest
from approval.permissions import (
    _is_business_user,
    _is_general_office_staff,
    leads_general_office,
)
from approval.permissions.departments import (
    handles_for_department,
    handles_some_department,
    visible_by_department,
)


def is_request_office(user) -> bool:
    """The disclosure office of the user's body (see the module's docstring)."""
    return bool(
        _is_general_office_staff(user)
        or (_is_business_user(user) and leads_general_office(user, user.body_id))
    )


def can_view_request(user, request) -> bool:
    if not _is_business_user(user) or user.body_id != request.body_id:
        return False
    return is_request_office(user) or handles_for_department(user, request)


def can_open_register(user) -> bool:
    """The register's list: the office (every request) and the officers and leaders who may have
    requests assigned to their department (theirs only: ``visible_requests``)."""
    if is_request_office(user):
        return True
    return handles_some_department(user)


def can_register_requests(user) -> bool:
    """Entering a request received at the counter, by post, fax, e-mail or orally."""
    return is_request_office(user)


def can_manage_request(user, request) -> bool:
    """Assigning and 转办, the 补正 notice and the corrected request, closing as 逾期不补正."""
    return user.body_id == request.body_id and is_request_office(user)


def can_pause_request(user, request) -> bool:
    return can_manage_request(user, request) or handles_for_department(user, request)


def can_draft_reply(user, request) -> bool:
    """承办: an officer of the department the request is assigned to writes the reply."""
    return bool(
        request.department_id is not None
        and _is_business_user(user)
        and user.body_id == request.body_id
        and user.has_role(Role.OFFICER)
        and user.department_id == request.department_id
    )


def can_record_delivery(user, request) -> bool:
    """Recording that a document went out (送达): whoever sends the letters, as for pauses."""
    return can_pause_request(user, request)


def can_approve_extension(user, request) -> bool:
    """The head of the disclosure office: the leader who leads the general office."""
    return bool(
        _is_business_user(user)
        and user.body_id == request.body_id
        and leads_general_office(user, request.body_id)
    )


def can_view_request_statistics(user) -> bool:
    """The register's statistics (table 三, late replies) of the user's body: the office."""
    return is_request_office(user)


def visible_requests(user):
    """The SQL twin of ``can_view_request`` for the register's list (a WHERE clause)."""
    return visible_by_department(user, InformationRequest, is_request_office(user))
