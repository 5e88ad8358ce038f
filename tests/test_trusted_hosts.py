"""Hosts and absolute URLs (issue 26, F7; docs/security.md "Hosts and absolute URLs").

A request for a host outside ``TRUSTED_HOSTS`` is refused with a 400 before the app answers it,
and every absolute URL of the API, the OpenAPI document and the Atom feeds comes from
``PUBLIC_BASE_URL`` when it is set, never from the request's ``Host``: those answers carry
``Cache-Control: public``, so a forged name would otherwise be served to everyone.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import etree
from werkzeug.datastructures import FileStorage

from approval import create_app
from approval.core.workflow import Action
from approval.extensions import db
from approval.notifications import mail
from approval.publication import drafts

EVIL = "evil.example"
BASE = "https://gk.example.gov.cn"
A = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def make_app(app):
    """An app on this test's database whose ``config`` goes through config.py's loading, as
    instance/config.py or APPROVAL_* variables would."""
    made = []

    def _make(**config):
        other = create_app(
            {
                **{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")},
                "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
                "TESTING": True,
                "INSTANCE_PATH": app.instance_path,
                **config,
            }
        )
        made.append(other)
        return other

    yield _make
    for other in made:
        with other.app_context():
            db.engine.dispose()


def published(world, title: str):
    return world.to_state(world.item(title=title), "published")


def with_attachment(world, title: str):
    item = world.item(title=title)
    drafts.add_attachment(
        world.users["officer"],
        item,
        FileStorage(io.BytesIO("姓名,标准\n张三,900\n".encode()), filename="标准.csv"),
        item.version,
    )
    db.session.commit()
    return world.to_state(item, "published")


def public_paths(world, item) -> list[str]:
    body = world.body.id
    return [
        "/api/v1/openapi.json",
        f"/api/v1/bodies/{body}/items",
        f"/api/v1/items/{item.id}",
        f"/public/{body}/feed.atom",
        f"/public/{body}/catalog/06/feed.atom",
        f"/public/{body}/",
        f"/public/items/{item.id}",
        "/login",
    ]


def assert_refused(response, path: str) -> None:
    assert response.status_code == 400, (path, response.status_code)
    assert response.headers["Cache-Control"] == "no-store", path
    assert EVIL not in response.get_data(as_text=True), path
    if path.startswith("/api/"):
        assert response.mimetype == "application/json", path
        assert "Host" in response.json["error"], path
    else:
        assert response.mimetype == "text/plain", path
        assert "不受信任的主机名" in response.text and "Host" in response.text, path


def atom_links(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    root = etree.fromstring(response.data)
    return [link.get("href") for link in root.iter("{http://www.w3.org/2005/Atom}link")]


# ---------------------------------------------------------------- refused hosts


def test_a_foreign_host_is_refused_with_a_400_everywhere(world, client):
    item = published(world, "一条")
    for path in public_paths(world, item):
        assert client.get(path).status_code == 200, path  # by a trusted name: served
        assert_refused(client.get(path, headers={"Host": EVIL}), path)
        assert_refused(client.get(path, base_url=f"https://{EVIL}:8443"), path)


def test_out_of_the_box_only_the_local_names_are_served(app, world, client):
    assert app.config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert client.get("/login", base_url="http://127.0.0.1:5000").status_code == 200
    assert client.get("/login", base_url="http://localhost:5000").status_code == 200
    for host in (EVIL, "10.0.0.8", "localhost.evil.example"):
        assert_refused(client.get("/login", headers={"Host": host}), "/login")


def test_a_forwarded_host_is_checked_behind_a_proxy(world, make_app):
    proxied = make_app(PROXY_FIX_HOPS=1).test_client()
    path = f"/public/{world.body.id}/feed.atom"
    forged = proxied.get(path, headers={"X-Forwarded-Host": EVIL})
    assert_refused(forged, path)
    assert proxied.get(path, headers={"X-Forwarded-Host": "localhost"}).status_code == 200


def test_trusted_hosts_from_the_environment_are_comma_separated(world, make_app, monkeypatch):
    monkeypatch.setenv("APPROVAL_TRUSTED_HOSTS", "GK.example.gov.cn, 10.0.0.8,")
    other = make_app()
    assert other.config["TRUSTED_HOSTS"] == ["gk.example.gov.cn", "10.0.0.8"]
    client = other.test_client()
    assert client.get("/login", base_url="http://10.0.0.8:8080").status_code == 200
    assert client.get("/login", base_url=BASE).status_code == 200
    assert_refused(client.get("/login"), "/login")  # localhost is no longer one of them


def test_an_empty_list_never_trusts_every_host(world, make_app, monkeypatch):
    monkeypatch.setenv("APPROVAL_TRUSTED_HOSTS", "")
    other = make_app()
    assert other.config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]  # unset: the default
    assert_refused(other.test_client().get("/login", headers={"Host": EVIL}), "/login")
    other.config["TRUSTED_HOSTS"] = []  # Werkzeug would trust any host; the app refuses all
    assert_refused(other.test_client().get("/login"), "/login")


def test_public_base_url_alone_trusts_its_host_only(world, make_app):
    other = make_app(PUBLIC_BASE_URL=BASE + "/")
    assert other.config["TRUSTED_HOSTS"] == ["gk.example.gov.cn"]
    client = other.test_client()
    assert client.get("/api/v1/openapi.json", base_url=BASE).json["servers"] == [
        {"url": f"{BASE}/api/v1"}
    ]
    assert_refused(client.get("/api/v1/openapi.json"), "/api/v1/openapi.json")


@pytest.mark.parametrize(
    "value",
    [
        "gk.example.gov.cn",
        "ftp://gk.example.gov.cn",
        "https://gk.example.gov.cn/?x=1",
        "https://gk.example.gov.cn/#top",
        "https://admin@gk.example.gov.cn",
        "https://gk.example.gov.cn:99999",
    ],
)
def test_a_malformed_public_base_url_stops_the_start_up(app, value):
    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        create_app({"TESTING": True, "INSTANCE_PATH": app.instance_path, "PUBLIC_BASE_URL": value})


# ---------------------------------------------------------------- absolute URLs


def test_absolute_urls_come_from_public_base_url_whatever_name_was_used(world, make_app):
    other = make_app(PUBLIC_BASE_URL=BASE, TRUSTED_HOSTS=["localhost", "10.0.0.8"])
    client = other.test_client()
    first = with_attachment(world, "第一条")
    second = published(world, "第二条")
    gone = published(world, "撤稿的")
    world.act("publisher", gone, Action.UNPUBLISH, opinion="内容有误")
    body = world.body.id
    seen = []

    def get(path: str, status: int = 200):
        response = client.get(path, base_url="http://10.0.0.8:8080")  # a trusted other name
        assert response.status_code == status, (path, response.status_code)
        seen.append(response.get_data(as_text=True))
        return response

    assert get("/api/v1/openapi.json").json["servers"] == [{"url": f"{BASE}/api/v1"}]

    page = get(f"/api/v1/bodies/{body}/items?limit=1&category=06").json
    assert page["items"][0]["url"] == f"{BASE}/public/items/{second.id}"
    assert page["items"][0]["api_url"] == f"{BASE}/api/v1/items/{second.id}"
    following = urlsplit(page["next_url"])
    assert f"{following.scheme}://{following.netloc}{following.path}" == (
        f"{BASE}/api/v1/bodies/{body}/items"
    )
    assert parse_qs(following.query) == {
        "after": [page["next"]],
        "limit": ["1"],
        "category": ["06"],
    }

    detail = get(f"/api/v1/items/{first.id}").json
    assert detail["url"] == f"{BASE}/public/items/{first.id}"
    [attachment] = detail["attachments"]
    assert attachment["url"].startswith(f"{BASE}/public/items/{first.id}/attachments/")
    assert get(f"/api/v1/items/{gone.id}", 410).json["url"] == f"{BASE}/public/items/{gone.id}"

    body_feed = atom_links(get(f"/public/{body}/feed.atom"))
    assert f"{BASE}/public/{body}/feed.atom" in body_feed
    assert f"{BASE}/public/{body}/" in body_feed
    assert f"{BASE}/public/items/{first.id}" in body_feed
    category_feed = atom_links(get(f"/public/{body}/catalog/06/feed.atom"))
    assert f"{BASE}/public/{body}/catalog/06/feed.atom" in category_feed
    assert f"{BASE}/public/{body}/catalog/06" in category_feed
    assert all(link.startswith(f"{BASE}/") for link in body_feed + category_feed)

    for text in seen:  # the name the request used appears nowhere
        assert "10.0.0.8" not in text and "localhost" not in text


def test_a_base_url_with_a_path_prefixes_every_link(world, make_app):
    base = "https://www.example.gov.cn/gk"
    client = make_app(PUBLIC_BASE_URL=base + "/", TRUSTED_HOSTS=["localhost"]).test_client()
    item = published(world, "一条")
    assert client.get("/api/v1/openapi.json").json["servers"] == [{"url": f"{base}/api/v1"}]
    assert client.get(f"/api/v1/items/{item.id}").json["url"] == f"{base}/public/items/{item.id}"
    links = atom_links(client.get(f"/public/{world.body.id}/feed.atom"))
    assert f"{base}/public/{world.body.id}/feed.atom" in links
    assert f"{base}/public/items/{item.id}" in links


def test_mail_base_url_is_the_older_name_of_the_one_setting(world, make_app):
    client = make_app(MAIL_BASE_URL=BASE + "/", TRUSTED_HOSTS=["localhost"]).test_client()
    assert client.get("/api/v1/openapi.json").json["servers"] == [{"url": f"{BASE}/api/v1"}]
    smtp = {"MAIL_SMTP_HOST": "mail.example.gov.cn", "MAIL_SENDER": "approval@example.gov.cn"}
    assert mail.settings({**smtp, "PUBLIC_BASE_URL": BASE + "/"}).base_url == BASE
    assert mail.settings({**smtp, "MAIL_BASE_URL": BASE}).base_url == BASE
    assert mail.settings(smtp).base_url is None
