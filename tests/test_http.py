"""Through HTTP, as people use it: login, CSRF, who sees what, the draft form, the whole chain,
stale pages, refusals with kept input, the history page, the public portal and response headers."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from approval.core.clock import local_today
from approval.core.vocab import SECRECY_QUESTIONS
from approval.extensions import db
from approval.models import AuditEntry, Item
from approval.publication import drafts
from tests.conftest import Browser
from tests.factories import content
from tests.helpers.pages import VERSION_RE, act, heading, item_url, signed_in_as

CLEAR = {q: "no" for q in SECRECY_QUESTIONS}
FAILED = "用户名或密码错误"
STALE = "您看到的页面已过期"


# ---------------------------------------------------------------- helpers


def seen_version(b: Browser, item_id: int) -> str:
    """The version the item page hands to its action forms (what the user 'saw')."""
    page = b.get(item_url(item_id))
    assert page.status_code == 200, page.status_code
    return VERSION_RE.search(page.text).group(1)


def form_fields(world, **overrides) -> dict:
    data = {
        "title": "关于2026年度最低生活保障标准的公告",
        "summary": "公布调整后的低保标准",
        "body": "自2026年1月1日起城乡低保标准调整为每人每月900元。",
        "category_id": str(world.category.id),
        "info_type": "public_notice",
        "document_number": "测民发〔2026〕3号",
        "formed_on": (date.today() - timedelta(days=1)).isoformat(),
        "disclosure_mode": "proactive",
        "non_disclosure_basis": "",
        "channels": "website",
        "keywords": "低保 标准",
    }
    data.update(overrides)
    return data


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def fresh(item: Item) -> Item:
    db.session.expire_all()
    return db.session.get(Item, item.id)


# ---------------------------------------------------------------- login and CSRF


@pytest.mark.parametrize(
    "next_url, lands_on",
    [
        (None, "/"),
        ("/items/new", "/items/new"),
        ("//evil.example/x", "/"),
        ("https://evil.example/x", "/"),
    ],
)
def test_login_redirects_and_is_audited(world, browser, next_url, lands_on):
    user = world.users["officer"]
    url = "/login" + (f"?next={next_url}" if next_url else "")
    response = browser.post(
        url, {"username": user.username, "password": world.password}, token_from="/login"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == lands_on
    home = browser.get("/")
    assert home.status_code == 200
    assert signed_in_as(home.text) == "用户officer" and heading(home.text) == "待办事项"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login"))
    assert (entry.actor_id, entry.actor_username) == (user.id, user.username)


def test_wrong_password_and_unknown_user_look_the_same(world, browser):
    known = world.users["officer"].username
    pages = {}
    for name, password in ((known, "wrong-password"), ("nobody_here", world.password)):
        response = browser.login(name, password)
        assert response.status_code == 401
        assert FAILED in response.text
        text = re.sub(r'value="[^"]*"', 'value=""', response.text)  # typed name, CSRF token
        pages[name] = text
    assert pages[known] == pages["nobody_here"]
    failed = db.session.scalars(
        select(AuditEntry.actor_username)
        .where(AuditEntry.action == "login_failed")
        .order_by(AuditEntry.id)
    ).all()
    assert failed == [known, "nobody_here"]
    assert browser.get("/").status_code == 302  # still signed out


def test_post_without_csrf_token_is_refused(world, client, login_as):
    user = world.users["officer"]
    response = client.post("/login", data={"username": user.username, "password": world.password})
    assert response.status_code == 400
    assert client.get("/").status_code == 302  # not signed in
    assert not db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login"))

    item = world.item()
    officer = login_as("officer")
    version = seen_version(officer, item.id)
    response = officer.client.post(
        f"{item_url(item.id)}/act", data={"action": "submit", "version": version}
    )
    assert response.status_code == 400
    assert "CSRF" in response.text
    assert fresh(item).state == "draft"


# ---------------------------------------------------------------- who sees what


@pytest.mark.parametrize(
    "path",
    ["/", "/items/new", "/department", "/items/{id}", "/items/{id}/edit", "/items/{id}/history"],
)
def test_business_pages_require_login(world, client, path):
    item = world.item()
    response = client.get(path.format(id=item.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_items_of_other_departments_and_unsubmitted_drafts_are_hidden(world, login_as):
    item = world.item()
    other_officer, leader = login_as("officer_agri"), login_as("leader")
    for path in (item_url(item.id), f"{item_url(item.id)}/history", f"{item_url(item.id)}/edit"):
        assert other_officer.get(path).status_code == 404, path
    assert leader.get(item_url(item.id)).status_code == 404
    title = item.current_revision.title
    colleague = login_as("officer_b").get(item_url(item.id))  # same department
    assert colleague.status_code == 200 and heading(colleague.text) == title
    world.act("officer", item, "submit")
    seen = leader.get(item_url(item.id))  # once submitted, the leader sees it
    assert seen.status_code == 200 and heading(seen.text) == title
    assert other_officer.get(item_url(item.id)).status_code == 404


# ---------------------------------------------------------------- the draft form


def test_invalid_draft_form_shows_chinese_errors_and_keeps_input(world, login_as):
    officer = login_as("officer")
    # tomorrow in the body's time zone (Asia/Shanghai): the server's date is a day behind from
    # 16:00 UTC, when its "tomorrow" is already today in Beijing
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    typed = form_fields(
        world,
        title="",
        formed_on=tomorrow,
        body="正文：请保留我输入的这段文字",
        keywords="保留的主题词",
        document_number="测民发〔2026〕9号",
    )
    response = officer.post("/items/new", typed, token_from="/items/new")
    assert response.status_code == 422
    for message in ("请填写标题", "成文日期不能晚于今天"):
        assert message in response.text
    for kept in ("正文：请保留我输入的这段文字", "保留的主题词", "测民发〔2026〕9号", tomorrow):
        assert kept in response.text
    assert db.session.scalar(select(func.count()).select_from(Item)) == 0


# ---------------------------------------------------------------- the whole chain


def test_full_chain_over_http_ends_on_the_public_page(world, login_as, client):
    officer = login_as("officer")
    created = officer.post("/items/new", form_fields(world), token_from="/items/new")
    assert created.status_code == 302
    item_id = int(re.search(r"/items/(\d+)$", created.headers["Location"]).group(1))

    steps = [
        ("officer", "submit", {}),
        ("leader", "approve", {"opinion": "同意，请办公室审核"}),
        ("office", "approve", {}),
        ("secrecy", "sign_off", {**CLEAR, "opinion": "经审查不涉密，同意公开"}),
        ("publisher", "publish", {}),
    ]
    for who, action, fields in steps:
        response = act(login_as(who) if who != "officer" else officer, item_id, action, **fields)
        assert response.status_code == 303, (action, response.status_code)

    item = db.session.get(Item, item_id)
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    assert item.state == "published"
    assert item.index_number == f"{world.body.credit_code}/{year}-00001"
    public = client.get(f"/public/items/{item_id}")
    assert public.status_code == 200
    for shown in (
        item.index_number,
        "信息公开要素",
        "关于2026年度最低生活保障标准的公告",
        "民政办",
        "测民发〔2026〕3号",
        "通知公告",
        "主动公开",
    ):
        assert shown in public.text, shown


def test_stale_page_gets_409_and_changes_nothing(world, login_as):
    """The leader opened the item, then the officer recalled, rewrote and resubmitted it: the
    leader's approval of the page they saw must not land on content they never read."""
    item = world.to_state(world.item(), "pending_leader")
    leader = login_as("leader")
    stale = seen_version(leader, item.id)
    world.act("officer", item, "recall")
    drafts.update_draft(
        world.users["officer"],
        item,
        content(title="改写后的标题", category_id=world.category.id),
        item.version,
    )
    db.session.commit()
    world.act("officer", item, "submit")
    entries = audit_count()

    response = act(leader, item.id, "approve", version=stale, opinion="同意")
    assert response.status_code == 409
    assert STALE in response.text and "您的操作没有生效" in response.text
    item = fresh(item)
    assert (item.state, item.current_revision.title) == ("pending_leader", "改写后的标题")
    assert not item.decisions
    assert audit_count() == entries


