"""The reply to a request (依申请公开, 条例 Art. 36): a document that walks the body's approval
chain as an item tied to the request (``items.request_id``): the department holding the
information drafts it (承办), its leader approves, the office audits, the secrecy reviewer signs
the 保密审查单, and the publisher signs and sends it (签发) instead of publishing it. The reply
reuses everything the chain has for items: sealed revisions, screening, one-click masking (Art.
37, 区分处理), returns with reasons, the audit trail. Nothing of a request reaches the portal.

The reply's type (``core.request_outcomes``) is part of the sealed content; sending the reply
closes the request as 已答复 with that outcome, the row of the annual report's table 三 it is
counted in. The chain's events (``publication.events.item_moved``) tie the two: a reply may
enter the chain only while its request is being handled, and is sent only when no pause is on.
"""

from __future__ import annotations

from sqlalchemy import select

from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.request_clock import OVERDUE
from approval.core.request_outcomes import row_of
from approval.core.request_vocab import ANSWERED, PROCESSING
from approval.core.workflow import PUBLISHED, Action
from approval.extensions import db
from approval.models import InformationRequest, Item
from approval.permissions import requests as may
from approval.platform.guards import changing
from approval.publication import drafts, events
from approval.requests.common import clock_of

REPLY_STARTED = "request_reply_started"
ANSWERED_ACTION = "request_answered"
REPLY_INFO_TYPE = "other"  # 信息类别: a reply is not one of the report's categories


def subscribe() -> None:
    events.item_moved.connect(_on_item_moved, weak=False)


def reply_title(info_request: InformationRequest) -> str:
    return f"关于{info_request.number}政府信息公开申请的答复"


def start_reply(user, info_request: InformationRequest, seen) -> Item:
    """The department's officer opens the reply's draft (one per request)."""
    if not may.can_draft_reply(user, info_request):
        raise PermissionDenied("只有承办科室的信息员可以起草答复")
    if info_request.state != PROCESSING:
        raise Conflict("只有办理中的申请可以起草答复")
    if info_request.reply is not None:
        raise Conflict("该申请已有答复稿")
    with changing(info_request, seen):
        item = drafts.create_item(
            user,
            info_request.department_id,
            {
                "title": reply_title(info_request),
                "summary": "",
                "body": "",
                "category_id": None,
                "info_type": REPLY_INFO_TYPE,
                "document_number": "",
                "formed_on": clock.local_today(),
                "disclosure_mode": "on_request",
                "non_disclosure_basis": None,
                "channels": "",
                "keywords": "",
                "reply_type": None,
            },
        )
        item.request_id = info_request.id
        info_request.updated_at = clock.utcnow()
    db.session.flush()
    audit.record(
        REPLY_STARTED,
        actor=user,
        detail={"request_id": info_request.id, "number": info_request.number, "item_id": item.id},
    )
    return item


def published_item_id(body_id: int, index_number: str | None) -> int | None:
    """The body's published item with this 索引号 (已主动公开: where the applicant finds it)."""
    index_number = (index_number or "").strip()
    if not index_number:
        return None
    return db.session.scalar(
        select(Item.id).where(
            Item.body_id == body_id, Item.index_number == index_number, Item.state == PUBLISHED
        )
    )


def update_reply(user, item: Item, data: dict, public_index: str | None, seen) -> list[str]:
    """Save the reply's draft: its text and type; the 索引号 of the published item for 已主动公开
    is resolved here (an unknown one is refused, naming the field)."""
    if item.request_id is None:
        raise InvalidInput("这不是依申请公开的答复")
    data = dict(data)
    if data.get("reply_type") == "already_public":
        data["reply_public_item_id"] = published_item_id(item.body_id, public_index)
        if data["reply_public_item_id"] is None:
            raise InvalidInput("请填写本机关已发布信息的索引号", "reply_public_index")
    return drafts.update_draft(user, item, data, seen)


def _on_item_moved(item: Item, *, action, actor, **_) -> None:
    if item.request_id is None:
        return
    info_request = db.session.get(InformationRequest, item.request_id)
    if action is Action.SUBMIT and info_request.state != PROCESSING:
        raise Conflict("该申请已不在办理中，答复不能提交")
    if action is Action.SEND:
        _answer(actor, info_request, item)


def _answer(user, info_request: InformationRequest, item: Item) -> None:
    """签发: the request is answered with the reply's type, on the body's local date."""
    if info_request.state != PROCESSING:
        raise Conflict("该申请已不在办理中，不能签发答复")
    if info_request.open_pause is not None:
        raise Conflict("该申请仍在暂停计时中，请先结束暂停再签发答复")
    outcome = item.current_revision.reply_type
    late = clock_of(info_request).state == OVERDUE
    info_request.state = ANSWERED
    info_request.outcome = outcome
    info_request.closed_on = clock.local_today()
    info_request.updated_at = clock.utcnow()
    audit.record(
        ANSWERED_ACTION,
        actor=user,
        from_state=PROCESSING,
        to_state=ANSWERED,
        detail={
            "request_id": info_request.id,
            "number": info_request.number,
            "item_id": item.id,
            "outcome": outcome,
            "row": row_of(outcome),
            "late": late,
        },
    )
