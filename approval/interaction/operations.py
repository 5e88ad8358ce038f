"""The state changes of 互动回应. Each one: guard permission → guard state → guard version
(``guards.changing``) → mutate → ``audit.record`` → flush; never commit.

The audit entries name the message (id, category, channel) and what changed, never the sender's
name or contact details (the audit admin reads the trail; the sender's data is for the people
handling the message).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import select

from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from approval.core.interaction_vocab import (
    ANSWERED,
    ASSIGNABLE_STATES,
    ASSIGNED,
    CATEGORIES,
    LEADER_STEP,
    MAX_LIMIT,
    OFFICE_STEP,
    OPEN_DAY,
    REGISTERED,
    REVIEWING,
    STAFF_CHANNELS,
    TRANSFERRED,
)
from approval.extensions import db
from approval.interaction import clock as limits
from approval.interaction.common import PORTAL_ACTOR, guard, reference, trimmed  # noqa: F401

# the rating and the FAQ have their own modules; their names are kept here for older callers
from approval.interaction.faq import FAQ_ADDED, FAQ_REMOVED, add_faq, remove_faq  # noqa: F401
from approval.interaction.rating import (  # noqa: F401
    RATED,
    REOPENED_ACTION,
    is_content,
    rate,
    rating_closes_on,
    rating_days,
)
from approval.models import (
    Department,
    InteractionEvent,
    InteractionMessage,
    InteractionReply,
    InteractionTimeLimit,
)
from approval.models.interaction import (
    CONTACT_MAX,
    NAME_MAX,
    NOTE_MAX,
    SUBJECT_MAX,
    TEXT_MAX,
)
from approval.permissions import interaction as may
from approval.platform.guards import changing

# audit actions (core/vocab.py ACTION_LABELS names each)
REGISTERED_ACTION = "message_registered"
FILED_ONLINE = "message_filed_online"
ASSIGNED_ACTION, TRANSFERRED_ACTION = "message_assigned", "message_transferred"
SUBMITTED, APPROVED, RETURNED = (
    "message_answer_submitted",
    "message_answer_approved",
    "message_answer_returned",
)
ANSWERED_ACTION = "message_answered"
VIEWED = "message_viewed"
LIMITS_SET = "interaction_limits_set"
EVENT_CREATED = "interaction_event_created"


@dataclass
class NewMessage:
    subject: str = ""
    category: str = ""
    text: str = ""
    sender_name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    may_publish: bool = False
    channel: str = ""
    received_on: date | None = None
    event_id: int | None = None


def checked(given: NewMessage, channels: dict) -> dict:
    """The columns of a new message, checked; InvalidInput names the field at fault."""
    v = {f.name: getattr(given, f.name) for f in fields(given)}
    v["subject"] = trimmed(v["subject"], "subject", SUBJECT_MAX)
    if not v["subject"]:
        raise InvalidInput("请填写留言标题", "subject")
    if v["category"] not in CATEGORIES:
        raise InvalidInput("请选择留言类别", "category")
    v["text"] = trimmed(v["text"], "text", TEXT_MAX)
    if not v["text"]:
        raise InvalidInput("请填写留言内容", "text")
    v["sender_name"] = trimmed(v["sender_name"], "sender_name", NAME_MAX)
    for name in ("phone", "email", "address"):
        v[name] = trimmed(v[name], name, CONTACT_MAX)
    if not (v["phone"] or v["email"] or v["address"]):
        raise InvalidInput("请至少填写一种联系方式（电话、电子邮箱或通信地址），以便答复", "phone")
    if v["channel"] not in channels:
        raise InvalidInput("请选择留言渠道", "channel")
    if v["received_on"] is None:
        raise InvalidInput("请填写收到留言的日期", "received_on")
    if v["received_on"] > clock.local_today():
        raise InvalidInput("日期不能晚于今天", "received_on")
    v["may_publish"] = bool(v["may_publish"])
    return v


def open_message(body_id: int, values: dict, **extra) -> InteractionMessage:
    days = limits.limits_of(body_id)[values["category"]]
    message = InteractionMessage(
        body_id=body_id,
        state=REGISTERED,
        limit_days=days,
        due_on=limits.due_on(values["received_on"], days),
        **values,
        **extra,
    )
    db.session.add(message)
    db.session.flush()
    return message


def register(user, given: NewMessage) -> InteractionMessage:
    """The office enters a message taken offline (热线, 信件, 意见箱, 来访, 政务公开日)."""
    if not may.can_register_messages(user):
        raise PermissionDenied("只有党政办公室的信息公开工作人员可以登记留言")
    values = checked(given, STAFF_CHANNELS)
    if values["channel"] == OPEN_DAY:
        event = db.session.get(InteractionEvent, values["event_id"] or 0)
        if event is None or event.body_id != user.body_id:
            raise InvalidInput("请选择收到留言的政务公开日活动", "event_id")
        values["received_on"] = event.held_on
    else:
        values["event_id"] = None
    message = open_message(user.body_id, values, registered_by_id=user.id)
    audit.record(
        REGISTERED_ACTION,
        actor=user,
        to_state=REGISTERED,
        detail={
            **reference(message),
            "channel": message.channel,
            "received_on": message.received_on.isoformat(),
            "due_on": message.due_on.isoformat(),
        },
    )
    return message


def record_view(user, message: InteractionMessage) -> None:
    """Every staff read of a message's page is audited, as a request's (the page shows the
    sender's name and contact details): who read which message."""
    if not may.can_view_message(user, message):
        raise NotFound("留言不存在")
    audit.record(VIEWED, actor=user, detail={**reference(message), "state": message.state})


def departments_of(body_id: int) -> list[Department]:
    return list(
        db.session.scalars(
            select(Department).where(Department.body_id == body_id).order_by(Department.position)
        )
    )


def assign(user, message: InteractionMessage, seen, department_id: int | None) -> None:
    """分办: the office gives the message to the department that answers it (again, after a
    reopening or a return)."""
    guard(may.can_manage_message(user, message))
    if message.state not in ASSIGNABLE_STATES:
        raise Conflict("该留言当前不能分办")
    department = db.session.get(Department, department_id) if department_id else None
    if department is None or department.body_id != message.body_id:
        raise InvalidInput("请选择承办部门", "department_id")
    before = message.state
    with changing(message, seen):
        message.department = department
        message.state = ASSIGNED
        message.updated_at = clock.utcnow()
    audit.record(
        ASSIGNED_ACTION,
        actor=user,
        from_state=before,
        to_state=ASSIGNED,
        detail={**reference(message), "department": department.name},
    )


def transfer(user, message: InteractionMessage, seen, to_body: str, note: str) -> None:
    """转办: the message belongs to another body; the note tells the sender where it went."""
    guard(may.can_manage_message(user, message))
    if message.state not in ASSIGNABLE_STATES:
        raise Conflict("该留言当前不能转办")
    to_body = trimmed(to_body, "to_body", NAME_MAX)
    if not to_body:
        raise InvalidInput("请填写转办的机关", "to_body")
    note = trimmed(note, "note", NOTE_MAX)
    if not note:
        raise InvalidInput("请填写给留言人的转办说明", "note")
    before = message.state
    with changing(message, seen):
        message.transferred_to, message.transfer_note = to_body, note
        message.state = TRANSFERRED
        message.answered_on = clock.local_today()
        message.updated_at = clock.utcnow()
    audit.record(
        TRANSFERRED_ACTION,
        actor=user,
        from_state=before,
        to_state=TRANSFERRED,
        detail={**reference(message), "to_body": to_body},
    )


def submit_answer(user, message: InteractionMessage, seen, text: str) -> InteractionReply:
    """The department's officer writes the answer and sends it to the department's leader."""
    guard(may.can_draft_answer(user, message))
    text = trimmed(text, "text", TEXT_MAX)
    if not text:
        raise InvalidInput("请填写答复内容", "text")
    with changing(message, seen):
        reply = message.current_reply
        if reply is None or reply.approved_at is not None:
            reply = InteractionReply(round=message.round, text=text, drafted_by_id=user.id)
            message.replies.append(reply)
        reply.text, reply.drafted_by_id = text, user.id
        reply.leader_id = reply.office_id = reply.returned_reason = None
        reply.updated_at = clock.utcnow()
        message.state, message.review_step = REVIEWING, LEADER_STEP
        message.updated_at = clock.utcnow()
    audit.record(
        SUBMITTED,
        actor=user,
        from_state=ASSIGNED,
        to_state=REVIEWING,
        detail={**reference(message), "round": message.round},
    )
    return reply


def review(user, message: InteractionMessage, seen, approve: bool, reason: str | None) -> str:
    """The current review step decides: the leader's approval sends the answer to the office,
    the office's answers the message; a return (reason required) sends it back to the
    department. Returns the message's new state."""
    guard(may.may_review_answers_of(user, message))
    if message.state != REVIEWING:
        raise Conflict("该留言答复当前不在审核中")
    guard(may.can_review(user, message))
    reply, step = message.current_reply, message.review_step
    if not approve:
        reason = trimmed(reason, "reason", NOTE_MAX)
        if not reason:
            raise InvalidInput("退回须填写理由", "reason")
    with changing(message, seen):
        now = clock.utcnow()
        if not approve:
            reply.returned_reason = reason
            message.state, message.review_step = ASSIGNED, None
        elif step == LEADER_STEP:
            reply.leader_id = user.id
            message.review_step = OFFICE_STEP
        else:
            reply.office_id, reply.approved_at = user.id, now
            message.state, message.review_step = ANSWERED, None
            message.answered_on = clock.local_today()
        reply.updated_at = message.updated_at = now
    detail = {**reference(message), "round": message.round, "step": step}
    if not approve:
        audit.record(
            RETURNED,
            actor=user,
            from_state=REVIEWING,
            to_state=ASSIGNED,
            detail={**detail, "reason": reason},
        )
    elif message.state == ANSWERED:
        audit.record(
            ANSWERED_ACTION, actor=user, from_state=REVIEWING, to_state=ANSWERED, detail=detail
        )
    else:
        audit.record(APPROVED, actor=user, from_state=REVIEWING, to_state=REVIEWING, detail=detail)
    return message.state


def set_limits(user, body_id: int, days: dict[str, int | None]) -> dict:
    """The office's working days per category (blank: the default); audited before → after."""
    if not (may.can_keep_interaction(user) and user.body_id == body_id):
        raise PermissionDenied("只有本单位党政办公室的信息公开工作人员可以设置互动回应时限")
    before = limits.limits_of(body_id)
    for category, value in days.items():
        if category not in CATEGORIES:
            continue
        if value is not None and not 1 <= value <= MAX_LIMIT:
            raise InvalidInput("办理时限应为 1 到 %(n)s 个工作日", f"days_{category}", n=MAX_LIMIT)
        row = db.session.get(InteractionTimeLimit, (body_id, category))
        if value is None and row is not None:
            db.session.delete(row)
        elif value is not None and row is None:
            db.session.add(
                InteractionTimeLimit(body_id=body_id, category=category, working_days=value)
            )
        elif value is not None:
            row.working_days = value
    db.session.flush()
    after = limits.limits_of(body_id)
    if after != before:
        audit.record(LIMITS_SET, actor=user, detail={"before": before, "after": after})
    return after


def create_event(
    user,
    held_on: date | None,
    place: str,
    department_ids: list[int],
    people: int | None,
    note: str | None,
) -> InteractionEvent:
    """Record a 政务公开日: date, place, the departments present, people received."""
    if not may.can_keep_interaction(user):
        raise PermissionDenied("只有党政办公室的信息公开工作人员可以登记政务公开日活动")
    if held_on is None:
        raise InvalidInput("请填写活动日期", "held_on")
    if held_on > clock.local_today():
        raise InvalidInput("日期不能晚于今天", "held_on")
    place = trimmed(place, "place", CONTACT_MAX)
    if not place:
        raise InvalidInput("请填写活动地点", "place")
    if people is None or people < 0:
        raise InvalidInput("请填写接待群众人数", "people_received")
    present = [d for d in departments_of(user.body_id) if d.id in set(department_ids or ())]
    if not present:
        raise InvalidInput("请选择参加活动的部门", "department_ids")
    event = InteractionEvent(
        body_id=user.body_id,
        held_on=held_on,
        place=place,
        people_received=people,
        note=trimmed(note, "note", NOTE_MAX),
        created_by_id=user.id,
        departments=present,
    )
    db.session.add(event)
    db.session.flush()
    audit.record(
        EVENT_CREATED,
        actor=user,
        detail={
            "event_id": event.id,
            "held_on": held_on.isoformat(),
            "departments": [d.name for d in present],
            "people_received": people,
        },
    )
    return event
