"""The 保密审查单: a printable page and a .docx built from the same data, for whoever may read the
item's history, once the item has been submitted."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import unquote

import pytest
from docx import Document

from approval.core.vocab import SECRECY_QUESTIONS
from tests.factories import CLEAR_CHECKLIST
from tests.helpers.pages import heading

ID_NUMBER = "11010519491231002X"  # passes the GB 11643 checksum

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)")  # scripts are files (CSP)


def form_url(item_id: int) -> str:
    return f"/items/{item_id}/secrecy-form"


def docx_url(item_id: int) -> str:
    return f"/items/{item_id}/secrecy-form.docx"


class _Tables(HTMLParser):
    """The text of every cell of every <table id=…> on a page: {id: [[cell, …], …]}."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def docx_tables(data: bytes) -> list[list[list[str]]]:
    document = Document(BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def as_in_docx(rows: list[list[str]]) -> list[list[str]]:
    """The page's opinions table as the .docx lays it out: the role under the name, the time
    under the date, a round's heading across the row (python-docx repeats a merged cell)."""
    header, *body = rows
    out = [[h for i, h in enumerate(header) if i != 2]]
    for row in body:
        if len(row) == 1:
            out.append(row * 5)
        else:
            step, actor, role, action, opinion, time = row
            out.append([step, f"{actor}\n（{role}）", action, opinion, time.replace(" ", "\n")])
    return out


def docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


# ---------------------------------------------------------------- a full chain


def test_after_the_full_chain_the_page_shows_every_signer_opinion_and_answer(world, login_as):
    item = world.item()
    world.act("officer", item, "submit")
    world.act("leader", item, "approve", opinion="同意报送")
    world.act("office", item, "approve", opinion="格式规范，同意")
    world.act("secrecy", item, "sign_off", checklist=dict(CLEAR_CHECKLIST), opinion="同意公开")
    assert item.state == "approved"
    page = login_as("officer").get(form_url(item.id))
    assert page.status_code == 200
    tables = page_tables(page.text)

    decisions = tables["sf-decisions"]
    assert decisions[0] == ["环节", "办理人", "角色", "操作", "意见", "时间"]
    assert decisions[1] == ["第 1 轮 · 第 1 稿 · 保密审查通过"]
    rows = decisions[2:]
    assert [r[:5] for r in rows] == [
        ["分管领导审批", "用户leader", "分管领导", "同意", "同意报送"],
        ["办公室审核", "用户office", "办公室审核", "同意", "格式规范，同意"],
        ["保密审查", "用户secrecy", "保密审查员", "保密审查通过", "同意公开"],
    ]
    assert all(len(r[5]) == len("2026-01-01 12:00") for r in rows)  # local time, to the minute

    checklist = tables["sf-checklist"][1:]
    assert [q for q, _ in checklist] == list(SECRECY_QUESTIONS.values())
    assert [a for _, a in checklist] == ["否"] * 5

    attributes = dict(tables["sf-attributes"])
    assert attributes["公开主体"] == "测试镇人民政府"
    assert attributes["信息标题"] == "关于2026年度最低生活保障标准的公告"
    assert attributes["发布机构"] == "民政办"
    assert attributes["信息类别"] == "通知公告"
    assert attributes["拟公开方式"] == "主动公开"
    assert attributes["撰稿人"] == "用户officer"
    assert attributes["审批轮次"] == "第 1 轮 · 第 1 稿"
    assert attributes["内容哈希"] == item.current_revision.content_hash
    assert "不予公开依据" not in attributes
    assert "保密审查通过" in page.text and 'id="sf-findings"' not in page.text


def test_the_docx_holds_the_same_signers_opinions_and_answers_as_the_page(world, login_as):
    item = world.to_state(world.item(), "approved")
    browser = login_as("officer")
    page = page_tables(browser.get(form_url(item.id)).text)
    response = browser.get(docx_url(item.id))
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"保密审查单-{item.id}.docx"

    attributes, decisions, checklist = docx_tables(response.data)[:3]
    assert attributes == page["sf-attributes"]
    assert decisions == as_in_docx(page["sf-decisions"])
    assert checklist == page["sf-checklist"]
    assert [row[1] for row in decisions[2:]] == [
        "用户leader\n（分管领导）",
        "用户office\n（办公室审核）",
        "用户secrecy\n（保密审查员）",
    ]
    assert [row[1] for row in checklist[1:]] == ["否"] * 5
    assert "保密审查通过" in docx_text(response.data)


def test_a_published_items_form_is_named_after_its_index_number(world, login_as):
    item = world.to_state(world.item(), "published")
    response = login_as("auditor").get(docx_url(item.id))
    name = unquote(response.headers["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name == f"保密审查单-{item.index_number.replace('/', '-')}.docx"
    assert dict(docx_tables(response.data)[0])["索引号"] == item.index_number


# ---------------------------------------------------------------- outcomes


def test_a_withheld_item_shows_withheld_and_the_basis(world, login_as):
    item = world.to_state(world.item(), "pending_secrecy")
    world.act("secrecy", item, "withhold", basis="personal_privacy", opinion="涉及个人隐私")
    browser = login_as("officer")
    page = browser.get(form_url(item.id)).text
    tables = page_tables(page)
    assert dict(tables["sf-attributes"])["不予公开依据"] == "个人隐私（第十五条）"
    assert tables["sf-decisions"][-1][3:5] == ["不予公开", "涉及个人隐私"]
    assert "不予公开" in page and 'class="sf-outcome outcome-withheld"' in page
    assert "（依据：个人隐私（第十五条））" in page
    assert [a for _, a in tables["sf-checklist"][1:]] == ["未填写"] * 5

    data = browser.get(docx_url(item.id)).data
    assert dict(docx_tables(data)[0])["不予公开依据"] == "个人隐私（第十五条）"
    assert "不予公开（依据：个人隐私（第十五条））" in docx_text(data)


def test_while_in_review_the_checklist_is_not_yet_answered(world, login_as):
    item = world.to_state(world.item(), "pending_office")
    page = login_as("leader").get(form_url(item.id)).text
    tables = page_tables(page)
    assert [a for _, a in tables["sf-checklist"][1:]] == ["未审查"] * 5
    assert len(tables["sf-decisions"]) == 3  # header, the round, the leader's approval
    assert tables["sf-decisions"][1] == ["第 1 轮 · 第 1 稿 · 审查中"]
    assert "outcome-in_review" in page and "审查中" in page


def test_a_high_severity_finding_and_its_override_are_on_the_form(world, login_as):
    item = world.item(body=f"经审核，张三（身份证号{ID_NUMBER}）符合低保条件。")
    world.to_state(item, "pending_secrecy")
    world.act(
        "secrecy",
        item,
        "sign_off",
        checklist=dict(CLEAR_CHECKLIST),
        opinion="同意公开",
        override_reason="公示期内依法须公开全名，号码已与民政局核对",
    )
    browser = login_as("secrecy")
    page = browser.get(form_url(item.id)).text
    findings = page_tables(page)["sf-findings"]
    assert findings[0] == ["类型", "风险", "位置", "建议公开为", "说明"]
    assert findings[1][:4] == ["身份证号码", "高风险", "正文", "110105********002X"]
    assert ID_NUMBER not in page  # the form shows the masked form, never the number
    assert "放行理由" in page and "公示期内依法须公开全名，号码已与民政局核对" in page

    data = browser.get(docx_url(item.id)).data
    assert docx_tables(data)[3] == findings
    assert "放行理由：公示期内依法须公开全名，号码已与民政局核对" in docx_text(data)
    assert ID_NUMBER not in docx_text(data)


def test_after_a_return_and_resubmission_the_form_is_of_the_new_round(world, login_as):
    item = world.item()
    world.act("officer", item, "submit")
    world.act("leader", item, "return", opinion="请补充依据")
    from approval.publication import drafts
    from tests.factories import content

    drafts.update_draft(
        world.users["officer"],
        item,
        content(category_id=world.category.id, title="修改后的标题"),
        item.version,
    )
    from approval.extensions import db

    db.session.commit()
    returned = login_as("officer").get(form_url(item.id)).text
    tables = page_tables(returned)
    # the returned round: what was reviewed, not the working copy opened after the return
    assert dict(tables["sf-attributes"])["审批轮次"] == "第 1 轮 · 第 1 稿"
    assert tables["sf-decisions"][2][3:5] == ["退回", "请补充依据"]
    world.act("officer", item, "submit")
    page = page_tables(login_as("officer").get(form_url(item.id)).text)
    assert dict(page["sf-attributes"])["审批轮次"] == "第 2 轮 · 第 2 稿"
    assert dict(page["sf-attributes"])["信息标题"] == "修改后的标题"
    # round 1 stays on the form; nobody has decided in round 2 yet
    assert page["sf-decisions"][1] == ["第 1 轮 · 第 1 稿 · 已退回修改"]
    assert page["sf-decisions"][2][3:5] == ["退回", "请补充依据"]
    assert page["sf-decisions"][3] == ["第 2 轮 · 第 2 稿 · 审查中"]
    assert len(page["sf-decisions"]) == 4


# ---------------------------------------------------------------- who may see it


@pytest.mark.parametrize("url", [form_url, docx_url])
def test_an_officer_of_another_department_gets_404(world, login_as, url):
    item = world.to_state(world.item(), "approved")
    assert login_as("officer_agri").get(url(item.id)).status_code == 404
    assert login_as("leader_agri").get(url(item.id)).status_code == 404


@pytest.mark.parametrize("url", [form_url, docx_url])
def test_a_never_submitted_draft_has_no_form(world, login_as, url):
    item = world.item()
    assert login_as("officer").get(url(item.id)).status_code == 404
    assert login_as("auditor").get(url(item.id)).status_code == 404


@pytest.mark.parametrize("url", [form_url, docx_url])
def test_the_audit_admin_and_everyone_on_the_chain_may_open_it(world, login_as, url):
    item = world.to_state(world.item(), "approved")
    for who in ("auditor", "officer_b", "leader", "office", "secrecy", "publisher"):
        response = login_as(who).get(url(item.id))
        assert response.status_code == 200, who
        if url is form_url:
            assert heading(response.text) == "政府信息公开保密审查单", who
            attributes = dict(page_tables(response.text)["sf-attributes"])
        else:
            attributes = dict(docx_tables(response.data)[0])
        assert attributes["信息标题"] == "关于2026年度最低生活保障标准的公告", who
        assert "保密审查通过" in (response.text if url is form_url else docx_text(response.data))


@pytest.mark.parametrize("url", [form_url, docx_url])
def test_the_form_requires_login(world, client, url):
    item = world.to_state(world.item(), "approved")
    response = client.get(url(item.id))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_an_admin_of_another_body_gets_404(app, world, login_as):
    from tests.conftest import Browser
    from tests.factories import World

    item = world.to_state(world.item(), "approved")
    other = World.build(credit_code="11000000MB0000002B")
    b = Browser(app.test_client())
    assert b.login(other.users["auditor"].username, other.password).status_code == 302
    assert b.get(form_url(item.id)).status_code == 404


def test_the_page_is_print_ready_without_inline_styles_or_scripts(world, login_as):
    item = world.to_state(world.item(), "approved")
    page = login_as("officer").get(form_url(item.id))
    assert not INLINE_SCRIPT.search(page.text) and "style=" not in page.text
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    assert f'href="{docx_url(item.id)}"' in page.text
    from pathlib import Path

    css = (Path(__file__).resolve().parents[1] / "static/app.css").read_text()
    assert "@media print" in css and "size: A4" in css
