"""The rich 正文 through the app (issue 24; docs/rich-text.md): imported from a .docx on the draft
form, pasted into the editor (its HTML posted as the editor posts it), sanitized on save and on
output, published as an HTML table on the portal, found by the search, screened and hashed. The
kernel's rules alone are tests/test_rich_text.py."""

from __future__ import annotations

import html
import io
import re
import time

import pytest
from sqlalchemy import select

from approval.core.hashing import tagged_digest
from approval.extensions import db
from approval.models import Item
from tests.conftest import csrf_from
from tests.db_snapshot import changed_tables, snapshot
from tests.helpers import hostile_files, rich_docx
from tests.test_rich_text import PAYLOADS

VALID_ID = "11010519491231002X"
EDITOR_RE = re.compile(r"<div class=\"rich-editor[^>]*>(.*?)</div>\s*<textarea", re.S)
HIDDEN_RE = re.compile(r'name="body_html" value="([^"]*)"')
TEXTAREA_RE = re.compile(r"<textarea[^>]*name=\"body\"[^>]*>(.*?)</textarea>", re.S)
PORTAL_BODY_RE = re.compile(
    r"<div class=\"rich-body-html\" data-rich-body-html>(.*?)</div>\s*</article>", re.S
)


def fields(world, **overrides) -> dict:
    """The draft form as a browser sends it (no attachment, no 公示期)."""
    data = {
        "title": "2026年第一季度临时救助对象公示",
        "summary": "",
        "body": "",
        "body_html": "",
        "body_editor": "",
        "category_id": str(world.category.id),
        "info_type": "public_notice",
        "document_number": "",
        "formed_on": "2026-01-05",
        "disclosure_mode": "proactive",
        "non_disclosure_basis": "",
        "channels": "website",
        "keywords": "",
    }
    data.update(overrides)
    return data


def post_form(b, data: dict, url: str = "/items/new", docx: tuple[bytes, str] | None = None):
    page = b.get(url)
    payload = {**data, "csrf_token": csrf_from(page.text)}
    if docx is not None:
        payload["body_docx"] = (io.BytesIO(docx[0]), docx[1])
        payload["import_docx"] = "1"
    return b.client.post(url, data=payload, content_type="multipart/form-data")


def as_sent(page: str) -> tuple[str, str]:
    """(body_html, body) of a form page, as its no-script form sends them back."""
    return html.unescape(HIDDEN_RE.search(page).group(1)), html.unescape(
        TEXTAREA_RE.search(page).group(1)
    )


def newest_item() -> Item:
    return db.session.scalars(select(Item).order_by(Item.id.desc())).first()


def save_pasted(world, officer, pasted: str) -> Item:
    """A new draft whose 正文 was pasted into the editor: its HTML as the script posts it."""
    response = post_form(
        officer, fields(world, body="（编辑器文字）", body_html=pasted, body_editor="1")
    )
    assert response.status_code == 302, response.text
    return newest_item()


def portal_body(client, item: Item) -> str:
    page = client.get(f"/public/items/{item.id}")
    assert page.status_code == 200
    return PORTAL_BODY_RE.search(page.text).group(1)