# ---------------------------------------------------------------- refusals keep what was typed


def test_return_without_reason_is_refused(world, login_as):
    item = world.to_state(world.item(), "pending_leader")
    response = act(login_as("leader"), item.id, "return", opinion="   ")
    assert response.status_code == 422
    assert "退回必须填写理由" in response.text
    assert re.search(r'action-return" novalidate>.*?<details open>', response.text, re.S)
    assert fresh(item).state == "pending_leader" and not item.decisions


def test_withhold_without_opinion_keeps_the_chosen_basis(world, login_as):
    item = world.to_state(world.item(), "pending_secrecy")
    response = act(login_as("secrecy"), item.id, "withhold", basis="personal_privacy", opinion="")
    assert response.status_code == 422
    assert "不予公开必须填写审查意见" in response.text
    assert re.search(
        r'<option selected value="personal_privacy">|'
        r'<option value="personal_privacy" selected>',
        response.text,
    )
    assert fresh(item).state == "pending_secrecy"


def test_sign_off_with_a_yes_answer_is_refused_and_keeps_the_answers(world, login_as):
    item = world.to_state(world.item(), "pending_secrecy")
    answers = {**CLEAR, "involves_personal_privacy": "yes"}
    response = act(login_as("secrecy"), item.id, "sign_off", opinion="名单含身份证号", **answers)
    assert response.status_code == 422
    assert "审查单中有不允许公开的情形" in response.text
    assert "名单含身份证号" in response.text
    checked = dict(
        re.findall(
            r'<input checked id="[^"]*" name="(\w+)" type="radio" '
            r'value="(\w+)">',
            response.text,
        )
    )
    assert checked == answers
    item = fresh(item)
    assert item.state == "pending_secrecy"
    assert [d.action for d in item.decisions] == ["approve", "approve"]


