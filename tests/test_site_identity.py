"""The portal's site identity and printing (issue 24), over HTTP: the office sets the 主办单位,
网站标识码, 备案号 and contact details (audited before → after, a stale form is a 409 that keeps
what was typed); every portal page shows them in its footer, has a meta description and the
portal's icon; a published item has a printable A4 公开栏 notice with its 索引号, its address and
a QR code made locally."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from approval.extensions import db
from approval.models import AuditEntry, SiteIdentity
from tests.conftest import csrf_from

IDENTITY = {
    "sponsor": "测试镇人民政府办公室",
    "site_code": "3201000001",
    "icp_number": "苏ICP备12345678号",
    "police_number": "苏公网安备 32010202000001号",
    "address": "测试镇人民路1号",
    "phone": "025-12345678",
    "email": "gk@example.gov.cn",
}


def save(b, values: dict, version: str | None = None):
    page = b.get("/office/site")
    assert page.status_code == 200
    if version is None:
        version = re.search(r'name="version"[^>]*value="(\d+)"', page.text).group(1)
    return b.client.post(
        "/office/site", data={"csrf_token": csrf_from(page.text), "version": version, **values}
    )


@pytest.fixture
def office(login_as):
    return login_as("office")


def test_the_office_sets_the_identity_and_every_portal_page_shows_it(world, office, client):
    assert save(office, IDENTITY).status_code == 303
    assert "网站标识和联系方式已保存" in office.get("/office/site").text
    published = world.to_state(world.item(title="公开的信息"), "published")
    pages = [
        f"/public/{world.body.id}/",
        f"/public/{world.body.id}/catalog/06",
        f"/public/{world.body.id}/guide",
        f"/public/items/{published.id}",
        f"/public/{world.body.id}/search?q=公开",
        f"/public/{world.body.id}/apply",
    ]
    for path in pages:
        page = client.get(path)
        assert page.status_code == 200, path
        footer = page.text.split('<footer class="footer wrap">', 1)[1]
        for value in IDENTITY.values():
            assert value in footer, (path, value)
        assert "主办单位：测试镇人民政府办公室" in footer and "网站标识码：3201000001" in footer
        assert 'rel="icon" type="image/svg+xml" href="/static/portal-icon.svg"' in page.text
        description = re.search(r'<meta name="description" content="([^"]+)">', page.text)
        assert description and description.group(1).strip(), path
    icon = client.get("/static/portal-icon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert b"<script" not in icon.data


def test_before_any_setting_the_footer_names_the_body_as_sponsor(world, client):
    page = client.get(f"/public/{world.body.id}/").text
    assert f"主办单位：{world.body.name}" in page and "网站标识码" not in page.split("<footer")[1]


def test_the_item_page_describes_itself_with_its_summary(world, client):
    item = world.to_state(world.item(summary="公布调整后的低保标准"), "published")
    page = client.get(f"/public/items/{item.id}").text
    assert '<meta name="description" content="公布调整后的低保标准">' in page


def test_each_change_is_audited_before_and_after(world, office):
    save(office, IDENTITY)
    assert save(office, {**IDENTITY, "phone": "025-87654321"}).status_code == 303
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "site_identity_changed")
        .order_by(AuditEntry.id)
    ).all()
    assert len(entries) == 2
    (change,) = json.loads(entries[1].detail)["changes"]
    assert change == {
        "field": "phone",
        "name": "联系电话",
        "before": "025-12345678",
        "after": "025-87654321",
    }
    first = {
        c["field"]: (c["before"], c["after"]) for c in json.loads(entries[0].detail)["changes"]
    }
    assert first["site_code"] == ("", "3201000001")
    assert entries[0].body_id == world.body.id
    # saving the same values again writes nothing
    assert save(office, {**IDENTITY, "phone": "025-87654321"}).status_code == 303
    count = select(func.count()).select_from(AuditEntry)
    assert db.session.scalar(count.where(AuditEntry.action == "site_identity_changed")) == 2


def test_a_form_saved_by_someone_else_meanwhile_is_a_409_that_keeps_what_was_typed(
    world, office, login_as
):
    page = office.get("/office/site")
    version = re.search(r'name="version"[^>]*value="(\d+)"', page.text).group(1)
    assert save(login_as("publisher"), IDENTITY).status_code == 303
    response = save(office, {**IDENTITY, "address": "我刚输入的地址"}, version=version)
    assert response.status_code == 409
    assert "已被他人修改" in response.text and 'value="我刚输入的地址"' in response.text
    assert db.session.get(SiteIdentity, world.body.id).address == IDENTITY["address"]


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("email", "not-an-address", "请填写有效的电子邮箱"),
        ("site_code", "32010<script>", "网站标识码只能包含字母和数字"),
        ("phone", "call me", "联系电话只能包含数字"),
    ],
)
def test_a_wrong_value_is_refused_with_what_was_typed(world, office, field, value, message):
    response = save(office, {**IDENTITY, field: value})
    assert response.status_code == 400 and message in response.text
    assert "测试镇人民路1号" in response.text
    assert db.session.get(SiteIdentity, world.body.id) is None


def test_typed_markup_and_line_breaks_are_text_in_the_footer(world, office, client):
    save(office, {**IDENTITY, "address": '人民路<script>alert(1)</script>\r\n1号"'})
    page = client.get(f"/public/{world.body.id}/").text
    assert "<script>alert(1)" not in page
    assert "人民路&lt;script&gt;alert(1)&lt;/script&gt; 1号&#34;" in page


def test_only_the_general_office_reaches_the_settings(world, login_as, client):
    assert client.get("/office/site").status_code == 302  # to the login
    for name in ("officer", "leader", "secrecy", "sysadmin", "secadmin", "auditor"):
        assert login_as(name).get("/office/site").status_code == 403, name
    for name in ("office", "publisher"):
        assert login_as(name).get("/office/site").status_code == 200, name


# ---------------------------------------------------------------- the 公开栏 notice


def test_the_notice_of_a_published_item_has_its_index_number_address_and_a_local_qr(
    world, client, office
):
    save(office, IDENTITY)
    item = world.to_state(
        world.item(
            title="关于临时救助的公示", body="第一段。\n第二段。", document_number="示民〔2026〕3号"
        ),
        "published",
    )
    portal_page = client.get(f"/public/items/{item.id}").text
    assert f'href="/public/items/{item.id}/notice"' in portal_page and "打印公开栏版" in portal_page

    notice = client.get(f"/public/items/{item.id}/notice")
    assert notice.status_code == 200
    text = notice.text
    assert item.index_number and item.index_number in text
    assert "关于临时救助的公示" in text and "示民〔2026〕3号" in text
    assert "<p>第一段。</p><p>第二段。</p>" in text
    assert world.body.name in text and "民政办" in text
    address = f"http://localhost/public/items/{item.id}"
    assert f"data-address>{address}<" in text
    assert 'href="/static/notice.css"' in text
    qr = re.search(r'<img class="notice-qr" src="(data:image/svg\+xml[^"]+)"', text).group(1)
    svg = unquote(qr.split(",", 1)[1]) if ";base64" not in qr else base64.b64decode(qr)
    assert "<svg" in svg and "<script" not in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # no remote reference
    csp = notice.headers["Content-Security-Policy"]
    assert "img-src 'self' data:" in csp  # the QR's data URI is allowed by the app's own CSP


def test_the_qr_code_is_the_items_address_drawn_here(world, client):
    """The image is segno's QR code of the item's portal address (error correction M), made by
    the app for this page: another address gives another picture."""
    import html

    import segno

    item = world.to_state(world.item(), "published")
    text = client.get(f"/public/items/{item.id}/notice").text
    shown = html.unescape(re.search(r'<img class="notice-qr" src="([^"]+)"', text).group(1))
    address = f"http://localhost/public/items/{item.id}"
    assert shown == segno.make(address, error="m").svg_data_uri(scale=4, border=4)
    assert shown != segno.make(address + "0", error="m").svg_data_uri(scale=4, border=4)


def test_the_notice_follows_the_public_base_url(world, client, app):
    app.config["PUBLIC_BASE_URL"] = "https://gk.example.gov.cn"
    item = world.to_state(world.item(), "published")
    text = client.get(f"/public/items/{item.id}/notice").text
    assert f"data-address>https://gk.example.gov.cn/public/items/{item.id}<" in text


def test_there_is_no_notice_for_what_is_not_published(world, client):
    draft = world.item()
    withdrawn = world.act(
        "publisher", world.to_state(world.item(), "published"), "unpublish", opinion="有误"
    )
    assert client.get(f"/public/items/{draft.id}/notice").status_code == 404
    assert client.get(f"/public/items/{withdrawn.id}/notice").status_code == 404
    assert "打印公开栏版" not in client.get(f"/public/items/{withdrawn.id}").text
