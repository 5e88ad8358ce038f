"""Fewer surprises (issue 27), in the browser: publishing asks first and dismissing the question
changes nothing (without script the form is simply sent); the officer sees the pre-check's
high-risk findings while drafting; a 常用意见 fills the opinion field."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import login, screenshot

pytestmark = pytest.mark.e2e
ID = "11010519491231002X"


def test_publishing_asks_first_and_dismissing_changes_nothing(new_page, live_server):
    item_id = live_server.item_ids["approved"]
    page = new_page()
    login(page, "publisher")
    page.goto(f"/items/{item_id}")
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("form.action-publish").get_by_role("button", name="发布").click()
    page.wait_for_timeout(300)  # a submitted form would have started loading by now
    assert asked == ["发布后将在政府信息公开专栏公开，确定发布吗？"]
    page.reload()
    expect(page.locator(".heading-row [data-state]").first).to_have_attribute(
        "data-state", "approved"
    )
    screenshot(page, "fs01-publish-dismissed")

    # without script there is no question: the form is sent as any other
    plain = new_page(java_script_enabled=False)
    login(plain, "publisher")
    plain.goto(f"/items/{item_id}")
    plain.locator("form.action-publish").get_by_role("button", name="发布").click()
    expect(plain.locator(".flash-success").filter(has_text="已发布")).to_be_visible()
    expect(plain.locator(".heading-row [data-state]").first).to_have_attribute(
        "data-state", "published"
    )


def test_the_officer_sees_high_risk_findings_while_drafting(page, live_server):
    item_id = live_server.item_ids["draft"]
    login(page, "officer")
    page.goto(f"/items/{item_id}/edit")
    body = page.locator("#body")  # the 正文 editor (static/rich_editor.js)
    body.fill(body.inner_text().strip() + f"\n联系人张三，身份证号{ID}。")
    page.get_by_role("button", name="保存草稿").click()
    expect(
        page.locator(".flash-warning").filter(has_text="保密预审发现 1 处高风险内容")
    ).to_be_visible()
    card = page.locator("#draft-findings")
    expect(card).to_contain_text("身份证号码")
    expect(card).to_contain_text("110105********002X")
    expect(card.locator("[data-mask-hint]")).to_contain_text("一键脱敏")
    screenshot(page, "fs02-draft-findings")

    page.once("dialog", lambda dialog: dialog.accept())  # the question before masking
    page.locator("form.mask-form").get_by_role("button", name="一键脱敏").click()
    expect(page.locator(".flash-success").filter(has_text="脱敏处理")).to_be_visible()
    expect(page.locator("#draft-findings")).to_have_attribute("data-high", "0")


def test_a_saved_opinion_fills_the_opinion_field(page, live_server):
    item_id = live_server.item_ids["pending_leader"]
    login(page, "leader")
    page.goto("/account/opinions")
    page.get_by_label("意见内容").fill("同意，请按程序报办公室审核。")
    page.get_by_role("button", name="添加").click()
    expect(page.locator(".opinion-text")).to_have_text(["同意，请按程序报办公室审核。"])

    page.goto(f"/items/{item_id}")
    panel = page.locator("form.action-approve")
    expect(panel.get_by_role("button", name="使用此意见")).to_have_count(0)  # script copies
    panel.locator("select[data-fills]").select_option(label="同意，请按程序报办公室审核。")
    expect(panel.locator("#opinion-approve")).to_have_value("同意，请按程序报办公室审核。")
    panel.get_by_role("button", name="同意").click()
    expect(page.locator(".flash-success").filter(has_text="已同意")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/items/{item_id}$"))


def test_the_preview_shows_the_public_page_before_publication(page, live_server):
    item_id = live_server.item_ids["pending_office"]
    login(page, "leader")
    page.goto(f"/items/{item_id}")
    page.get_by_role("link", name="预览公开页面").click()
    expect(page.locator("[data-preview-banner]")).to_contain_text("预览，尚未公开")
    expect(page.locator("h1")).to_have_text("我镇召开秋冬季农业生产工作推进会")
    screenshot(page, "fs03-preview")
