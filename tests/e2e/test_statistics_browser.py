"""The general office in Chromium: sets a department's annual target, reads the statistics
(figures, the two SVG charts, the ranking), downloads the monthly 通报 as .xlsx and .docx and finds
the page's numbers in them; the page fits a phone and passes axe-core."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from .helpers import PHONE, has_no_horizontal_scroll, login, screenshot
from .test_portal_browser import serious_violations

pytestmark = pytest.mark.e2e


def _table_rows(page) -> list[list[str]]:
    rows = page.locator("#ranking tbody tr, #ranking tfoot tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def _xlsx_text(cell) -> str:
    """A cell as the page shows it: rates are numbers formatted as percentages."""
    if cell.value is None:
        return ""
    if cell.number_format == "0.00%" and isinstance(cell.value, (int, float)):
        return f"{cell.value * 100:.2f}%"
    return str(cell.value)


def test_the_office_reads_the_statistics_and_downloads_the_report(page, live_server):
    login(page, "office")
    page.goto("/office/statistics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("信息统计")

    # a target for 民政办, through the targets page
    page.get_by_role("link", name="年度目标").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("年度目标")
    page.get_by_label("民政办").fill("abc")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".has-error")).to_contain_text("请填写正整数")
    expect(page.get_by_label("民政办")).to_have_value("abc")
    assert serious_violations(page) == []
    page.get_by_label("民政办").fill("2")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    page.get_by_role("link", name="返回信息统计").click()

    # the figures, the charts and the ranking
    expect(page.locator("[data-figure=published] strong")).to_be_visible()
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(2)
    expect(page.get_by_role("img", name="各部门年内累计发布与年度目标")).to_be_visible()
    expect(page.get_by_role("img", name="近12个月报送和发布")).to_be_visible()
    civil = page.locator("#ranking tbody tr", has=page.get_by_role("rowheader", name="民政办"))
    published_in_year = int(civil.locator("td").nth(8).inner_text())
    expect(civil.locator("td").nth(7)).to_have_text("2")
    expect(civil.locator("td").nth(9)).to_have_text(f"{published_in_year / 2 * 100:.2f}%")
    expect(page.locator("#chart-departments")).to_contain_text(f"{published_in_year} / 2")
    rows = _table_rows(page)
    assert rows[-1][:2] == ["", "合计"] and len(rows) >= 4
    total_published = page.locator("[data-figure=published] strong").inner_text()
    assert rows[-1][3] == total_published
    assert serious_violations(page) == []
    screenshot(page, "statistics-desktop")

    # the 通报 as a workbook: the same numbers
    with page.expect_download() as info:
        page.get_by_role("link", name="导出通报（Excel）").click()
    download = info.value
    assert re.fullmatch(
        r"示范镇人民政府-\d{4}年(\d{1,2}月)?-政务公开信息报送情况通报\.xlsx",
        download.suggested_filename,
    )
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    sheet = book["通报"]
    assert sheet["A1"].value.endswith("政务公开信息报送情况通报")
    cells = [
        [_xlsx_text(c) for c in row] for row in sheet.iter_rows(min_row=6, max_row=5 + len(rows))
    ]
    # the page shows "—" where there is no figure; the workbook leaves that cell blank
    assert cells == [["" if text == "—" else text for text in row] for row in rows]

    # and as a document
    with page.expect_download() as info:
        page.get_by_role("button", name="导出通报（Word）").click()
    doc = Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert any("政务公开信息报送情况" in p.text for p in doc.paragraphs)  # the 公文's title

    def blank(table):
        return [["" if text == "—" else text.strip() for text in row] for row in table]

    tables = [[[c.text for c in row.cells] for row in t.rows][1:] for t in doc.tables]
    assert any(blank(t) == blank(rows) for t in tables)  # the ranking, as on the page


def test_the_statistics_fit_a_phone(new_page, live_server):
    page = new_page(PHONE)
    login(page, "publisher")
    page.goto("/office/statistics/?period=" + "2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("信息统计")
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.locator("#ranking").get_by_role("rowheader", name="民政办")).to_be_visible()
    assert has_no_horizontal_scroll(page)
    box = page.locator("svg.chart").first.bounding_box()
    assert box["width"] <= PHONE["width"]
    screenshot(page, "statistics-phone")
    page.get_by_label("部门", exact=True).select_option(label="民政办")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("民政办"))).to_be_visible()
    assert has_no_horizontal_scroll(page)
