"""The monthly 通报 as .xlsx and .docx: the files open with openpyxl and python-docx and hold the
same numbers as the page, on the hand-computed October fixture of tests/test_statistics.py (the
``october`` fixture of conftest.py)."""

from __future__ import annotations

import re
from io import BytesIO
from urllib.parse import unquote

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from approval.extensions import db
from approval.models import AuditEntry
from tests.helpers.statistics import DASHBOARD, department_cells

TITLE = "测试镇人民政府 2026年10月 政务公开信息报送情况通报"
FILENAME = "测试镇人民政府-2026年10月-政务公开信息报送情况通报"


def _page_rows(text: str, october) -> list[list[str]]:
    """The ranking table of the page, in its order, then the total."""
    keys = re.findall(r'<tr data-department="(\d+)"', text) + ["total"]
    assert len(keys) == 5
    return [department_cells(text, key) for key in keys]


def _xlsx_text(cell) -> str:
    """A cell as the page shows it: rates are numbers formatted as percentages."""
    if cell.value is None:
        return ""
    if cell.number_format == "0.00%" and isinstance(cell.value, (int, float)):
        return f"{cell.value * 100:.2f}%"
    return str(cell.value)


def _list(text: str, section: str) -> list[str]:
    body = re.search(rf'id="{section}"(.*?)</(?:ol|ul|table)>', text, re.S).group(1)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<(?:li|tr)[^>]*>(.*?)</(?:li|tr)>", body, re.S)
    ]


@pytest.fixture
def page(october, login_as):
    browser = login_as("office")
    return browser, browser.get(DASHBOARD + "?period=2026-10").text


def test_the_workbook_holds_the_pages_numbers(october, page):
    browser, text = page
    response = browser.get(DASHBOARD + "export.xlsx?period=2026-10")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == FILENAME + ".xlsx"

    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == [
        "通报",
        "退回原因(次数最多的前5项)",
        "各环节平均办理时长",
        "栏目不更新",
        "近12个月报送和发布",
        "互动回应办理情况",
    ]
    sheet = book["通报"]
    assert sheet["A1"].value == TITLE
    assert "2026-10-01 至 2026-10-31" in sheet["A2"].value
    assert "共报送信息 8 条，录用（发布）4 条，录用率 50.00%" in sheet["A3"].value
    assert "完成年度目标（310 条）的 156.77%" in sheet["A3"].value
    header = [c.value for c in sheet[5]]
    assert header == [
        "排名",
        "部门",
        "报送",
        "录用（发布）",
        "录用率",
        "退回",
        "不予公开",
        "超期发布",
        "年度目标",
        "年内累计发布",
        "完成率",
    ]
    rows = [[_xlsx_text(c) for c in row] for row in sheet.iter_rows(min_row=6, max_row=10)]
    page_rows = _page_rows(text, october)
    # a rate that does not exist ("—" on the page) is an empty cell, not a text
    assert rows == [["" if v == "—" else v for v in row] for row in page_rows]
    assert sheet["E8"].value is None and sheet["K7"].value is None and sheet["A10"].value is None
    assert rows[-1][:2] == ["", "合计"] and rows[3][1] == "财政所" and rows[3][-1] == "160.67%"
    assert sheet["K9"].number_format == "0.00%" and isinstance(sheet["K9"].value, float)

    reasons = [[c.value for c in row] for row in book.worksheets[1].iter_rows(min_row=3)]
    assert reasons == [["请补充附件", 3], ["格式不规范", 1]]
    assert [f"{r} {n} 次" for r, n in reasons] == _list(text, "reasons")
    steps = [[c.value for c in row] for row in book.worksheets[2].iter_rows(min_row=3)]
    assert steps == [
        ["分管领导审批", 9, 1.7],
        ["办公室审核", 7, 2.7],
        ["保密审查", 5, 18.8],
        ["发布", 4, 193.1],
    ]
    assert book.worksheets[2]["C3"].number_format == "0.0"
    assert [" ".join(str(v) for v in row) for row in steps] == _list(text, "step-times")[1:]
    stale = [[c.value for c in row] for row in book.worksheets[3].iter_rows(min_row=3)]
    assert stale == [
        ["02", "政策文件", "从未发布", None, 90],
        ["0101", "机构职能 / 机构设置", "2026-09-15", 51, 30],
    ]
    trend = {
        row[0].value: (row[1].value, row[2].value)
        for row in book.worksheets[4].iter_rows(min_row=3)
    }
    assert trend["2026-10"] == (8, 4) and trend["2026-03"] == (0, 481) and len(trend) == 12


def test_the_document_holds_the_pages_numbers(october, page):
    browser, text = page
    response = browser.get(DASHBOARD + "export.docx?period=2026-10")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == FILENAME + ".docx"
    doc = Document(BytesIO(response.data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "测试镇人民政府"  # the issuing body, then the 文号 left blank, the title
    assert "〔2026〕　号" in texts[:4]
    assert "关于2026年10月政务公开信息报送情况的通报" in texts
    assert doc.core_properties.title == TITLE
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "各部门共报送信息 8 条，录用（发布）4 条，录用率 50.00%；退回 4 次，不予公开 1 条，超期发布 2 条"
        in paragraphs
    )
    assert "2026年1月1日至10月31日共发布 486 条，完成年度目标（310 条）的 156.77%。" in paragraphs
    assert "口径说明" in paragraphs
    ranking = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert ranking[0][:3] == ["排名", "部门", "报送"]
    assert ranking[1:] == _page_rows(text, october)
    reasons = [[cell.text for cell in row.cells] for row in doc.tables[1].rows]
    assert reasons == [["退回原因", "次数"], ["请补充附件", "3"], ["格式不规范", "1"]]
    steps = [[cell.text for cell in row.cells] for row in doc.tables[2].rows]
    assert steps[-1] == ["发布", "4", "193.1"]
    stale = [[cell.text for cell in row.cells] for row in doc.tables[3].rows]
    assert stale[1:] == [
        ["02", "政策文件", "从未发布", "—", "90"],
        ["0101", "机构职能 / 机构设置", "2026-09-15", "51", "30"],
    ]


def test_downloads_change_nothing_and_are_not_audited(october, page):
    """Aggregate figures, no content or personal data: a GET that writes nothing (the audit
    trail's own export, which holds names and opinions, is audited)."""
    browser, _text = page
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    for kind in ("xlsx", "docx"):
        response = browser.get(f"{DASHBOARD}export.{kind}?period=2026-10")
        assert response.status_code == 200
        if kind == "xlsx":
            assert load_workbook(BytesIO(response.data))["通报"]["A1"].value == TITLE
        else:
            assert Document(BytesIO(response.data)).core_properties.title == TITLE
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_a_quarter_and_a_year_export_too(october, page):
    browser, _text = page
    for period, label, total in (("2026-Q4", "2026年第四季度", 5), ("2026", "2026年", 487)):
        book = load_workbook(BytesIO(browser.get(f"{DASHBOARD}export.xlsx?period={period}").data))
        sheet = book["通报"]
        assert sheet["A1"].value == f"测试镇人民政府 {label} 政务公开信息报送情况通报"
        assert sheet.cell(row=10, column=2).value == "合计"
        assert sheet.cell(row=10, column=4).value == total
