"""Finished work found again, in Chromium, on the demo (issue 27): the leader opens 已办 from the
navigation and finds the 救助 办法 they approved, now published; the publisher filters 已发布信息
by title, keeps what was typed, follows 撤稿 to the item page, and a bad date is a Chinese
error on the page, not a 500."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import login, screenshot

pytestmark = pytest.mark.e2e
PUBLISHED = "示范镇困难群众基本生活救助实施办法"


def test_the_leader_finds_what_they_approved_in_done(page, live_server):
    login(page, "leader")
    page.get_by_role("link", name="已办", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("已办")
    row = page.locator("#done tr", has_text=PUBLISHED)
    expect(row.locator("[data-decision=approve]")).to_contain_text("同意")
    expect(row.locator("[data-state]")).to_have_text("已发布")
    screenshot(page, "done-list")


def test_the_publisher_filters_the_published_list(page, live_server):
    login(page, "publisher")
    page.get_by_role("link", name="已发布信息").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("已发布信息")
    page.get_by_label("标题包含").fill("基本生活救助")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_label("标题包含")).to_have_value("基本生活救助")
    rows = page.locator("[data-list=published] .item-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(PUBLISHED)
    screenshot(page, "published-list-filtered")
    page.locator("[data-action=unpublish]").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PUBLISHED)

    response = page.goto("/published?q=基本生活救助&date_from=2026-02-30")
    assert response.status == 422
    expect(page.locator("#f-date_from-error")).to_contain_text("开始日期格式不正确")
    expect(page.get_by_label("标题包含")).to_have_value("基本生活救助")
