"""互动回应 operations (approval/interaction/operations.py, clock.py, intake.py): due days counted
in working days over 国庆 and 春节 (hand-computed), the office's own limits (audited), the
workflow 登记 → 分办 → 答复 → leader → office → 已答复 with returns and version checks, 转办,
the sender's rating reopening once, the three-month count on a controllable clock, the portal's
screening for personal data, and statistics."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.extensions import db
from approval.interaction import intake, queries, statistics
from approval.interaction import operations as ops
from approval.interaction.clock import months_before, standing
from approval.models import AuditEntry
from approval.requests.intake import tracking_code_hash
from tests.helpers.interaction import given, on, online, registered, walk


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# ---------------------------------------------------------------- the clock


@pytest.mark.parametrize(
    ("received", "category", "due"),
    [
        # 国庆 2026: 10-1..10-7 off, Saturday 10-10 a working day (调休)
        ("2026-09-30", "consultation", "2026-10-13"),  # 10-8, 10-9, 10-10, 10-12, 10-13
        ("2026-09-30", "complaint", "2026-10-27"),
        ("2026-09-30", "suggestion", "2026-10-27"),
        # 春节 2026: 2-15..2-23 off, Saturday 2-14 a working day (调休)
        ("2026-02-13", "consultation", "2026-02-27"),  # 2-14, 2-24, 2-25, 2-26, 2-27
        ("2026-10-14", "consultation", "2026-10-21"),  # an ordinary week
    ],
)
def test_the_due_day_counts_working_days_over_the_holidays(world, moment, received, category, due):
    moment.at("2026-11-30 10:00")
    message = registered(world, received_on=on(received), category=category)
    assert message.due_on == on(due)
    assert message.limit_days == (5 if category == "consultation" else 15)


def test_badges_turn_amber_two_working_days_before_and_red_after(world, moment):
    moment.at("2026-10-08 10:00")
    message = registered(world, received_on=on("2026-09-30"))  # due 10-13
    assert standing(message, on("2026-10-08")).level == "on_time"
    assert standing(message, on("2026-10-09")).left == 3
    s = standing(message, on("2026-10-10"))  # the make-up Saturday
    assert (s.level, s.left) == ("due_soon", 2)
    assert standing(message, on("2026-10-13")).left == 0
    late = standing(message, on("2026-10-15"))
    assert (late.level, late.late_by) == ("overdue", 2)
    walk(world, message, "answered")
    assert standing(message, on("2026-10-15")).level == "closed"


def test_the_office_sets_its_own_limits_and_the_change_is_audited(world, moment):
    moment.at("2026-10-14 10:00")
    office = world.users["office"]
    with pytest.raises(PermissionDenied):
        ops.set_limits(world.users["officer"], world.body.id, {"consultation": 3})
    with pytest.raises(InvalidInput) as refused:
        ops.set_limits(office, world.body.id, {"consultation": 0})
    assert refused.value.field == "days_consultation"
    db.session.rollback()
    ops.set_limits(office, world.body.id, {"consultation": 3, "complaint": 10})
    db.session.commit()
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "interaction_limits_set")
    )
    detail = json.loads(entry.detail)
    assert detail["before"]["consultation"] == 5 and detail["after"]["consultation"] == 3
    assert detail["after"]["complaint"] == 10 and detail["after"]["suggestion"] == 15
    assert registered(world, category="consultation").due_on == on("2026-10-19")
    ops.set_limits(office, world.body.id, {"consultation": None})  # back to the default
    db.session.commit()
    assert registered(world).limit_days == 5


def test_stale_count_is_messages_open_more_than_three_months(world, moment):
    moment.at("2026-10-14 10:00")
    old = registered(world, received_on=on("2026-07-13"), subject="三个月前的留言")
    registered(world, received_on=on("2026-07-14"), subject="刚好三个月")
    answered = registered(world, received_on=on("2026-06-01"), subject="早已答复")
    walk(world, answered, "answered")
    assert months_before(on("2026-10-14"), 3) == on("2026-07-14")
    assert months_before(on("2026-05-31"), 3) == on("2026-02-28")
    assert queries.stale_count(world.body.id, on("2026-10-14")) == 1
    board = queries.overdue_board(world.users["office"], on("2026-10-14"))
    assert board.stale == 1 and len(board.rows) == 2 and board.rows[0][0].id == old.id
    # a day later the second one joins them; the clock is the test's
    moment.at("2026-10-15 09:00")
    assert queries.stale_count(world.body.id, on("2026-10-15")) == 2


# ---------------------------------------------------------------- the workflow


def test_a_message_walks_register_assign_answer_two_reviews_answered(world, moment):
    moment.at("2026-10-14 10:00")
    users = world.users
    message = registered(world)
    assert message.state == "registered"
    with pytest.raises(PermissionDenied):
        ops.assign(users["officer"], message, message.version, world.departments["civil"].id)
    with pytest.raises(Conflict):  # a stale page
        ops.assign(users["office"], message, message.version + 1, world.departments["civil"].id)
    db.session.rollback()
    walk(world, message, "assigned")
    assert message.state == "assigned" and message.department.name == "民政办"
    with pytest.raises(PermissionDenied):  # another department's officer
        ops.submit_answer(users["officer_agri"], message, message.version, "答复")
    ops.submit_answer(users["officer"], message, message.version, "请携带户口簿到镇民政办办理。")
    db.session.commit()
    assert (message.state, message.review_step) == ("reviewing", "leader")
    with pytest.raises(PermissionDenied):  # the office is the second step
        ops.review(users["office"], message, message.version, True, None)
    with pytest.raises(PermissionDenied):  # not the leader of another department
        ops.review(users["leader_agri"], message, message.version, True, None)
    with pytest.raises(InvalidInput):  # a return needs its reason
        ops.review(users["leader"], message, message.version, False, "")
    db.session.rollback()
    ops.review(users["leader"], message, message.version, False, "请写明办理地点")
    db.session.commit()
    assert message.state == "assigned" and message.current_reply.returned_reason == "请写明办理地点"
    ops.submit_answer(
        users["officer_b"], message, message.version, "请携带户口簿到镇民政办（一楼）办理。"
    )
    ops.review(users["leader"], message, message.version, True, None)
    db.session.commit()
    assert message.review_step == "office"
    ops.review(users["office"], message, message.version, True, None)
    db.session.commit()
    assert message.state == "answered" and message.answered_on == on("2026-10-14")
    assert message.answer.text.endswith("（一楼）办理。") and len(message.replies) == 1
    assert audit_actions()[-6:] == [
        "message_assigned",
        "message_answer_submitted",
        "message_answer_returned",
        "message_answer_submitted",
        "message_answer_approved",
        "message_answered",
    ]
    # the audit trail never names the sender
    for entry in db.session.scalars(select(AuditEntry)):
        assert "王五" not in (entry.detail or "") and "13900001111" not in (entry.detail or "")


def test_the_drafter_never_approves_and_nobody_approves_twice(world, moment):
    moment.at("2026-10-14 10:00")
    users = world.users
    message = walk(world, registered(world), "reviewing")
    assert not ops.may.can_review(users["officer"], message)  # drafted it
    assert not ops.may.can_draft_answer(users["officer"], message)  # in review now
    ops.review(users["leader"], message, message.version, True, None)
    db.session.commit()
    assert ops.may.can_review(users["office"], message)
    assert not ops.may.can_review(users["leader"], message)  # decided already
    assert not ops.may.can_review(users["secrecy"], message)  # not the office


def test_transfer_closes_the_message_here_with_a_note_for_the_sender(world, moment):
    moment.at("2026-10-14 10:00")
    message = registered(world, category="complaint")
    with pytest.raises(InvalidInput):
        ops.transfer(world.users["office"], message, message.version, "某县市场监管局", "")
    db.session.rollback()
    ops.transfer(
        world.users["office"], message, message.version, "某县市场监管局", "已转县市场监管局办理。"
    )
    db.session.commit()
    assert message.state == "transferred" and message.transferred_to == "某县市场监管局"
    with pytest.raises(Conflict):
        ops.assign(world.users["office"], message, message.version, world.departments["civil"].id)


def test_dissatisfied_reopens_once_and_the_second_answer_closes_it(world, moment):
    moment.at("2026-10-14 10:00")
    message, _ = online(world)
    with pytest.raises(Conflict):  # not answered yet
        ops.rate(message, message.version, "satisfied", None)
    walk(world, message, "answered")
    moment.at("2026-10-16 10:00")  # a Friday
    assert ops.rate(message, message.version, "dissatisfied", "没有说明办理时间") is True
    db.session.commit()
    assert message.state == "reopened" and message.reopened_on == on("2026-10-16")
    assert message.due_on == on("2026-10-23") and message.round == 2
    with pytest.raises(Conflict):
        ops.rate(message, message.version, "satisfied", None)  # not answered again yet
    walk(world, message, "answered", text="工作日上午九时至下午五时办理。")
    assert message.answer.text.startswith("工作日") and len(message.replies) == 2
    assert ops.rate(message, message.version, "dissatisfied", None) is False  # once only
    db.session.commit()
    assert message.state == "answered" and len(message.ratings) == 2
    with pytest.raises(Conflict):
        ops.rate(message, message.version, "satisfied", None)  # rated this round
    actions = audit_actions()
    assert actions.count("message_reopened") == 1 and actions.count("message_rated") == 2


def test_an_open_day_message_is_linked_to_its_event(world, moment):
    moment.at("2026-10-14 10:00")
    office = world.users["office"]
    with pytest.raises(InvalidInput) as refused:
        ops.create_event(office, on("2026-10-10"), "镇便民服务中心", [], 30, None)
    assert refused.value.field == "department_ids"
    db.session.rollback()
    event = ops.create_event(
        office,
        on("2026-10-10"),
        "镇便民服务中心",
        [world.departments["civil"].id, world.departments["agri"].id],
        30,
        None,
    )
    db.session.commit()
    with pytest.raises(InvalidInput):
        ops.register(office, given(channel="open_day", event_id=None))
    db.session.rollback()
    message = registered(world, channel="open_day", event_id=event.id, received_on=on("2026-10-14"))
    assert message.event_id == event.id and message.received_on == on("2026-10-10")
    assert [m.id for m in event.messages] == [message.id]
    assert [d.name for d in event.departments] == ["民政办", "农业农村办"]


# ---------------------------------------------------------------- the portal's screening


def test_an_id_number_in_the_text_is_refused_and_a_mobile_is_a_warning(world, moment):
    moment.at("2026-10-14 10:00")
    with pytest.raises(InvalidInput) as refused:
        intake.file_online(world.body, given(text="我的身份证号11010519491231002X，低保没批下来"))
    assert refused.value.field == "text" and "身份证号码" in refused.value.message
    db.session.rollback()
    with pytest.raises(intake.PersonalDataWarning):
        intake.file_online(world.body, given(text="请打我电话13812345678"))
    db.session.rollback()
    message, code = intake.file_online(world.body, given(text="请打我电话13812345678"), True)
    db.session.commit()
    assert message.channel == "portal" and message.received_on == on("2026-10-14")
    assert len(code) == 14 and message.tracking_code_hash == tracking_code_hash(code)
    with pytest.raises(InvalidInput) as no_contact:
        intake.file_online(world.body, given(phone="", email="", address=""))
    assert no_contact.value.field == "phone"


# ---------------------------------------------------------------- statistics


def test_statistics_count_on_time_late_and_satisfaction_per_department(world, moment):
    moment.at("2026-10-01 10:00")
    late = registered(world, received_on=on("2026-09-01"))  # due 09-08
    on_time = registered(world, received_on=on("2026-09-30"))
    moment.at("2026-10-09 10:00")
    walk(world, late, "answered")
    walk(world, on_time, "answered")
    ops.rate(on_time, on_time.version, "satisfied", None)
    ops.rate(late, late.version, "basically", None)
    db.session.commit()
    still_open = registered(world, received_on=on("2026-09-02"), category="complaint")
    ops.assign(world.users["office"], still_open, still_open.version, world.departments["agri"].id)
    transferred = registered(world, received_on=on("2026-09-03"))
    ops.transfer(world.users["office"], transferred, transferred.version, "某县", "已转某县")
    db.session.commit()
    report = statistics.report(world.body.id, date(2026, 9, 1), date(2026, 9, 30), on("2026-10-09"))
    t = report.total
    assert (t.received, t.answered, t.on_time, t.late, t.transferred, t.open, t.overdue) == (
        4,
        2,
        1,
        1,
        1,
        1,
        1,  # the complaint was due on 09-23
    )
    assert t.satisfaction == 100.0 and t.rated == 2
    per = dict(report.departments)
    assert per["民政办"].answered == 2 and per["农业农村办"].open == 1 and per[""].transferred == 1
    empty = statistics.report(world.body.id, date(2025, 1, 1), date(2025, 12, 31), on("2026-10-09"))
    assert empty.total.received == 0 and empty.total.satisfaction is None


# ---------------------------------------------------------------- reminders (flask jobs run)


def test_the_job_reminds_the_office_and_the_department_once_per_level(world, moment, app):
    from approval import jobs
    from approval.models import Notification
    from approval.notifications.messages import describe

    moment.at("2026-10-08 10:00")
    message = registered(world, received_on=on("2026-09-30"))  # due 10-13
    assign_to = world.departments["civil"].id
    ops.assign(world.users["office"], message, message.version, assign_to)
    db.session.commit()

    def told() -> dict[str, list[str]]:
        db.session.rollback()
        found: dict[str, list[str]] = {}
        for n in db.session.scalars(select(Notification).order_by(Notification.id)):
            name = next(k for k, u in world.users.items() if u.id == n.user_id)
            with app.test_request_context():
                found.setdefault(name, []).append(describe(n))
        return found

    jobs.run_all(moment.now)
    assert told() == {}  # 3 working days left: nothing yet
    moment.at("2026-10-10 10:00")  # the make-up Saturday: 2 left, amber
    jobs.run_all(moment.now)
    jobs.run_all(moment.now)  # twice: still once
    first = told()
    assert set(first) == {
        "officer",
        "officer_b",
        "office",
        "publisher",
        "office_head",
        "office_and_secrecy",
    }
    assert first["officer"] == ["留言《低保申请需要哪些材料》的答复期限为 2026-10-13，请及时答复"]
    moment.at("2026-10-14 10:00")
    jobs.run_all(moment.now)
    assert (
        told()["office"][-1]
        == "留言《低保申请需要哪些材料》已超过答复期限（2026-10-13），请尽快答复"
    )
    for texts in told().values():
        assert all("王五" not in t and "13900001111" not in t for t in texts)
