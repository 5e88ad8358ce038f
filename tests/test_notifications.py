"""Notifications: the right people hear about each step (and nobody else), the bell and the list,
marking read by POST only, and e-mail sent by `flask jobs run` exactly once per notification —
through a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import event, select

from approval import create_app
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Item, Notification
from approval.models.notifications import Kind
from approval.notifications import mail
from approval.notifications import operations as notifications
from approval.platform.db_setup import write_transactions
from approval.publication import drafts
from tests.conftest import PG_URL, Browser
from tests.db_snapshot import changed_tables, snapshot
from tests.factories import CLEAR_CHECKLIST, content
from tests.helpers.concurrency import run_concurrently
from tests.helpers.mail import mail_on, with_addresses
from tests.helpers.users import make_user

# ---------------------------------------------------------------- helpers


def received(world, name: str) -> list[Notification]:
    """``name``'s notifications, oldest first (read fresh from the database)."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == world.users[name].id)
            .order_by(Notification.id)
        )
    )


def kinds_by_user(world) -> dict[str, list[str]]:
    """{world user name: [kinds]} for everyone who has any notification."""
    names = {u.id: n for n, u in world.users.items()}
    db.session.expire_all()
    out: dict[str, list[str]] = {}
    for n in db.session.scalars(select(Notification).order_by(Notification.id)):
        out.setdefault(names[n.user_id], []).append(n.kind)
    return out


def added_by(world, action):
    """What ``action()`` added: {user name: [kinds]} of the new notifications only."""
    before = {n.id for n in db.session.scalars(select(Notification))}
    action()
    names = {u.id: n for n, u in world.users.items()}
    db.session.expire_all()
    out: dict[str, list[str]] = {}
    for n in db.session.scalars(select(Notification).order_by(Notification.id)):
        if n.id not in before:
            out.setdefault(names[n.user_id], []).append(n.kind)
    return out


def fill(world, name: str, count: int, prefix: str = "test") -> None:
    """``count`` notifications for ``name`` (distinct events), without walking items."""
    item = world.item(title="提醒用的信息")
    for i in range(count):
        notifications.notify(
            [(world.users[name].id, None)],
            kind=Kind.DUE_SOON,
            body_id=world.body.id,
            item_id=item.id,
            params={"title": f"第{i}条", "due_on": "2026-05-06"},
            event_key=f"{prefix}:{i}",
        )
    db.session.commit()


UNREAD_RE = re.compile(r'class="link bell[^"]*"[^>]*data-unread="(\d+)"')


def bell(page_text: str) -> tuple[int, str | None]:
    """(unread count in the header, the badge text or None)."""
    count = int(UNREAD_RE.search(page_text).group(1))
    badge = re.search(r'<span class="bell-count">([^<]+)</span>', page_text)
    return count, badge.group(1) if badge else None


# ---------------------------------------------------------------- who is told


def test_a_submission_tells_the_leader_of_that_department_and_nobody_else(world):
    item = world.item(title="低保标准调整公告")
    told = added_by(world, lambda: world.act("officer", item, Action.SUBMIT))

    assert told == {"leader": [Kind.SUBMITTED_TO_YOU]}  # not leader_agri, office_head, the actor
    (note,) = received(world, "leader")
    assert note.item_id == item.id and note.body_id == world.body.id and note.read_at is None
    assert note.data == {
        "title": "低保标准调整公告",
        "actor": "用户officer",
        "step": "分管领导审批",
    }


def test_each_approval_tells_the_next_steps_people_but_not_the_actor_or_who_decided(world):
    item = world.to_state(world.item(), "pending_leader")
    told = added_by(world, lambda: world.act("leader", item, Action.APPROVE))
    # both holders of 办公室审核; office_and_secrecy is also a secrecy reviewer, no matter here
    assert told == {
        "office": [Kind.SUBMITTED_TO_YOU],
        "office_and_secrecy": [Kind.SUBMITTED_TO_YOU],
    }
    assert received(world, "office")[0].data["step"] == "办公室审核"

    # office_and_secrecy decides at 办公室审核: it may not decide again in this round, so the
    # secrecy review goes to the other reviewer only
    told = added_by(world, lambda: world.act("office_and_secrecy", item, Action.APPROVE))
    assert told == {"secrecy": [Kind.SUBMITTED_TO_YOU]}
    assert received(world, "secrecy")[0].data["step"] == "保密审查"


