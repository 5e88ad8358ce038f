"""The portal's 留言查询: the sender finds their message by its 查询码 and reads its state, the
answer, or the 转办 note; then rates the answer (``operations.rate``).

``find`` looks the message up by the code's hash within the body and compares it again in
constant time. ``public_view`` is all the tracker shows: the subject and text the sender wrote,
the public wording of the state, the due day, the approved answer (without the names of the
staff who wrote or approved it), the 转办 note, the reason of an invalid closing (已作无效处理), the ratings given, and the rating form until
``operations.rating_days`` after the answer (then a note that the period has passed). A lookup is the sender
reading their own message: it is not audited (the form is rate-limited: ``RATELIMIT_TRACKER``).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from approval.core.clock import local_today, to_local
from approval.core.interaction_vocab import (
    ANSWERED,
    ASSIGNED,
    INVALID,
    OPEN_STATES,
    REGISTERED,
    REOPENED,
    REVIEWING,
    TRANSFERRED,
)
from approval.core.msgids import N_
from approval.extensions import db
from approval.interaction.rating import rating_closes_on, rating_days
from approval.models import InteractionMessage
from approval.requests.intake import tracking_code_hash

PUBLIC_STATES = {
    REGISTERED: N_("已收到，正在办理"),
    ASSIGNED: N_("正在办理"),
    REVIEWING: N_("正在办理"),
    REOPENED: N_("正在重新办理"),
    ANSWERED: N_("已答复"),
    TRANSFERRED: N_("已转有关机关办理"),
    INVALID: N_("已作无效处理"),
}
NO_HASH = "0" * 64


def find(body_id: int, code: str | None) -> InteractionMessage | None:
    digest = tracking_code_hash(code)
    found = db.session.scalar(
        select(InteractionMessage).where(
            InteractionMessage.tracking_code_hash == digest,
            InteractionMessage.body_id == body_id,
        )
    )
    stored = found.tracking_code_hash if found is not None else NO_HASH
    return found if found is not None and hmac.compare_digest(stored, digest) else None


@dataclass(frozen=True)
class Answer:
    round: int
    text: str
    answered_on: date | None
    rating: str | None  # the code (interaction_vocab.RATINGS)


@dataclass(frozen=True)
class PublicView:
    subject: str
    category: str
    text: str
    received_on: date
    state: str  # the public wording (a msgid)
    due_on: date | None
    answers: list[Answer]
    transferred_to: str | None
    transfer_note: str | None
    invalid_reason: str | None  # closed as invalid (无效留言): the office's reason
    may_rate: bool
    rating_closed: bool  # answered, not rated, and the rating period (RATING_DAYS) is over
    rating_days: int
    version: int


def public_view(message: InteractionMessage) -> PublicView:
    answers = [
        Answer(
            r.round,
            r.text,
            to_local(r.approved_at).date(),
            (message.rating_of(r.round).rating if message.rating_of(r.round) else None),
        )
        for r in message.replies
        if r.approved_at is not None
    ]
    unrated = message.state == ANSWERED and message.rating_of(message.round) is None
    closes = rating_closes_on(message)
    closed = bool(unrated and closes is not None and local_today() > closes)
    return PublicView(
        subject=message.subject,
        category=message.category,
        text=message.text,
        received_on=message.received_on,
        state=PUBLIC_STATES.get(message.state, N_("正在办理")),
        due_on=message.due_on if message.state in OPEN_STATES else None,
        answers=answers,
        transferred_to=message.transferred_to,
        transfer_note=message.transfer_note,
        invalid_reason=message.invalid_reason if message.state == INVALID else None,
        may_rate=unrated and not closed,
        rating_closed=closed,
        rating_days=rating_days(),
        version=message.version,
    )
