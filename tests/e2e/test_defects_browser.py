"""Issue 27's smaller defects in Chromium, at 1280 px and at a 390 px phone: the 审批流程 sidebar
numbers only its steps, the phone's header folds into 菜单, the English statistics fit, and the
pages the other fixes touched (history, audit filters, board, inbox, the portal's 404) render.
E2E_SCREENSHOTS=1 keeps a screenshot of each in test-artifacts/defects-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import DESKTOP, PHONE, has_no_horizontal_scroll, login, open_menu, screenshot

pytestmark = pytest.mark.e2e

NUMBERED = """() => [...document.querySelectorAll('.progress li')].map(li => [
    li.parentElement.classList.contains('progress'),
    getComputedStyle(li, '::before').content,
])"""


@pytest.mark.parametrize("viewport_name, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_signed_off_items_sidebar_numbers_only_its_steps(
    new_page, live_server, viewport_name, viewport
):
    page = new_page(viewport)
    login(page, "publisher")
    page.goto(f"/items/{live_server.item_ids['approved']}")
    expect(page.locator(".progress .checklist-answers li")).to_have_count(5)
    markers = page.evaluate(NUMBERED)
    steps = [content for own, content in markers if own]
    answers = [content for own, content in markers if not own]
    assert len(steps) == 4 and len(answers) == 5
    assert steps[:3] == ['"✓"'] * 3 and steps[3] == "counter(step)"  # 发布, the 4th step
    assert set(answers) == {"none"}  # the answers carry no number
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('.progress > li:last-child'), '::before')"
        ".counterReset === 'none'"
    )
    page.locator("#prog-h").scroll_into_view_if_needed()
    assert has_no_horizontal_scroll(page)
    screenshot(page, f"defects-progress-{viewport_name}")


def test_the_phone_header_is_one_row_with_a_menu(new_page, live_server):
    page = new_page(PHONE)
    login(page, "office")
    header = page.locator("header.topbar")
    assert header.bounding_box()["height"] < 64  # the brand and 菜单, one row
    expect(page.locator("header nav.nav")).to_be_hidden()
    screenshot(page, "defects-menu-closed-phone")
    open_menu(page)
    expect(page.get_by_role("link", name="期限看板")).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    assert has_no_horizontal_scroll(page)
    screenshot(page, "defects-menu-open-phone")
    page.get_by_role("link", name="期限看板").click()
    expect(page.locator("h1")).to_have_text("期限看板")
    expect(page.locator("header nav.nav")).to_be_hidden()  # a new page starts closed
    screenshot(page, "defects-board-phone")

    desktop = new_page(DESKTOP)
    login(desktop, "office")
    expect(desktop.locator("header details.menu summary")).to_be_hidden()
    expect(desktop.get_by_role("link", name="期限看板")).to_be_visible()
    expect(desktop.get_by_role("button", name="退出")).to_be_visible()
    screenshot(desktop, "defects-header-desktop")


def test_the_english_statistics_fit_at_1280(new_page, live_server):
    page = new_page(DESKTOP)
    login(page, "office")
    page.get_by_role("button", name="English").click()
    page.goto("/office/statistics/")
    ranking = page.locator("#ranking")
    expect(ranking).to_be_visible()
    box = page.evaluate(
        "() => { const s = document.querySelector('#ranking').parentElement;"
        " return [s.scrollWidth, s.clientWidth]; }"
    )
    assert box[0] <= box[1], f"the ranking is cut off: {box}"
    legend = page.locator("#chart-trend text.chart-label")
    first, second = legend.nth(0).bounding_box(), legend.nth(1).bounding_box()
    marker = page.locator('#chart-trend rect.chart-bar[y="4"]').nth(1).bounding_box()
    assert first["x"] + first["width"] < marker["x"] < second["x"]  # no overlap
    screenshot(page, "defects-statistics-en-desktop")
    page.set_viewport_size(PHONE)
    assert has_no_horizontal_scroll(page)
    screenshot(page, "defects-statistics-en-phone")


def test_history_audit_filters_and_the_portals_404(new_page, live_server):
    page = new_page(DESKTOP)
    login(page, "officer2")  # the returned demo item is 农业农村办's
    page.goto(f"/items/{live_server.item_ids['returned']}/history")
    returned = page.locator('tr[data-action="return"]').first
    expect(returned).to_contain_text("已退回")
    expect(returned).not_to_contain_text("→ 草稿")
    screenshot(page, "defects-history-desktop")

    auditor = new_page(PHONE)
    login(auditor, "auditor")
    auditor.goto("/admin/audit")
    auditor.get_by_label("开始日期").fill("2000-01-01")
    auditor.get_by_label("结束日期").fill("1999-01-01")
    auditor.get_by_role("button", name="筛选").click()
    expect(auditor.get_by_role("alert")).to_contain_text("结束日期不能早于开始日期")
    expect(auditor.get_by_label("开始日期")).to_have_value("2000-01-01")
    assert has_no_horizontal_scroll(auditor)
    screenshot(auditor, "defects-audit-filter-error-phone")

    visitor = new_page(PHONE)
    response = visitor.goto("/public/no-such-page")
    assert response.status == 404
    assert "政务公开审批" not in visitor.content()
    expect(visitor.locator("h1")).to_contain_text("页面不存在")
    assert re.search("政府信息公开专栏", visitor.title())
    icon = visitor.request.get("/favicon.ico")
    assert icon.status == 200 and icon.body()[:4] == b"\x00\x00\x01\x00"
    screenshot(visitor, "defects-portal-404-phone")