def test_the_authors_are_never_told_to_decide_on_their_own_item(world):
    """An officer who also holds 办公室审核 wrote the item: it is not submitted 'to them'."""
    make_user(world, "writer_auditor", "civil", ["officer", "office_auditor"])
    item = world.item(author="writer_auditor")
    world.act("writer_auditor", item, Action.SUBMIT)
    told = added_by(world, lambda: world.act("leader", item, Action.APPROVE))
    assert told == {
        "office": [Kind.SUBMITTED_TO_YOU],
        "office_and_secrecy": [Kind.SUBMITTED_TO_YOU],
    }


def test_a_step_led_by_the_general_office_goes_to_its_leader_only(world):
    """办公室分管负责人审批 (scope general_office): the leader of the 党政办, not the leaders of
    the item's departments — the same rule as the inbox (permissions.eligible_for_step)."""
    world.add_step("office_head", "办公室分管负责人审批", "leader", 2, scope="general_office")
    item = world.to_state(world.item(), "pending_office")
    told = added_by(world, lambda: world.act("office", item, Action.APPROVE))
    assert told == {"office_head": [Kind.SUBMITTED_TO_YOU]}
    assert received(world, "office_head")[0].data["step"] == "办公室分管负责人审批"


def test_the_last_approval_tells_the_publishers_and_the_authors(world):
    item = world.item(title="春耕补贴公示")
    drafts.update_draft(
        world.users["officer_b"],
        item,
        content(category_id=world.category.id, title="春耕补贴公示（更正）"),
        item.version,
    )  # a colleague edits: a contributor, so an author too
    db.session.commit()
    world.to_state(item, "pending_secrecy")
    told = added_by(
        world,
        lambda: world.act(
            "secrecy", item, Action.SIGN_OFF, checklist=dict(CLEAR_CHECKLIST), opinion="同意公开"
        ),
    )
    assert told == {
        "officer": [Kind.APPROVED],
        "officer_b": [Kind.APPROVED],
        "publisher": [Kind.APPROVED],
    }


def test_a_return_tells_the_authors_with_the_step_and_the_reason(world, login_as):
    item = world.to_state(world.item(title="防汛值班安排"), "pending_office")
    told = added_by(
        world, lambda: world.act("office", item, Action.RETURN, opinion="值班电话需核实")
    )
    assert told == {"officer": [Kind.RETURNED]}
    (note,) = [n for n in received(world, "officer") if n.kind == Kind.RETURNED]
    assert note.data["reason"] == "值班电话需核实" and note.data["step"] == "办公室审核"

    page = login_as("officer").get("/notifications").text
    assert "《防汛值班安排》在办公室审核环节被退回，理由：值班电话需核实" in page
    assert "来自 用户office" in page


def test_a_return_by_the_publisher_names_publication_as_the_step(world):
    item = world.to_state(world.item(), "approved")
    world.act("publisher", item, Action.RETURN, opinion="附件缺页")
    (note,) = [n for n in received(world, "officer") if n.kind == Kind.RETURNED]
    assert (note.data["step"], note.data["reason"]) == ("发布", "附件缺页")


