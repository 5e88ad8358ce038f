"""The state changes of 互动回应. Each one: guard permission → guard state → guard version
(``guards.changing``) → mutate → ``audit.record`` → flush; never commit.

The audit entries name the message (id, category, channel) and what changed, never the sender's
name or contact details (the audit admin reads the trail; the sender's data is for the people
handling the message).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from approval.core.interaction_vocab import (
    ANSWERED,
    ASSIGNABLE_STATES,
    ASSIGNED,
    CATEGORIES,
    CONTENT_RATINGS,
    DISSATISFIED,
    LEADER_STEP,
    MAX_LIMIT,
    OFFICE_STEP,
    OPEN_DAY,
    RATING_DAYS,
    RATINGS,
    REGISTERED,
    REOPENED,
    REVIEWING,
    STAFF_CHANNELS,
    TRANSFERRED,
)
from approval.extensions import db
from approval.interaction import clock as limits
from approval.models import (
    Department,
    InteractionEvent,
    InteractionFaq,
    InteractionMessage,
    InteractionRating,
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
ANSWERED_ACTION, RATED, REOPENED_ACTION = "message_answered", "message_rated", "message_reopened"
LIMITS_SET = "interaction_limits_set"
EVENT_CREATED = "interaction_event_created"
FAQ_ADDED, FAQ_REMOVED = "interaction_faq_added", "interaction_faq_removed"
PORTAL_ACTOR = "portal"


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


def guard(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("您没有办理该留言的权限")


def reference(message: InteractionMessage) -> dict:
    """What the audit trail says about a message: never the sender."""
    return {"message_id": message.id, "category": message.category}


def trimmed(value, field: str, maximum: int) -> str | None:
    value = (value or "").strip()
    if len(value) > maximum:
        raise InvalidInput("内容过长，最多 %(n)s 字", field, n=maximum)
    return value or None


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


def rating_days() -> int:
    """Calendar days after an answer within which its sender may rate it."""
    return int(current_app.config.get("INTERACTION_RATING_DAYS") or RATING_DAYS)


def rating_closes_on(message: InteractionMessage) -> date | None:
    """The last day the sender may rate the current answer (None: not answered)."""
    if message.answered_on is None:
        return None
    return message.answered_on + timedelta(days=rating_days())


def rate(message: InteractionMessage, seen, rating: str, comment: str | None) -> bool:
    """The sender rates the answer of the current round (through the 查询码; once per round,
    within ``rating_days`` of the answer). 不满意 of the first answer reopens the message for
    the office, once, with a new due day counted from today with the working days it was opened
    with (``limit_days`` is kept, so the first round's due day can still be told: statistics).
    Returns whether it reopened."""
    if message.state != ANSWERED or message.answer is None:
        raise Conflict("该留言尚未答复，不能评价")
    if rating not in RATINGS:
        raise InvalidInput("请选择满意、基本满意或不满意", "rating")
    if message.rating_of(message.round) is not None:
        raise Conflict("您已评价过本次答复")
    today = clock.local_today()
    if today > rating_closes_on(message):
        raise Conflict("答复已超过 %(n)s 日，评价期已过", n=rating_days())
    comment = trimmed(comment, "comment", NOTE_MAX)
    reopen = rating == DISSATISFIED and message.reopened_count == 0
    with changing(message, seen):
        message.ratings.append(
            InteractionRating(round=message.round, rating=rating, comment=comment, rated_on=today)
        )
        if reopen:
            message.state = REOPENED
            message.reopened_count, message.reopened_on = 1, today
            message.due_on = limits.due_on(today, message.limit_days)
        message.updated_at = clock.utcnow()
    detail = {**reference(message), "round": message.round - (1 if reopen else 0)}
    audit.record(
        RATED,
        actor_username=PORTAL_ACTOR,
        body_id=message.body_id,
        detail={**detail, "rating": rating},
    )
    if reopen:
        audit.record(
            REOPENED_ACTION,
            actor_username=PORTAL_ACTOR,
            body_id=message.body_id,
            from_state=ANSWERED,
            to_state=REOPENED,
            detail={**reference(message), "due_on": message.due_on.isoformat()},
        )
    return reopen


def is_content(rating: str) -> bool:
    return rating in CONTENT_RATINGS


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


def add_faq(user, message: InteractionMessage, question: str, answer: str) -> InteractionFaq:
    """The office puts an answered message into the 常见问题, in words it chooses (no sender).
    Only a message whose sender allowed publication; one question once per message."""
    guard(may.can_manage_message(user, message))
    if not message.may_publish:
        raise PermissionDenied("留言人不同意公开该留言，不能加入常见问题")
    guard(may.can_add_to_faq(user, message))
    question = trimmed(question, "question", TEXT_MAX)
    if not question:
        raise InvalidInput("请填写问题", "question")
    answer = trimmed(answer, "answer", TEXT_MAX)
    if not answer:
        raise InvalidInput("请填写解答", "answer")
    same = db.session.scalar(
        select(InteractionFaq.id).where(
            InteractionFaq.message_id == message.id, InteractionFaq.question == question
        )
    )
    if same is not None:
        raise Conflict("该留言的这个问题已在常见问题中")
    faq = InteractionFaq(
        body_id=message.body_id,
        question=question,
        answer=answer,
        message_id=message.id,
        created_by_id=user.id,
    )
    db.session.add(faq)
    db.session.flush()
    audit.record(FAQ_ADDED, actor=user, detail={"faq_id": faq.id, **reference(message)})
    return faq


def remove_faq(user, faq: InteractionFaq) -> None:
    if not (may.can_keep_interaction(user) and user.body_id == faq.body_id):
        raise NotFound("常见问题不存在")
    audit.record(FAQ_REMOVED, actor=user, detail={"faq_id": faq.id, "message_id": faq.message_id})
    db.session.delete(faq)
    db.session.flush()
