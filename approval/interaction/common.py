"""What every 互动回应 operation shares: the permission guard, what the audit trail names of a
message (never the sender), trimming a typed value to its column, and the portal's actor name."""

from __future__ import annotations

from approval.core.errors import InvalidInput, PermissionDenied
from approval.models import InteractionMessage

PORTAL_ACTOR = "portal"


def guard(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("您没有办理该留言的权限")


def reference(message: InteractionMessage) -> dict:
    """What the audit trail says about a message: never the sender."""
    return {"message_id": message.id, "category": message.category}


def trimmed(value, field: str, maximum: int) -> str | None:
    value = (value or "").strip()
    if len(value) > maximum:
        raise InvalidInput("内容过长，最多 %(n)s 字", field, n=maximum)
    return value or None