def test_publication_and_withholding_tell_the_authors(world, login_as):
    item = world.to_state(world.item(title="村务公开目录"), "approved")
    told = added_by(world, lambda: world.act("publisher", item, Action.PUBLISH))
    assert told == {"officer": [Kind.PUBLISHED]}
    assert received(world, "officer")[-1].data["index_number"] == item.index_number
    assert (
        f"《村务公开目录》已发布，索引号：{item.index_number}"
        in login_as("officer").get("/notifications").text
    )

    other = world.to_state(world.item(title="困难户名单"), "pending_secrecy")
    told = added_by(
        world,
        lambda: world.act(
            "secrecy", other, Action.WITHHOLD, opinion="涉及个人隐私", basis="personal_privacy"
        ),
    )
    assert told == {"officer": [Kind.WITHHELD]}
    assert received(world, "officer")[-1].data["reason"] == "涉及个人隐私"


def test_actions_that_concern_nobody_else_notify_nobody(world):
    item = world.to_state(world.item(), "pending_leader")
    assert added_by(world, lambda: world.act("officer", item, Action.RECALL)) == {}
    published = world.to_state(world.item(), "published")
    assert (
        added_by(
            world,
            lambda: world.act("publisher", published, Action.CHANGE_VALIDITY, validity="repealed"),
        )
        == {}
    )


def test_a_disabled_or_moved_person_is_not_told(world):
    world.users["office_and_secrecy"].is_enabled = False
    item = world.item()
    drafts.update_draft(
        world.users["officer_b"],
        item,
        content(category_id=world.category.id, summary="更正后的概述"),
        item.version,
    )
    db.session.commit()
    world.users["officer_b"].department = world.departments["agri"]  # moved after editing
    db.session.commit()
    world.to_state(item, "pending_leader")
    assert added_by(world, lambda: world.act("leader", item, Action.APPROVE)) == {
        "office": [Kind.SUBMITTED_TO_YOU]
    }
    assert added_by(world, lambda: world.act("office", item, Action.RETURN, opinion="补充")) == {
        "officer": [Kind.RETURNED]
    }


def test_a_new_round_is_a_new_event_but_one_event_never_notifies_twice(world):
    item = world.to_state(world.item(), "pending_leader")
    world.act("leader", item, Action.RETURN, opinion="请补充")
    world.act("officer", item, Action.SUBMIT)  # round 2
    assert [n.kind for n in received(world, "leader")] == [Kind.SUBMITTED_TO_YOU] * 2
    keys = [n.event_key for n in received(world, "leader")]
    assert len(set(keys)) == 2

    # the same event reported again (a retry, a second host) writes nothing
    written = notifications.on_transition(
        item, Action.SUBMIT, world.users["officer"], "draft", "pending_leader"
    )
    db.session.commit()
    assert written == 0 and len(received(world, "leader")) == 2


def test_a_reminder_is_just_another_kind_written_once_per_deadline(world):
    """What the deadline job will call on every run: each person gets each reminder once."""
    item = world.to_state(world.item(title="年度报告"), "pending_office")
    due = date(2026, 3, 31)
    assert notifications.remind(item, Kind.DUE_SOON, due) == 2  # both office auditors
    assert notifications.remind(item, Kind.DUE_SOON, due) == 0  # the next run: nothing new
    assert notifications.remind(item, Kind.OVERDUE, due) == 2  # another event
    db.session.commit()
    assert kinds_by_user(world)["office"] == [Kind.SUBMITTED_TO_YOU, Kind.DUE_SOON, Kind.OVERDUE]
    assert received(world, "office")[1].data == {"title": "年度报告", "due_on": "2026-03-31"}
    with pytest.raises(ValueError):
        notifications.remind(item, Kind.RETURNED, due)


