"""The sender's rating of an answer (满意 / 基本满意 / 不满意, through the 查询码): once per round,
within ``rating_days`` of the answer; 不满意 of the first answer reopens the message once."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app

from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput
from approval.core.interaction_vocab import (
    ANSWERED,
    CONTENT_RATINGS,
    DISSATISFIED,
    RATING_DAYS,
    RATINGS,
    REOPENED,
)
from approval.interaction import clock as limits
from approval.interaction.common import PORTAL_ACTOR, reference, trimmed
from approval.models import InteractionMessage, InteractionRating
from approval.models.interaction import NOTE_MAX
from approval.platform.guards import changing

RATED, REOPENED_ACTION = "message_rated", "message_reopened"


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
