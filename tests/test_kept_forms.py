"""Nothing typed is lost when a session times out (issue 27): a long form posted after the idle
limit is kept, the login page says so, and the same user signing in again finds it filled in,
not submitted; another user signing in on that browser never sees it."""

import re
from datetime import date, timedelta
from html import unescape

from sqlalchemy import func, select

from approval.extensions import db
from approval.models import Item, KeptSubmission
from approval.platform.kept_forms import KEPT_MESSAGE, MAX_BYTES, RESTORED_MESSAGE
from tests.conftest import csrf_from

TYPED = "第一段：这是在会话超时之前输入的正文，长达一个小时的工作。"
REASON = "附件二的身份证号码未遮盖，请处理后重新提交"


def draft_fields(world, **overrides) -> dict:
    data = {
        "title": "关于2026年度最低生活保障标准的公告",
        "summary": "公布调整后的低保标准",
        "body": TYPED,
        "category_id": str(world.category.id),
        "info_type": "public_notice",
        "document_number": "",
        "formed_on": (date.today() - timedelta(days=1)).isoformat(),
        "disclosure_mode": "proactive",
        "non_disclosure_basis": "",
        "channels": "website",
        "keywords": "",
    }
    data.update(overrides)
    return data


def textarea(html: str, name: str) -> str | None:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    return unescape(match.group(1)).strip() if match else None


def kept_rows() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(KeptSubmission))