# ---------------------------------------------------------------- history


def test_history_lists_every_action_with_actor_states_and_opinion(world, login_as):
    item = world.item()
    world.act("officer", item, "submit")
    world.act("leader", item, "approve", opinion="同意，请办公室审核")
    world.act("office", item, "return", opinion="成文日期有误，请核实")
    page = login_as("auditor").get(f"{item_url(item.id)}/history")
    assert page.status_code == 200
    rows = re.findall(r'<tr data-action="(\w+)">(.*?)</tr>', page.text, re.S)
    assert [action for action, _ in rows] == ["create", "submit", "approve", "return"]
    expected = [
        ("用户officer", "信息员", "草稿", ""),
        ("用户officer", "信息员", "草稿 → 待分管领导审批", ""),
        ("用户leader", "分管领导", "待分管领导审批 → 待办公室审核", "同意，请办公室审核"),
        ("用户office", "办公室审核", "待办公室审核 → 已退回", "成文日期有误，请核实"),
    ]
    for (_, row), (actor, role, states, opinion) in zip(rows, expected):
        assert actor in row and states in row and opinion in row, row
        assert re.search(rf'data-label="角色">{role}</td>', row), row
    assert login_as("officer_agri").get(f"{item_url(item.id)}/history").status_code == 404


# ---------------------------------------------------------------- the public portal


def test_withdrawn_item_shows_the_public_reason(world, login_as, client):
    item = world.to_state(world.item(), "published")
    response = act(
        login_as("publisher"), item.id, "unpublish", opinion="政策已调整，原公告停止执行"
    )
    assert response.status_code == 303
    public = client.get(f"/public/items/{item.id}")
    assert public.status_code == 200
    assert "该信息已撤稿" in public.text and "政策已调整，原公告停止执行" in public.text
    assert item.current_revision.body not in public.text


@pytest.mark.parametrize("state", ["draft", "pending_leader", "approved", "withheld"])
def test_never_published_item_has_no_public_page(world, client, state):
    item = world.item()
    if state == "withheld":
        world.to_state(item, "pending_secrecy")
        world.act("secrecy", item, "withhold", basis="personal_privacy", opinion="含个人隐私")
    else:
        world.to_state(item, state)
    assert item.state == state
    assert client.get(f"/public/items/{item.id}").status_code == 404


# ---------------------------------------------------------------- headers and language


@pytest.mark.parametrize(
    "path, shows", [("/login", "登录"), ("/public/{body}/", "测试镇人民政府 政府信息公开专栏")]
)
def test_security_headers(client, world, path, shows):
    response = client.get(path.format(body=world.body.id))
    assert response.status_code == 200 and heading(response.text) == shows
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_are_not_cached(world, login_as):
    assert login_as("officer").get("/").headers["Cache-Control"] == "no-store"


def test_language_switch(world, browser):
    assert 'lang="zh-CN"' in browser.get("/login").text
    response = browser.post("/language", {"lang": "en", "next": "/login"}, token_from="/login")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    with browser.client.session_transaction() as session:
        assert session["lang"] == "en"
    page = browser.get("/login")
    assert page.status_code == 200 and '<html lang="en">' in page.text
    assert browser.post("/language", {"lang": "fr"}, token_from="/login").status_code == 400
    browser.post("/language", {"lang": "zh_CN"}, token_from="/login")
    assert 'lang="zh-CN"' in browser.get("/login").text


def test_an_over_long_opinion_is_refused_with_the_text_kept(world, login_as):
    item = world.item()
    world.act("officer", item, "submit")
    long_opinion = "意见" * 1001
    response = act(login_as("leader"), item.id, "return", opinion=long_opinion)
    assert response.status_code == 422
    assert "意见不能超过2000字" in response.text and long_opinion in response.text
    assert item.state == "pending_leader"


