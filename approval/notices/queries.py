"""Reads of the 公示 capability: the 公示 due for a take-down, an item's objections."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from approval.core.workflow import PUBLISHED
from approval.extensions import db
from approval.models import Item, NoticeObjection, Revision


def due_item_ids(today: date, retention_days: int) -> list[int]:
    """Published 公示 whose personal data is still online although the day after the end of their
    公示期 plus the retention has come (core/notices.py ``is_due``)."""
    last_end = today - timedelta(days=max(retention_days, 0) + 1)
    return list(
        db.session.scalars(
            select(Item.id)
            .join(Revision, Revision.id == Item.published_revision_id)
            .where(
                Item.state == PUBLISHED,
                Item.notice_taken_down_at.is_(None),
                Revision.notice_ends_on.is_not(None),
                Revision.notice_ends_on <= last_end,
            )
            .order_by(Revision.notice_ends_on, Item.id)
        )
    )


def objections_of(item: Item) -> list[NoticeObjection]:
    return list(
        db.session.scalars(
            select(NoticeObjection)
            .where(NoticeObjection.item_id == item.id)
            .options(
                joinedload(NoticeObjection.recorded_by), joinedload(NoticeObjection.handled_by)
            )
            .order_by(NoticeObjection.received_on, NoticeObjection.id)
        )
    )