def test_a_draft_saved_after_the_idle_limit_comes_back_after_signing_in(world, login_as, clock):
    item = world.item()
    officer = login_as("officer")
    page = officer.get(f"/items/{item.id}/edit")
    token = csrf_from(page.text)
    clock.advance(minutes=31)  # typing for over half an hour
    data = {**draft_fields(world), "version": str(item.version), "csrf_token": token}
    response = officer.client.post(f"/items/{item.id}/edit", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    login_page = officer.get("/login")
    assert KEPT_MESSAGE in login_page.text  # 登录已超时，您填写的内容已保留…
    db.session.expire_all()
    assert db.session.get(Item, item.id).current_revision.body != TYPED  # nothing saved

    back = officer.login(world.users["officer"].username, world.password)
    assert back.status_code == 302 and back.headers["Location"] == f"/items/{item.id}/edit"
    restored = officer.get(f"/items/{item.id}/edit")
    assert restored.status_code == 200
    assert textarea(restored.text, "body") == TYPED
    assert RESTORED_MESSAGE in restored.text  # check it and submit again
    db.session.expire_all()
    assert db.session.get(Item, item.id).current_revision.body != TYPED  # still not saved

    saved = officer.client.post(
        f"/items/{item.id}/edit",
        data={
            **draft_fields(world),
            "version": str(item.version),
            "csrf_token": csrf_from(restored.text),
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Item, item.id).current_revision.body == TYPED
    again = officer.get(f"/items/{item.id}/edit")  # shown once, then the item as saved
    assert RESTORED_MESSAGE not in again.text


def test_a_new_draft_is_kept_too(world, login_as, clock):
    officer = login_as("officer")
    token = officer.token("/items/new")
    clock.advance(minutes=31)
    officer.client.post("/items/new", data={**draft_fields(world), "csrf_token": token})
    back = officer.login(world.users["officer"].username, world.password)
    assert back.headers["Location"] == "/items/new"
    assert textarea(officer.get("/items/new").text, "body") == TYPED


def test_another_user_signing_in_does_not_get_it(world, login_as, clock):
    item = world.item()
    officer = login_as("officer")
    token = officer.token(f"/items/{item.id}/edit")
    clock.advance(minutes=31)
    officer.client.post(
        f"/items/{item.id}/edit",
        data={**draft_fields(world), "version": str(item.version), "csrf_token": token},
    )
    assert kept_rows() == 1
    other = officer.login(world.users["officer_b"].username, world.password)
    assert other.status_code == 302 and other.headers["Location"] == "/"
    assert TYPED not in officer.get(f"/items/{item.id}/edit").text
    assert kept_rows() == 0  # forgotten, not waiting for anyone
    officer.client.post("/logout", data={"csrf_token": officer.token("/")})
    mine = officer.login(world.users["officer"].username, world.password)
    assert mine.headers["Location"] == "/"


def test_a_return_reason_is_kept_with_its_panel_open(world, login_as, clock):
    item = world.to_state(world.item(), "pending_leader")
    leader = login_as("leader")
    token = leader.token(f"/items/{item.id}")
    clock.advance(minutes=31)
    response = leader.client.post(
        f"/items/{item.id}/act",
        data={
            "action": "return",
            "version": str(item.version),
            "opinion": REASON,
            "csrf_token": token,
        },
    )
    assert response.headers["Location"] == "/login"
    assert KEPT_MESSAGE in leader.get("/login").text
    back = leader.login(world.users["leader"].username, world.password)
    assert back.headers["Location"] == f"/items/{item.id}"
    page = leader.get(f"/items/{item.id}")
    assert REASON in page.text and RESTORED_MESSAGE in page.text
    assert re.search(r"<details open>\s*<summary>退回", page.text)
    db.session.expire_all()
    assert db.session.get(Item, item.id).state == "pending_leader"  # not returned for them


def test_a_forged_or_oversized_post_is_not_kept(world, login_as, clock):
    item = world.item()
    officer = login_as("officer")
    token = officer.token(f"/items/{item.id}/edit")
    clock.advance(minutes=31)
    officer.client.post(f"/items/{item.id}/edit", data={**draft_fields(world), "csrf_token": "x"})
    assert kept_rows() == 0
    assert "您长时间未操作" in officer.get("/login").text
    officer = login_as("officer")
    token = officer.token(f"/items/{item.id}/edit")
    clock.advance(minutes=31)
    officer.client.post(
        f"/items/{item.id}/edit",
        data={**draft_fields(world, body="字" * MAX_BYTES), "csrf_token": token},
    )
    assert kept_rows() == 0


def test_the_warning_and_keep_alive(app, world, login_as, clock):
    app.config.update(SESSION_IDLE_MINUTES=10)
    officer = login_as("officer")
    page = officer.get("/")
    assert 'id="session-warning"' in page.text and 'data-idle-seconds="600"' in page.text
    assert "session_warning.js" in page.text and "<script>" not in page.text
    token = csrf_from(page.text)
    clock.advance(minutes=9)
    assert officer.client.post("/session/keep-alive").status_code == 400  # no CSRF token
    kept = officer.client.post("/session/keep-alive", data={"csrf_token": token})
    assert kept.status_code == 204
    clock.advance(minutes=9)  # 18 minutes after the page, 9 after 继续工作
    assert officer.get("/").status_code == 200
    clock.advance(minutes=10)
    late = officer.client.post("/session/keep-alive", data={"csrf_token": token})
    assert late.status_code == 302 and late.headers["Location"] == "/login"


def test_a_secrecy_opinion_is_kept(world, login_as, clock):
    item = world.to_state(world.item(), "pending_secrecy")
    secrecy = login_as("secrecy")
    token = secrecy.token(f"/items/{item.id}")
    clock.advance(minutes=31)
    opinion = "经审查，第三段涉及内部事务信息，建议删去后公开"
    secrecy.client.post(
        f"/items/{item.id}/act",
        data={
            "action": "sign_off",
            "version": str(item.version),
            "opinion": opinion,
            "q_state_secret": "no",
            "csrf_token": token,
        },
    )
    secrecy.login(world.users["secrecy"].username, world.password)
    page = secrecy.get(f"/items/{item.id}")
    assert opinion in page.text and RESTORED_MESSAGE in page.text
    db.session.expire_all()
    assert db.session.get(Item, item.id).state == "pending_secrecy"


def test_the_office_s_portal_page_and_the_pasted_notice_are_kept(world, login_as, clock):
    office = login_as("office")
    token = office.token("/office/pages/guide")
    clock.advance(minutes=31)
    guide = "一、公开的主体和渠道：本机关政府信息公开工作由党政办公室负责。"
    office.client.post(
        "/office/pages/guide",
        data={"title": "信息公开指南", "content": guide, "seen": "new", "csrf_token": token},
    )
    assert (
        office.login(world.users["office"].username, world.password).headers["Location"]
        == "/office/pages/guide"
    )
    assert textarea(office.get("/office/pages/guide").text, "content") == guide

    admin = login_as("sysadmin")
    token = admin.token("/admin/calendar")
    clock.advance(minutes=31)
    notice = "国务院办公厅关于2027年部分节假日安排的通知……一、元旦：1月1日放假。"
    admin.client.post(
        "/admin/calendar/notice?year=2027", data={"notice": notice, "csrf_token": token}
    )
    assert (
        admin.login(world.users["sysadmin"].username, world.password).headers["Location"]
        == "/admin/calendar"
    )
    assert textarea(admin.get("/admin/calendar").text, "notice") == notice


def test_a_reply_to_a_request_is_kept(world, login_as, moment):
    from approval.requests import operations as ops
    from approval.requests import replies
    from tests.helpers.requests import register

    moment.at("2026-10-14 10:00")
    r = register(world)
    ops.assign(world.users["office"], r, r.version, world.departments["civil"].id)
    item = replies.start_reply(world.users["officer"], r, r.version)
    db.session.commit()
    officer = login_as("officer")
    url = f"/replies/{item.id}/edit"
    token = officer.token(url)
    moment.now += timedelta(minutes=31)
    reply = "经审查，你申请获取的信息属于本机关公开范围，现将有关信息提供如下。"
    officer.client.post(
        url,
        data={
            "title": "关于答复",
            "reply_type": "granted",
            "formed_on": "2026-10-14",
            "body": reply,
            "version": str(item.version),
            "csrf_token": token,
        },
    )
    assert officer.login(world.users["officer"].username, world.password).headers["Location"] == url
    assert textarea(officer.get(url).text, "body") == reply
