"""The approval chain in a real browser, one demo user after another, through the real forms.

Each test logs in through the login form and logs out with the 退出 button between users; the
server is the real app over HTTP on the test's database (SQLite, or PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from approval.demo import CREDIT_CODE

from .helpers import (
    PHONE,
    act,
    flash,
    has_no_horizontal_scroll,
    login,
    logout,
    screenshot,
    small_pdf,
)

pytestmark = pytest.mark.e2e

INDEX_NUMBER = re.compile(rf"^{CREDIT_CODE}/\d{{4}}-\d{{5}}$")


def state_badge(page):
    return page.locator(".badge[data-state]")


def expect_state(page, state: str, label: str) -> None:
    expect(state_badge(page)).to_have_attribute("data-state", state)
    expect(state_badge(page)).to_have_text(label)


def open_from_inbox(page, section: str, title: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name="待办", exact=True).click()
    box = page.locator("section.card").filter(
        has=page.get_by_role("heading", level=2, name=re.compile(section))
    )
    box.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


def attribute(page, name: str):
    return (
        page.locator("table.attrs tr")
        .filter(has=page.locator("th", has_text=re.compile(f"^{name}$")))
        .locator("td")
    )


def test_full_chain_from_new_form_to_public_download(page, tmp_path):
    title = "关于公布2026年度临时救助对象名单的公告（E2E）"
    filename = "临时救助对象名单.pdf"
    pdf = small_pdf("E2E full chain")

    login(page, "officer")
    screenshot(page, "a01-officer-inbox")
    page.get_by_role("navigation").get_by_role("link", name="新建信息").click()
    page.get_by_label("标题", exact=True).fill(title)
    page.get_by_label("内容概述", exact=True).fill("公布本年度临时救助对象名单")
    page.get_by_label("正文", exact=True).fill(
        "经村（社区）评议、镇人民政府审批，现将临时救助对象名单公布如下。"
    )
    page.get_by_label("主题分类", exact=True).select_option(label="社会救助 / 最低生活保障")
    page.get_by_label("信息类别", exact=True).select_option(label="通知公告")
    page.get_by_label("发文字号", exact=True).fill("示民〔2026〕8号")
    page.get_by_label("成文日期", exact=True).fill((date.today() - timedelta(days=1)).isoformat())
    page.get_by_label("公开方式", exact=True).select_option(label="主动公开")
    page.get_by_label("政务公开栏").check()
    page.get_by_label("主题词", exact=True).fill("临时救助 名单")
    screenshot(page, "a02-draft-form-filled")
    page.get_by_role("button", name="保存草稿").click()
    expect(flash(page, "草稿已保存")).to_be_visible()
    expect_state(page, "draft", "草稿")
    expect(attribute(page, "主题分类")).to_have_text("社会救助 / 最低生活保障")
    expect(attribute(page, "公开渠道")).to_have_text("政府网站、政务公开栏")

    page.get_by_label("上传附件").set_input_files(
        {"name": filename, "mimeType": "application/pdf", "buffer": pdf}
    )
    page.get_by_role("button", name="上传", exact=True).click()
    expect(flash(page, "附件已上传")).to_be_visible()
    expect(page.get_by_role("link", name=filename)).to_be_visible()
    screenshot(page, "a03-draft-with-attachment")
    act(page, "submit")
    expect(flash(page, "已提交审批")).to_be_visible()
    expect_state(page, "pending_leader", "待分管领导审批")
    logout(page)

    login(page, "leader")
    open_from_inbox(page, "待分管领导审批", title)
    screenshot(page, "a04-leader-item")
    act(page, "approve", "同意公开")
    expect(flash(page, "已同意")).to_be_visible()
    expect_state(page, "pending_office", "待办公室审核")
    logout(page)

    login(page, "office")
    open_from_inbox(page, "待办公室审核", title)
    act(page, "approve", "要素齐全，同意")
    expect_state(page, "pending_secrecy", "待保密审查")
    logout(page)

    login(page, "secrecy")
    open_from_inbox(page, "待保密审查", title)
    checklist = page.locator("fieldset.checklist")
    groups = checklist.get_by_role("radiogroup")
    expect(groups).to_have_count(5)
    for i in range(5):
        groups.nth(i).get_by_label("否").check()
    page.locator("#opinion-sign_off").fill(
        "经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开"
    )
    screenshot(page, "a05-secrecy-sign-off-form")
    act(page, "sign_off")
    expect(flash(page, "保密审查已通过")).to_be_visible()
    expect_state(page, "approved", "待发布")
    logout(page)

    login(page, "publisher")
    open_from_inbox(page, "待发布", title)
    act(page, "publish")
    expect(flash(page, "已发布")).to_be_visible()
    expect_state(page, "published", "已发布")
    index_number = attribute(page, "索引号").inner_text().strip()
    assert INDEX_NUMBER.match(index_number), index_number
    screenshot(page, "a06-published-item")
    logout(page)

    page.goto("/public/")
    listed = page.get_by_role("link", name=title, exact=True)
    expect(listed).to_be_visible()
    screenshot(page, "a07-public-list")
    listed.click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(attribute(page, "索引号")).to_have_text(index_number)
    screenshot(page, "a08-public-item")
    with page.expect_download() as info:
        page.get_by_role("link", name=filename).click()
    download = info.value
    assert download.suggested_filename == filename
    saved = tmp_path / "download.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == pdf


def test_return_and_resubmit_starts_round_two(page, live_server):
    item_id = live_server.item_ids["pending_leader"]
    reason = "请补充发放对象的村别分布后重新提交"
    new_body = "本季度全镇共发放最低生活保障金 86.4 万元，惠及 312 户 498 人，其中城镇 41 户、农村 271 户。"

    login(page, "leader")
    page.goto(f"/items/{item_id}")
    expect(page.locator(".meta").first).to_contain_text("第 1 轮审批")
    act(page, "return", reason)
    expect(flash(page, "已退回信息员")).to_be_visible()
    expect_state(page, "draft", "已退回")
    logout(page)

    login(page, "officer")
    row = page.locator("#drafts .item-row").filter(
        has_text="2026年第四季度最低生活保障金发放情况公示"
    )
    expect(row.locator(".badge[data-state]")).to_have_text("已退回")
    open_from_inbox(page, "本部门草稿与退回", "2026年第四季度最低生活保障金发放情况公示")
    returned = page.locator(".flash-error").filter(has_text="已被退回")
    expect(returned).to_contain_text(reason)
    expect(returned).to_contain_text("张分管")
    screenshot(page, "b01-officer-sees-return-reason")
    page.get_by_role("link", name="修改内容").click()
    page.get_by_label("正文", exact=True).fill(new_body)
    page.get_by_role("button", name="保存草稿").click()
    expect(flash(page, "修改已保存")).to_be_visible()
    expect(page.locator(".body-text")).to_have_text(new_body)
    act(page, "submit")
    expect(flash(page, "已提交审批")).to_be_visible()
    expect_state(page, "pending_leader", "待分管领导审批")
    meta = page.locator(".meta").first
    expect(meta).to_contain_text("第 2 轮审批")
    expect(meta).to_contain_text("第 2 稿")
    screenshot(page, "b02-resubmitted-round-2")
    logout(page)

    login(page, "leader")
    open_from_inbox(page, "待分管领导审批", "2026年第四季度最低生活保障金发放情况公示")
    expect(page.locator(".body-text")).to_have_text(new_body)
    expect(page.locator("form.action-approve button[type=submit]")).to_be_visible()


def test_withhold_keeps_item_off_the_portal(page, live_server):
    item_id = live_server.item_ids["pending_secrecy"]
    title = "临时救助审批流程说明"

    login(page, "secrecy")
    open_from_inbox(page, "待保密审查", title)
    form = page.locator("form.action-withhold")
    form.locator("summary").click()
    form.get_by_label("不予公开依据").select_option(label="内部事务信息（第十六条）")
    form.locator("#opinion-withhold").fill("属于内部管理流程，依据条例第十六条不予公开")
    screenshot(page, "c01-withhold-form")
    page.once("dialog", lambda dialog: dialog.accept())  # 不予公开 asks first (confirm.js)
    form.locator("button[type=submit]").click()
    expect(flash(page, "已决定不予公开")).to_be_visible()
    expect_state(page, "withheld", "不予公开")
    expect(page.locator(".flash-error").filter(has_text="内部事务信息")).to_be_visible()
    expect(page.locator("form[class*=action-]")).to_have_count(0)
    screenshot(page, "c02-withheld-item")
    logout(page)

    page.goto("/public/")
    expect(page.get_by_role("heading", level=1, name="政府信息公开专栏")).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    response = page.goto(f"/public/items/{item_id}")
    assert response.status == 404


def test_phone_leader_item_page_fits_and_offers_approve(new_page, live_server):
    page = new_page(PHONE)
    login(page, "leader")
    assert has_no_horizontal_scroll(page)
    page.goto(f"/items/{live_server.item_ids['pending_leader']}")
    approve = page.locator("form.action-approve button[type=submit]")
    expect(approve).to_be_visible()
    approve.scroll_into_view_if_needed()
    expect(approve).to_be_in_viewport()
    box = approve.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert has_no_horizontal_scroll(page), page.evaluate(
        "() => [document.scrollingElement.scrollWidth, innerWidth]"
    )
    screenshot(page, "d01-phone-leader-item")


def test_stale_page_gets_a_clear_409_and_changes_nothing(page, live_server):
    item_id = live_server.item_ids["pending_office"]
    login(page, "office")
    page.goto(f"/items/{item_id}")
    other_tab = page.context.new_page()
    other_tab.goto(f"/items/{item_id}")
    act(other_tab, "approve", "同意")
    expect_state(other_tab, "pending_secrecy", "待保密审查")

    act(page, "approve", "同意（旧页面）")
    expect(page.get_by_role("heading", level=1)).to_contain_text("操作冲突")
    expect(page.get_by_text("您的操作没有生效")).to_be_visible()
    screenshot(page, "e01-409-conflict")
    page.get_by_role("link", name="返回并刷新").click()
    expect_state(page, "pending_secrecy", "待保密审查")
    expect(page.locator(".progress .opinion").filter(has_text="旧页面")).to_have_count(0)
