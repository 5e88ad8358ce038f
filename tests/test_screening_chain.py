"""The secrecy pre-check in the chain: findings stored at submission, shown in context, blocking
the sign-off until fixed or overridden with a reason that lands in the audit trail."""

import io
import re

import pytest
from docx import Document
from openpyxl import Workbook
from sqlalchemy import select

from approval.core.errors import InvalidInput
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, SensitiveWord
from approval.publication import drafts
from tests.factories import CLEAR_CHECKLIST
from tests.helpers.attachments import upload

ID = "11010519491231002X"  # a valid GB 11643 number (its check digit is X)


def _docx_with_id_in_a_table() -> bytes:
    document = Document()
    document.add_paragraph("2026年第四季度低保对象公示名单")
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ["姓名", "身份证号码", "保障人口"]):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ["张某某", ID, "3"]):
        cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx_with_phones() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "补贴名单"
    sheet.append(["姓名", "村组", "联系电话"])
    for i, phone in enumerate(["13812345678", "13987654321", "15011112222", "18633334444"]):
        sheet.append([f"村民{i}", "一组", phone])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sign_off(world, item, **extra):
    world.act(
        "secrecy", item, Action.SIGN_OFF, checklist=dict(CLEAR_CHECKLIST), opinion="已审查", **extra
    )


@pytest.mark.parametrize(
    "filename,data,kind,location",
    [
        ("低保公示.docx", _docx_with_id_in_a_table(), "resident_id", "表格1 第2行第2列"),
        ("补贴名单.xlsx", _xlsx_with_phones(), "mobile", "工作表“补贴名单” C2"),
    ],
)
def test_attachments_with_personal_data_block_the_sign_off_until_overridden(
    world, login_as, filename, data, kind, location
):
    item = world.item(body="附件为本季度名单，请审阅。")
    upload(login_as("officer"), item.id, filename, data)
    db.session.expire_all()
    world.to_state(item, "pending_secrecy")
    findings = [f for f in item.current_revision.findings if f.kind == kind]
    assert findings and all(f.severity == "high" for f in findings)
    assert findings[0].location == location and findings[0].attachment.filename == filename
    with pytest.raises(InvalidInput, match="须填写放行理由"):
        _sign_off(world, item)
    db.session.rollback()
    assert item.state == "pending_secrecy"
    _sign_off(world, item, override_reason="已与民政办核实，名单经本人同意公示")
    assert item.state == "approved"
    decision = item.decisions[-1]
    assert decision.override_reason == "已与民政办核实，名单经本人同意公示"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_off")).one()
    assert "已与民政办核实" in entry.detail and kind in entry.detail


def test_one_contact_number_is_noted_not_blocking(world):
    item = world.to_state(world.item(body="咨询电话：13812345678（民政办）"), "pending_secrecy")
    (finding,) = item.current_revision.findings
    assert (finding.kind, finding.severity, finding.masked) == ("mobile", "medium", "138****5678")
    _sign_off(world, item)
    assert item.state == "approved"


def test_the_body_list_of_sensitive_words_is_screened(world):
    db.session.add(
        SensitiveWord(
            body_id=world.body.id, word="拆迁补偿标准", category="征地拆迁", severity="medium"
        )
    )
    db.session.commit()
    item = world.to_state(world.item(body="本村拆迁补偿标准另行通知。"), "pending_leader")
    (finding,) = item.current_revision.findings
    assert (finding.kind, finding.matched, finding.field) == (
        "sensitive_word",
        "拆迁补偿标准",
        "body",
    )


def test_reviewers_see_the_finding_highlighted_in_the_body(world, login_as):
    item = world.to_state(
        world.item(body=f"困难户张某某，身份证号{ID}，享受低保。"), "pending_secrecy"
    )
    page = login_as("secrecy").get(f"/items/{item.id}").text
    assert f"<mark>{ID}</mark>" in page
    assert "110105********002X" in page  # the masked form to publish instead
    assert 'id="override_reason"' in page


def test_a_returned_author_masks_personal_data_in_one_click(world, login_as):
    item = world.item(body=f"困难户张某某，身份证号{ID}，电话13812345678。")
    world.act("officer", item, Action.SUBMIT)
    world.act("leader", item, Action.RETURN, opinion="请对个人信息脱敏")
    officer = login_as("officer")
    page = officer.get(f"/items/{item.id}")
    assert "一键脱敏" in page.text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    response = officer.client.post(
        f"/items/{item.id}/mask", data={"csrf_token": token, "version": str(item.version)}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert (
        item.current_revision.body == "困难户张某某，身份证号110105********002X，电话138****5678。"
    )
    assert item.current_revision.number == 2  # the reviewed revision stays as it was
    assert drafts.maskable(item.current_revision) == 0
    world.act("officer", item, Action.SUBMIT)
    assert item.current_revision.findings == []


def test_the_inbox_flags_items_with_high_risk_findings(world, login_as):
    item = world.to_state(world.item(body=f"身份证号{ID}"), "pending_secrecy")
    world.to_state(world.item(title="无风险的信息"), "pending_secrecy")
    inbox = login_as("secrecy").get("/").text
    rows = re.findall(r'<li class="item-row">(.*?)</li>', inbox, re.S)
    flagged = [r for r in rows if f'/items/{item.id}"' in r]
    assert len(rows) == 2 and "1 处高风险" in flagged[0]
    assert sum("处高风险" in r for r in rows) == 1