def rows_of(markup: str) -> list[list[str]]:
    return [
        [
            re.sub(r"<[^>]+>", "", cell)
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", markup, re.S)
    ]


# ---------------------------------------------------------------- import, publish, find


def test_a_docx_with_a_20_row_table_is_imported_published_and_found(world, login_as, client):
    officer = login_as("officer")
    started = time.monotonic()
    imported = post_form(
        officer, fields(world, body="先打的字"), docx=(rich_docx.notice_docx(), "公示.docx")
    )
    took = time.monotonic() - started
    assert imported.status_code == 200, imported.text
    assert "已从 Word 文档导入正文" in imported.text
    assert "2026年第一季度临时救助对象公示" in imported.text  # what was typed stays
    editor = EDITOR_RE.search(imported.text).group(1)
    assert len(rows_of(editor)) == 22  # the merged title row, the header row, 20 people
    assert db.session.scalar(select(Item.id)) is None  # the import alone writes nothing

    body_html, body = as_sent(imported.text)
    response = post_form(officer, fields(world, body=body, body_html=body_html))
    assert response.status_code == 302, response.text
    item = newest_item()
    revision = item.current_revision
    assert revision.body_html.count("<tr>") == 22
    assert "<h1>2026年第一季度临时救助对象公示</h1>" in revision.body_html
    assert '<td colspan="4">' in revision.body_html  # the merged cell
    assert "赵明 | 青山村 | 3301**********1200 | 600" in revision.body.splitlines()

    world.to_state(item, "published")
    shown = portal_body(client, item)
    assert '<div class="table-scroll" tabindex="0"><table>' in shown
    rows = rows_of(shown)
    assert rows[1] == ["姓名", "所在村", "身份证号", "救助金额（元）"]
    assert rows[2:] == [list(row) for row in rich_docx.roster()]  # 20 rows, every cell intact
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>' in shown

    results = client.get(f"/public/{world.body.id}/search?q=柳湾村").text
    link = f'href="/public/items/{item.id}"'
    assert link in results  # found by a word in a cell, and leads to the page with the table
    assert len(rows_of(portal_body(client, item))) == 22
    print(f"\n.docx of 20 rows: imported in {took:.2f} s (request, child and all)")


def test_the_import_offers_itself_on_the_edit_form_and_keeps_what_was_typed(world, login_as):
    item = world.item()
    officer = login_as("officer")
    url = f"/items/{item.id}/edit"
    typed = fields(world, title="改过的标题", body="改过的正文", version=str(item.version))
    response = post_form(
        officer, typed, url=url, docx=(rich_docx.text_docx("第一段", "第二段"), "a.docx")
    )
    assert response.status_code == 200 and "改过的标题" in response.text
    body_html, body = as_sent(response.text)
    assert body_html == "<p>第一段</p><p>第二段</p>" and body == "第一段\n第二段"
    db.session.expire_all()
    assert item.current_revision.body_html is None  # nothing saved until the officer saves
    saved = post_form(officer, {**typed, "body": body, "body_html": body_html}, url=url)
    assert saved.status_code == 302
    db.session.expire_all()
    # nothing but paragraphs: stored as a plain 正文, one line each (docs/rich-text.md)
    assert item.current_revision.body_html is None
    assert item.current_revision.body == "第一段\n第二段"
    assert item.current_revision.title == "改过的标题"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("旧格式.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为"),
        ("伪装.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为"),
        ("文稿.wps", b"PK\x03\x04whatever", "另存为"),
        ("表格.xlsx", b"PK\x03\x04whatever", "只能导入 Word 文档（.docx）"),
        ("坏的.docx", b"PK\x03\x04 not a zip at all", "文件已损坏或不是有效的 Word"),
    ],
)
def test_other_files_are_refused_with_a_clear_message(world, login_as, filename, data, message):
    officer = login_as("officer")
    before = snapshot()
    response = post_form(officer, fields(world, body="保留的正文"), docx=(data, filename))
    assert response.status_code == 422 and message in response.text
    assert "保留的正文" in response.text and "2026年第一季度临时救助对象公示" in response.text
    assert changed_tables(before, snapshot()) == {}


def test_a_file_over_the_size_limit_is_refused(world, app, login_as):
    app.config.update(ATTACHMENT_MAX_BYTES=1024)
    response = post_form(
        login_as("officer"), fields(world), docx=(rich_docx.notice_docx(), "大.docx")
    )
    assert response.status_code == 422 and "文件超过 1 KB，不能导入正文" in response.text


def test_a_hostile_docx_is_stopped_by_the_limits_and_nothing_is_written(
    world, app, login_as, tmp_path
):
    app.config.update(EXTRACT_CPU_SECONDS=1)
    hostile = hostile_files.make("busy_docx", tmp_path / "hostile").read_bytes()
    officer = login_as("officer")
    before = snapshot()
    started = time.monotonic()
    response = post_form(officer, fields(world, body="先打的字"), docx=(hostile, "名单.docx"))
    took = time.monotonic() - started
    assert response.status_code == 422
    assert "读取该 Word 文档超过处理时限，未能导入正文" in response.text
    assert "先打的字" in response.text  # the form keeps what was typed
    assert changed_tables(before, snapshot()) == {}
    assert took < 10
    print(f"\nbusy .docx ({len(hostile)} bytes): stopped after {took:.2f} s")


# ---------------------------------------------------------------- hostile payloads


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_a_pasted_payload_is_gone_from_the_saved_html_and_the_portal(world, login_as, client, name):
    pasted, forbidden = PAYLOADS[name]
    # with a table, so that the 正文 is kept as HTML (paragraphs alone are stored as text)
    item = save_pasted(
        world, login_as("officer"), f"<p>正文开头</p><table><tr><td>表</td></tr></table>{pasted}"
    )
    saved = item.current_revision.body_html
    world.to_state(item, "published")
    page = client.get(f"/public/items/{item.id}").text
    wrapper = '<div class="table-scroll" tabindex="0">'  # the portal's own
    shown = portal_body(client, item).replace(wrapper, "")
    assert "正文开头" in shown
    for bad in forbidden:
        assert bad.lower() not in saved.lower(), bad
        assert bad.lower() not in shown.lower(), bad
    assert "javascript:" not in page.lower() and "onerror" not in page.lower()


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(document.cookie)",
        "JAVASCRIPT:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
    ],
)
def test_a_docx_link_payload_is_dropped(world, login_as, client, target):
    officer = login_as("officer")
    imported = post_form(officer, fields(world), docx=(rich_docx.linked_docx(target), "链接.docx"))
    assert imported.status_code == 200
    body_html, body = as_sent(imported.text)
    assert body_html == '<p>详见：<a rel="noopener noreferrer">点击查看</a></p>'
    assert post_form(officer, fields(world, body=body, body_html=body_html)).status_code == 302
    item = newest_item()
    world.to_state(item, "published")
    page = client.get(f"/public/items/{item.id}").text
    scheme = target.split(":")[0].lower()
    assert f"{scheme}:" not in page.lower() and "点击查看" in page


