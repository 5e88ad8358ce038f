"""The public portal as a citizen sees it: one portal per body, the catalog, item pages with every
信息公开要素, withdrawn items' notices, 废止/失效 marks, keyset pages and the office's pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from approval.extensions import db
from approval.models import Category, PortalPage
from tests.factories import World
from tests.helpers.pages import heading

TITLE_RE = re.compile(r'class="item-title" href="/public/items/(\d+)">')


def published(world, **overrides):
    return world.to_state(world.item(**overrides), "published")


def listed_ids(html: str) -> list[int]:
    return [int(i) for i in TITLE_RE.findall(html)]


def test_the_portal_opens_on_the_only_bodys_home(world, client):
    response = client.get("/public/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/public/{world.body.id}/")


def test_with_several_bodies_the_portal_lists_them_and_each_home_shows_only_its_own(world, client):
    other = World.build(credit_code="11000000MB0000002X")
    mine, theirs = published(world, title="本镇公告"), published(other, title="邻镇公告")
    directory = client.get("/public/").text
    assert world.body.name in directory and f"/public/{other.body.id}/" in directory
    home = client.get(f"/public/{world.body.id}/").text
    assert listed_ids(home) == [mine.id] and "邻镇公告" not in home
    assert listed_ids(client.get(f"/public/{other.body.id}/").text) == [theirs.id]
    assert client.get("/public/999999/").status_code == 404


def test_home_lists_published_items_newest_first_and_nothing_unpublished(world, client):
    first, second = published(world, title="第一条"), published(world, title="第二条")
    world.to_state(world.item(title="待审核的稿件"), "pending_office")
    world.to_state(world.item(title="已审未发的稿件"), "approved")
    withdrawn = published(world, title="已撤稿的信息")
    world.act("publisher", withdrawn, "unpublish", opinion="数据有误")
    home = client.get(f"/public/{world.body.id}/").text
    assert listed_ids(home) == [second.id, first.id]
    for hidden in ("待审核的稿件", "已审未发的稿件", "已撤稿的信息"):
        assert hidden not in home
    assert "信息公开目录" in home and "通知公告" in home  # the catalog is on the home page


def test_repealed_and_expired_items_are_marked_on_listings_and_their_page(world, client):
    repealed = published(world, title="旧办法")
    world.act("publisher", repealed, "change_validity", validity="repealed")
    expired = published(world, title="过期通知")
    world.act("publisher", expired, "change_validity", validity="expired")
    current = published(world, title="现行通知")
    for url in (f"/public/{world.body.id}/", f"/public/{world.body.id}/catalog/06"):
        rows = re.findall(r'<li class="item-row">(.*?)</li>', client.get(url).text, re.S)
        by_title = {re.search(r"item-title[^>]*>([^<]+)<", r).group(1): r for r in rows}
        assert "废止" in by_title["旧办法"] and "失效" in by_title["过期通知"]
        assert "badge" not in by_title["现行通知"]
    assert "本文件已废止" in client.get(f"/public/items/{repealed.id}").text
    assert "本文件已" not in client.get(f"/public/items/{current.id}").text


def test_catalog_pages_list_their_own_items_and_link_their_subcategories(world, client):
    parent = Category(body=world.body, code="03", name="社会救助", position=1)
    child = Category(body=world.body, code="0301", name="最低生活保障", parent=parent, position=2)
    db.session.add_all([parent, child])
    db.session.commit()
    dibao = published(world, title="低保标准公告", category_id=child.id)
    notice = published(world, title="一般通知")
    page = client.get(f"/public/{world.body.id}/catalog/0301")
    assert page.status_code == 200 and listed_ids(page.text) == [dibao.id]
    assert "社会救助" in page.text  # the breadcrumb names the parent
    parent_page = client.get(f"/public/{world.body.id}/catalog/03").text
    assert f"/public/{world.body.id}/catalog/0301" in parent_page and "下级分类" in parent_page
    assert listed_ids(client.get(f"/public/{world.body.id}/catalog/06").text) == [notice.id]
    assert client.get(f"/public/{world.body.id}/catalog/99").status_code == 404


def test_another_bodys_category_code_is_not_found_under_this_body(world, client):
    other = World.build(credit_code="11000000MB0000002X")
    db.session.add(Category(body=other.body, code="77", name="邻镇专属"))
    db.session.commit()
    assert client.get(f"/public/{world.body.id}/catalog/77").status_code == 404
    theirs = client.get(f"/public/{other.body.id}/catalog/77")
    assert theirs.status_code == 200 and heading(theirs.text) == "邻镇专属"


def test_listings_page_by_keyset_without_repeats_or_gaps(world, client):
    items = [published(world, title=f"公告{n:02d}") for n in range(23)]
    for item in items:  # several items in the same second: the id breaks the tie
        item.published_at = items[0].published_at + timedelta(seconds=items.index(item) // 5)
    db.session.commit()
    expected = [i.id for i in sorted(items, key=lambda i: (i.published_at, i.id), reverse=True)]
    first = client.get(f"/public/{world.body.id}/").text
    cursor = re.search(r'href="\?after=([^"]+)" rel="next"', first).group(1)
    second = client.get(f"/public/{world.body.id}/?after={cursor}").text
    assert listed_ids(first) + listed_ids(second) == expected
    assert len(listed_ids(first)) == 20 and 'rel="next"' not in second
    garbage = client.get(f"/public/{world.body.id}/?after=garbage")  # ignored: the first page
    assert garbage.status_code == 200 and listed_ids(garbage.text) == expected[:20]


def test_item_page_shows_every_disclosure_attribute(world, client):
    item = published(world, document_number="测政发〔2026〕3号", keywords="低保 标准")
    text = client.get(f"/public/items/{item.id}").text
    attrs = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)', text))
    assert attrs["索引号"] == item.index_number and attrs["发布机构"] == "民政办"
    assert attrs["主题分类"] == "通知公告" and attrs["信息类别"] == "通知公告"
    assert attrs["发文字号"] == "测政发〔2026〕3号" and attrs["有效性"] == "有效"
    assert attrs["公开方式"] == "主动公开" and attrs["主题词"] == "低保 标准"
    assert attrs["成文日期"] == item.published_revision.formed_on.isoformat()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", attrs["发布日期"])
    assert "城乡低保标准调整为每人每月900元" in text and "公布调整后的低保标准" in text


def test_withdrawn_item_keeps_a_notice_with_its_index_number_and_no_content(world, client):
    item = published(world)
    world.act("publisher", item, "unpublish", opinion="标准已另行调整")
    response = client.get(f"/public/items/{item.id}")
    assert response.status_code == 200
    assert "该信息已撤稿" in response.text and "标准已另行调整" in response.text
    assert item.index_number in response.text
    assert "城乡低保标准调整为每人每月900元" not in response.text


def test_guide_and_rules_pages_show_what_the_office_wrote(world, client):
    url = f"/public/{world.body.id}/guide"
    assert "本机关尚未发布信息公开指南" in client.get(url).text
    db.session.add(
        PortalPage(
            body_id=world.body.id,
            slug="guide",
            title="政府信息公开指南",
            content="一、主动公开\n\n二、依申请公开<script>",
        )
    )
    db.session.commit()
    text = client.get(url).text
    assert "<p>一、主动公开</p>" in text and "<p>二、依申请公开&lt;script&gt;</p>" in text
    rules = client.get(f"/public/{world.body.id}/rules")  # not written yet
    assert rules.status_code == 200 and heading(rules.text) == "信息公开制度"
    assert "本机关尚未发布信息公开制度" in rules.text and "一、主动公开" not in rules.text
    assert client.get(f"/public/{world.body.id}/other").status_code == 404


def test_portal_pages_offer_the_larger_text_mode_from_a_local_script(world, client):
    home = client.get(f"/public/{world.body.id}/").text
    assert 'id="text-size-toggle"' in home and "/static/portal.js" in home
    script = client.get("/static/portal.js")
    assert script.status_code == 200 and "javascript" in script.mimetype
    assert "text-size-toggle" in script.text


@pytest.mark.parametrize(
    "suffix, title",
    [
        ("", "测试镇人民政府 政府信息公开专栏"),
        ("catalog/06", "通知公告"),
        ("guide", "信息公开指南"),
    ],
)
def test_portal_pages_need_no_login(world, client, suffix, title):
    response = client.get(f"/public/{world.body.id}/{suffix}")
    assert response.status_code == 200 and "登录" not in response.text.split("<main")[0]
    assert heading(response.text) == title


def test_an_item_cannot_be_filed_under_another_bodys_category(world):
    from approval.core.errors import InvalidInput

    other = World.build(credit_code="11000000MB0000002X")
    with pytest.raises(InvalidInput, match="本机关的主题分类"):
        world.item(category_id=other.category.id)
    item = world.item()
    with pytest.raises(InvalidInput, match="本机关的主题分类"):
        from approval.publication import drafts

        drafts.update_draft(
            world.users["officer"], item, {"category_id": other.category.id}, item.version
        )
    assert item.current_revision.category_id == world.category.id
