"""The 互动回应 panel of the staff home (待办): the open messages the user may see, the answers
waiting for the user's own review first (flagged 待我审核), then the most urgent (by due day),
with the register's badges. The inbox belongs to ``publication``, which may not import a
capability: the panel reaches it as a template global, as the request register's does
(requests/inbox.py)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from approval.core import clock
from approval.core.interaction_vocab import OPEN_STATES
from approval.extensions import db
from approval.interaction.clock import Standing, standing
from approval.interaction.routes import bp
from approval.models import InteractionMessage
from approval.permissions import interaction as may

SHOWN = 10


@dataclass
class Panel:
    rows: list[tuple[InteractionMessage, Standing, bool]]  # (message, standing, is_mine_to_review)
    total: int
    to_review: int  # the answers waiting for this user's review (待我审核)

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def open_messages(user, today, shown: int = SHOWN) -> Panel:
    found = db.session.scalars(
        select(InteractionMessage)
        .where(may.visible_messages(user), InteractionMessage.state.in_(OPEN_STATES))
        .options(
            joinedload(InteractionMessage.department), selectinload(InteractionMessage.replies)
        )
        .order_by(InteractionMessage.due_on, InteractionMessage.id)
    ).all()
    rows = [(m, standing(m, today), may.can_review(user, m)) for m in found]
    rows.sort(key=lambda row: not row[2])  # stable: the user's reviews first, then by due day
    return Panel(rows[:shown], len(rows), sum(1 for row in rows if row[2]))


@bp.app_template_global()
def message_inbox() -> Panel | None:
    if not may.can_open_messages(current_user):
        return None
    return open_messages(current_user, clock.local_today())
