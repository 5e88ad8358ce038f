"""Who may open the staff lists of finished work (issue 27): 已办, the published items, every item
of the body. Which rows each list shows is ``publication/finished.py``'s SQL, and every row is
still one the user may see (``permissions.can_view_item``)."""

from __future__ import annotations

from approval.core.roles import DECISION_ROLES, Role
from approval.permissions import _is_business_user


def can_see_done(user) -> bool:
    """已办: everyone who decides at a step of the chain or publishes."""
    return _is_business_user(user) and bool(user.roles & (DECISION_ROLES | {Role.PUBLISHER}))


def can_list_published(user) -> bool:
    """The body's published items: its publishers and its office (办公室审核)."""
    return _is_business_user(user) and (
        user.has_role(Role.PUBLISHER) or user.has_role(Role.OFFICE_AUDITOR)
    )


def can_list_body_items(user) -> bool:
    """Every item of the body (once submitted: drafts stay in their department): the office."""
    return _is_business_user(user) and user.has_role(Role.OFFICE_AUDITOR)
