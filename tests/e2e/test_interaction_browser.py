"""互动回应 in a real browser (issue 25, "Done means"): a citizen leaves a message on the portal and
gets a 查询码; the office assigns it to a department; the department answers and the answer is
approved by its leader and the office; the citizen reads the answer, rates it 不满意 and the
message reopens; after the second answer the message is in the public 问答 list, without the
sender's name or contact details."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import DESKTOP, flash, has_no_horizontal_scroll, login, screenshot
from .helpers import PHONE as PHONE_VIEWPORT

pytestmark = pytest.mark.e2e

SUBJECT = "幸福村3组路灯不亮"
SENDER, PHONE = "赵某某", "13700002222"


def form(page, name: str):
    return page.locator(f"#form-{name}")


def open_message(page) -> None:
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="互动回应").click()
    page.get_by_role("link", name=SUBJECT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)


def answer_and_approve(staff: dict, text: str) -> None:
    """The office assigns it to 民政办; its officer answers; its leader, then the office approve."""
    page = staff["office"]
    open_message(page)
    form(page, "assign").get_by_label("承办部门").select_option(label="民政办")
    form(page, "assign").get_by_role("button", name="分办").click()
    expect(flash(page, "已分办至 民政办")).to_be_visible()
    page = staff["officer"]
    open_message(page)
    expect(page.locator("[data-sender]")).to_contain_text(PHONE)  # the department handles it
    form(page, "answer").get_by_label("答复内容").fill(text)
    form(page, "answer").get_by_role("button", name="提交审核").click()
    expect(flash(page, "答复已提交部门负责人审核")).to_be_visible()
    for who, done in (("leader", "答复已送办公室审核"), ("office", "留言已答复")):
        page = staff[who]
        open_message(page)
        form(page, "review").get_by_label("同意").check()
        form(page, "review").get_by_role("button", name="提交审核意见").click()
        expect(flash(page, done)).to_be_visible()


def test_a_message_from_the_portal_to_the_public_questions(new_page):
    citizen = new_page()
    staff = {who: new_page() for who in ("office", "officer", "leader")}  # each signed in once
    for who, page in staff.items():
        login(page, who)

    # 1. the citizen leaves a message and is given a 查询码
    citizen.goto("/public/")
    citizen.get_by_role("link", name="互动问答").click()
    citizen.get_by_role("link", name="我要留言").click()
    citizen.get_by_label("投诉").check()
    citizen.get_by_label("标题").fill(SUBJECT)
    citizen.get_by_label("留言内容").fill("幸福村3组村道两盏路灯坏了两个月，晚上出行不安全。")
    citizen.get_by_label("姓名（选填）").fill(SENDER)
    citizen.get_by_label("联系电话").fill(PHONE)
    citizen.get_by_label("同意在网上公开本留言及答复（不公开姓名和联系方式）").check()
    screenshot(citizen, "i01-portal-message-form")
    citizen.get_by_role("button", name="提交留言").click()
    expect(citizen.get_by_role("heading", level=1, name="留言已提交")).to_be_visible()
    code = citizen.locator("[data-tracking-code]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){2}", code), code

    # 2. and 3. the office assigns it; the department answers; the leader and the office approve
    answer_and_approve(staff, "已安排电工检修，本周内修复。")

    # 4. the citizen reads the answer, rates it 不满意, and the message reopens
    citizen.get_by_role("link", name="查询留言").click()
    citizen.get_by_label("查询码").fill(code.lower())
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.locator("[data-answer-text]")).to_have_text("已安排电工检修，本周内修复。")
    citizen.get_by_label("不满意").check()
    citizen.get_by_label("意见（选填）").fill("一周过去了还没修")
    citizen.get_by_role("button", name="提交评价").click()
    expect(flash(citizen, "将重新办理")).to_be_visible()
    expect(citizen.locator("[data-public-state]")).to_have_text("正在重新办理")
    expect(citizen.locator("#rate-form")).to_have_count(0)
    office = staff["office"]
    office.get_by_role("navigation").get_by_role("link", name="互动回应").click()
    office.get_by_label("状态").select_option(label="重新办理")
    office.get_by_role("button", name="查询").click()
    expect(office.locator("#messages")).to_contain_text(SUBJECT)

    # 5. after the second answer, the message is in the public 问答 list without personal data
    answer_and_approve(staff, "路灯已于本周三修复，感谢您的监督。")
    citizen.reload()
    expect(citizen.locator("[data-answer-text]")).to_have_count(2)
    citizen.get_by_role("link", name="互动问答").click()
    entry = citizen.locator("[data-question]").filter(has_text=SUBJECT)
    expect(entry).to_contain_text("路灯已于本周三修复，感谢您的监督。")
    screenshot(citizen, "i02-portal-questions")
    text = citizen.locator("main").inner_text()
    assert SENDER not in text and PHONE not in text


def test_the_register_fits_a_phone_and_its_filters_sit_in_a_grid(new_page):
    """At 390 px the register's rows wrap inside the card (nothing clipped, no sideways scroll);
    at 1280 px the four filters sit side by side, as the item lists' do."""
    phone = new_page(PHONE_VIEWPORT)
    login(phone, "office")
    phone.goto("/interaction")
    expect(phone.locator("#messages tbody tr").first).to_be_visible()
    assert has_no_horizontal_scroll(phone)
    scroller = phone.locator(".table-scroll").first
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth"), "the table is clipped"
    row = phone.locator("#messages tbody tr").first.bounding_box()
    assert row["x"] >= 0 and row["x"] + row["width"] <= PHONE_VIEWPORT["width"]
    screenshot(phone, "i03-register-phone")

    desk = new_page(DESKTOP)
    login(desk, "office")
    desk.goto("/interaction")
    tops = {
        round(desk.locator(f"#f-{name}").bounding_box()["y"])
        for name in ("state", "category", "department", "level")
    }
    assert len(tops) == 1, tops
    desk.goto("/interaction/statistics")
    assert desk.locator("#s-from").bounding_box()["y"] == desk.locator("#s-to").bounding_box()["y"]
