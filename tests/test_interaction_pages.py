"""互动回应 over HTTP (approval/interaction/routes.py, portal_routes.py): the portal's 留言 form
(CSRF, refusals in Chinese that keep what was typed, personal data refused or confirmed, the
查询码 once), the tracker and the rating, the staff register with its badges and the overdue
board, the staff entry, 分办 → 答复 → two reviews by pressing the pages' buttons, the stale
page's 409, the public 问答 list without personal data, and the rate limits."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from approval.extensions import db
from approval.models import AuditEntry, InteractionMessage
from approval.requests.intake import tracking_code_hash
from tests.conftest import Browser
from tests.helpers.interaction import on, online, registered, walk
from tests.helpers.pages import heading

RAISED = {"RATELIMIT_REQUEST_FORM": "1000 per minute", "RATELIMIT_TRACKER": "1000 per minute"}
CODE_RE = re.compile(r"data-tracking-code>([^<]+)<")
VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d+)"')


@pytest.fixture
def app_config():
    return dict(RAISED)


@pytest.fixture
def today(moment):
    moment.at("2026-10-14 10:00")  # a Wednesday
    return moment


def visitor(app, address: str = "127.0.0.1") -> Browser:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browser(client)


def portal(world) -> str:
    return f"/public/{world.body.id}"


def leave_form(**overrides) -> dict:
    data = {
        "category": "complaint",
        "subject": "村道路灯不亮",
        "text": "幸福村3组村道路灯坏了两个月，晚上出行不安全。",
        "sender_name": "赵六",
        "phone": "13700002222",
        "email": "",
        "address": "",
        "may_publish": "y",
    }
    return data | overrides


def leave(b: Browser, world, data: dict):
    url = f"{portal(world)}/messages/new"
    return b.post(url, data, token_from=url)


def stored() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(InteractionMessage))


def track(b: Browser, world, code: str):
    url = f"{portal(world)}/messages/track"
    return b.post(url, {"code": code}, token_from=url)


# ---------------------------------------------------------------- the portal


def test_a_citizen_leaves_a_message_and_sees_the_code_once(world, today, app):
    home = visitor(app).get(f"{portal(world)}/")
    assert f'href="{portal(world)}/questions"' in home.text
    b = visitor(app)
    form = b.get(f"{portal(world)}/messages/new")
    assert form.status_code == 200 and heading(form.text) == "我要留言"
    response = leave(b, world, leave_form())
    assert response.status_code == 303
    page = b.get(response.headers["Location"])
    code = CODE_RE.search(page.text).group(1)
    assert "只显示这一次" in page.text
    again = b.get(response.headers["Location"])  # a reload: the tracker, no code
    assert again.status_code == 302 and again.headers["Location"].endswith("/messages/track")
    db.session.rollback()
    message = db.session.scalar(select(InteractionMessage))
    assert (message.state, message.channel, message.category) == (
        "registered",
        "portal",
        "complaint",
    )
    assert message.received_on == on("2026-10-14") and message.due_on == on("2026-11-04")
    assert message.tracking_code_hash == tracking_code_hash(code)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "message_filed_online"))
    assert entry.actor_username == "portal" and "赵六" not in entry.detail
    tracked = track(visitor(app), world, code.lower().replace("-", " "))
    assert tracked.status_code == 303


def test_a_refused_form_keeps_what_was_typed_in_chinese(world, today, app):
    b = visitor(app)
    response = leave(b, world, leave_form(subject="", phone=""))
    assert response.status_code == 422 and stored() == 0
    assert "请填写留言标题" in response.text  # the first field at fault
    assert "幸福村3组村道路灯坏了两个月" in response.text  # kept
    missing_contact = leave(b, world, leave_form(phone=""))
    assert missing_contact.status_code == 422 and "请至少填写一种联系方式" in missing_contact.text
    refused = leave(b, world, leave_form(text="身份证11010519491231002X，请帮我查低保"))
    assert refused.status_code == 422 and "身份证号码或银行卡号" in refused.text
    assert "11010519491231002X" in refused.text and stored() == 0  # kept, for them to edit
    warned = leave(b, world, leave_form(text="路灯的事请回电13812345678"))
    assert warned.status_code == 422 and "data-personal-data-warning" in warned.text
    assert stored() == 0
    confirmed = leave(
        b, world, leave_form(text="路灯的事请回电13812345678", confirm_personal_data="y")
    )
    assert confirmed.status_code == 303 and stored() == 1


def test_without_a_csrf_token_nothing_is_filed(world, today, app):
    b = visitor(app)
    response = b.client.post(f"{portal(world)}/messages/new", data=leave_form())
    assert response.status_code == 400 and stored() == 0


def test_the_tracker_shows_the_answer_and_the_rating_reopens_once(world, today, app):
    message, code = online(world, subject="路灯维修")
    b = visitor(app)
    wrong = track(b, world, "AAAA-BBBB-CCCC")
    assert wrong.status_code == 422 and "查询码不正确" in wrong.text
    assert b.get(f"{portal(world)}/messages/{message.id}").status_code == 404  # not proved
    page = b.get(track(b, world, code).headers["Location"])
    assert (
        page.status_code == 200 and "已收到，正在办理" in page.text and "rate-form" not in page.text
    )
    assert "王五" not in page.text and "13900001111" not in page.text  # the staff's view only
    walk(world, message, "answered", text="已安排维修，本周内修复。")
    page = b.get(f"{portal(world)}/messages/{message.id}")
    assert "已安排维修，本周内修复。" in page.text and "rate-form" in page.text
    assert world.users["officer"].display_name not in page.text  # no staff names
    version = VERSION_RE.search(page.text).group(1)
    url = f"{portal(world)}/messages/{message.id}"
    rated = b.post(f"{url}/rate", {"rating": "dissatisfied", "version": version}, token_from=url)
    assert rated.status_code == 303
    page = b.get(url)
    assert "重新办理" in page.text and "rate-form" not in page.text
    db.session.rollback()
    assert db.session.get(InteractionMessage, message.id).state == "reopened"


# ---------------------------------------------------------------- staff


def test_the_register_shows_badges_and_the_board_counts_the_three_month_old(world, today, login_as):
    registered(world, subject="去年夏天的投诉", received_on=on("2026-06-01"), category="complaint")
    registered(world, subject="刚收到的咨询")
    registered(world, subject="快到期的咨询", received_on=on("2026-10-09"))  # due 10-16: 2 left
    office = login_as("office")
    page = office.get("/interaction")
    assert page.status_code == 200 and heading(page.text) == "互动回应登记簿"
    assert 'data-level="overdue"' in page.text and 'data-level="due_soon"' in page.text
    assert 'data-stale="1"' in page.text and "超过 3 个月未答复" in page.text
    assert "剩余 2 个工作日以内标黄" in page.text  # interaction_vocab.DUE_SOON
    overdue_only = office.get("/interaction?level=overdue")
    assert "去年夏天的投诉" in overdue_only.text and "刚收到的咨询" not in overdue_only.text
    board = office.get("/interaction/overdue")
    assert re.search(r'data-count="stale">1<', board.text)
    inbox = office.get("/")
    assert 'id="message-inbox"' in inbox.text and "去年夏天的投诉" in inbox.text
    # a department sees nothing until a message is assigned to it
    assert "去年夏天的投诉" not in login_as("officer").get("/interaction").text


def test_the_office_enters_an_offline_message_and_it_walks_through_the_pages(
    world, today, login_as
):
    office = login_as("office")
    form = {
        "channel": "hotline",
        "received_on": "2026-10-13",
        "category": "consultation",
        "subject": "养老保险缴费时间",
        "text": "城乡居民养老保险今年什么时候缴费？",
        "phone": "13600003333",
    }
    refused = office.post("/interaction/new", form | {"channel": ""}, token_from="/interaction/new")
    assert refused.status_code == 422 and "请选择留言渠道" in refused.text
    assert "城乡居民养老保险今年什么时候缴费？" in refused.text
    made = office.post("/interaction/new", form, token_from="/interaction/new")
    assert made.status_code == 303
    url = made.headers["Location"]
    db.session.rollback()
    message = db.session.scalar(select(InteractionMessage))
    assert (
        message.due_on == on("2026-10-20") and message.registered_by_id == world.users["office"].id
    )

    def press(b, action, **fields):
        page = b.get(url)
        assert f'id="form-{action}"' in page.text, action
        version = VERSION_RE.search(page.text).group(1)
        return b.post(f"{url}/{action}", {"version": version, **fields}, token_from=url)

    civil = str(world.departments["civil"].id)
    first_seen = VERSION_RE.search(office.get(url).text).group(1)
    assert press(office, "assign", department_id=civil).status_code == 303
    officer = login_as("officer")
    assert "13600003333" in officer.get(url).text  # the department handling it sees the contact
    assert press(officer, "answer", text="每年1月至12月均可缴费。").status_code == 303
    leader = login_as("leader")
    assert press(leader, "review", decision="approve").status_code == 303
    assert 'id="form-review"' not in leader.get(url).text
    assert press(office, "review", decision="approve").status_code == 303
    db.session.rollback()
    assert db.session.get(InteractionMessage, message.id).state == "answered"
    # a stale page: the office's assign form, as it showed the message still registered
    stale = office.post(
        f"{url}/assign", {"version": first_seen, "department_id": civil}, token_from=url
    )
    assert stale.status_code == 409 and "该留言当前不能分办" in stale.text
    db.session.rollback()
    assert db.session.get(InteractionMessage, message.id).state == "answered"


def test_a_stale_page_is_a_409_and_changes_nothing(world, today, login_as):
    message = registered(world)
    office = login_as("office")
    url = f"/interaction/{message.id}"
    page = office.get(url)
    seen = VERSION_RE.search(page.text).group(1)
    walk(world, message, "assigned", department="agri")
    response = office.post(
        f"{url}/transfer", {"version": seen, "to_body": "某县", "note": "转某县"}, token_from=url
    )
    assert response.status_code == 409
    db.session.rollback()
    assert db.session.get(InteractionMessage, message.id).state == "assigned"


def test_contact_details_are_seen_only_by_the_handlers_and_the_office(world, today, login_as, app):
    """The sender's name and contact: the office and the assigned department (its officers and
    leader); never another department, the admins, the portal, its feeds, API or search."""
    message, code = online(world, subject="低保政策咨询", text="请问低保标准是多少？")
    walk(world, message, "answered", text="每人每月900元。")
    url = f"/interaction/{message.id}"
    for who in ("office", "publisher", "office_head", "officer", "officer_b", "leader"):
        assert "13900001111" in login_as(who).get(url).text, who
    for who in ("officer_agri", "leader_agri", "secrecy", "sysadmin", "secadmin", "auditor"):
        response = login_as(who).get(url)
        assert response.status_code in (403, 404) and "13900001111" not in response.text, who
    assert Browser(app.test_client()).get(url).status_code == 302  # to the login page
    public = Browser(app.test_client())
    questions = public.get(f"{portal(world)}/questions")
    assert "低保政策咨询" in questions.text and "每人每月900元。" in questions.text
    for path in (
        f"{portal(world)}/questions",
        f"{portal(world)}/",
        f"{portal(world)}/feed.atom",
        f"{portal(world)}/search?q=低保",
        f"/api/v1/bodies/{world.body.id}/items",
    ):
        text = public.get(path).text
        for personal in ("王五", "13900001111", "wangwu@example.cn", "幸福村3组"):
            assert personal not in text, (path, personal)


def test_the_public_list_masks_personal_data_and_leaves_out_the_unpublishable(world, today, app):
    shown = registered(world, subject="路灯", text="路灯坏了，联系13812345678", may_publish=True)
    hidden = registered(world, subject="不公开的投诉", may_publish=False)
    walk(world, shown, "answered", text="已修复。")
    walk(world, hidden, "answered")
    page = visitor(app).get(f"{portal(world)}/questions")
    assert "138****5678" in page.text and "13812345678" not in page.text
    assert "不公开的投诉" not in page.text


# ---------------------------------------------------------------- rate limits


@pytest.mark.parametrize("app_config", [{"RATELIMIT_REQUEST_FORM": "2 per hour"}])
def test_the_form_is_rate_limited_per_address_counting_only_filed_messages(world, today, app):
    b = visitor(app, "10.0.0.7")
    assert leave(b, world, leave_form(subject="")).status_code == 422  # a refusal costs nothing
    assert leave(b, world, leave_form()).status_code == 303
    assert leave(b, world, leave_form()).status_code == 303
    third = leave(b, world, leave_form())
    assert third.status_code == 429 and "留言过多" in third.text
    assert leave(visitor(app, "10.0.0.8"), world, leave_form()).status_code == 303
    assert stored() == 3


@pytest.mark.parametrize("app_config", [{"RATELIMIT_TRACKER": "2 per minute"}])
def test_the_tracker_is_rate_limited(world, today, app):
    b = visitor(app, "10.0.0.9")
    assert track(b, world, "AAAA-BBBB-CCCC").status_code == 422
    assert track(b, world, "AAAA-BBBB-CCCD").status_code == 422
    assert track(b, world, "AAAA-BBBB-CCCE").status_code == 429


def test_the_office_keeps_events_and_the_faq_and_sets_limits(world, today, login_as, app):
    office = login_as("office")
    civil, agri = (str(world.departments[k].id) for k in ("civil", "agri"))
    event = {"held_on": "2026-10-10", "place": "镇便民服务中心", "department_ids": [civil, agri]}
    refused = office.post(
        "/interaction/events", event | {"people_received": "许多"}, token_from="/interaction/events"
    )
    assert refused.status_code == 422 and "请填写接待群众人数" in refused.text
    assert "镇便民服务中心" in refused.text  # kept
    made = office.post(
        "/interaction/events", event | {"people_received": "35"}, token_from="/interaction/events"
    )
    assert made.status_code == 303
    page = office.get(made.headers["Location"])
    assert "民政办、农业农村办" in page.text and "35" in page.text
    # an answered message into the FAQ: the question comes masked
    message = registered(world, subject="路灯", text="路灯坏了，请回电13812345678")
    walk(world, message, "answered", text="已修复。")
    url = f"/interaction/{message.id}"
    shown = office.get(url)
    assert "138****5678" in shown.text  # the FAQ form's question, masked
    added = office.post(
        f"{url}/faq",
        {"question": "路灯坏了找谁？", "answer": "请拨打镇便民服务热线。"},
        token_from=url,
    )
    assert added.status_code == 303
    public = visitor(app).get(f"{portal(world)}/questions")
    assert "路灯坏了找谁？" in public.text and "请拨打镇便民服务热线。" in public.text
    # the time limits: a wrong figure is refused in Chinese, a right one kept
    limits = office.post(
        "/interaction/limits", {"days_consultation": "0"}, token_from="/interaction/limits"
    )
    assert limits.status_code == 422 and "办理时限应为 1 到 60 个工作日" in limits.text
    saved = office.post(
        "/interaction/limits",
        {"days_consultation": "3", "days_complaint": "10"},
        token_from="/interaction/limits",
    )
    assert saved.status_code == 303
    assert 'value="3"' in office.get("/interaction/limits").text
    # not the office: 403
    assert login_as("officer").get("/interaction/limits").status_code == 403


def test_the_register_reads_in_english(world, today, login_as):
    registered(world)
    office = login_as("office")
    office.post("/language", {"lang": "en", "next": "/"}, token_from="/")
    page = office.get("/interaction")
    assert heading(page.text) == "Message register" and "Registered" in page.text
    assert "Enquiry" in page.text


def test_a_reminder_opens_the_message(world, login_as, moment):
    from approval import jobs
    from approval.models import Notification

    moment.at("2026-10-14 10:00")
    message = registered(world, received_on=on("2026-09-01"))
    jobs.run_all(moment.now)
    db.session.rollback()
    note = db.session.scalar(
        select(Notification).where(Notification.user_id == world.users["office"].id)
    )
    office = login_as("office")
    opened = office.post(f"/notifications/{note.id}/open", {}, token_from="/notifications")
    assert opened.status_code == 303
    assert opened.headers["Location"].endswith(f"/interaction/{message.id}")
