"""送审: the report becomes an item of the general office — a draft in the fixed catalog category
政府信息公开年报, its text as the body and the .docx as its attachment — which the office's
信息员 then submits; it walks the body's chain as any item and is published on the portal.

Sending again while that item is still a draft (never submitted, or returned) updates it: the
new text, the new .docx in place of the old. Once submitted, the report's item is the chain's.
Refused while a cross-check fails, each failure named. The .docx is stored (and its text read
for the secrecy pre-check) before the write transaction, as an upload is (``prepare``)."""

from __future__ import annotations

import hashlib
from io import BytesIO

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from approval.annual_reports import docx, layout, view
from approval.annual_reports.check_texts import check_text
from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, PermissionDenied
from approval.core.workflow import DRAFT
from approval.extensions import db
from approval.models import AnnualReport, Category, Item
from approval.models.annual_reports import ANNUAL_REPORT_CATEGORY
from approval.permissions import annual_reports as may
from approval.platform import storage
from approval.platform.guards import changing
from approval.publication import drafts

SENT = "annual_report_sent"
TABLE_PLACEHOLDER = "（见下表及附件）"  # in the 正文 where a table is: the page shows it below
INFO_TYPE = "other"  # 信息类别: the report is none of the categories it counts


def report_category(body_id: int) -> Category:
    """The body's 政府信息公开年报 category (migration 0018 made it for every body then; a body
    made since without it gets it here, last among its top level)."""
    code, name = ANNUAL_REPORT_CATEGORY
    found = db.session.scalar(
        select(Category).where(Category.body_id == body_id, Category.code == code)
    )
    if found is None:
        last = db.session.scalar(
            select(func.max(Category.position)).where(Category.body_id == body_id)
        )
        found = Category(body_id=body_id, code=code, name=name, position=(last or 0) + 1)
        db.session.add(found)
        db.session.flush()
    return found


def _guard(user, body_id: int, year: int) -> view.ReportView:
    if not may.can_send_annual_report(user, body_id):
        raise PermissionDenied("只有党政办公室的信息员可以将年度报告送审")
    shown = view.build(body_id, year)
    if shown.report is None:
        raise Conflict("请先保存年度报告，再送审")
    if shown.checks:
        failures = "；".join(check_text(c) for c in shown.checks)
        raise Conflict("勾稽关系不成立，不能送审：%(failures)s", failures=failures)
    item = shown.report.item
    if item is not None and item.state != DRAFT:
        raise Conflict("该年度报告已送审，正在审批或已发布，不能再更新")
    return shown


def prepare(user, body_id: int, year: int):
    """Check and store the .docx (no write yet): the stored file, to pass to ``send``."""
    shown = _guard(user, body_id, year)
    title = layout.TITLE % {"body": shown.body_name, "year": year}
    upload = FileStorage(
        BytesIO(docx.build(shown)), filename=f"{title}.docx", content_type=docx.MIMETYPE
    )
    return storage.store(upload)


def _body(shown: view.ReportView) -> str:
    """The item's 正文: the six sections, the tables named as in the attachment."""
    parts = []
    for key, heading in layout.SECTIONS.items():
        text = shown.texts[key] if key in shown.texts else TABLE_PLACEHOLDER
        parts.append(f"{heading}\n{text}".strip())
    return "\n\n".join(parts)


def send(user, body_id: int, year: int, report: AnnualReport, seen, stored) -> Item:
    """Make or update the report's draft in the general office with ``stored`` (``prepare``)."""
    shown = _guard(user, body_id, year)
    with changing(report, seen):
        title = layout.TITLE % {"body": shown.body_name, "year": year}
        data = {
            "title": title,
            "summary": title,
            "body": _body(shown),
            "category_id": report_category(body_id).id,
            "info_type": INFO_TYPE,
            "document_number": "",
            "formed_on": clock.local_today(),
            "disclosure_mode": "proactive",
            "non_disclosure_basis": None,
            "channels": "website",
            "keywords": "政府信息公开 年度报告",
        }
        item = report.item
        if item is None:
            item = drafts.create_item(user, user.department_id, data)
        else:
            drafts.update_draft(user, item, data, item.version)
            for old in list(item.current_revision.attachments):
                drafts.remove_attachment(user, item, old.id, item.version)
        drafts.add_attachment(user, item, stored, item.version)
        report.item_id = item.id
        report.sent_tables = layout.grids_to_json(shown.grids)
        report.updated_at = clock.utcnow()
    audit.record(
        SENT,
        actor=user,
        item=item,
        detail={
            "report_id": report.id,
            "year": year,
            "docx_sha256": stored.sha256,
            "tables_sha256": hashlib.sha256(report.sent_tables.encode()).hexdigest(),
        },
    )
    return item
