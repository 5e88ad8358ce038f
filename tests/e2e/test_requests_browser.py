"""依申请公开 in a real browser (issue 28, "Done means"): a citizen files a request on the portal
and gets a 查询码; the office confirms receipt and asks for 补正, and the corrected request
restarts the clock; the department answers with a reply that walks the chain with a masked
attachment and is signed and sent; the citizen sees 已答复 and reads the 答复书.

The clock is the machine's (the live server's today), so dates are read from the pages."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from docx import Document
from playwright.sync_api import expect

from approval.core.clock import local_today

from .helpers import act, flash, login, logout, screenshot

pytestmark = pytest.mark.e2e

RESIDENT_ID = "11010519491231002X"
APPLICANT = "张某某"


def request_form(page, name: str):
    return page.locator(f"#form-{name}")


def a_list_with_an_id_number() -> bytes:
    document = Document()
    document.add_paragraph("2026年危房改造补助名单")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("姓名", "身份证号", "补助金额（元）")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("王某某", RESIDENT_ID, "20000")):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_request_from_the_portal_to_the_reply(page, live_server, tmp_path):
    today = local_today().isoformat()

    # 1. the citizen files the request on the portal and is given a 查询码
    page.goto("/public/")
    page.get_by_role("link", name="申请政府信息公开").first.click()
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill(APPLICANT)
    page.get_by_label("证件类型").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill("110105194912310029")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("所需政府信息的名称、文号或特征性描述").fill("本村危房改造补助名单")
    page.get_by_label("纸质").check()
    page.get_by_label("自取").check()
    screenshot(page, "r01-portal-request-form")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", level=1, name="申请已提交")).to_be_visible()
    code = page.locator("[data-tracking-code]").inner_text().strip()
    number = page.locator("[data-number]").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){2}", code), code
    screenshot(page, "r02-portal-request-filed")

    # 2. the office confirms receipt, asks for 补正 once; the corrected request restarts the clock
    login(page, "office")
    page.get_by_role("navigation").get_by_role("link", name="依申请公开").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    request_form(page, "confirm_receipt").get_by_label("确认收到申请的日期").fill(today)
    request_form(page, "confirm_receipt").get_by_role("button", name="确认收到").click()
    expect(flash(page, "确认收到")).to_be_visible()
    correction = request_form(page, "correction")
    correction.get_by_label("告知日期").fill(today)
    correction.get_by_label("补正期限").fill((local_today() + timedelta(days=15)).isoformat())
    correction.get_by_label("需要补正的事项（一次性列明全部事项）").fill("请写明所在村组")
    correction.get_by_role("button", name="登记补正告知").click()
    expect(flash(page, "已登记补正告知")).to_be_visible()
    expect(page.locator("[data-due]")).to_contain_text("收到补正材料后计算")
    corrected = request_form(page, "corrected")
    corrected.get_by_label("收到补正材料的日期").fill(today)
    corrected.get_by_role("button", name="登记").click()
    expect(flash(page, "答复期限自收到之日起重新计算")).to_be_visible()
    clock_card = page.locator("#clock")
    expect(clock_card).to_contain_text(f"起算日{today}")
    assign = request_form(page, "assign")
    assign.get_by_label("承办科室").select_option(label="民政办")
    assign.get_by_role("button", name="交办").click()
    expect(flash(page, "已交由 民政办 办理")).to_be_visible()
    screenshot(page, "r03-office-request-page")
    logout(page)

    # 3. the department drafts the reply with a list whose ID number it masks, and submits it
    login(page, "officer")
    page.get_by_role("navigation").get_by_role("link", name="依申请公开").click()
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="起草答复").click()
    expect(page.get_by_role("heading", level=1, name="修改答复")).to_be_visible()
    page.get_by_label("答复类型").select_option(value="partial")
    page.get_by_label("答复内容").fill(
        "经审查，名单中的身份证号码属于个人隐私，依据条例第十五条、第三十七条不予公开，"
        "其余内容提供给你（见附件）。"
    )
    page.get_by_role("button", name="保存答复").click()
    expect(flash(page, "修改已保存")).to_be_visible()
    expect(page.locator("[data-reply-of]")).to_contain_text("部分公开")
    page.get_by_label("上传附件").set_input_files(
        {
            "name": "危房改造补助名单.docx",
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "buffer": a_list_with_an_id_number(),
        }
    )
    page.get_by_role("button", name="上传", exact=True).click()
    expect(flash(page, "附件已上传")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())  # the confirmation before masking
    page.get_by_role("button", name="一键脱敏").first.click()
    expect(flash(page, "已对附件中 1 处个人信息作脱敏处理")).to_be_visible()
    act(page, "submit")
    expect(flash(page, "已提交审批")).to_be_visible()
    screenshot(page, "r04-reply-submitted")
    reply_url = page.url
    logout(page)

    # 4. through the chain: the leader, the office, the secrecy review; the publisher sends it
    for who, action, opinion in (("leader", "approve", "同意"), ("office", "approve", "同意")):
        login(page, who)
        page.goto(reply_url)
        act(page, action, opinion)
        expect(flash(page, "已同意")).to_be_visible()
        logout(page)
    login(page, "secrecy")
    page.goto(reply_url)
    groups = page.locator("fieldset.checklist").get_by_role("radiogroup")
    for i in range(groups.count()):
        groups.nth(i).get_by_label("否").check()
    page.locator("#opinion-sign_off").fill("身份证号已脱敏，同意答复")
    act(page, "sign_off")
    expect(flash(page, "保密审查已通过")).to_be_visible()
    logout(page)
    login(page, "publisher")
    page.goto(reply_url)
    expect(page.locator(".badge[data-state]").first).to_have_text("待签发")
    act(page, "send")
    expect(flash(page, "答复已签发")).to_be_visible()
    expect(page.locator(".badge[data-state]").first).to_have_text("已签发")
    logout(page)

    # 5. the citizen sees 已答复 and reads the 答复书, and downloads the masked list
    page.goto("/public/")
    page.get_by_role("link", name="申请查询").first.click()
    page.get_by_label("查询码").fill(code.lower().replace("-", " "))
    page.get_by_label("申请人姓名或名称").fill(APPLICANT)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("[data-public-state]")).to_have_text("已答复")
    screenshot(page, "r05-tracker-answered")
    page.get_by_role("link", name="政府信息公开申请答复书").click()
    letter = page.locator("article.official-document")
    expect(letter).to_contain_text("第三十七条")
    expect(letter).to_contain_text(APPLICANT)
    expect(letter).to_contain_text("行政复议")
    screenshot(page, "r06-tracker-reply-letter")
    with page.expect_download() as info:
        page.get_by_role("link", name="危房改造补助名单.docx").click()
    saved = tmp_path / "list.docx"
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as package:
        xml = package.read("word/document.xml").decode()
    assert RESIDENT_ID not in xml and "110105********002X" in xml
