"""Art. 44 of the 条例: information asked for again and again, by several applicants, that may be
disclosed is to be made public proactively. From a request's page, an information officer who
may see the request starts a proactive item as a draft of their own department, filled in from
the request; the request remembers it (``proactive_item_id``). The draft then walks the chain as
any other (its author completes the content, the category and the attachments)."""

from __future__ import annotations

from approval import permissions
from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, PermissionDenied
from approval.core.request_vocab import SUBMITTED
from approval.models import InformationRequest, Item
from approval.permissions import requests as may
from approval.platform.guards import changing
from approval.publication import drafts

MADE_PROACTIVE = "request_made_proactive"
TITLE_MAX = 200


def can_start(user, info_request: InformationRequest) -> bool:
    """Someone who sees the request and writes drafts for their own department."""
    return (
        may.can_view_request(user, info_request)
        and user.department_id is not None
        and permissions.can_create_in(user, user.department_id)
    )


def draft_title(info_request: InformationRequest) -> str:
    """The first line of what was asked for, as the draft's title."""
    first = (info_request.description or "").strip().splitlines()[0].strip()
    return first[:TITLE_MAX]


def start_proactive_item(user, info_request: InformationRequest, seen) -> Item:
    if not can_start(user, info_request):
        raise PermissionDenied("只有能查看本申请的信息员可以据此起草主动公开信息")
    if info_request.state == SUBMITTED:
        raise Conflict("请先确认收到该申请")
    if info_request.proactive_item_id is not None:
        raise Conflict("已据此申请起草过主动公开信息")
    with changing(info_request, seen):
        item = drafts.create_item(
            user,
            user.department_id,
            {
                "title": draft_title(info_request),
                "summary": "",
                "body": "",
                "category_id": None,
                "info_type": "other",
                "document_number": "",
                "formed_on": clock.local_today(),
                "disclosure_mode": "proactive",
                "non_disclosure_basis": None,
                "channels": "website",
                "keywords": "",
            },
        )
        info_request.proactive_item_id = item.id
        info_request.updated_at = clock.utcnow()
    audit.record(
        MADE_PROACTIVE,
        actor=user,
        detail={"request_id": info_request.id, "number": info_request.number, "item_id": item.id},
    )
    return item
