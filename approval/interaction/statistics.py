"""互动回应 figures for a period, per department and for the body (issue 25, "Statistics"):
messages received, answered (on time / late), 转办, closed as invalid (无效留言, counted apart:
they are in "received" and in none of the others), still open (of them overdue), ratings and the
satisfaction rate ((满意 + 基本满意) / rated).

The same figures feed the annual report's 一、总体情况 (``year_sentence``, offered among its
ready sentences) and the monthly 通报 (``statistics/interaction_part.py``: per department).

A message counts in the period it was received; "on time" means every round was answered by its
due day: the first answer by the first due day (``clock.first_due_on``) and, when it was
reopened, the second by the reopened round's due day, so a late first answer stays late. A body has some hundreds
of messages a year: the period's rows are read once and counted here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from approval.core.clock import to_local
from approval.core.interaction_vocab import (
    ANSWERED,
    CONTENT_RATINGS,
    INVALID,
    OPEN_STATES,
    TRANSFERRED,
)
from approval.extensions import db
from approval.interaction.clock import first_due_on
from approval.models import InteractionMessage


@dataclass
class Figures:
    received: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0
    transferred: int = 0
    invalid: int = 0
    open: int = 0
    overdue: int = 0
    rated: int = 0
    content: int = 0
    ratings: dict[str, int] = field(default_factory=dict)

    @property
    def satisfaction(self) -> float | None:
        """The 满意率 in percent (two decimals), None when nothing was rated."""
        return round(100 * self.content / self.rated, 2) if self.rated else None

    def add(self, message: InteractionMessage, today: date) -> None:
        self.received += 1
        if message.state == ANSWERED:
            self.answered += 1
            if answered_in_time(message):
                self.on_time += 1
            else:
                self.late += 1
        elif message.state == TRANSFERRED:
            self.transferred += 1
        elif message.state == INVALID:
            self.invalid += 1
        elif message.state in OPEN_STATES:
            self.open += 1
            if message.due_on < today:
                self.overdue += 1
        for rating in message.ratings:
            self.rated += 1
            self.content += rating.rating in CONTENT_RATINGS
            self.ratings[rating.rating] = self.ratings.get(rating.rating, 0) + 1


def answered_in_time(message: InteractionMessage) -> bool:
    """Each round's answer on or before that round's due day."""
    if message.answered_on is None or message.answered_on > message.due_on:
        return False
    if not message.reopened_count:
        return True
    first = next((r for r in message.replies if r.round == 1 and r.approved_at), None)
    return first is not None and to_local(first.approved_at).date() <= first_due_on(message)


@dataclass
class Report:
    start: date
    end: date
    total: Figures
    departments: list[tuple[str, Figures]]
    by_department_id: dict[int | None, Figures] = field(default_factory=dict)


def report(body_id: int, start: date, end: date, today: date) -> Report:
    found = db.session.scalars(
        select(InteractionMessage)
        .where(
            InteractionMessage.body_id == body_id,
            InteractionMessage.received_on >= start,
            InteractionMessage.received_on <= end,
        )
        .options(
            joinedload(InteractionMessage.department),
            selectinload(InteractionMessage.ratings),
            selectinload(InteractionMessage.replies),
        )
    ).all()
    total, per, by_id = Figures(), {}, {}
    for message in found:
        total.add(message, today)
        name = message.department.name if message.department else ""
        per.setdefault(name, Figures()).add(message, today)
        by_id.setdefault(message.department_id, Figures()).add(message, today)
    departments = sorted(per.items(), key=lambda kv: (kv[0] == "", kv[0]))
    return Report(start, end, total, departments, by_id)


def percent_text(value: float | None) -> str:
    """66.67 → "66.67%", 100.0 → "100%"; None → "—"."""
    return "—" if value is None else f"{value:g}%"


def year_sentence(body_id: int, year: int, today: date) -> str:
    """The sentence offered for the annual report's 一、总体情况, in the report's language
    (Chinese) whatever the user's: the year's messages by the day received."""
    f = report(body_id, date(year, 1, 1), date(year, 12, 31), today).total
    text = f"全年共收到群众留言{f.received}件，已答复{f.answered}件，其中按期答复{f.on_time}件"
    if f.transferred:
        text += f"，转有关机关办理{f.transferred}件"
    if f.invalid:
        text += f"，作无效留言处理{f.invalid}件"
    if f.open:
        text += f"，正在办理{f.open}件"
    if f.satisfaction is not None:
        text += f"；留言人评价{f.rated}次，满意率{percent_text(f.satisfaction)}"
    return text + "。"
