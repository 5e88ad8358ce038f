"""Keyset paging (never a deep OFFSET): a page ends with the cursor ``<time>_<id>`` of its last
row, and the next page starts below it."""

from __future__ import annotations

from datetime import datetime

from approval.platform.routing import db_id


def cursor_of(item, column: str) -> str:
    return f"{getattr(item, column).isoformat()}_{item.id}"


def parse_cursor(raw: str | None) -> tuple[datetime, int] | None:
    if not raw:
        return None
    try:
        stamp, _, ident = raw.rpartition("_")
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is not None:  # stored times are naive UTC: an offset would shift the page
        return None
    try:
        return moment, db_id(ident)
    except ValueError:
        return None