def test_two_hosts_reporting_the_same_reminder_at_once_write_it_once(app, world):
    """The unique (user, event) with ON CONFLICT DO NOTHING, not a read-then-write."""
    item = world.to_state(world.item(), "pending_office")
    item_id, due = item.id, date(2026, 4, 1)
    auditors = sorted([world.users["office"].id, world.users["office_and_secrecy"].id])
    db.session.remove()
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER")}
    hosts = [
        create_app(
            {"TESTING": True, "SECRET_KEY": "t", **config, "INSTANCE_PATH": app.instance_path}
        )
        for _ in range(2)
    ]

    def run(i):
        with hosts[i].app_context():
            target = db.session.get(Item, item_id)
            db.session.rollback()  # hold nothing (SQLite: no lock) before writing
            with write_transactions():  # as a job does (SQLite: BEGIN IMMEDIATE)
                written = notifications.remind(target, Kind.OVERDUE, due)
                db.session.commit()
            db.session.remove()
            db.engine.dispose()
        return written

    written = run_concurrently(2, run, timeout=60)  # fails the test if either raised
    assert sorted(written) == [0, 2]
    overdue = db.session.scalars(select(Notification).where(Notification.kind == Kind.OVERDUE))
    assert sorted(n.user_id for n in overdue) == auditors


# ---------------------------------------------------------------- the bell and the list


def test_the_bell_shows_the_unread_count_on_every_page(world, login_as):
    leader = login_as("leader")
    assert bell(leader.get("/").text) == (0, None)
    world.to_state(world.item(), "pending_leader")
    page = leader.get("/").text
    assert bell(page) == (1, "1")
    assert 'href="/notifications"' in page
    assert bell(leader.get("/account/password").text) == (1, "1")


def test_the_bell_counts_up_to_99_then_says_99_plus(world, login_as):
    fill(world, "leader", 99)
    assert bell(login_as("leader").get("/").text) == (99, "99")
    fill(world, "leader", 3, prefix="more")
    assert bell(login_as("leader").get("/").text) == (100, "99+")  # counted no further


def test_anonymous_pages_never_ask_for_notifications_and_signed_in_pages_ask_once(
    world, client, login_as
):
    seen = []

    def keep(conn, cursor, statement, *args):
        if "notifications" in statement:
            seen.append(statement)

    leader = login_as("leader")
    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        for path in ("/login", f"/public/{world.body.id}/", "/public/"):
            client.get(path)
        assert seen == []
        leader.get("/")
        assert len(seen) == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)


def test_the_list_is_newest_first_highlights_unread_and_pages_by_keyset(world, login_as):
    fill(world, "leader", 25)
    leader = login_as("leader")
    page = leader.get("/notifications").text
    titles = re.findall(r"《(第\d+条)》", page)
    assert titles == [f"第{i}条" for i in range(24, 4, -1)]  # 20, newest first
    assert page.count('class="notification unread"') == 20 and "全部标为已读" in page
    more = re.search(r'href="/notifications\?before=(\d+)"', page)
    assert more, "no link to older notifications"
    older = leader.get(f"/notifications?before={more.group(1)}").text
    assert re.findall(r"《(第\d+条)》", older) == [f"第{i}条" for i in range(4, -1, -1)]
    assert "更早的通知" not in older
    bad_cursor = leader.get("/notifications?before=abc")  # a bad cursor: page 1
    assert bad_cursor.status_code == 200
    assert re.findall(r"《(第\d+条)》", bad_cursor.text) == titles


def test_opening_a_notification_marks_it_read_and_leads_to_the_item(world, login_as):
    item = world.to_state(world.item(title="低保公告"), "pending_leader")
    (note,) = received(world, "leader")
    leader = login_as("leader")
    page = leader.get("/notifications").text
    assert (
        f'action="/notifications/{note.id}/open"' in page
        and "《低保公告》待您办理：分管领导审批" in page
    )

    response = leader.post(f"/notifications/{note.id}/open", {}, token_from="/notifications")

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/items/{item.id}")
    assert received(world, "leader")[0].read_at is not None
    assert bell(leader.get("/").text) == (0, None)
    listed = leader.get("/notifications").text
    assert f'data-notification-id="{note.id}"' in listed
    assert 'class="notification unread"' not in listed and "标为已读</button>" not in listed


