"""互动回应: the rules a review of issue 25 found wanting, each as the user meets it. The public 问答
list and the FAQ form never show the sender's own name, address, phone or e-mail (an answer
often begins "赵测试您好"), and the office is warned before approving such an answer; the FAQ
takes only publishable messages, each question once; the three-month count runs from a
reopening; the sender rates within a set number of days; the department's leader is reminded
while an answer waits for them; the register's 即将到期 filter sees every message; a late first
answer stays late in the statistics; review refuses an outsider with 403 before looking at the
state; the staff home flags the answers waiting for the user's review; the page reads in
English."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from approval.core.errors import Conflict, PermissionDenied
from approval.extensions import db
from approval.interaction import operations as ops
from approval.interaction import queries, statistics
from approval.models import InteractionFaq, InteractionMessage, Notification
from tests.conftest import Browser
from tests.helpers.interaction import given, on, online, registered, walk

GREETING = "赵测试您好：您反映的示范镇幸福村3组路灯问题已修复，如有疑问请回电13900001111。"


@pytest.fixture
def today(moment):
    moment.at("2026-10-14 10:00")  # a Wednesday
    return moment


def public(app, world) -> str:
    return Browser(app.test_client()).get(f"/public/{world.body.id}/questions").text


def faq_form(text: str) -> str:
    return re.search(r'<form[^>]*id="form-faq".*?</form>', text, re.S).group(0)


# ---------------------------------------------------------------- the sender's own data


def test_the_public_list_and_the_faq_form_hide_the_senders_own_name_and_address(
    world, today, app, login_as
):
    message = registered(
        world,
        sender_name="赵测试",
        address="示范镇幸福村3组",
        subject="赵测试反映路灯",
        text="我是赵测试，住示范镇幸福村3组，路灯坏了。",
    )
    walk(world, message, "reviewing_office", text=GREETING)
    office = login_as("office")
    url = f"/interaction/{message.id}"
    assert "data-names-sender" in office.get(url).text  # warned before approving
    ops.review(world.users["office"], message, message.version, True, None)  # approved anyway
    db.session.commit()
    page = public(app, world)
    assert "赵**您好" in page and "赵**反映路灯" in page and "我是赵**" in page
    for personal in ("赵测试", "示范镇幸福村3组", "13900001111"):
        assert personal not in page, personal
    form = faq_form(office.get(url).text)
    assert "赵**您好" in form and "我是赵**" in form
    assert "赵测试" not in form and "示范镇幸福村3组" not in form


# ---------------------------------------------------------------- the FAQ


def test_the_faq_takes_only_publishable_messages_and_each_question_once(
    world, today, app, login_as
):
    private = walk(world, registered(world, subject="不公开", may_publish=False), "answered")
    office = login_as("office")
    url = f"/interaction/{private.id}"
    page = office.get(url)
    assert 'id="form-faq"' not in page.text and "请携带" not in page.text
    with pytest.raises(PermissionDenied) as refused:
        ops.add_faq(world.users["office"], private, "问题？", "解答。")
    assert refused.value.message == "留言人不同意公开该留言，不能加入常见问题"
    db.session.rollback()
    posted = office.post(f"{url}/faq", {"question": "问题？", "answer": "解答。"}, token_from=url)
    assert posted.status_code == 403 and "留言人不同意公开" in posted.text

    shown = walk(world, registered(world, subject="可公开"), "answered")
    url = f"/interaction/{shown.id}"
    data = {"question": "低保找谁办？", "answer": "镇民政办。"}
    assert office.post(f"{url}/faq", data, token_from=url).status_code == 303
    again = office.post(f"{url}/faq", data, token_from=url)
    assert again.status_code == 409 and "已在常见问题中" in again.text
    db.session.rollback()
    assert len(db.session.scalars(select(InteractionFaq)).all()) == 1


# ---------------------------------------------------------------- the clock


def test_the_three_month_count_runs_from_the_reopening(world, moment):
    moment.at("2026-06-02 10:00")
    message, _ = online(world)  # received 06-02
    walk(world, message, "answered")
    moment.at("2026-06-20 10:00")
    assert ops.rate(message, message.version, "dissatisfied", None) is True
    db.session.commit()
    moment.at("2026-09-10 10:00")  # received before 06-10, reopened after it
    board = queries.overdue_board(world.users["office"], on("2026-09-10"))
    assert queries.stale_count(world.body.id, on("2026-09-10")) == 0
    assert board.stale == 0 and [row[2] for row in board.rows] == [False]
    assert queries.stale_count(world.body.id, on("2026-09-21")) == 1  # three months after 06-20


def test_the_sender_rates_within_the_rating_period(world, today, app):
    message, code = online(world)
    walk(world, message, "answered")  # 10-14
    today.at("2026-11-14 10:00")  # 31 days later
    with pytest.raises(Conflict) as refused:
        ops.rate(message, message.version, "dissatisfied", None)
    assert refused.value.message == "答复已超过 30 日，评价期已过"
    db.session.rollback()
    b = Browser(app.test_client())
    url = f"/public/{world.body.id}/messages/track"
    tracked = b.post(url, {"code": code}, token_from=url)
    page = b.get(tracked.headers["Location"])
    assert "data-rating-closed" in page.text and "评价期已过" in page.text
    assert "rate-form" not in page.text
    today.at("2026-11-13 10:00")  # the 30th day: still open
    assert ops.rate(message, message.version, "dissatisfied", None) is True


@pytest.mark.parametrize("app_config", [{"INTERACTION_RATING_DAYS": 60}])
def test_the_rating_period_is_a_setting(world, today):
    message, _ = online(world)
    walk(world, message, "answered")
    today.at("2026-12-10 10:00")  # 57 days later
    assert ops.rate(message, message.version, "satisfied", None) is False


def test_a_reopened_message_keeps_its_working_days(world, today):
    message, _ = online(world)  # 咨询: 5 working days
    walk(world, message, "answered")
    ops.set_limits(world.users["office"], world.body.id, {"consultation": 3})
    db.session.commit()
    today.at("2026-10-16 10:00")  # a Friday
    ops.rate(message, message.version, "dissatisfied", None)
    db.session.commit()
    assert message.limit_days == 5 and message.due_on == on("2026-10-23")


# ---------------------------------------------------------------- reminders


def test_the_leader_is_reminded_while_the_answer_waits_for_them(world, moment):
    from approval.interaction import reminders

    moment.at("2026-10-08 10:00")
    message = registered(world, received_on=on("2026-09-30"))  # due 10-13
    walk(world, message, "reviewing")  # at the leader of 民政办
    moment.at("2026-10-10 10:00")  # 2 working days left
    reminders.run(moment.now)
    db.session.rollback()
    told = set(db.session.scalars(select(Notification.user_id)))
    assert world.users["leader"].id in told and world.users["officer"].id in told
    assert world.users["leader_agri"].id not in told


# ---------------------------------------------------------------- the register


def test_the_due_soon_filter_finds_a_message_behind_a_hundred_newer_ones(world, today, login_as):
    soon = registered(world, subject="快到期的咨询", received_on=on("2026-10-09"))  # 2 left
    for n in range(queries.LIST_SIZE + 1):
        ops.register(world.users["office"], given(subject=f"刚收到的咨询 {n}"))
    db.session.commit()
    listed = queries.register(world.users["office"], on("2026-10-14"), level="due_soon")
    assert [m.id for m, _ in listed.rows] == [soon.id] and not listed.more
    page = login_as("office").get("/interaction?level=due_soon")
    assert "快到期的咨询" in page.text and "刚收到的咨询 0" not in page.text


# ---------------------------------------------------------------- statistics


def test_a_late_first_answer_stays_late_after_a_reopening(world, moment):
    moment.at("2026-09-01 10:00")
    late_first = registered(world, received_on=on("2026-09-01"))  # due 09-08
    in_time = registered(world, received_on=on("2026-09-01"), subject="两次都按时")
    walk(world, in_time, "answered")  # 09-01
    moment.at("2026-09-10 10:00")
    walk(world, late_first, "answered")  # late
    moment.at("2026-09-11 10:00")
    ops.rate(late_first, late_first.version, "dissatisfied", None)  # due 09-18
    ops.rate(in_time, in_time.version, "dissatisfied", None)
    db.session.commit()
    moment.at("2026-09-14 10:00")
    walk(world, late_first, "answered", text="第二次答复。")  # in time for the second round
    walk(world, in_time, "answered", text="第二次答复。")
    t = statistics.report(world.body.id, date(2026, 9, 1), date(2026, 9, 30), on("2026-09-30"))
    assert (t.total.answered, t.total.on_time, t.total.late) == (2, 1, 1)


# ---------------------------------------------------------------- review


def test_review_refuses_an_outsider_before_looking_at_the_state(world, today, login_as):
    message = walk(world, registered(world), "answered")
    with pytest.raises(PermissionDenied):
        ops.review(world.users["leader_agri"], message, message.version, True, None)
    db.session.rollback()
    with pytest.raises(Conflict):  # the office may review; the state refuses
        ops.review(world.users["office"], message, message.version, True, None)
    db.session.rollback()


def test_the_home_panel_flags_answers_waiting_for_my_review(world, today, login_as):
    waiting = walk(world, registered(world, subject="待审核的留言"), "reviewing")
    registered(world, subject="刚登记的留言")
    home = login_as("leader").get("/").text
    row = re.search(rf'<li[^>]*data-message="{waiting.id}"[^>]*>.*?</li>', home, re.S).group(0)
    assert "data-to-review" in row and "待我审核" in row
    assert 'data-count="to-review"' in home
    assert "待我审核" not in login_as("office").get("/").text  # the leader's step, not theirs


# ---------------------------------------------------------------- wording


def test_the_message_page_and_the_tracker_read_right(world, today, app, login_as):
    message, code = online(world)
    walk(world, message, "answered")
    ops.rate(message, message.version, "dissatisfied", None)
    db.session.commit()
    office = login_as("office")
    office.post("/language", {"lang": "en", "next": "/"}, token_from="/")
    page = office.get(f"/interaction/{message.id}").text
    assert '<h2 id="message-h">Message details</h2>' in page
    b = Browser(app.test_client())
    url = f"/public/{world.body.id}/messages/track"
    tracked = b.get(b.post(url, {"code": code}, token_from=url).headers["Location"]).text
    assert re.search(r"data-public-state>正在重新办理<", tracked)
    db.session.rollback()
    assert db.session.get(InteractionMessage, message.id).state == "reopened"
