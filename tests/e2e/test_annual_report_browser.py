"""The annual report in a real browser (issue 23): the office opens this year's report from the
navigation, fills in the figures from the business systems and the text, and saves; the general
office's 信息员 sends it (送审); it walks the chain like any item and appears on the portal under
政府信息公开年报, with its tables as HTML tables, beside last year's (the demo's published
report)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from approval.core.clock import local_today

from .helpers import act, flash, login, logout, open_menu, screenshot
from .test_chain_browser import expect_state, open_from_inbox

pytestmark = pytest.mark.e2e


def test_the_office_writes_this_year_s_report_and_it_reaches_the_portal(page, live_server):
    year = local_today().year
    title = f"示范镇人民政府{year}年政府信息公开工作年度报告"

    login(page, "office")
    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="年度报告").click()
    page.get_by_role("link", name=f"{year}年度报告").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    expect(page.locator("#checks")).to_have_attribute("data-checks", "passed")  # the demo's data
    page.get_by_label("行政事业性收费 本年收费金额（万元）").fill("十二")
    page.get_by_role("button", name="保存", exact=True).first.click()
    expect(page.locator(".has-error")).to_contain_text("万元")
    expect(page.get_by_label("行政事业性收费 本年收费金额（万元）")).to_have_value("十二")
    page.get_by_label("行政事业性收费 本年收费金额（万元）").fill("1.25")
    page.get_by_label("行政强制 本年处理决定数量").fill("2")
    overview = page.get_by_role("textbox", name="一、总体情况")
    overview.fill(overview.input_value() + "全年召开政务公开工作专题会议2次。")
    page.get_by_role("button", name="保存", exact=True).first.click()
    expect(flash(page, f"已保存{year}年度报告")).to_be_visible()
    expect(page.get_by_text("由党政办公室信息员送审。")).to_be_visible()
    screenshot(page, "r01-report-page")
    logout(page)

    login(page, "office_officer")
    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="年度报告").click()
    page.get_by_role("link", name=f"{year}年度报告").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#send").get_by_role("button", name="送审").click()
    expect(flash(page, "年度报告已生成待提交的信息")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.locator("#table-three")).to_be_visible()  # the tables, as sent
    expect(page.get_by_role("link", name=f"{title}.docx")).to_be_visible()
    act(page, "submit")
    expect(flash(page, "已提交审批")).to_be_visible()
    logout(page)

    for who, section, action, opinion in (
        ("office_head", "待分管领导审批", "approve", "同意"),
        ("office", "待办公室审核", "approve", "表格勾稽关系已核对，同意"),
    ):
        login(page, who)
        open_from_inbox(page, section, title)
        act(page, action, opinion)
        expect(flash(page, "已同意")).to_be_visible()
        logout(page)

    login(page, "secrecy")
    open_from_inbox(page, "待保密审查", title)
    groups = page.locator("fieldset.checklist").get_by_role("radiogroup")
    for i in range(groups.count()):
        groups.nth(i).get_by_label("否").check()
    page.locator("#opinion-sign_off").fill("经审查，不涉密，同意公开")
    act(page, "sign_off")
    expect(flash(page, "保密审查已通过")).to_be_visible()
    logout(page)

    login(page, "publisher")
    open_from_inbox(page, "待发布", title)
    act(page, "publish")
    expect_state(page, "published", "已发布")
    logout(page)

    page.goto("/public/")
    page.get_by_role("link", name="示范镇人民政府").first.click()
    reports = page.locator("#annual-reports")
    expect(reports.get_by_role("link", name=f"{year}年政府信息公开工作年度报告")).to_be_visible()
    expect(
        reports.get_by_role("link", name=f"{year - 1}年政府信息公开工作年度报告")
    ).to_be_visible()
    page.get_by_role("link", name="政府信息公开年报").first.click()
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.locator(".body-text")).to_contain_text("全年召开政务公开工作专题会议2次。")
    tables = page.locator("section.annual-tables table")
    expect(tables).to_have_count(3)
    expect(page.locator('#table-two td[data-cell="fees:amount"]')).to_have_text("1.25")
    expect(page.locator('#table-two td[data-cell="coercion:decisions"]')).to_have_text("2")
    expect(page.locator("#table-three")).to_contain_text("本年新收政府信息公开申请数量")
    expect(page.get_by_role("link", name=re.compile(r"年度报告\.docx$"))).to_be_visible()
    screenshot(page, "r02-portal-report")
