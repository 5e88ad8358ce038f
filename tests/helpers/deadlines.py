"""The deadlines tests' calendar (tests/test_deadlines.py explains the hand-computed dates): the
pages, "today", drafts formed on a given day and the row an item has in a list."""

from __future__ import annotations

import re
from datetime import date

from approval.models import Item

TODAY = "2026-10-12 10:00"  # Beijing time: a Monday
BOARD, LIMITS = "/office/deadlines/", "/office/deadlines/limits"


def draft(world, formed: str, author: str = "officer", title: str | None = None) -> Item:
    """A draft of ``author`` with 成文日期 ``formed`` ("2026-09-10")."""
    return world.item(
        author, formed_on=date.fromisoformat(formed), title=title or f"成文于{formed}的通知"
    )


def item_row(html: str, title: str) -> str:
    """The inner HTML of the list row (``<li class="item-row">``) holding ``title``."""
    match = re.search(
        r'<li class="item-row">((?:(?!</li>).)*' + re.escape(title) + r"(?:(?!</li>).)*)</li>",
        html,
        re.S,
    )
    assert match, f"no row for {title}"
    return match.group(1)
