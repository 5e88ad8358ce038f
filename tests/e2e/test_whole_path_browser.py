"""Issue 24's whole path in Chromium, as an office works: the 信息员 imports a policy written in
Word (a table of standards included) and writes its 政策解读; the 解读 names the policy; the office
asks that the policy go online only with its 解读; both walk the chain; publishing the policy
publishes the 解读 with it; the portal links the two both ways and shows the Word table as a
table; the 公开栏 notice prints with the table, the 索引号 and the QR code. The strict CSP must
block nothing (tests/e2e/conftest.py). E2E_SCREENSHOTS=1 keeps test-artifacts/whole-*.png."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import docx
import pytest
from playwright.sync_api import expect

from .helpers import act, flash, login, logout, screenshot
from .test_chain_browser import open_from_inbox

pytestmark = pytest.mark.e2e

POLICY = "示范镇困难群众临时救助标准调整办法（E2E）"
READING = "《示范镇困难群众临时救助标准调整办法》政策解读（E2E）"
LEVELS = [
    ("一档", "因病致贫家庭", "2000"),
    ("二档", "因灾致困家庭", "1500"),
    ("三档", "其他急难对象", "800"),
]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def policy_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("第一条 为规范临时救助工作，结合本镇实际，制定本办法。")
    document.add_paragraph("第二条 临时救助标准按下表执行：")
    table = document.add_table(rows=1 + len(LEVELS), cols=3)
    for cell, text in zip(table.rows[0].cells, ("档次", "救助对象", "标准（元/次）")):
        cell.text = text
    for row, values in zip(table.rows[1:], LEVELS):
        for cell, text in zip(row.cells, values):
            cell.text = text
    document.add_paragraph("第三条 本办法自发布之日起施行。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def expect_state(page, state: str, label: str) -> None:
    """The item's own badge (the 解读 card shows its policy's too)."""
    badge = page.locator(".badge.big[data-state]")
    expect(badge).to_have_attribute("data-state", state)
    expect(badge).to_have_text(label)


def _fill_attributes(page, info_type: str) -> None:
    page.get_by_label("主题分类", exact=True).select_option(label="社会救助 / 最低生活保障")
    page.get_by_label("信息类别", exact=True).select_option(label=info_type)
    page.get_by_label("成文日期", exact=True).fill((date.today() - timedelta(days=1)).isoformat())
    page.get_by_label("公开方式", exact=True).select_option(label="主动公开")
    page.get_by_label("政务公开栏").check()


def _sign_off(page, title: str) -> None:
    open_from_inbox(page, "待保密审查", title)
    groups = page.locator("fieldset.checklist").get_by_role("radiogroup")
    for i in range(groups.count()):
        groups.nth(i).get_by_label("否").check()
    page.locator("#opinion-sign_off").fill("经审查，不涉密，同意公开")
    act(page, "sign_off")
    expect(flash(page, "保密审查已通过")).to_be_visible()


def test_import_a_policy_walk_it_with_its_interpretation_and_print_the_notice(page, live_server):
    login(page, "officer")
    # the policy, imported from Word: the editor shows the Word table
    page.get_by_role("navigation").get_by_role("link", name="新建信息").click()
    page.get_by_label("标题", exact=True).fill(POLICY)
    page.get_by_label("从Word导入正文").set_input_files(
        files=[{"name": "临时救助标准.docx", "mimeType": DOCX, "buffer": policy_docx()}]
    )
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("已从 Word 文档导入正文")).to_be_visible()
    editor = page.locator("[data-rich-editor]")
    expect(editor.locator("table tr")).to_have_count(1 + len(LEVELS))
    expect(page.get_by_label("标题", exact=True)).to_have_value(POLICY)  # kept across the import
    _fill_attributes(page, "行政规范性文件")
    page.get_by_label("发文字号", exact=True).fill("示民规〔2026〕1号")
    screenshot(page, "whole-01-policy-imported")
    page.get_by_role("button", name="保存草稿").click()
    expect(flash(page, "草稿已保存")).to_be_visible()
    expect(page.locator("[data-rich-body-html] table td", has_text="因灾致困家庭")).to_be_visible()
    act(page, "submit")
    expect_state(page, "pending_leader", "待分管领导审批")

    # its 解读, typed in the editor, names the policy
    page.get_by_role("navigation").get_by_role("link", name="新建信息").click()
    page.get_by_label("标题", exact=True).fill(READING)
    page.locator("[data-rich-editor]").fill(
        "一、调整背景：物价上涨，原标准已不能满足急难对象需要。二、主要变化：分三档救助。"
    )
    _fill_attributes(page, "政策解读")
    page.get_by_role("button", name="保存草稿").click()
    expect(flash(page, "草稿已保存")).to_be_visible()
    page.get_by_label("所解读的政策").select_option(label=POLICY)
    page.locator("#interpretation").get_by_role("button", name="保存").click()
    expect(flash(page, "已保存所解读的政策")).to_be_visible()
    expect(page.locator("[data-policy]")).to_have_text(POLICY)
    act(page, "submit")
    expect_state(page, "pending_leader", "待分管领导审批")
    logout(page)

    login(page, "leader")
    for title in (POLICY, READING):
        open_from_inbox(page, "待分管领导审批", title)
        act(page, "approve", "同意")
        expect(flash(page, "已同意")).to_be_visible()
    logout(page)

    login(page, "office")
    open_from_inbox(page, "待办公室审核", POLICY)
    page.get_by_role("button", name="要求与政策解读同步发布").click()
    expect(flash(page, "须与其政策解读同步发布")).to_be_visible()
    act(page, "approve", "同意")
    expect(flash(page, "已同意")).to_be_visible()
    open_from_inbox(page, "待办公室审核", READING)
    act(page, "approve", "同意")
    expect(flash(page, "已同意")).to_be_visible()
    logout(page)

    login(page, "secrecy")
    _sign_off(page, POLICY)
    _sign_off(page, READING)
    logout(page)

    # publishing the policy publishes its 解读 with it (同步发布)
    login(page, "publisher")
    open_from_inbox(page, "待发布", POLICY)
    act(page, "publish")
    expect(flash(page, "已发布")).to_be_visible()
    expect_state(page, "published", "已发布")
    page.locator("#interpretations").get_by_role("link", name=READING).click()
    expect_state(page, "published", "已发布")
    logout(page)

    # the portal: the Word table is a table, and the two link both ways
    page.goto("/public/")
    page.get_by_role("link", name=POLICY, exact=True).click()
    body = page.locator("[data-rich-body-html]")
    expect(body.locator("table tr")).to_have_count(1 + len(LEVELS))
    expect(body.locator("td", has_text="因病致贫家庭")).to_be_visible()
    screenshot(page, "whole-02-portal-policy")
    page.locator("[data-interpretation]").click()
    expect(page.get_by_role("heading", level=1, name=READING)).to_be_visible()
    page.locator("[data-policy]").click()
    expect(page.get_by_role("heading", level=1, name=POLICY)).to_be_visible()
    index_number = page.locator("table.attrs tr", has_text="索引号").locator("td").inner_text()

    # the 公开栏 notice: title, the table, the issuing body, the address with the 索引号, a QR
    page.get_by_role("link", name="打印公开栏版").click()
    notice = page.locator("article.board-notice")
    expect(notice.locator("h1")).to_have_text(POLICY)
    expect(notice.locator("table tr")).to_have_count(1 + len(LEVELS))
    expect(notice.locator("[data-index]")).to_have_text(index_number.strip())
    expect(notice.locator("[data-address]")).to_contain_text(re.compile(r"/public/items/\d+"))
    qr = notice.locator("img.notice-qr")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    screenshot(page, "whole-03-printed-notice")
    page.emulate_media(media="print")
    expect(page.locator(".document-tools")).to_be_hidden()  # only the sheet is printed
