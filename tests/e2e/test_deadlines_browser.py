"""Deadlines in Chromium, on the demo (its 高龄津贴 notice was formed 40 days ago and left in
draft: past its 公开期限 whatever the holidays): the officer sees the red flag in the department's
list; the office opens the 期限看板, finds the draft counted and listed without its title, sets
a step's time limit (a wrong value is refused and kept); the board fits a phone and passes
axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import PHONE, has_no_horizontal_scroll, login, screenshot
from .test_portal_browser import serious_violations

pytestmark = pytest.mark.e2e
LATE_DRAFT = "关于开展2026年度高龄津贴资格认证的通知"


def test_the_officer_sees_the_late_draft_flagged(page, live_server):
    login(page, "officer")
    page.goto("/department")
    row = page.locator(".item-row", has_text=LATE_DRAFT)
    flag = row.locator("[data-deadline=publication][data-level=overdue]")
    expect(flag).to_contain_text("公开期限已超")
    expect(row.locator("[data-deadline-text]")).to_contain_text("（已超期）")


def test_the_office_reads_the_board_and_sets_a_step_limit(page, live_server):
    login(page, "office")
    page.get_by_role("link", name="期限看板").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("期限看板")
    overdue = page.locator("[data-figure=publication_overdue] strong")
    assert int(overdue.inner_text()) >= 1
    civil = page.locator("#department-counts tr", has=page.get_by_role("rowheader", name="民政办"))
    assert int(civil.locator("td").first.inner_text()) >= 1
    # the never-submitted draft is counted, but its title stays in its department
    expect(page.locator("#publication-items")).to_contain_text("（未报送的草稿）")
    expect(page.locator("#publication-items")).not_to_contain_text(LATE_DRAFT)
    assert serious_violations(page) == []
    screenshot(page, "deadlines-board")

    page.get_by_label("部门", exact=True).select_option(label="农业农村办")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_label("部门", exact=True)).to_have_value(re.compile(r"\d+"))
    expect(page.locator("#publication")).not_to_contain_text("（未报送的草稿）")

    page.get_by_role("link", name="各环节办理时限").click()
    page.get_by_label("分管领导审批").fill("0")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".has-error")).to_contain_text("请填写 1 到 60 之间的整数")
    expect(page.get_by_label("分管领导审批")).to_have_value("0")
    page.get_by_label("分管领导审批").fill("5")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存办理时限")
    expect(page.get_by_label("分管领导审批")).to_have_value("5")

    page.set_viewport_size(PHONE)
    page.goto("/office/deadlines/")
    assert has_no_horizontal_scroll(page)
