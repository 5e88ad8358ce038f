"""The read-only JSON API and its OpenAPI document: the document is valid OpenAPI 3.1, it names
exactly the API's endpoints, and every real response (200, 400, 404, 410) validates against the
schema the document declares for it. Keyset pages walk every item once, ties included."""

from __future__ import annotations

import hashlib
import io
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from sqlalchemy import update
from werkzeug.datastructures import FileStorage

from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Category, Item
from approval.publication import drafts
from tests.factories import World
from tests.helpers.pages import heading

API = "/api/v1"


@pytest.fixture
def doc(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json


def publish(world: World, title: str, **overrides) -> Item:
    return world.to_state(world.item(title=title, **overrides), "published")


def check(doc: dict, response, path: str, status: int) -> dict:
    """The response has ``status`` and its JSON body is valid against the schema the OpenAPI
    document declares for that path and status; returns the body."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.mimetype == "application/json"
    declared = doc["paths"][path]["get"]["responses"][str(status)]
    schema = {**declared["content"]["application/json"]["schema"], "components": doc["components"]}
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(response.json)
    return response.json


def list_url(world: World, **query) -> str:
    args = "&".join(f"{k}={v}" for k, v in query.items())
    return f"{API}/bodies/{world.body.id}/items" + (f"?{args}" if args else "")


def local_path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "localhost", url  # absolute, this site
    return parts.path + (f"?{parts.query}" if parts.query else "")


# ---------------------------------------------------------------- the document


def test_openapi_document_is_valid_and_names_exactly_the_api(app, doc):
    validate(doc, cls=OpenAPIV31SpecValidator)
    assert doc["openapi"].startswith("3.1")
    assert doc["servers"] == [{"url": "http://localhost/api/v1"}]
    routes = {
        rule.rule.removeprefix(API).replace("<id:", "{").replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert set(doc["paths"]) == routes
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_schemas_are_closed_so_an_undocumented_field_fails(world, client, doc):
    publish(world, "一条")
    body = client.get(list_url(world)).json
    body["items"][0]["undocumented"] = 1
    schema = {"$ref": "#/components/schemas/ItemPage", "components": doc["components"]}
    assert not Draft202012Validator(schema).is_valid(body)


# ---------------------------------------------------------------- list and detail


def test_list_holds_published_items_of_the_body_newest_first(world, client, doc):
    publish(world, "旧的")
    publish(world, "新的", document_number="测民发〔2026〕3号")
    world.item(title="草稿")
    world.to_state(world.item(title="待发布"), "approved")
    withdrawn = publish(world, "撤稿的")
    world.act("publisher", withdrawn, Action.UNPUBLISH, opinion="内容有误")
    other = World.build(credit_code="11000000MB0000002X")
    other.to_state(other.item(title="别的主体"), "published")

    response = client.get(list_url(world))
    page = check(doc, response, "/bodies/{body_id}/items", 200)

    assert [i["title"] for i in page["items"]] == ["新的", "旧的"]
    assert page["next"] is None and page["next_url"] is None
    newest = page["items"][0]
    assert newest["document_number"] == "测民发〔2026〕3号"
    assert page["items"][1]["document_number"] is None
    assert newest["publisher"] == "民政办"
    assert newest["category"] == {"code": "06", "name": "通知公告"}
    assert newest["info_type"] == {"code": "public_notice", "label": "通知公告"}
    assert newest["validity"] == {"code": "valid", "label": "有效"}
    assert newest["published_at"].endswith("+08:00")
    public_page = client.get(local_path(newest["url"]))  # the item on the portal
    assert public_page.status_code == 200 and heading(public_page.text) == "新的"
    assert client.get(local_path(newest["api_url"])).json["title"] == "新的"
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_detail_has_every_disclosure_attribute_and_downloadable_attachments(world, client, doc):
    item = world.item(
        title="低保标准公告",
        keywords="低保 标准，救助",
        summary="概述",
        document_number="测民发〔2026〕3号",
    )
    data = "姓名,标准\n张三,900\n".encode()
    drafts.add_attachment(
        world.users["officer"],
        item,
        FileStorage(io.BytesIO(data), filename="标准.csv"),
        item.version,
    )
    db.session.commit()
    world.to_state(item, "published")
    world.act("publisher", item, Action.CHANGE_VALIDITY, validity="repealed")

    detail = check(doc, client.get(f"{API}/items/{item.id}"), "/items/{item_id}", 200)

    assert detail["id"] == item.id
    assert detail["index_number"] == item.index_number
    assert detail["title"] == "低保标准公告"
    assert detail["summary"] == "概述"
    assert detail["body"] == item.published_revision.body
    assert detail["body_id"] == world.body.id
    assert detail["body_name"] == "测试镇人民政府"
    assert detail["publisher"] == "民政办"
    assert detail["category"] == {"code": "06", "name": "通知公告"}
    assert detail["formed_on"] == item.published_revision.formed_on.isoformat()
    assert detail["validity"] == {"code": "repealed", "label": "废止"}
    assert detail["keywords"] == ["低保", "标准", "救助"]
    [attachment] = detail["attachments"]
    assert attachment["filename"] == "标准.csv" and attachment["name"] == "标准.csv"
    assert attachment["size"] == len(data)
    assert attachment["sha256"] == hashlib.sha256(data).hexdigest()
    download = client.get(local_path(attachment["url"]))
    assert download.status_code == 200 and download.data == data


def test_a_rich_body_comes_as_sanitized_html_beside_its_text(world, client, doc):
    html = "<p>标准如下：</p><table><tr><td>张三</td><td>900</td></tr></table>"
    item = publish(world, "富文本标准公告", body_html=html, body="标准如下：\n张三 | 900")
    plain = publish(world, "纯文本公告")

    detail = check(doc, client.get(f"{API}/items/{item.id}"), "/items/{item_id}", 200)
    assert "<table>" in detail["body_html"] and "<td>张三</td>" in detail["body_html"]
    assert detail["body"] == "标准如下：\n张三 | 900"
    other = check(doc, client.get(f"{API}/items/{plain.id}"), "/items/{item_id}", 200)
    assert other["body_html"] is None


def test_withdrawn_item_is_410_with_the_public_notice(world, client, doc):
    item = publish(world, "撤稿的")
    world.act("publisher", item, Action.UNPUBLISH, opinion="数据有误，更正后重新发布")

    notice = check(doc, client.get(f"{API}/items/{item.id}"), "/items/{item_id}", 410)

    assert notice["reason"] == "数据有误，更正后重新发布"
    assert notice["title"] == "撤稿的"
    assert notice["error"] == "该信息已撤稿"
    assert notice["unpublished_at"].endswith("+08:00")


@pytest.mark.parametrize(
    "state", ["draft", "pending_leader", "pending_secrecy", "approved", "withheld"]
)
def test_items_not_public_are_404(world, client, doc, state):
    item = world.item(title="不公开的")
    if state == "withheld":
        world.to_state(item, "pending_secrecy")
        world.act("secrecy", item, Action.WITHHOLD, basis="personal_privacy", opinion="涉及隐私")
    else:
        world.to_state(item, state)
    body = check(doc, client.get(f"{API}/items/{item.id}"), "/items/{item_id}", 404)
    assert body["error"] == "信息不存在或未公开"
    assert "不公开的" not in client.get(list_url(world)).text


@pytest.mark.parametrize(
    "url, path",
    [
        (f"{API}/items/999999", "/items/{item_id}"),
        (f"{API}/items/0", "/items/{item_id}"),  # no such id: the router refuses it
        (f"{API}/items/abc", "/items/{item_id}"),
        (f"{API}/bodies/999999/items", "/bodies/{body_id}/items"),
        ("{list}?category=99", "/bodies/{body_id}/items"),
    ],
)
def test_unknown_things_are_404_json(world, client, doc, url, path):
    check(doc, client.get(url.format(list=list_url(world))), path, 404)


def test_unknown_api_path_and_other_methods_answer_json(world, client):
    missing = client.get(f"{API}/nothing-here")
    assert missing.status_code == 404 and missing.json == {"error": "接口地址不存在"}
    item = publish(world, "一条")
    posted = client.post(f"{API}/items/{item.id}")
    assert posted.status_code == 405 and "GET" in posted.headers["Allow"]
    assert posted.json == {"error": "接口只支持 GET 请求"}
    assert client.get("/no-such-page").mimetype == "text/html"  # the rest of the site is HTML


# ---------------------------------------------------------------- paging


@pytest.mark.parametrize(
    "query, word",
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"after": "garbage"}, "after"),
        ({"after": "2026-01-01T00:00:00_x"}, "after"),
        ({"after": "2026-01-01T00:00:00+08:00_3"}, "after"),
        ({"after": "2026-01-01T00:00:00_99999999999"}, "after"),
    ],
)
def test_bad_limit_or_cursor_is_400_with_a_reason(world, client, doc, query, word):
    body = check(doc, client.get(list_url(world, **query)), "/bodies/{body_id}/items", 400)
    assert word in body["error"]


def test_limit_bounds_and_default(world, client, doc):
    for n in range(21):
        publish(world, f"第{n:02d}条")
    default = check(doc, client.get(list_url(world)), "/bodies/{body_id}/items", 200)
    one = check(doc, client.get(list_url(world, limit=1)), "/bodies/{body_id}/items", 200)
    most = check(doc, client.get(list_url(world, limit=100)), "/bodies/{body_id}/items", 200)

    assert len(default["items"]) == 20 and default["next"]
    assert [i["title"] for i in one["items"]] == ["第20条"] and one["next"]
    assert "limit=1" in one["next_url"]
    assert len(most["items"]) == 21 and most["next"] is None


def walk(client, doc, url: str) -> list[dict]:
    seen, pages = [], 0
    while url:
        page = check(doc, client.get(url), "/bodies/{body_id}/items", 200)
        seen += page["items"]
        url = page["next_url"] and local_path(page["next_url"])
        pages += 1
        assert pages < 50
    return seen


def test_keyset_pages_walk_every_item_once_when_times_tie(world, client, doc):
    policies = Category(body_id=world.body.id, code="07", name="政策文件")
    db.session.add(policies)
    db.session.commit()
    published = [
        publish(world, f"条目{n}", category_id=policies.id if n % 3 == 0 else None)
        for n in range(8)
    ]
    same_second = published[0].published_at.replace(microsecond=0)
    tied = [i.id for i in published[1:6]]  # five items published in the very same instant
    db.session.execute(update(Item).where(Item.id.in_(tied)).values(published_at=same_second))
    db.session.commit()
    expected = sorted(published, key=lambda i: (i.published_at, i.id), reverse=True)

    for limit in (1, 2, 3):
        seen = walk(client, doc, list_url(world, limit=limit))
        assert [i["id"] for i in seen] == [i.id for i in expected]

    filed = walk(client, doc, list_url(world, limit=1, category="07"))
    assert [i["id"] for i in filed] == [i.id for i in expected if i.category_id == policies.id]
    assert len(filed) == 3
    assert {i["category"]["code"] for i in filed} == {"07"}
