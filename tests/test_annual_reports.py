"""The office's annual report (approval/annual_reports/, /office/annual-reports): the page with
its tables computed from real items, validity changes, requests and cases; the checks on the page
naming the failing cell; saving the texts and entered figures (audited before → after, 422 with
the Chinese message and what was typed kept, 409 on a stale page, 400 without CSRF); the figures
of the year before the system; who may see it (403/404); the .docx's labels read back with
python-docx (and as PDF through LibreOffice where it is installed); the .xlsx."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO
from itertools import count

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from approval.core.request_outcomes import ROWS
from approval.core.vocab import SECRECY_QUESTIONS
from approval.extensions import db
from approval.models import AnnualReport, AuditEntry, InformationRequest, RequestCase, RequestPause

URL = "/office/annual-reports/2026"
_numbers = count(1)


def _request(world, column, received, closed=None, outcome=None):
    person = column == "person"
    r = InformationRequest(
        body_id=world.body.id,
        number=f"依申请〔年报〕{next(_numbers):04d}号",
        state="answered" if closed else "processing",
        applicant_kind="person" if person else "organisation",
        applicant_name="张三" if person else "某某有限公司",
        organisation_kind=None if person else column,
        description="某事项",
        provision="paper",
        pickup="collect",
        channel="in_person",
        submitted_on=received,
        received_on=received,
        closed_on=closed,
        outcome=outcome,
        registered_by_id=world.users["office"].id,
    )
    db.session.add(r)
    db.session.flush()
    return r


@pytest.fixture
def year_2026(world, moment):
    """Published in 2026: one 规章 (repealed in 2026), two 行政规范性文件, one 工作动态; a request
    carried in from 2025 and answered, two received in 2026 (one granted, one still open), a fee
    of 12.50 yuan paid; a 行政复议 upheld. The page is read on 2027-01-10."""
    moment.at("2026-03-02 10:00")
    regulation = world.to_state(world.item(info_type="regulation"), "published")
    world.to_state(world.item(info_type="normative_document"), "published")
    world.to_state(world.item(info_type="normative_document"), "published")
    world.to_state(world.item(info_type="work_news"), "published")
    moment.at("2026-09-01 10:00")
    world.act("publisher", regulation, "change_validity", validity="repealed")
    old = _request(world, "person", date(2025, 12, 20), date(2026, 1, 8), "granted")
    granted = _request(world, "business", date(2026, 3, 3), date(2026, 3, 20), "granted")
    _request(world, "person", date(2026, 12, 28))
    db.session.add(
        RequestPause(
            request_id=granted.id,
            kind="fee",
            starts_on=date(2026, 3, 5),
            ends_on=date(2026, 3, 9),
            amount=Decimal("12.50"),
            created_by_id=world.users["office"].id,
        )
    )
    db.session.add(
        RequestCase(
            request_id=old.id,
            body_id=world.body.id,
            kind="review",
            after_review=False,
            filed_on=date(2026, 2, 1),
            authority="县人民政府",
            result="upheld",
            decided_on=date(2026, 4, 1),
            created_by_id=world.users["office"].id,
        )
    )
    db.session.commit()
    moment.at("2027-01-10 10:00")
    return world


def cell(page: str, key: str) -> str:
    marker = f'data-cell="{key}"'
    assert marker in page, key
    rest = page.split(marker, 1)[1]
    value = rest.split(">", 1)[1].split("</td>", 1)[0]
    return value.replace('<strong class="danger">', "").replace("</strong>", "").strip()


def test_the_office_sees_the_tables_computed_from_the_data(year_2026, login_as):
    page = login_as("office").get(URL)
    assert page.status_code == 200
    text = page.text
    assert "测试镇人民政府2026年政府信息公开工作年度报告" in text
    for heading in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ):
        assert heading in text
    expected = {
        "regulation:issued": "1",
        "regulation:repealed": "1",
        "regulation:current": "0",
        "normative_document:issued": "2",
        "normative_document:repealed": "0",
        "normative_document:current": "2",
        "licensing:decisions": "",
        "new:person": "1",
        "new:business": "1",
        "new:total": "2",
        "carried_in:person": "1",
        "1:person": "1",
        "1:business": "1",
        "results_total:total": "2",
        "carried_out:person": "1",
        "carried_out:total": "1",
        "review:upheld": "1",
        "review:total": "1",
        "direct:total": "0",
    }
    for key, value in expected.items():
        assert cell(text, key) == value, key
    assert 'data-checks="passed"' in text
    # the ready sentences and the fee collected
    assert "2026年，本机关共主动公开政府信息4条。" in text
    assert "全年新收政府信息公开申请2件，上年结转1件，办结2件，结转下年度继续办理1件。" in text
    assert "本机关收取政府信息公开信息处理费12.50元。" in text
    for label in ("本年新收政府信息公开申请数量", "法律服务机构", "未经复议直接起诉", "复议后起诉"):
        assert label in text


def test_who_may_open_the_reports(year_2026, login_as, client):
    for who in ("office", "office_head", "publisher"):
        assert login_as(who).get(URL).status_code == 200, who
        assert login_as(who).get("/office/annual-reports/").status_code == 200, who
    for who in ("officer", "leader", "secrecy", "sysadmin", "auditor"):
        for url in (URL, "/office/annual-reports/", f"{URL}/report.docx", f"{URL}/tables.xlsx"):
            assert login_as(who).get(url).status_code == 403, (who, url)
        browser = login_as(who)
        assert browser.post(URL, _report_data(), token_from="/notifications").status_code == 403, (
            who
        )
        data = _baseline_data()
        assert (
            browser.post(f"{URL}/baseline", data, token_from="/notifications").status_code == 403
        ), who
    assert client.get(URL).status_code == 302
    office = login_as("office")
    assert office.get("/office/annual-reports/1999").status_code == 404
    assert office.get("/office/annual-reports/2028").status_code == 404


def _report_data(**overrides):
    data = {
        "report-version": "0",
        "report-overview": "2026年，本镇认真贯彻落实条例。",
        "report-licensing": "12",
        "report-penalty": "3",
        "report-coercion": "0",
        "report-fees": "1.25",
        "report-problems": "公开质量有待提高。",
        "report-other_matters": "本年收取信息处理费12.50元。",
    }
    data.update(overrides)
    return data


def _entries(action):
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()


def test_the_office_saves_the_texts_and_figures_audited(year_2026, login_as):
    office = login_as("office")
    response = office.post(URL, _report_data(), token_from=URL)
    assert response.status_code == 303
    page = office.get(URL).text
    assert cell(page, "licensing:decisions") == "12"
    assert cell(page, "fees:amount") == "1.25"
    assert "2026年，本镇认真贯彻落实条例。" in page
    years = office.get("/office/annual-reports/").text
    assert 'href="/office/annual-reports/2026"' in years and "最后保存于" in years
    report = db.session.scalar(select(AnnualReport))
    assert (report.year, report.licensing, report.fees) == (2026, 12, Decimal("1.25"))
    [entry] = _entries("annual_report_saved")
    detail = json.loads(entry.detail)
    assert detail["changes"]["licensing"] == {"before": None, "after": 12}
    assert detail["changes"]["overview"] == {
        "before_chars": 0,
        "after_chars": len("2026年，本镇认真贯彻落实条例。"),
    }
    # a change: before → after, the version the page showed
    response = office.post(
        URL, _report_data(**{"report-version": "1", "report-licensing": "13"}), token_from=URL
    )
    assert response.status_code == 303
    detail = json.loads(_entries("annual_report_saved")[-1].detail)
    assert detail["changes"] == {"licensing": {"before": 12, "after": 13}}
    # the page saw version 1, the report is at 2 now: 409, nothing changed
    stale = office.post(
        URL, _report_data(**{"report-version": "1", "report-licensing": "99"}), token_from=URL
    )
    assert stale.status_code == 409
    db.session.expire_all()
    assert db.session.scalar(select(AnnualReport)).licensing == 13


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("licensing", "十二", "请填写不小于0的整数"),
        ("coercion", "-1", "请填写不小于0的整数"),
        ("penalty", "²", "请填写不小于0的整数"),
        ("fees", "abc", "请填写不小于0的金额（万元），如 12.5"),
        ("fees", "1.23456", "金额最多保留四位小数（万元）"),
    ],
)
def test_a_bad_figure_is_refused_in_chinese_with_what_was_typed(
    year_2026, login_as, field, typed, message
):
    office = login_as("office")
    response = office.post(URL, _report_data(**{f"report-{field}": typed}), token_from=URL)
    assert response.status_code == 422
    assert message in response.text
    assert f'value="{typed}"' in response.text
    assert "2026年，本镇认真贯彻落实条例。" in response.text  # the texts typed are kept
    assert db.session.scalar(select(AnnualReport)) is None
    assert _entries("annual_report_saved") == []


def test_a_post_without_csrf_is_refused(year_2026, login_as):
    office = login_as("office")
    assert office.client.post(URL, data=_report_data()).status_code == 400
    assert office.client.post(f"{URL}/baseline", data={}).status_code == 400
    assert db.session.scalar(select(AnnualReport)) is None


def _baseline_data(**overrides):
    data = {
        "baseline-version": "0",
        "baseline-year": "2025",
        "baseline-regulation_current": "5",
        "baseline-normative_current": "12",
        "baseline-carried_person": "1",
        "baseline-carried_business": "0",
    }
    data.update(overrides)
    return data


def test_the_year_before_the_system_carries_over(year_2026, login_as):
    office = login_as("office")
    response = office.post(f"{URL}/baseline", _baseline_data(), token_from=URL)
    assert response.status_code == 303
    page = office.get(URL).text
    # 现行有效 counts the documents outside the system; last year's is the entered one
    assert cell(page, "regulation:current") == "5"
    assert cell(page, "normative_document:current") == "14"
    assert 'data-checks="passed"' in page
    [entry] = _entries("annual_baseline_saved")
    detail = json.loads(entry.detail)
    assert detail["before"] is None
    assert detail["after"]["regulation_current"] == 5
    assert detail["after"]["carried_out"]["person"] == 1

    # the office said 2 requests were carried into 2026 by 自然人: the register holds 1
    response = office.post(
        f"{URL}/baseline",
        _baseline_data(**{"baseline-version": "1", "baseline-carried_person": "2"}),
        token_from=URL,
    )
    assert response.status_code == 303
    page = office.get(URL).text
    assert 'data-checks="failed"' in page
    assert 'data-cell="carried_in:person"' in page
    assert "表三“自然人”列：上年结转（1）不等于上一年度的结转下年度继续办理（2）" in page
    assert "表三“总计”列：上年结转（1）不等于上一年度的结转下年度继续办理（2）" in page
    detail = json.loads(_entries("annual_baseline_saved")[-1].detail)
    assert detail["before"]["carried_out"]["person"] == 1
    assert detail["after"]["carried_out"]["person"] == 2


def test_a_bad_baseline_is_refused_in_chinese(year_2026, login_as):
    office = login_as("office")
    response = office.post(
        f"{URL}/baseline", _baseline_data(**{"baseline-regulation_current": "五"}), token_from=URL
    )
    assert response.status_code == 422
    assert "请填写不小于0的整数" in response.text and 'value="五"' in response.text
    response = office.post(
        f"{URL}/baseline", _baseline_data(**{"baseline-year": "2030"}), token_from=URL
    )
    assert response.status_code == 422
    assert "年度无效：须为已过去或当前的年度" in response.text
    assert _entries("annual_baseline_saved") == []


THREE_LABELS = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "总计",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "8.属于行政查询事项",
    "（四）无法提供",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
TWO_LABELS = [
    "第二十条第（一）项",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "规章",
    "行政规范性文件",
    "第二十条第（五）项",
    "本年处理决定数量",
    "行政许可",
    "第二十条第（六）项",
    "行政处罚",
    "行政强制",
    "第二十条第（八）项",
    "本年收费金额（单位：万元）",
    "行政事业性收费",
]
FOUR_LABELS = [
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "未经复议直接起诉",
    "复议后起诉",
]


def _texts(table) -> list[str]:
    seen = []
    for row in table.rows:
        for c in row.cells:
            if c.text not in seen:
                seen.append(c.text)
    return seen


def test_the_docx_has_the_format_s_title_headings_and_labels(year_2026, login_as, tmp_path):
    office = login_as("office")
    office.post(URL, _report_data(), token_from=URL)
    response = office.get(f"{URL}/report.docx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    doc = Document(BytesIO(response.data))
    paragraphs = [p.text for p in doc.paragraphs if p.text]
    assert paragraphs[0] == "测试镇人民政府2026年政府信息公开工作年度报告"
    assert paragraphs[1:3] == ["一、总体情况", "2026年，本镇认真贯彻落实条例。"]
    for heading in ("二、主动公开政府信息情况", "六、其他需要报告的事项", "公开质量有待提高。"):
        assert heading in paragraphs
    two, three, four = doc.tables
    rows = [[c.text for c in row.cells] for row in two.rows]
    assert rows == [
        ["第二十条第（一）项"] * 4,
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "1", "1", "0"],
        ["行政规范性文件", "2", "0", "2"],
        ["第二十条第（五）项"] * 4,
        ["信息内容"] + ["本年处理决定数量"] * 3,
        ["行政许可"] + ["12"] * 3,
        ["第二十条第（六）项"] * 4,
        ["信息内容"] + ["本年处理决定数量"] * 3,
        ["行政处罚"] + ["3"] * 3,
        ["行政强制"] + ["0"] * 3,
        ["第二十条第（八）项"] * 4,
        ["信息内容"] + ["本年收费金额（单位：万元）"] * 3,
        ["行政事业性收费"] + ["1.25"] * 3,
    ]
    assert {c for row in rows for c in row} >= set(TWO_LABELS)
    three_texts = _texts(three)
    for label in THREE_LABELS:
        assert label in three_texts, label
    assert [c.text for c in three.rows[3].cells] == [
        "一、本年新收政府信息公开申请数量",
        "一、本年新收政府信息公开申请数量",
        "一、本年新收政府信息公开申请数量",
        "1",
        "1",
        "0",
        "0",
        "0",
        "0",
        "2",
    ]
    assert len(three.rows) == 3 + 2 + len(ROWS) + 1 + 1
    assert [c.text for c in four.rows[3].cells] == ["1", "0", "0", "0", "1"] + ["0"] * 10
    for label in FOUR_LABELS:
        assert label in _texts(four), label
    if shutil.which("soffice"):
        source = tmp_path / "report.docx"
        source.write_bytes(response.data)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), source],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = tmp_path / "report.pdf"
        assert pdf.exists() and pdf.stat().st_size > 0
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
            ).stdout
            squeezed = "".join(text.split())
            for label in ("政府信息公开工作年度报告", "本年制发件数", "结转下年度继续办理"):
                assert label in squeezed, label


def test_the_xlsx_has_the_three_tables(year_2026, login_as):
    response = login_as("office").get(f"{URL}/tables.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["表二", "表三", "表四"]
    three = book["表三"]
    assert three["A1"].value == "三、收到和处理政府信息公开申请情况"
    assert three["A5"].value == "一、本年新收政府信息公开申请数量"
    assert [three.cell(row=5, column=c).value for c in range(4, 11)] == [1, 1, 0, 0, 0, 0, 2]
    values = {c.value for row in book["表二"].iter_rows() for c in row}
    assert {"规章", "行政规范性文件", "本年收费金额（单位：万元）"} <= values
    assert book["表四"]["A2"].value == "行政复议"


# ---------------------------------------------------------------- 送审 and the chain


@pytest.fixture
def office_officer(year_2026):
    """A 信息员 of the general office: who sends the report (their department's draft)."""
    from approval.models import User
    from tests.factories import _with_password

    world = year_2026
    user = User(
        username="office_officer_nual",
        display_name="党政办信息员",
        body=world.body,
        department=world.departments["office"],
    )
    _with_password(user)
    user.set_roles(["officer"])
    db.session.add(user)
    db.session.commit()
    world.users["office_officer"] = user
    return user


def _send(browser, version="1"):
    return browser.post(f"{URL}/send", {"send-version": version}, token_from=URL)


def test_the_report_is_sent_walks_the_chain_and_is_published(year_2026, office_officer, login_as):
    from approval.models import Item

    world = year_2026
    office = login_as("office")
    assert office.post(URL, _report_data(), token_from=URL).status_code == 303
    assert "由党政办公室信息员送审" in office.get(URL).text
    assert _send(office).status_code == 403  # the statistics staff write, the 信息员 sends

    officer = login_as("office_officer")
    response = _send(officer)
    assert response.status_code == 303
    item = db.session.scalar(select(Item).order_by(Item.id.desc()))
    assert response.headers["Location"].endswith(f"/items/{item.id}")
    revision = item.current_revision
    assert item.state == "draft" and item.department_id == world.departments["office"].id
    assert revision.title == "测试镇人民政府2026年政府信息公开工作年度报告"
    assert revision.category.code == "年报" and revision.category.name == "政府信息公开年报"
    assert revision.body.startswith("一、总体情况\n2026年，本镇认真贯彻落实条例。")
    [attachment] = revision.attachments
    assert attachment.filename == "测试镇人民政府2026年政府信息公开工作年度报告.docx"
    [entry] = _entries("annual_report_sent")
    assert entry.item_id == item.id and json.loads(entry.detail)["year"] == 2026

    # while a draft, sending again updates it: one item, one (new) attachment
    office.post(
        URL,
        _report_data(**{"report-version": "2", "report-problems": "新的问题。"}),
        token_from=URL,
    )
    assert _send(officer, "3").status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Item.id)).where(Item.category_id.is_not(None))) >= 1
    item = db.session.get(Item, item.id)
    assert "新的问题。" in item.current_revision.body
    assert len(item.current_revision.attachments) == 1
    assert "年度报告信息" in officer.get(URL).text

    # the chain, as any item: submit, the general office's leader, the office, secrecy, publish
    world.act("office_officer", item, "submit")
    world.act("office_head", item, "approve")
    world.act("office", item, "approve")
    world.act(
        "secrecy",
        item,
        "sign_off",
        checklist={q: False for q in SECRECY_QUESTIONS},
        opinion="同意公开",
    )
    world.act("publisher", item, "publish")
    assert item.state == "published"
    portal = login_as("officer").client.get(f"/public/{world.body.id}/catalog/年报")
    assert portal.status_code == 200
    assert "测试镇人民政府2026年政府信息公开工作年度报告" in portal.text
    home = login_as("officer").client.get(f"/public/{world.body.id}/")
    assert f'href="/public/items/{item.id}"' in home.text
    assert "2026年政府信息公开工作年度报告" in home.text
    # the item's pages show the tables as sent, as HTML tables, whatever the register reads later
    public_page = officer.client.get(f"/public/items/{item.id}").text
    assert 'id="table-three"' in public_page and 'id="table-four"' in public_page
    assert "（见下表及附件）" in public_page
    assert cell(public_page, "new:total") == "2" and cell(public_page, "regulation:repealed") == "1"
    assert cell(public_page, "review:upheld") == "1"
    assert cell(officer.get(f"/items/{item.id}").text, "new:total") == "2"
    _request(world, "person", date(2026, 12, 29))  # registered late: the office's page counts it
    assert cell(office.get(URL).text, "new:total") == "3"
    assert cell(officer.client.get(f"/public/items/{item.id}").text, "new:total") == "2"
    [entry] = _entries("annual_report_sent")[-1:]
    kept = db.session.get(AnnualReport, json.loads(entry.detail)["report_id"]).sent_tables
    assert json.loads(entry.detail)["tables_sha256"] == hashlib.sha256(kept.encode()).hexdigest()

    # once in the chain the item is the chain's: no second 送审
    response = _send(officer, "4")
    assert response.status_code == 409
    assert "该年度报告已送审，正在审批或已发布，不能再更新" in response.text


def test_sending_is_refused_while_a_check_fails_naming_it(year_2026, office_officer, login_as):
    office = login_as("office")
    office.post(URL, _report_data(), token_from=URL)
    office.post(
        f"{URL}/baseline", _baseline_data(**{"baseline-carried_person": "2"}), token_from=URL
    )
    officer = login_as("office_officer")
    response = _send(officer)
    assert response.status_code == 409
    assert "勾稽关系不成立，不能送审" in response.text
    assert "表三“自然人”列：上年结转（1）不等于上一年度的结转下年度继续办理（2）" in response.text
    assert _entries("annual_report_sent") == []
    # no report saved yet for 2025: nothing to send
    response = officer.post(
        "/office/annual-reports/2025/send", {"send-version": "0"}, token_from=URL
    )
    assert response.status_code == 409 and "请先保存年度报告，再送审" in response.text
    # a stale page
    office.post(f"{URL}/baseline", _baseline_data(**{"baseline-version": "2"}), token_from=URL)
    assert _send(officer, "0").status_code == 409
    assert _entries("annual_report_sent") == []
