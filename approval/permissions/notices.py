"""Who may see and do what about a 公示 (approval/notices): deny by default.

An objection (异议) to a 公示 often names the person who objected and the family concerned, so
only two kinds of people log and handle them, as for requests (``permissions.requests``):

- **the item's department**: its 信息员 (who wrote the 公示 and answer for it);
- **the office** (``is_request_office``: the general office's 办公室审核 and 发布员 and the leaders
  who lead the general office), for every 公示 of its body.

Both log objections while the item is published; the handling of one already logged may be
recorded later too (the item may have been withdrawn since). The page of a 公示 (its objections
and, after the take-down, the original as it was published) is theirs, and of whoever may see
the item (``can_view_item``: the chain's deciders, the publisher).
"""

from __future__ import annotations

from approval.core.workflow import PUBLISHED
from approval.permissions import _is_business_user, can_view_item, is_department_officer
from approval.permissions.requests import is_request_office


def is_notice(item) -> bool:
    """The item was published as a 公示 (its public revision, or the original one the take-down
    replaced, carries a 公示期)."""
    revision = item.notice_original_revision or item.published_revision
    return revision is not None and revision.notice_ends_on is not None


def _handles(user, item) -> bool:
    if not _is_business_user(user) or user.body_id != item.body_id:
        return False
    return is_department_officer(user, item) or is_request_office(user)


def can_view_notice(user, item) -> bool:
    return is_notice(item) and (_handles(user, item) or can_view_item(user, item))


def can_log_objection(user, item) -> bool:
    return item.state == PUBLISHED and is_notice(item) and _handles(user, item)


def can_handle_objection(user, objection) -> bool:
    return is_notice(objection.item) and _handles(user, objection.item)
