"""The rich 正文's kernel (approval/core/rich_text.py, docs/rich-text.md): the allow-list, the text
rendering, changing the text of the blocks (masking), and what the draft form stores. Pure: no
app, no database. The paths through the app (paste, .docx, portal) are tests/test_rich_body.py."""

from __future__ import annotations

import pytest

from approval.core import rich_text
from approval.core.errors import InvalidInput
from approval.core.screening import mask_text, screen

ID = "11010519491231002X"  # GB 11643 check digit right

# (name, hostile HTML, what must not survive in any form); one test per payload
PAYLOADS = {
    "script": ("<p>前<script>alert('x')</script>后</p>", ("<script", "alert")),
    "script_in_table": (
        "<table><tr><td>张三<script>document.cookie</script></td></tr></table>",
        ("<script", "document.cookie"),
    ),
    "iframe": ('<p>a</p><iframe src="https://evil.example/"></iframe>', ("<iframe", "evil")),
    "onerror": (
        '<img src="x" onerror="alert(1)"><p onclick="alert(2)">b</p>',
        ("onerror", "alert", "onclick", "<img"),
    ),
    "javascript_link": ('<a href="javascript:alert(1)">点我</a>', ("javascript:", "alert")),
    "javascript_link_obfuscated": (
        '<a href=" JaVaScRiPt&#58;alert(1)">点我</a><a href="java\tscript:alert(2)">又一个</a>',
        ("javascript", "script:", "alert"),
    ),
    "css_expression": (
        '<p style="width:expression(alert(1))">c</p><style>p{background:url(javascript:x)}</style>',
        ("expression", "style", "javascript", "alert"),
    ),
    "data_url": (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>'
        '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
        ("data:", "base64", "onload", "<img", "<svg"),
    ),
    "svg_and_math": (
        "<svg><script>alert(1)</script></svg><math><mtext><img src=x onerror=alert(2)></mtext></math>",
        ("<svg", "<math", "alert", "onerror"),
    ),
    "nested_malformed": (
        '<p><b><i>x</p></b><table><td><a href="https://ok.example/"<script>alert(1)</script>'
        "</table><scr<script>ipt>alert(2)</scr</script>ipt>",
        ("<script", "<scr", "javascript"),  # the words stay, as text: harmless
    ),
    "object_embed_form": (
        '<object data="x.swf"></object><embed src="x"><form action="https://evil.example/">'
        '<input name="p"><button formaction="javascript:alert(1)">go</button></form>',
        ("<object", "<embed", "<form", "<input", "<button", "javascript"),
    ),
    "attributes": (
        '<p class="MsoNormal" id="x" style="color:red" lang="EN-US" data-x="1" title="t">e</p>',
        ("class=", "id=", "style=", "lang=", "data-x", "title="),
    ),
    "comment": (
        "<p>f</p><!-- <script>alert(1)</script> --><!--[if gte mso 9]><xml></xml><![endif]-->",
        ("<!--", "alert", "<xml"),
    ),
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_the_sanitizer_removes(name):
    html, forbidden = PAYLOADS[name]
    safe = rich_text.sanitize(html)
    for bad in forbidden:
        assert bad.lower() not in safe.lower(), (name, bad, safe)
    assert rich_text.sanitize(safe) == safe  # stable: output passes again unchanged


def test_the_allowed_markup_is_kept():
    html = (
        "<h1>标题</h1><h4>小标题</h4><p>一<br>二 <strong>粗</strong><b>b</b><em>斜</em><i>i</i>"
        "<u>下划线</u>m<sup>2</sup></p><ul><li>甲</li></ul><ol><li>乙</li></ol>"
        '<p><a href="https://www.gov.cn/">中国政府网</a> <a href="mailto:a@b.cn">信箱</a></p>'
        '<table><thead><tr><th colspan="2">表头</th></tr></thead>'
        '<tbody><tr><td rowspan="2">a</td><td>b</td></tr><tr><td>c</td></tr></tbody></table>'
    )
    safe = rich_text.sanitize(html)
    for kept in (
        "<h1>标题</h1>",
        "<h4>小标题</h4>",
        "<br>",
        "<strong>粗</strong>",
        "<em>斜</em>",
        "<u>下划线</u>",
        "<sup>2</sup>",
        "<ul><li>甲</li></ul>",
        "<ol><li>乙</li></ol>",
        '<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>',
        '<a href="mailto:a@b.cn" rel="noopener noreferrer">信箱</a>',
        '<th colspan="2">表头</th>',
        '<td rowspan="2">a</td>',
    ):
        assert kept in safe, kept


def test_spans_are_integers_within_bounds_and_links_absolute():
    safe = rich_text.sanitize(
        '<table><tr><td colspan="3">a</td><td colspan="0">b</td><td colspan="2x">c</td>'
        '<td rowspan="99999">d</td><td colspan=" 04 ">e</td><td colspan="101">f</td></tr></table>'
        '<a href="/items/1">内部</a><a href="#top">锚点</a><a href="ftp://x/">ftp</a>'
    )
    assert '<td colspan="3">a</td><td>b</td><td>c</td><td>d</td><td colspan="4">e</td>' in safe
    assert "<td>f</td>" in safe
    assert "href" not in safe.split("</table>")[1]


def test_text_passes_the_fields_cleaning_rule():
    safe = rich_text.sanitize("<p>a\x00b\x07c\x1bd\ufffee&#0;f</p>")
    assert safe == "<p>abcde\ufffdf</p>" or safe == "<p>abcdef</p>"
    assert not any(ord(c) < 32 for c in safe)


def test_the_text_rendering():
    html = rich_text.sanitize(
        "<h2>一、对象</h2><p>经评议，\n  现予公示：</p><ul><li>第一条</li><li>第二条</li></ul>"
        "<p>甲<br>乙</p><p> </p>"
        "<table><tr><th>姓名</th><th>村</th><th>金额</th></tr>"
        '<tr><td><p>张三</p><p>（户主）</p></td><td rowspan="2">幸福村</td><td>800</td></tr>'
        "<tr><td>李四</td><td></td></tr></table><p>完</p>"
    )
    assert rich_text.text_of(html) == (
        "一、对象\n经评议， 现予公示：\n第一条\n第二条\n甲\n乙\n"
        "姓名 | 村 | 金额\n张三 （户主） | 幸福村 | 800\n李四 | \n完"
    )
    assert rich_text.text_of("") == "" and rich_text.text_of(None) == ""


def _mask(text: str) -> str:
    return mask_text(text, [f for f in screen(text) if f.masked])


def test_masking_the_blocks_keeps_the_table_and_the_markup():
    html = rich_text.sanitize(
        f"<table><tr><td>张三</td><td>{ID[:4]}<b>{ID[4:8]}</b>{ID[8:]}</td></tr>"
        "<tr><td>李四</td><td>13812345678</td></tr></table><p>联系：<em>13912345678</em></p>"
    )
    masked = rich_text.change_text(html, _mask)
    assert "<table>" in masked and "<b>" in masked and "<em>139****5678</em>" in masked
    text = rich_text.text_of(masked)
    assert ID not in text and "110105********002X" in text and "138****5678" in text
    assert not any(f.masked for f in screen(text))


def test_a_change_of_length_replaces_the_blocks_markup_and_keeps_its_text():
    html = rich_text.sanitize(
        "<p>甲<b>乙</b>丙<br>丁</p><table><tr><td>x<i>y</i></td></tr></table>"
    )
    changed = rich_text.change_text(html, lambda text: text.replace("乙", "**乙**"))
    assert changed.startswith("<p>甲**乙**丙<br>丁</p>") and "<td>x<i>y</i></td>" in changed


def test_change_body_falls_back_to_the_text_when_something_is_left():
    html = rich_text.sanitize(f"<p>{ID[:9]}</p><p>{ID[9:]}</p>")
    body = rich_text.text_of(html)
    assert rich_text.change_body(body, None, _mask, lambda t: False) == (_mask(body), None)
    # nothing to find in either block, but the check finds something: the plain text wins
    text, kept = rich_text.change_body(body, html, _mask, lambda t: "1101" in t)
    assert kept is None and text == _mask(body)
    text, kept = rich_text.change_body(body, html, _mask, lambda t: False)
    assert kept == html and text == body


def test_what_the_form_stores():
    table = "<table><tr><td>张三</td><td>800</td></tr></table>"
    # from the editor: the HTML, sanitized, and its text
    assert rich_text.body_from_form("ignored", table + "<script>x</script>", True) == (
        "张三 | 800",
        "<table><tbody><tr><td>张三</td><td>800</td></tr></tbody></table>",
    )
    assert rich_text.body_from_form("typed", "<p> </p>", True) == ("", None)
    # paragraphs and line breaks only: the text says the same, and the 正文 stays plain
    assert rich_text.body_from_form("", "<p>甲</p><div>乙<br>丙</div>", True) == (
        "甲\n乙\n丙",
        None,
    )
    assert rich_text.body_from_form("", "<p>甲<b>乙</b></p>", True) == (
        "甲乙",
        "<p>甲<b>乙</b></p>",
    )
    # without script: the HTML stays while its text does, and goes once the text is edited
    safe = rich_text.sanitize(table)
    assert rich_text.body_from_form("张三 | 800\r\n", safe, False) == ("张三 | 800", safe)
    assert rich_text.body_from_form("张三 | 900", safe, False) == ("张三 | 900", None)
    assert rich_text.body_from_form("纯文本\r\n第二段", "", False) == ("纯文本\r\n第二段", None)


def test_a_body_too_long_is_refused_in_chinese():
    with pytest.raises(InvalidInput, match="正文过长"):
        rich_text.from_input("<p>" + "长" * (rich_text.MAX_HTML_CHARS + 1) + "</p>")
    with pytest.raises(InvalidInput, match="正文过长"):
        rich_text.from_input("<span></span>" * (rich_text.MAX_INPUT_CHARS // 13 + 1))


def test_tables_get_a_scrolling_wrapper_only_as_markup():
    safe = rich_text.sanitize("<p>&lt;table&gt;</p><table><tr><td>a</td></tr></table>")
    wrapped = rich_text.wrap_tables(safe)
    assert wrapped.count('<div class="table-scroll" tabindex="0">') == 1
    assert "<p>&lt;table&gt;</p>" in wrapped