def test_mark_read_and_mark_all_read_are_posts_with_a_csrf_token(world, login_as):
    fill(world, "leader", 3)
    first, second, third = received(world, "leader")
    leader = login_as("leader")
    before = snapshot()
    for path in (
        f"/notifications/{first.id}/read",
        "/notifications/read-all",
        f"/notifications/{first.id}/open",
    ):
        for token in (None, "forged"):
            data = {"csrf_token": token} if token else {}
            assert leader.client.post(path, data=data).status_code == 400
    assert leader.get(f"/notifications/{first.id}/read").status_code == 405
    assert changed_tables(before, snapshot()) == {}

    response = leader.post(f"/notifications/{first.id}/read", {}, token_from="/notifications")
    assert response.status_code == 303 and response.headers["Location"].endswith("/notifications")
    assert [n.read_at is not None for n in received(world, "leader")] == [True, False, False]
    assert bell(leader.get("/").text) == (2, "2")

    response = leader.post("/notifications/read-all", {}, token_from="/notifications")
    assert response.status_code == 303
    assert all(n.read_at is not None for n in received(world, "leader"))
    page = leader.get("/notifications").text
    assert "已将 2 条通知标为已读" in page and "全部标为已读" not in page


def test_someone_elses_notification_is_a_404_and_stays_unread(world, login_as):
    fill(world, "leader", 1)
    (note,) = received(world, "leader")
    other = login_as("leader_agri")
    for path in (f"/notifications/{note.id}/read", f"/notifications/{note.id}/open"):
        assert other.post(path, {}, token_from="/notifications").status_code == 404
    assert (
        other.post("/notifications/999999/read", {}, token_from="/notifications").status_code == 404
    )
    assert "第0条" not in other.get("/notifications").text
    other.post("/notifications/read-all", {}, token_from="/notifications")
    assert received(world, "leader")[0].read_at is None


def test_the_pages_need_a_login_and_reading_them_changes_nothing(world, client, login_as):
    assert client.get("/notifications").status_code == 302
    anonymous = Browser(client)
    assert anonymous.post("/notifications/read-all", {}, token_from="/login").status_code == 302
    fill(world, "leader", 2)
    leader = login_as("leader")
    before = snapshot()
    listed = leader.get("/notifications")
    assert listed.status_code == 200
    assert re.findall(r"《(第\d+条)》", listed.text) == ["第1条", "第0条"]
    assert 'class="notification unread"' in listed.text  # still unread: reading marked nothing
    home = leader.get("/")
    assert home.status_code == 200 and bell(home.text) == (2, "2")
    assert changed_tables(before, snapshot()) == {}


# ---------------------------------------------------------------- e-mail


def test_jobs_run_twice_sends_each_email_once(app, world, runner, smtp):
    mail_on(app, smtp.port, MAIL_BASE_URL="https://approval.example.gov.cn/")
    with_addresses(
        world,
        leader="leader@example.gov.cn",
        office="office@example.gov.cn",
        office_and_secrecy="oas@example.gov.cn",
    )
    item = world.to_state(world.item(title="关于春季防火的通告"), "pending_office")

    first = runner.invoke(args=["jobs", "run"])

    assert first.exit_code == 0, first.output
    assert "通知邮件 (notification e-mail): sent 3, failed 0" in first.output
    (to_leader,) = smtp.to("leader@example.gov.cn")
    assert to_leader["Subject"] == "【政务公开审批】《关于春季防火的通告》待您办理：分管领导审批"
    assert to_leader["To"].addresses[0].display_name == "用户leader"
    assert to_leader["Auto-Submitted"] == "auto-generated"
    text = to_leader.get_content()
    assert "用户leader：" in text
    assert f"https://approval.example.gov.cn/items/{item.id}" in text
    assert len(smtp.to("office@example.gov.cn")) == 1 and len(smtp.to("oas@example.gov.cn")) == 1

    second = runner.invoke(args=["jobs", "run"])

    assert second.exit_code == 0, second.output
    assert "sent 0, failed 0" in second.output
    assert len(smtp.messages) == 3
    assert all(
        n.emailed_at is not None and not n.mail_pending and n.mail_attempts == 1
        for n in db.session.scalars(select(Notification))
    )


