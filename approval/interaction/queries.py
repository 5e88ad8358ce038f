"""The read side of 互动回应: the staff register (filters, badges), the overdue board with its
count of messages open for more than three months, the public 问答 list (masked), and the
actions a message's page offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from approval.core.interaction_vocab import (
    ANSWERED,
    CATEGORIES,
    DUE_SOON,
    MESSAGE_STATES,
    OPEN_STATES,
)
from approval.core.screening import PERSONAL_DATA_KINDS, mask_text, screen
from approval.extensions import db
from approval.interaction.clock import Standing, due_on, stale_before, standing
from approval.models import Department, InteractionFaq, InteractionMessage
from approval.permissions import interaction as may
from approval.platform.paging import cursor_of, parse_cursor

LIST_SIZE = 100  # a page of the register (newest received first; keyset paging)
PUBLIC_SIZE = 30
LEVELS = ("overdue", "due_soon")


@dataclass
class Register:
    rows: list[tuple[InteractionMessage, Standing]]
    state: str | None
    category: str | None
    department_id: int | None
    level: str | None
    more: bool
    next_cursor: str | None = None  # the next page's ``after``: "<received_on>_<id>"
    after: str | None = None  # this page's (None: the first page)

    def query_args(self) -> dict:
        """The filters, for the links to other pages."""
        chosen = {
            "state": self.state,
            "category": self.category,
            "department": self.department_id,
            "level": self.level,
        }
        return {k: v for k, v in chosen.items() if v}


def parse_after(raw: str | None) -> tuple[date, int] | None:
    """A register cursor "<received_on>_<id>" (``platform.paging``'s form), or None."""
    after = parse_cursor(raw)
    if after is None or after[0].time() != time.min:
        return None
    return after[0].date(), after[1]


def register(
    user, today: date, *, state=None, category=None, department_id=None, level=None, after=None
):
    """One page of the messages ``user`` may see, newest received first, filtered in SQL; the
    next page starts below the cursor ``after`` (keyset on (received_on, id), never OFFSET)."""
    state = state if state in MESSAGE_STATES else None
    category = category if category in CATEGORIES else None
    level = level if level in LEVELS else None
    query = (
        select(InteractionMessage)
        .where(may.visible_messages(user))
        .options(joinedload(InteractionMessage.department))
        .order_by(InteractionMessage.received_on.desc(), InteractionMessage.id.desc())
    )
    if state:
        query = query.where(InteractionMessage.state == state)
    if category:
        query = query.where(InteractionMessage.category == category)
    if department_id:
        query = query.where(InteractionMessage.department_id == department_id)
    if level:
        query = query.where(InteractionMessage.state.in_(OPEN_STATES))
    if level == "overdue":
        query = query.where(InteractionMessage.due_on < today)
    if level == "due_soon":  # the same days as clock.standing's amber, in SQL (before LIMIT)
        query = query.where(
            InteractionMessage.due_on >= today, InteractionMessage.due_on < due_soon_until(today)
        )
    below = parse_after(after)
    if below:
        query = query.where(
            tuple_(InteractionMessage.received_on, InteractionMessage.id) < tuple_(*below)
        )
    found = list(db.session.scalars(query.limit(LIST_SIZE + 1)))
    more = len(found) > LIST_SIZE
    found = found[:LIST_SIZE]
    return Register(
        [(m, standing(m, today)) for m in found],
        state,
        category,
        department_id,
        level,
        more,
        cursor_of(found[-1], "received_on") if more else None,
        after if below else None,
    )


def due_soon_until(today: date) -> date:
    """Open messages due from ``today`` up to (not including) this day have ``DUE_SOON`` working
    days or fewer left: the (DUE_SOON + 1)-th working day after today."""
    return due_on(today, DUE_SOON + 1)


def started_on():
    """SQL: the day a message's current wait began: the day it reopened, else received."""
    return func.coalesce(InteractionMessage.reopened_on, InteractionMessage.received_on)


def waited_since(message: InteractionMessage) -> date:
    return message.reopened_on or message.received_on


@dataclass
class Board:
    """The messages past their due day, oldest first; ``stale``: those received more than three
    months ago (国办秘函〔2019〕19号), the figure that must be zero."""

    rows: list[tuple[InteractionMessage, Standing, bool]]  # (message, standing, is_stale)
    stale: int
    stale_before: date
    per_department: list[tuple[str, int]]


def overdue_board(user, today: date) -> Board:
    found = db.session.scalars(
        select(InteractionMessage)
        .where(
            may.visible_messages(user),
            InteractionMessage.state.in_(OPEN_STATES),
            InteractionMessage.due_on < today,
        )
        .options(joinedload(InteractionMessage.department))
        .order_by(InteractionMessage.received_on, InteractionMessage.id)
    ).all()
    cutoff = stale_before(today)
    counts: dict[str, int] = {}
    for m in found:
        name = m.department.name if m.department else ""
        counts[name] = counts.get(name, 0) + 1
    rows = [(m, standing(m, today), waited_since(m) < cutoff) for m in found]
    return Board(
        rows,
        sum(1 for row in rows if row[2]),
        cutoff,
        sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
    )


def stale_count(body_id: int, today: date) -> int:
    """Open messages of the body waiting more than three months: received (or, reopened,
    reopened) before ``stale_before``."""
    return db.session.scalar(
        select(func.count(InteractionMessage.id)).where(
            InteractionMessage.body_id == body_id,
            InteractionMessage.state.in_(OPEN_STATES),
            started_on() < stale_before(today),
        )
    )


def sender_values(message: InteractionMessage) -> list[str]:
    """The sender's own name, address, phone and e-mail as typed, longest first."""
    values = {
        (v or "").strip()
        for v in (message.sender_name, message.address, message.phone, message.email)
    }
    return sorted((v for v in values if v), key=len, reverse=True)


def hidden(value: str) -> str:
    """赵测试 → 赵**: the first character kept, the rest starred."""
    return value[0] + "*" * (len(value) - 1)


def masked(text: str | None, message: InteractionMessage | None = None) -> str:
    """``text`` as the public may read it: the sender's own name, address, phone and e-mail
    (``message``'s) starred wherever they occur, then every ID number, mobile, bank card and
    e-mail masked."""
    text = text or ""
    if message is not None:
        for value in sender_values(message):
            text = text.replace(value, hidden(value))
    return mask_text(text, [f for f in screen(text) if f.kind in PERSONAL_DATA_KINDS and f.masked])


def names_sender(message: InteractionMessage, text: str | None) -> bool:
    """Whether ``text`` contains the sender's name (the office is warned before approving)."""
    name = (message.sender_name or "").strip()
    return bool(name) and name in (text or "")


@dataclass(frozen=True)
class PublicQuestion:
    """One entry of the public 问答 list: nothing of the sender (no name, no contact)."""

    id: int
    subject: str
    category: str
    question: str
    answer: str
    received_on: date
    answered_on: date | None
    department: str | None


def public_questions(body_id: int, limit: int = PUBLIC_SIZE) -> list[PublicQuestion]:
    found = db.session.scalars(
        select(InteractionMessage)
        .where(
            InteractionMessage.body_id == body_id,
            InteractionMessage.state == ANSWERED,
            InteractionMessage.may_publish.is_(True),
        )
        .options(
            selectinload(InteractionMessage.replies),
            joinedload(InteractionMessage.department).load_only(Department.name),
        )
        .order_by(InteractionMessage.answered_on.desc(), InteractionMessage.id.desc())
        .limit(limit)
    ).all()
    return [
        PublicQuestion(
            m.id,
            masked(m.subject, m),
            m.category,
            masked(m.text, m),
            masked(m.answer.text if m.answer else "", m),
            m.received_on,
            m.answered_on,
            m.department.name if m.department else None,
        )
        for m in found
    ]


def faqs(body_id: int) -> list[InteractionFaq]:
    return list(
        db.session.scalars(
            select(InteractionFaq)
            .where(InteractionFaq.body_id == body_id)
            .order_by(InteractionFaq.position, InteractionFaq.id)
        )
    )


def offered(user, message: InteractionMessage) -> set[str]:
    """The action forms the message's page shows this user (the operations decide again)."""
    actions = set()
    if may.can_assign(user, message):
        actions.update(("assign", "transfer"))
    if may.can_draft_answer(user, message):
        actions.add("answer")
    if may.can_review(user, message):
        actions.add("review")
    if may.can_add_to_faq(user, message):
        actions.add("faq")
    if may.can_close_invalid(user, message):
        actions.add("invalid")
    if may.can_reopen_invalid(user, message):
        actions.add("reopen_invalid")
    return actions