def test_editing_a_draft_submitted_from_another_tab_is_a_conflict(world, login_as):
    item = world.item()
    officer = login_as("officer")
    edit_page = officer.get(f"/items/{item.id}/edit")
    world.act("officer", item, "submit")  # the other tab
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', edit_page.text).group(1)
    version = re.search(r'name="version"[^>]*value="(\d+)"', edit_page.text).group(1)
    response = officer.client.post(
        f"/items/{item.id}/edit",
        data={**form_fields(world, title="新标题"), "csrf_token": token, "version": version},
    )
    assert response.status_code == 409 and "已提交审批" in response.text
    assert officer.get(f"/items/{item.id}/edit").status_code == 409


def test_a_recalled_resubmission_does_not_show_the_old_return(world, login_as):
    item = world.item()
    world.act("officer", item, "submit")
    world.act("leader", item, "return", opinion="第一轮退回的理由")
    officer = login_as("officer")
    assert "第一轮退回的理由" in officer.get(item_url(item.id)).text  # shown while it applies
    world.act("officer", item, "submit")
    world.act("officer", item, "recall")
    page = officer.get(item_url(item.id))
    assert "已被退回" not in page.text and 'data-state="draft"' in page.text


def _list_badge(page_text: str, item_id: int) -> str:
    """The state badge of the item's row in an item list."""
    row = re.search(
        rf'<li class="item-row">\s*<a href="/items/{item_id}">.*?</li>', page_text, re.S
    )
    return re.search(
        r'<span class="badge[^"]*" data-state="[^"]+">([^<]+)</span>', row.group(0)
    ).group(1)


def test_list_rows_say_returned_only_while_the_return_applies(world, login_as):
    # the lists read "returned in this round" in their one query (queries.LIST_ROW), not from
    # every decision: a return of an earlier round, or a recall, is not 已退回
    item, other = world.item(), world.item(title="另一条草稿")
    officer = login_as("officer")
    assert _list_badge(officer.get("/").text, item.id) == "草稿"
    world.act("officer", item, "submit")
    world.act("leader", item, "return", opinion="请补充发放明细")
    for path in ("/", "/department"):
        page = officer.get(path).text
        assert _list_badge(page, item.id) == "已退回" and _list_badge(page, other.id) == "草稿"
    world.act("officer", item, "submit")  # round 2: the round-1 return no longer applies
    world.act("officer", item, "recall")
    assert _list_badge(officer.get("/department").text, item.id) == "草稿"
    world.act("officer", item, "submit")
    world.act("leader", item, "return", opinion="第三轮退回")
    assert _list_badge(officer.get("/").text, item.id) == "已退回"


def test_a_draft_that_cannot_be_submitted_says_why_before_the_click(world, login_as):
    item = world.item(disclosure_mode="on_request")
    page = login_as("officer").get(item_url(item.id))
    assert "只有公开方式为“主动公开”的信息进入发布审批流程" in page.text


def test_a_withheld_item_shows_its_mode_as_withheld_with_the_basis(world, login_as):
    item = world.to_state(world.item(), "pending_secrecy")
    world.act("secrecy", item, "withhold", basis="personal_privacy", opinion="涉及个人隐私")
    page = login_as("officer").get(item_url(item.id))
    row = re.search(r"公开方式</th><td>(.*?)</td>", page.text, re.S).group(1)
    assert row.startswith("不予公开（个人隐私（第十五条））")


def test_the_secrecy_checklist_answers_are_on_record_for_everyone_entitled(world, login_as):
    item = world.to_state(world.item(), "approved")
    for page in (
        login_as("officer").get(item_url(item.id)),
        login_as("auditor").get(f"{item_url(item.id)}/history"),
    ):
        answers = re.search(r'<ul class="checklist-answers".*?</ul>', page.text, re.S).group(0)
        assert answers.count("<li>") == len(SECRECY_QUESTIONS)
        assert "是否涉及国家秘密？" in answers and answers.count('class="ok">否<') == 5


def test_history_names_the_revision_of_each_entry(world, login_as):
    item = world.item()
    world.act("officer", item, "submit")
    history = login_as("auditor").get(f"{item_url(item.id)}/history").text
    assert "第 1 稿" in history


def test_behind_a_configured_proxy_the_trail_records_the_client_address(app, world):
    from approval import create_app

    proxied = create_app(
        {
            **{
                k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "UPLOAD_FOLDER")
            },
            "TESTING": True,
            "INSTANCE_PATH": app.instance_path,
            "PROXY_FIX_HOPS": 1,
        }
    )
    client = proxied.test_client()
    page = client.get("/login")
    client.post(
        "/login",
        data={
            "username": world.users["officer"].username,
            "password": world.password,
            "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1),
        },
        headers={"X-Forwarded-For": "10.1.2.3"},
        environ_base={"REMOTE_ADDR": "127.0.0.9"},
    )
    db.session.rollback()  # see what the other app committed
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login")).one()
    assert entry.ip == "10.1.2.3"