def test_who_gets_no_email(app, world, runner, smtp):
    """No address, mail not configured when it happened, or the account disabled since."""
    with_addresses(world, office="office@example.gov.cn", office_and_secrecy="oas@example.gov.cn")
    world.to_state(world.item(title="邮件未配置时"), "pending_office")  # mail off: no outbox
    mail_on(app, smtp.port)
    world.to_state(world.item(title="邮件已配置"), "pending_office")  # leader: no address
    world.users["office_and_secrecy"].is_enabled = False  # disabled before the job ran
    db.session.commit()

    outcome = runner.invoke(args=["jobs", "run"])

    assert outcome.exit_code == 0, outcome.output
    assert [(rcpts, "邮件已配置" in m["Subject"]) for rcpts, m in smtp.messages] == [
        (["office@example.gov.cn"], True)
    ]
    assert all(not n.mail_pending for n in db.session.scalars(select(Notification)))
    dropped = received(world, "office_and_secrecy")[-1]
    assert dropped.emailed_at is None and "disabled" in dropped.mail_error


def test_smtp_down_loses_nothing_and_the_next_run_sends_it(app, world, runner, smtp):
    mail_on(app, smtp.port)
    with_addresses(world, leader="leader@example.gov.cn")
    smtp.stop()
    world.to_state(world.item(title="停电通知"), "pending_leader")

    down = runner.invoke(args=["jobs", "run"])

    assert down.exit_code == 1
    assert "sent 0, failed 1" in down.output
    (note,) = received(world, "leader")
    assert note.mail_pending and note.emailed_at is None and note.mail_claimed_at is None
    assert note.mail_attempts == 1 and "ConnectionRefusedError" in note.mail_error

    smtp.start()
    up = runner.invoke(args=["jobs", "run"])
    again = runner.invoke(args=["jobs", "run"])

    assert up.exit_code == 0 and "sent 1, failed 0" in up.output
    assert again.exit_code == 0 and "sent 0, failed 0" in again.output
    (message,) = smtp.to("leader@example.gov.cn")
    assert "停电通知" in message["Subject"]
    (note,) = received(world, "leader")
    assert note.emailed_at is not None and note.mail_error is None and not note.mail_pending


def test_a_refused_address_is_retried_then_given_up_and_others_still_go(app, world, runner, smtp):
    mail_on(app, smtp.port, MAIL_MAX_ATTEMPTS=2)
    with_addresses(world, office="gone@example.gov.cn", office_and_secrecy="oas@example.gov.cn")
    smtp.refuse.add("gone@example.gov.cn")
    world.to_state(world.item(), "pending_office")

    first = runner.invoke(args=["jobs", "run"])
    assert first.exit_code == 1 and "sent 1, failed 1" in first.output
    assert "550" in first.output
    assert received(world, "office")[0].mail_pending  # tried once of two
    second = runner.invoke(args=["jobs", "run"])
    assert second.exit_code == 1 and "sent 0, failed 1" in second.output
    (note,) = received(world, "office")
    assert not note.mail_pending and note.emailed_at is None and note.mail_attempts == 2
    assert "SMTPRecipientsRefused" in note.mail_error
    third = runner.invoke(args=["jobs", "run"])
    assert third.exit_code == 0 and "sent 0, failed 0" in third.output
    assert len(smtp.to("oas@example.gov.cn")) == 1


def test_bad_mail_settings_are_reported_and_nothing_is_sent(app, world, runner, smtp):
    mail_on(app, smtp.port, MAIL_SENDER=None)
    with_addresses(world, leader="leader@example.gov.cn")
    world.to_state(world.item(), "pending_leader")
    outcome = runner.invoke(args=["jobs", "run"])
    assert outcome.exit_code == 1 and "MAIL_SENDER" in outcome.output
    assert smtp.messages == [] and received(world, "leader")[0].mail_pending


