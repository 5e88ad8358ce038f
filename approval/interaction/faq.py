"""The office's 常见问题 (FAQ) on the portal's 问答 page: added from an answered message whose
sender allowed publication, edited (version-checked: two editors never overwrite each other
silently), moved up and down (the portal shows them in ``position`` order) and deleted. Every
change is audited; the entries are public text, so the trail names the entry, not the sender."""

from __future__ import annotations

from sqlalchemy import func, select

from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from approval.extensions import db
from approval.interaction.common import guard, reference, trimmed
from approval.models import InteractionFaq, InteractionMessage
from approval.models.interaction import TEXT_MAX
from approval.permissions import interaction as may
from approval.platform.guards import changing, guard_version

FAQ_ADDED, FAQ_REMOVED = "interaction_faq_added", "interaction_faq_removed"
FAQ_EDITED, FAQ_MOVED = "interaction_faq_edited", "interaction_faq_moved"
UP, DOWN = "up", "down"


def ordered(body_id: int, *, for_update: bool = False) -> list[InteractionFaq]:
    """The body's entries as the portal shows them."""
    query = (
        select(InteractionFaq)
        .where(InteractionFaq.body_id == body_id)
        .order_by(InteractionFaq.position, InteractionFaq.id)
    )
    if for_update:
        query = query.with_for_update()
    return list(db.session.scalars(query))


def _texts(question, answer) -> tuple[str, str]:
    question = trimmed(question, "question", TEXT_MAX)
    if not question:
        raise InvalidInput("请填写问题", "question")
    answer = trimmed(answer, "answer", TEXT_MAX)
    if not answer:
        raise InvalidInput("请填写解答", "answer")
    return question, answer


def _keeps(user, faq: InteractionFaq) -> None:
    if not (may.can_keep_interaction(user) and user.body_id == faq.body_id):
        raise NotFound("常见问题不存在")


def add_faq(user, message: InteractionMessage, question: str, answer: str) -> InteractionFaq:
    """The office puts an answered message into the 常见问题, in words it chooses (no sender),
    as the last entry. Only a message whose sender allowed publication; one question once per
    message."""
    guard(may.can_manage_message(user, message))
    if not message.may_publish:
        raise PermissionDenied("留言人不同意公开该留言，不能加入常见问题")
    guard(may.can_add_to_faq(user, message))
    question, answer = _texts(question, answer)
    same = db.session.scalar(
        select(InteractionFaq.id).where(
            InteractionFaq.message_id == message.id, InteractionFaq.question == question
        )
    )
    if same is not None:
        raise Conflict("该留言的这个问题已在常见问题中")
    last = db.session.scalar(
        select(func.max(InteractionFaq.position)).where(InteractionFaq.body_id == message.body_id)
    )
    faq = InteractionFaq(
        body_id=message.body_id,
        question=question,
        answer=answer,
        message_id=message.id,
        position=(last or 0) + 1,
        created_by_id=user.id,
    )
    db.session.add(faq)
    db.session.flush()
    audit.record(FAQ_ADDED, actor=user, detail={"faq_id": faq.id, **reference(message)})
    return faq


def edit_faq(user, faq: InteractionFaq, seen, question: str, answer: str) -> bool:
    """The office rewrites an entry. ``seen``: the version the form showed; a stale one is a
    Conflict and changes nothing. Returns whether anything changed (only a change is audited)."""
    _keeps(user, faq)
    question, answer = _texts(question, answer)
    changed = [
        name
        for name, value in (("question", question), ("answer", answer))
        if getattr(faq, name) != value
    ]
    if not changed:
        guard_version(faq, seen)
        return False
    with changing(faq, seen):
        faq.question, faq.answer = question, answer
        faq.updated_at = clock.utcnow()
    audit.record(
        FAQ_EDITED,
        actor=user,
        detail={"faq_id": faq.id, "message_id": faq.message_id, "changed": changed},
    )
    return True


def move_faq(user, faq: InteractionFaq, seen, direction: str) -> bool:
    """Swap an entry with the one above (``UP``) or below (``DOWN``); the body's entries are
    locked and numbered 1..n, so only rows whose place changed are written. Returns False when
    the entry is already first (last)."""
    _keeps(user, faq)
    if direction not in (UP, DOWN):
        raise InvalidInput("请选择上移或下移", "direction")
    entries = ordered(faq.body_id, for_update=True)
    at = entries.index(faq)
    to = at - 1 if direction == UP else at + 1
    if not 0 <= to < len(entries):
        guard_version(faq, seen)
        return False
    entries[at], entries[to] = entries[to], entries[at]
    with changing(faq, seen):
        for place, entry in enumerate(entries, start=1):
            if entry.position != place:
                entry.position = place
    audit.record(
        FAQ_MOVED,
        actor=user,
        detail={"faq_id": faq.id, "from": at + 1, "to": to + 1},
    )
    return True


def remove_faq(user, faq: InteractionFaq) -> None:
    _keeps(user, faq)
    audit.record(FAQ_REMOVED, actor=user, detail={"faq_id": faq.id, "message_id": faq.message_id})
    db.session.delete(faq)
    db.session.flush()
