"""The security admin configures the chain on the 审批流程 page, in a real browser: adding
办公室分管负责人审批 ("…办公室审核—办公室分管负责人审批—网上公布") before the secrecy review, and an
item walking through it. An item that was already in a round finishes on the chain it started with,
and the page says how many such items there are."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_TITLES
from .helpers import PHONE, act, flash, has_no_horizontal_scroll, login, logout, screenshot
from .test_chain_browser import expect_state, open_from_inbox

pytestmark = pytest.mark.e2e

OFFICE_HEAD = "办公室分管负责人审批"


def sign_off(page) -> None:
    groups = page.locator("fieldset.checklist").get_by_role("radiogroup")
    for i in range(5):
        groups.nth(i).get_by_label("否").check()
    page.locator("#opinion-sign_off").fill("经审查，不涉及秘密和个人隐私，同意公开")
    act(page, "sign_off")
    expect(flash(page, "保密审查已通过")).to_be_visible()


def test_adding_office_head_on_the_chain_page_and_walking_an_item_through_it(page, new_page):
    # 王信息 (an officer of 农业农村办) is made the leader of the general office: the 办公室分管负责人
    login(page, "secadmin")
    page.get_by_role("navigation").get_by_role("link", name="授权", exact=True).click()
    page.get_by_role("link", name="授权 王信息").click()
    page.get_by_role("group", name="业务角色").get_by_label("分管领导").check()
    page.get_by_role("group", name="分管科室").get_by_label("党政办公室").check()
    page.get_by_role("button", name="保存").click()
    expect(flash(page, "已更新 王信息 的角色")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="审批流程", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="审批流程")).to_be_visible()
    in_rounds = page.locator("#chain-in-rounds")
    expect(in_rounds).to_contain_text(re.compile(r"目前有 \d+ 条信息正在审批中"))
    steps = page.locator("li.chain-step")
    expect(steps).to_have_count(3)

    # a wrong try first: the secrecy review moved up is refused, in Chinese, as typed
    steps.nth(2).get_by_role("button", name="上移").click()
    expect(page.locator(".flash-info")).to_contain_text("修改尚未保存")
    page.get_by_role("button", name="保存流程").last.click()
    expect(page.locator(".flash-error")).to_contain_text("审批流程必须有且只有一个保密审查步骤")
    expect(steps.nth(1).get_by_label("步骤名称")).to_have_value("保密审查")
    steps.nth(1).get_by_role("button", name="下移").click()
    expect(steps.nth(2).get_by_label("步骤名称")).to_have_value("保密审查")

    adding = page.locator("fieldset.chain-add")
    adding.get_by_label("新步骤名称").fill(OFFICE_HEAD)
    adding.get_by_label("新步骤的审批角色").select_option(label="分管领导")
    adding.get_by_label("新步骤的审批人范围").select_option(label="分管党政办（办公室）的领导")
    expect(adding.get_by_label("位置")).to_have_value("2")  # before the secrecy review
    adding.get_by_role("button", name="添加").click()
    expect(steps).to_have_count(4)
    expect(steps.nth(2).get_by_label("步骤名称")).to_have_value(OFFICE_HEAD)
    screenshot(page, "k01-chain-page-step-added")
    page.get_by_role("button", name="保存流程").last.click()
    expect(flash(page, "审批流程已保存")).to_be_visible()
    expect(steps).to_have_count(4)
    expect(in_rounds).to_contain_text(re.compile(r"其中 \d+ 条按此前的流程办理"))
    logout(page)

    # the page on a phone: nothing wider than the screen
    phone = new_page(viewport=PHONE)
    login(phone, "secadmin")
    phone.goto("/admin/chain")
    expect(phone.locator("li.chain-step")).to_have_count(4)
    assert has_no_horizontal_scroll(phone)
    screenshot(phone, "k02-chain-page-phone")
    logout(phone)

    # the demo draft starts its round now: it walks the new chain
    title = DEMO_TITLES["draft"]
    login(page, "officer")
    open_from_inbox(page, "本部门草稿", title)
    act(page, "submit")
    expect_state(page, "pending_leader", "待分管领导审批")
    logout(page)

    login(page, "leader")
    open_from_inbox(page, "待分管领导审批", title)
    act(page, "approve", "同意")
    expect_state(page, "pending_office", "待办公室审核")
    logout(page)

    login(page, "office")
    open_from_inbox(page, "待办公室审核", title)
    act(page, "approve", "要素齐全，同意")
    expect_state(page, "pending_office_head", f"待{OFFICE_HEAD}")
    # the item already in its round at 办公室审核 goes on to the secrecy review, as it started
    open_from_inbox(page, "待办公室审核", DEMO_TITLES["pending_office"])
    act(page, "approve", "同意")
    expect_state(page, "pending_secrecy", "待保密审查")
    logout(page)

    login(page, "officer2")
    open_from_inbox(page, f"待{OFFICE_HEAD}", title)
    screenshot(page, "k03-office-head-item")
    act(page, "approve", "同意公开")
    expect_state(page, "pending_secrecy", "待保密审查")
    logout(page)

    login(page, "secrecy")
    open_from_inbox(page, "待保密审查", title)
    sign_off(page)
    expect_state(page, "approved", "待发布")
    logout(page)
