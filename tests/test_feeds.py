"""Atom feeds (RFC 4287) of the portal: per body and per catalog category, as a feed reader sees
them — valid XML with every required element, stable ids, newest first, published items only."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree
from sqlalchemy import update

from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Category, Item
from tests.factories import World
from tests.helpers.pages import heading

A = {"a": "http://www.w3.org/2005/Atom"}
OFFSET = "+08:00"


def publish(world: World, title: str, **overrides):
    return world.to_state(world.item(title=title, **overrides), "published")


def feed_url(world: World, code: str | None = None) -> str:
    base = f"/public/{world.body.id}"
    return f"{base}/catalog/{code}/feed.atom" if code else f"{base}/feed.atom"


def fetch(client, url: str, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = etree.fromstring(response.data)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    parsed = feedparser.parse(response.data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return root


def one(element, path: str) -> str:
    """The text of exactly one child element (RFC 4287: these appear exactly once)."""
    found = element.findall(path, A)
    assert len(found) == 1, f"{path}: {len(found)} elements"
    return found[0].text


def timestamp(text: str) -> datetime:
    assert text.endswith(OFFSET), text  # RFC 3339 with the Asia/Shanghai offset
    return datetime.fromisoformat(text)


def entries(root) -> list:
    return root.findall("a:entry", A)


def titles(root) -> list[str]:
    return [one(e, "a:title") for e in entries(root)]


def ids(root) -> list[str]:
    return [one(e, "a:id") for e in entries(root)]


def link(element, rel: str) -> str:
    hrefs = [x.get("href") for x in element.findall("a:link", A) if x.get("rel") == rel]
    assert len(hrefs) == 1, (rel, hrefs)
    assert urlsplit(hrefs[0]).scheme in ("http", "https"), hrefs[0]  # absolute
    return hrefs[0]


def assert_required_elements(root) -> None:
    for path in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert one(root, path), path
    timestamp(one(root, "a:updated"))
    for entry in entries(root):
        for path in ("a:id", "a:title", "a:updated", "a:published"):
            assert one(entry, path), path
        assert timestamp(one(entry, "a:published")) <= timestamp(one(entry, "a:updated"))
    all_ids = [one(root, "a:id"), *ids(root)]
    assert len(set(all_ids)) == len(all_ids)


def test_body_feed_lists_published_items_newest_first(world, client):
    first = publish(world, "第一条已发布", summary="第一条的内容概述")
    publish(world, "第二条已发布")
    publish(world, "第三条已发布")
    world.item(title="还是草稿")
    world.to_state(world.item(title="等待分管领导"), "pending_leader")
    world.to_state(world.item(title="等待发布"), "approved")
    withheld = world.to_state(world.item(title="不予公开的"), "pending_secrecy")
    world.act("secrecy", withheld, Action.WITHHOLD, basis="personal_privacy", opinion="涉及隐私")
    withdrawn = publish(world, "发布后撤稿")
    world.act("publisher", withdrawn, Action.UNPUBLISH, opinion="内容有误")

    root = fetch(client, feed_url(world))

    assert_required_elements(root)
    assert titles(root) == ["第三条已发布", "第二条已发布", "第一条已发布"]
    assert one(root, "a:author/a:name") == world.body.name
    assert world.body.name in one(root, "a:title")
    assert link(root, "self") == f"http://localhost{feed_url(world)}"
    home = client.get(urlsplit(link(root, "alternate")).path)  # the body's portal home
    assert home.status_code == 200
    assert (
        heading(home.text) == f"{world.body.name} 政府信息公开专栏" and "第三条已发布" in home.text
    )
    newest = [timestamp(one(e, "a:updated")) for e in entries(root)]
    assert newest == sorted(newest, reverse=True)
    assert timestamp(one(root, "a:updated")) == newest[0]

    oldest = entries(root)[-1]
    assert one(oldest, "a:summary") == "第一条的内容概述"
    assert one(oldest, "a:author/a:name") == "民政办"
    assert oldest.find("a:category", A).get("term") == world.category.code
    assert oldest.find("a:category", A).get("label") == world.category.name
    page = client.get(urlsplit(link(oldest, "alternate")).path)
    assert page.status_code == 200 and "第一条已发布" in page.text
    assert urlsplit(link(oldest, "alternate")).path == f"/public/items/{first.id}"


def test_ids_are_stable_across_requests_and_host_names(app, world, client):
    app.config["TRUSTED_HOSTS"] = ["localhost", "10.0.0.8"]  # the names the site answers to
    publish(world, "甲")
    publish(world, "乙")
    root = fetch(client, feed_url(world))
    again = fetch(client, feed_url(world))
    other_host = fetch(client, feed_url(world), base_url="http://10.0.0.8:8080")

    assert ids(root) == ids(again) == ids(other_host)
    assert one(root, "a:id") == one(again, "a:id") == one(other_host, "a:id")
    # without PUBLIC_BASE_URL, links follow the trusted name the reader used (any other name is
    # refused: tests/test_trusted_hosts.py); the ids a reader deduplicates by do not
    assert link(other_host, "self").startswith("http://10.0.0.8:8080/")
    publish(world, "丙")
    grown = fetch(client, feed_url(world))
    assert ids(grown)[1:] == ids(root)


def test_category_feed_holds_only_items_filed_under_it(world, client):
    policies = Category(body_id=world.body.id, code="07", name="政策文件")
    db.session.add(policies)
    db.session.commit()
    publish(world, "通知一")
    publish(world, "政策一", category_id=policies.id)
    publish(world, "通知二")
    other = World.build(credit_code="11000000MB0000002X")  # another body, the same codes
    other.to_state(other.item(title="别的主体的通知"), "published")

    notices = fetch(client, feed_url(world, "06"))
    policy_feed = fetch(client, feed_url(world, "07"))
    whole = fetch(client, feed_url(world))

    assert_required_elements(notices)
    assert titles(notices) == ["通知二", "通知一"]
    assert {e.find("a:category", A).get("term") for e in entries(notices)} == {"06"}
    assert "通知公告" in one(notices, "a:title")
    assert titles(policy_feed) == ["政策一"]
    assert titles(whole) == ["通知二", "政策一", "通知一"]
    assert len({one(f, "a:id") for f in (notices, policy_feed, whole)}) == 3
    assert link(notices, "self") == f"http://localhost{feed_url(world, '06')}"
    # the same item has the same entry id in the category feed and the body feed
    assert set(ids(notices)) <= set(ids(whole))
    assert titles(fetch(client, feed_url(other, "06"))) == ["别的主体的通知"]


def test_empty_feed_is_still_valid(world, client):
    root = fetch(client, feed_url(world))
    assert_required_elements(root)
    assert entries(root) == []
    assert one(root, "a:updated") == "1970-01-01T08:00:00+08:00"


def test_validity_change_updates_the_entry_and_withdrawal_removes_it(world, client):
    kept = publish(world, "将被废止")
    gone = publish(world, "将被撤稿")
    yesterday = kept.published_at - timedelta(days=1)  # published yesterday, repealed today
    db.session.execute(
        update(Item).where(Item.id == kept.id).values(published_at=yesterday, updated_at=yesterday)
    )
    db.session.commit()
    before = fetch(client, feed_url(world))

    world.act("publisher", kept, Action.CHANGE_VALIDITY, validity="repealed")
    world.act("publisher", gone, Action.UNPUBLISH, opinion="重复发布")
    after = fetch(client, feed_url(world))

    assert titles(before) == ["将被撤稿", "将被废止"]
    assert titles(after) == ["将被废止"]
    entry = entries(after)[0]
    assert timestamp(one(entry, "a:updated")) > timestamp(one(entry, "a:published"))
    assert one(after, "a:updated") == one(entry, "a:updated")


def test_feed_holds_the_latest_twenty(world, client):
    for n in range(21):
        publish(world, f"第{n:02d}条")
    root = fetch(client, feed_url(world))
    assert titles(root) == [f"第{n:02d}条" for n in range(20, 0, -1)]


def test_text_xml_cannot_carry_is_dropped_not_a_broken_feed(world, client):
    publish(world, "标题\x0b含控制符", summary="概述\x0c分页符")
    root = fetch(client, feed_url(world))
    assert titles(root) == ["标题含控制符"]
    assert one(entries(root)[0], "a:summary") == "概述分页符"


@pytest.mark.parametrize(
    "path",
    [
        "/public/999999/feed.atom",
        "/public/{body}/catalog/99/feed.atom",
        "/public/{other}/catalog/07/feed.atom",
    ],
)
def test_unknown_body_or_category_is_404(world, client, path):
    other = World.build(credit_code="11000000MB0000003Y")
    db.session.add(Category(body_id=world.body.id, code="07", name="政策文件"))
    db.session.commit()
    response = client.get(path.format(body=world.body.id, other=other.body.id))
    assert response.status_code == 404
