"""Who may start a 修订 (amendment) of a published item (publication/amendments.py): the item's
own department's officers, who write its drafts, and the publisher, who put it online. Once
started, the amendment is a draft of that department like any other (``can_edit``), and whoever
started it has had a hand in it, so may not publish it."""

from __future__ import annotations

from approval.core.roles import Role
from approval.core.workflow import PUBLISHED
from approval.permissions import _is_business_user, can_view_item, is_department_officer


def can_start_amendment(user, item) -> bool:
    if not _is_business_user(user) or user.body_id != item.body_id:
        return False
    if item.state != PUBLISHED or item.request_id is not None or item.amends_id is not None:
        return False
    return is_department_officer(user, item) or (
        user.has_role(Role.PUBLISHER) and can_view_item(user, item)
    )
