"""Security review of the rich 正文 (approval/core/rich_text.py): what masking and the fields'
cleaning rule must not leave behind, and what screening must see (a link's address). Each test
failed before its fix."""

from __future__ import annotations

from approval.core import rich_text
from approval.core.screening import mask_text, screen
from approval.core.text import clean

ID = "11010519491231002X"


def _mask(text: str) -> str:
    return mask_text(text, [f for f in screen(text) if f.masked])


def _left(text: str) -> bool:
    return any(f.masked for f in screen(text))


def test_masking_drops_a_link_whose_address_holds_personal_data():
    html = rich_text.sanitize(
        f'<p>详见<a href="http://x.gov.cn/a?sfz={ID}">名单</a>，身份证{ID}</p>'
        '<p>联系 <a href="mailto:li.si@example.cn">李四</a></p>'
        '<p><a href="https://www.gov.cn/">政府网</a></p>'
    )
    body, masked = rich_text.change_body(rich_text.text_of(html), html, _mask, _left)
    assert ID not in masked and "li.si@example.cn" not in masked
    assert "110105********002X" in masked and '<a href="https://www.gov.cn/"' in masked
    assert "名单" in masked and "李四" in masked  # the link's text is kept


def test_masking_a_name_drops_its_link_address():
    html = rich_text.sanitize('<p>户主：<a href="mailto:zhangsan@example.cn">张三</a></p>')
    body, masked = rich_text.change_body(
        rich_text.text_of(html), html, lambda t: t.replace("张三", "张*"), lambda t: False
    )
    assert "zhangsan" not in masked and "张*" in masked and "张三" not in masked


def test_character_references_do_not_bypass_the_cleaning_rule():
    html = rich_text.sanitize("<p>a&#1;b&#x7f;c&#x8;d&#xb;e</p><p>f&#x1f;g</p>")
    assert html == "<p>abcde</p><p>fg</p>"
    assert clean(rich_text.text_of(html)) == rich_text.text_of(html)
    assert rich_text.from_input("<p>x&#1;y</p>") == "<p>xy</p>"


def test_an_id_only_in_a_link_address_is_found_when_the_draft_is_sealed(world):
    """The text screening reads names each link's address: an ID or a mail address that only the
    address holds (shown on hover, in the page source, the API and the feed) is found."""
    item = world.item(
        title="联系方式公示",
        body_html=(
            f'<p>详见<a href="http://x.gov.cn/a?sfz={ID}">名单</a></p>'
            '<p><a href="https://www.gov.cn/">https://www.gov.cn/</a></p>'
        ),
    )
    assert item.current_revision.body == (
        f"详见名单（http://x.gov.cn/a?sfz={ID}）\nhttps://www.gov.cn/"
    )
    world.act("officer", item, "submit")
    assert [f.kind for f in item.current_revision.blocking_findings] == ["resident_id"]
