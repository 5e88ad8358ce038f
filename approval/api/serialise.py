"""Published items as JSON: the 信息公开要素 exactly as the portal page shows them.

Every shape here has a schema of the same name in openapi.py; tests validate real responses
against the document, so a field added here and not there fails the build.
"""

from __future__ import annotations

import re

from approval.core.clock import to_local
from approval.core.rich_text import sanitize
from approval.core.vocab import INFO_TYPES, VALIDITY
from approval.models import Body, Category, Item
from approval.platform.urls import external_url
from approval.publication import amendments

KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；]+")


def timestamp(value) -> str:
    """RFC 3339 in the body's time zone (+08:00 for Asia/Shanghai)."""
    return to_local(value).isoformat(timespec="seconds")


def _coded(code: str, labels: dict) -> dict:
    return {"code": code, "label": labels.get(code, code)}


def item_summary(item: Item, category: Category | None) -> dict:
    """One row of a list: the attributes, without the text and the attachments."""
    revision = item.published_revision
    return {
        "id": item.id,
        "index_number": item.index_number,
        "title": revision.title,
        "summary": revision.summary,
        "publisher": item.department.name,
        "category": {"code": category.code, "name": category.name} if category else None,
        "info_type": _coded(revision.info_type, INFO_TYPES),
        "document_number": revision.document_number or None,
        "formed_on": revision.formed_on.isoformat(),
        "published_at": timestamp(item.published_at),
        # when a 修订 last replaced the public version (None: never revised)
        "revised_at": timestamp(item.revised_at) if item.revised_at else None,
        "validity": _coded(item.validity, VALIDITY),
        "url": external_url("portal.item", item_id=item.id),
        "api_url": external_url("api.item", item_id=item.id),
    }


def item_detail(item: Item, body: Body) -> dict:
    revision = item.published_revision
    return {
        **item_summary(item, item.category),
        "body": revision.body,
        # the rich 正文 (core/rich_text.py), sanitized again on the way out; None: plain text
        "body_html": sanitize(revision.body_html) if revision.body_html else None,
        "body_id": body.id,
        "body_name": body.name,
        "keywords": [k for k in KEYWORD_SEPARATORS.split(revision.keywords or "") if k],
        "versions": [  # 修订记录, the first publication first
            {"number": v.number, "published_at": timestamp(v.published_at), "note": v.note}
            for v in amendments.versions(item)
        ],
        "attachments": [
            {
                "name": a.shown_name,  # the public name the author gave it
                "filename": a.filename,
                "size": a.size,
                "content_type": a.content_type,
                "sha256": a.sha256,
                "url": external_url("portal.download", item_id=item.id, attachment_id=a.id),
            }
            for a in revision.attachments
        ],
    }


def withdrawal(item: Item, message: str) -> dict:
    """The public notice of a withdrawn (撤稿) item, as its portal page shows it."""
    return {
        "error": message,
        "id": item.id,
        "index_number": item.index_number,
        "title": item.published_revision.title,
        "unpublished_at": timestamp(item.unpublished_at),
        "reason": item.unpublish_reason or "",
        "url": external_url("portal.item", item_id=item.id),
    }