def test_a_server_without_starttls_is_not_blamed_on_the_message(app, world, runner, smtp):
    """The default security is STARTTLS; a server that does not offer it is a setting to fix,
    and the message waits (however many tries) instead of being given up."""
    mail_on(app, smtp.port, MAIL_SMTP_SECURITY="starttls", MAIL_MAX_ATTEMPTS=1)
    with_addresses(world, leader="leader@example.gov.cn")
    world.to_state(world.item(), "pending_leader")
    for _ in range(2):
        outcome = runner.invoke(args=["jobs", "run"])
        assert outcome.exit_code == 1 and "STARTTLS" in outcome.output
    (note,) = received(world, "leader")
    assert note.mail_pending and note.mail_attempts == 2 and smtp.messages == []
    app.config["MAIL_SMTP_SECURITY"] = "none"  # fixed: sent on the next run
    assert runner.invoke(args=["jobs", "run"]).exit_code == 0
    assert len(smtp.to("leader@example.gov.cn")) == 1


def test_without_mail_settings_the_job_sends_nothing_and_nothing_waits(world, runner):
    with_addresses(world, leader="leader@example.gov.cn")
    world.to_state(world.item(), "pending_leader")
    outcome = runner.invoke(args=["jobs", "run"])
    assert (
        outcome.exit_code == 0
        and "通知邮件 (notification e-mail): sent 0, failed 0" in outcome.output
    )
    assert not received(world, "leader")[0].mail_pending


def test_two_runs_at_once_send_each_email_once(app, world, smtp):
    """Two hosts' cron fire together: separate apps (engines, sessions) in separate threads,
    against a server slow enough that the two runs overlap."""
    smtp.inbox.delay = 0.05
    mail_on(app, smtp.port)
    addresses = {"leader": "l@example.gov.cn", "leader_agri": "la@example.gov.cn"}
    with_addresses(world, **addresses)
    for i in range(6):  # 6 civil and 6 agri items: 12 notifications
        world.act("officer", world.item(title=f"民政{i}"), Action.SUBMIT)
        world.act(
            "officer_agri", world.item(author="officer_agri", title=f"农业{i}"), Action.SUBMIT
        )
    ids = sorted(n.id for n in db.session.scalars(select(Notification)))
    assert len(ids) == 12
    db.session.remove()
    config = {key: app.config[key] for key in app.config if key.startswith("MAIL_")}
    config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"]
    hosts = [
        create_app(
            {"TESTING": True, "SECRET_KEY": "t", **config, "INSTANCE_PATH": app.instance_path}
        )
        for _ in range(2)
    ]

    def run(i):
        with hosts[i].app_context():
            result = mail.send_pending()
            db.session.remove()
            db.engine.dispose()
        return result

    results = run_concurrently(2, run)  # fails the test if either raised

    assert results[0].failed == results[1].failed == []
    assert results[0].done and results[1].done  # they really worked side by side
    assert sorted(results[0].done + results[1].done) == ids  # each once, by one of the two
    assert len(smtp.messages) == 12
    subjects = sorted(m["Subject"] for _, m in smtp.messages)
    assert len(set(subjects)) == 12  # twelve different messages, none twice
    assert all(n.emailed_at is not None for n in db.session.scalars(select(Notification)))


# ---------------------------------------------------------------- indexes


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's plans are rule-based and stable to assert")
def test_the_bell_the_list_and_the_outbox_read_their_indexes(app, world, login_as, smtp):
    mail_on(app, smtp.port)
    fill(world, "leader", 30)
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "notifications" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    leader = login_as("leader")
    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        leader.get("/notifications")
        mail.send_pending()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    raw = db.session.connection().connection.driver_connection
    used = set()
    for statement, parameters in statements:
        plan = [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
        assert not any(
            step.startswith("SCAN notifications") and "USING" not in step for step in plan
        ), plan
        assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan
        used.update(re.findall(r"ix_notifications_\w+", " ".join(plan)))
    assert {
        "ix_notifications_user_unread",
        "ix_notifications_user_list",
        "ix_notifications_mail_pending",
    } <= used
