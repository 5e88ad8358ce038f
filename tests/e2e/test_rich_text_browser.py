"""The rich 正文 in Chromium (issue 24; docs/rich-text.md): an officer imports a .docx on the
new-item form and sees its table in the editor; pasting HTML from the clipboard keeps a table and
drops a script; the saved draft's page and its preview show the tables; the demo's 公示 reads on
a phone (its table scrolls sideways inside its box, the page does not). The strict CSP must block
nothing (tests/e2e/conftest.py). E2E_SCREENSHOTS=1 keeps test-artifacts/rich-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from approval.extensions import db
from approval.models import Item, Revision
from tests.helpers import rich_docx

from .helpers import DESKTOP, PHONE, has_no_horizontal_scroll, login, screenshot

pytestmark = pytest.mark.e2e

NOTICE_TITLE = "关于2026年第四季度新增最低生活保障对象的公示"

PASTED = (
    '<meta charset="utf-8"><style>p.MsoNormal{margin:0}</style>'
    '<p class="MsoNormal" style="mso-line-height-rule:exactly"><span lang="EN-US">粘贴的说明</span></p>'
    '<table class="MsoTableGrid" border="1" style="border-collapse:collapse">'
    '<tr><td width="200" style="border:solid windowtext 1pt"><p class="MsoNormal">粘贴表格甲</p></td>'
    '<td colspan="2"><p>粘贴表格乙</p></td></tr>'
    "<tr><td>丙</td><td>丁</td><td>戊</td></tr></table>"
    "<script>window.__pasted_script_ran = true</script>"
    '<img src="x" onerror="window.__pasted_onerror_ran = true">'
)

PASTE = """(html) => {
  const editor = document.querySelector('[data-rich-editor]');
  editor.focus();
  const selection = window.getSelection();
  selection.selectAllChildren(editor);
  selection.collapseToEnd();
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', '粘贴的说明');
  editor.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def test_import_a_docx_and_paste_from_word(new_page, live_server, app, tmp_path):
    page = new_page(DESKTOP)
    login(page, "officer")
    page.goto("/items/new")
    editor = page.locator("[data-rich-editor]")
    expect(editor).to_be_visible()  # the script replaced the text area by the editor
    expect(page.locator("textarea[name=body]")).to_be_hidden()
    page.get_by_label("标题").fill("浏览器导入的临时救助公示")

    page.get_by_label("从Word导入正文").set_input_files(
        files=[
            {
                "name": "公示.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "buffer": rich_docx.notice_docx(),
            }
        ]
    )
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("已从 Word 文档导入正文")).to_be_visible()
    expect(page.get_by_label("标题")).to_have_value("浏览器导入的临时救助公示")
    expect(editor.locator("table tr")).to_have_count(22)
    expect(editor.locator("td", has_text="柳湾村").first).to_be_visible()
    screenshot(page, "rich-editor-imported-desktop")

    page.evaluate(PASTE, PASTED)
    expect(editor.locator("td", has_text="粘贴表格甲")).to_be_visible()
    assert editor.locator("table").count() == 2
    assert editor.locator("script, img, style, [style], [class]").count() == 0
    assert editor.locator("td[colspan='2']", has_text="粘贴表格乙").count() == 1
    assert page.evaluate("() => !window.__pasted_script_ran && !window.__pasted_onerror_ran")

    page.get_by_label("主题分类").select_option(index=1)
    page.get_by_label("信息类别").select_option(index=1)
    page.get_by_label("成文日期").fill("2026-01-05")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    body = page.locator("[data-rich-body-html]")
    expect(body.locator("table")).to_have_count(2)
    expect(body.locator("td", has_text="粘贴表格甲")).to_be_visible()
    item_id = int(re.search(r"/items/(\d+)", page.url).group(1))

    with app.app_context():
        saved = db.session.scalar(
            select(Revision.body_html)
            .join(Item, Item.current_revision_id == Revision.id)
            .where(Item.id == item_id)
        )
    assert saved.count("<table>") == 2 and "粘贴的说明" in saved
    for gone in ("script", "onerror", "<img", "style", "class=", "<meta"):
        assert gone not in saved, gone

    page.goto(f"/items/{item_id}/preview")
    expect(page.locator("[data-rich-body-html] .table-scroll table")).to_have_count(2)
    assert page.evaluate("() => !window.__pasted_script_ran && !window.__pasted_onerror_ran")


def test_the_editor_and_a_table_read_on_a_phone(new_page, live_server, app):
    page = new_page(PHONE)
    login(page, "officer")
    page.goto("/items/new")
    expect(page.locator("[data-rich-toolbar]")).to_be_visible()
    assert has_no_horizontal_scroll(page)
    screenshot(page, "rich-editor-phone")

    with app.app_context():  # the demo's running 公示 (approval/notices/demo.py)
        notice = db.session.scalar(
            select(Item.id).join(Item.current_revision).where(Revision.title == NOTICE_TITLE)
        )
    page.goto(f"/public/items/{notice}")
    table = page.locator("[data-rich-body-html] .table-scroll table")
    expect(table).to_have_count(1)
    expect(table.locator("td", has_text="幸福村").first).to_be_attached()
    assert has_no_horizontal_scroll(page)  # the table scrolls in its box, not the page
    widths = page.evaluate(
        "() => { const box = document.querySelector('.rich-body-html .table-scroll');"
        " return [box.clientWidth, box.scrollWidth]; }"
    )
    assert widths[0] <= 390
    screenshot(page, "rich-portal-notice-phone")


def test_without_script_the_form_is_a_text_area(new_page, live_server):
    page = new_page(DESKTOP, java_script_enabled=False)
    login(page, "officer")
    page.goto("/items/new")
    expect(page.locator("textarea[name=body]")).to_be_visible()
    expect(page.locator("[data-rich-editor]")).to_be_hidden()
    expect(page.get_by_label("从Word导入正文")).to_be_visible()