def test_docx_text_that_looks_like_markup_stays_text(world, login_as, client):
    officer = login_as("officer")
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    imported = post_form(officer, fields(world), docx=(rich_docx.text_docx(payload), "字.docx"))
    body_html, body = as_sent(imported.text)
    assert "<script" not in body_html and "&lt;script&gt;" in body_html
    assert post_form(officer, fields(world, body=body, body_html=body_html)).status_code == 302
    item = newest_item()
    world.to_state(item, "published")
    page = client.get(f"/public/items/{item.id}").text
    assert "<script>alert" not in page and "<img src=x" not in page


# ---------------------------------------------------------------- hash, screening, no script


def test_the_hash_covers_the_html_and_old_hashes_are_unchanged(world):
    plain = world.item()
    revision = plain.current_revision
    assert "body_html" not in revision.content()
    old_style = {  # what content() held before the rich 正文 existed
        **{f: getattr(revision, f) for f in revision.CONTENT_FIELDS},
        "formed_on": revision.formed_on.isoformat(),
        "department_id": plain.department_id,
        "attachments": [],
    }
    assert revision.compute_hash() == tagged_digest(old_style)

    table = "<table><tr><td>张三</td><td>800</td></tr></table>"
    rich = world.item(body="张三 | 800", body_html=table)
    one = rich.current_revision.compute_hash()
    rich.current_revision.body_html = table.replace("800", "900")
    assert rich.current_revision.compute_hash() != one
    rich.current_revision.body_html = table.replace("<td>", "<td><b>").replace("</td>", "</b></td>")
    assert rich.current_revision.compute_hash() != one  # formatting alone counts too
    db.session.rollback()


def test_screening_finds_a_resident_id_in_a_table_cell(world, login_as):
    pasted = f"<table><tr><td>张三</td><td>{VALID_ID}</td><td>800</td></tr></table>"
    item = save_pasted(world, login_as("officer"), pasted)
    assert item.current_revision.body == f"张三 | {VALID_ID} | 800"
    world.act("officer", item, "submit")
    findings = item.current_revision.findings
    assert [(f.kind, f.severity, f.field) for f in findings] == [("resident_id", "high", "body")]
    page = login_as("leader").get(f"/items/{item.id}").text
    assert "<mark>" + VALID_ID + "</mark>" in page and "<table>" in page


def test_one_click_masking_masks_the_cells_and_keeps_the_table(world, login_as):
    officer = login_as("officer")
    item = save_pasted(
        world, officer, f"<table><tr><td>张三</td><td><b>{VALID_ID}</b></td></tr></table>"
    )
    page = officer.get(f"/items/{item.id}").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    officer.post(f"/items/{item.id}/mask", {"version": version}, token_from=f"/items/{item.id}")
    db.session.expire_all()
    revision = db.session.get(Item, item.id).current_revision
    assert (
        revision.body_html
        == "<table><tbody><tr><td>张三</td><td><b>110105********002X</b></td></tr></tbody></table>"
    )
    assert revision.body == "张三 | 110105********002X"


def test_without_script_the_text_area_is_the_body(world, login_as):
    officer = login_as("officer")
    item = save_pasted(world, officer, "<table><tr><td>张三</td><td>800</td></tr></table>")
    url = f"/items/{item.id}/edit"
    body_html, body = as_sent(officer.get(url).text)
    unchanged = fields(world, body=body, body_html=body_html, version=str(item.version))
    assert post_form(officer, unchanged, url=url).status_code == 302
    db.session.expire_all()
    assert item.current_revision.body_html is not None  # nothing changed: the table stays
    edited = {**unchanged, "body": "张三 | 900", "version": str(item.version)}
    assert post_form(officer, edited, url=url).status_code == 302
    db.session.expire_all()
    assert item.current_revision.body_html is None and item.current_revision.body == "张三 | 900"


def test_an_empty_editor_is_refused_and_the_feed_carries_the_html(world, login_as, client):
    officer = login_as("officer")
    empty = post_form(officer, fields(world, body_html="<p> </p>", body_editor="1"))
    assert empty.status_code == 422 and "请填写正文" in empty.text
    item = save_pasted(
        world, officer, "<table><tr><td>张三</td><td>800</td></tr></table><script>x</script>"
    )
    world.to_state(item, "published")
    feed = client.get(f"/public/{world.body.id}/feed.atom").text
    assert '<content type="html">&lt;table&gt;' in feed and "script" not in feed


def test_the_service_stores_only_sanitized_html_and_its_text(world):
    """Whoever calls the service (not only the form): the HTML is cleaned and the text that
    screening and search read is the rendering of what the portal shows."""
    item = world.item(
        title="直接调用服务",
        body="与表格无关的文字",
        body_html='<table><tr><td onclick="x()">李四</td></tr></table><script>alert(1)</script>',
    )
    revision = item.current_revision
    assert "script" not in revision.body_html and "onclick" not in revision.body_html
    assert revision.body == "李四"
