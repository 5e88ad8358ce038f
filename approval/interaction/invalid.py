"""Closing a message as invalid (无效留言: spam, abuse, advertising, no content) and reopening
it when it was closed by mistake; both the office's, audited.

An invalid message is closed: it leaves the register's deadline badges, the overdue board and
the three-month count (国办秘函〔2019〕19号 counts *valid* messages left unanswered), never reaches
the portal's 问答 list, and its sender's tracker says 已作无效处理 with the reason (which is
why the reason is required, and written for the sender to read). Reopening puts it back in the
state it was closed from, with its due day as it was (the clock never stopped for a message
that was valid all along)."""

from __future__ import annotations

from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput
from approval.core.interaction_vocab import CLOSABLE_AS_INVALID, INVALID
from approval.interaction.common import guard, reference, trimmed
from approval.models import InteractionMessage
from approval.models.interaction import NOTE_MAX
from approval.permissions import interaction as may
from approval.platform.guards import changing

CLOSED_INVALID, INVALID_REOPENED = "message_closed_invalid", "message_invalid_reopened"


def close_invalid(user, message: InteractionMessage, seen, reason: str | None) -> None:
    """The office closes an open message as invalid; the reason is shown to the sender."""
    guard(may.can_manage_message(user, message))
    if message.state not in CLOSABLE_AS_INVALID:
        raise Conflict("该留言当前不能作无效处理")
    reason = trimmed(reason, "reason", NOTE_MAX)
    if not reason:
        raise InvalidInput("请填写作无效处理的理由（留言人查询时可以看到）", "reason")
    before = message.state
    with changing(message, seen):
        message.invalid_from, message.invalid_reason = before, reason
        message.invalid_on = clock.local_today()
        message.state = INVALID
        message.updated_at = clock.utcnow()
    audit.record(
        CLOSED_INVALID,
        actor=user,
        from_state=before,
        to_state=INVALID,
        detail={**reference(message), "reason": reason},
    )


def reopen_invalid(user, message: InteractionMessage, seen) -> str:
    """The office takes back an invalid closing: the message returns to the state it was closed
    from. Returns that state."""
    guard(may.can_manage_message(user, message))
    if message.state != INVALID or not message.invalid_from:
        raise Conflict("该留言未作无效处理")
    back_to = message.invalid_from
    with changing(message, seen):
        message.state = back_to
        message.invalid_from = message.invalid_reason = message.invalid_on = None
        message.updated_at = clock.utcnow()
    audit.record(
        INVALID_REOPENED,
        actor=user,
        from_state=INVALID,
        to_state=back_to,
        detail=reference(message),
    )
    return back_to
