"""Who may see and do what in 互动回应 (the public's messages, issue 25), and the SQL twin of its list.

Deny by default. A message carries the sender's name and contact details, so, as for the request
register (``permissions.requests``), only two kinds of people see it:

- **the office** (``is_request_office``: the general office's 办公室审核 and 发布员 and the leaders
  who lead the general office): every message of its body; registers offline messages, 分办 and
  转办, approves answers as the second step, sets the time limits, keeps events and the FAQ;
- **the assigned department**: its officers (who draft the answer) and the leaders who lead it
  (who approve it first), for the messages assigned to it, while they are.

Nobody approves an answer they drafted, and nobody approves one answer twice (the department's
leader and the office are two people).
"""

from __future__ import annotations

from approval.core.interaction_vocab import (
    ANSWERED,
    ASSIGNABLE_STATES,
    ASSIGNED,
    CLOSABLE_AS_INVALID,
    INVALID,
    LEADER_STEP,
    OFFICE_STEP,
    REVIEWING,
)
from approval.core.roles import Role
from approval.models.interaction import InteractionMessage
from approval.permissions import _is_business_user, leads_department
from approval.permissions.departments import (
    handles_for_department,
    handles_some_department,
    visible_by_department,
)
from approval.permissions.requests import is_request_office


def is_interaction_office(user) -> bool:
    return is_request_office(user)


def can_view_message(user, message) -> bool:
    if not _is_business_user(user) or user.body_id != message.body_id:
        return False
    return is_interaction_office(user) or handles_for_department(user, message)


def can_open_messages(user) -> bool:
    """The register of messages: the office (all), officers and leaders (their department's)."""
    if is_interaction_office(user):
        return True
    return handles_some_department(user)


def can_register_messages(user) -> bool:
    """Entering a message taken by telephone, letter, 意见箱, in person or at a 政务公开日."""
    return is_interaction_office(user)


def can_manage_message(user, message) -> bool:
    """分办 and 转办 (the office, in the message's body)."""
    return bool(user.body_id == message.body_id and is_interaction_office(user))


def can_assign(user, message) -> bool:
    return can_manage_message(user, message) and message.state in ASSIGNABLE_STATES


def can_close_invalid(user, message) -> bool:
    """无效留言: the office closes an open message (spam, abuse) with a reason."""
    return can_manage_message(user, message) and message.state in CLOSABLE_AS_INVALID


def can_reopen_invalid(user, message) -> bool:
    """The office takes back an invalid closing made by mistake."""
    return can_manage_message(user, message) and message.state == INVALID


def can_draft_answer(user, message) -> bool:
    """An officer of the department the message is assigned to, while it is with them."""
    return bool(
        message.state == ASSIGNED
        and message.department_id is not None
        and _is_business_user(user)
        and user.body_id == message.body_id
        and user.has_role(Role.OFFICER)
        and user.department_id == message.department_id
    )


def may_review_answers_of(user, message) -> bool:
    """Whether ``user`` is one of the reviewers of this message's answers at all (the office,
    or a leader of the department it is assigned to), whatever its state: ``operations.review``
    checks this before the state, so an outsider gets 403, not 409."""
    if not _is_business_user(user) or user.body_id != message.body_id:
        return False
    if is_interaction_office(user):
        return True
    return message.department_id is not None and leads_department(user, message.department_id)


def can_review(user, message) -> bool:
    """The answer's current review step: the department's leader, then the office; never the
    person who drafted it, and never twice on one answer."""
    if message.state != REVIEWING or not _is_business_user(user):
        return False
    if user.body_id != message.body_id:
        return False
    reply = message.current_reply
    if reply is None or reply.drafted_by_id == user.id:
        return False
    if message.review_step == LEADER_STEP:
        return leads_department(user, message.department_id)
    if message.review_step == OFFICE_STEP:
        return is_interaction_office(user) and reply.leader_id != user.id
    return False


def can_add_to_faq(user, message) -> bool:
    """The office, for an answered message whose sender allowed publication (the FAQ is
    public: a message its sender kept private never feeds it)."""
    return bool(
        can_manage_message(user, message) and message.state == ANSWERED and message.may_publish
    )


def can_keep_interaction(user) -> bool:
    """The office's settings of 互动回应: time limits, 政务公开日 events, the FAQ, statistics."""
    return is_interaction_office(user)


def visible_messages(user):
    """The SQL twin of ``can_view_message`` for the lists (a WHERE clause)."""
    return visible_by_department(user, InteractionMessage, is_interaction_office(user))
