"""The reminder job about requests (approval/jobs.py run_request_reminders, requests/reminders.py):
a reply due within 5 working days, and again once overdue, is told once to the assigned
department's officers and the office; a paused request or one awaiting 补正 is not; a 补正 whose
deadline passed is told to the office, as a request it may close. The text names the 申请编号 and
the due day, never the applicant.

A request handed in on Monday 2026-09-14 is due on Friday 2026-10-16 (20 working days across
中秋 and 国庆 2026: tests/test_requests_statistics.py); on Monday 10-12 four working days are left."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from approval import jobs
from approval.extensions import db
from approval.models import Notification
from approval.models.notifications import Kind
from approval.requests import operations as ops
from tests.helpers.requests import register

RECEIVED = date(2026, 9, 14)
DUE = "2026-10-16"
# the office: the general office's 办公室审核 and 发布员, and the leader who leads it
OFFICE = {"office", "publisher", "office_and_secrecy", "office_head"}
CIVIL_OFFICERS = {"officer", "officer_b"}


def told(world, request=None) -> list[tuple[str, str, str]]:
    """(user, kind, deadline) of every notification about ``request`` (or any), sorted."""
    names = {u.id: name for name, u in world.users.items()}
    rows = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    return sorted(
        (names[n.user_id], n.kind, n.data["deadline"])
        for n in rows
        if n.data.get("request_number")
        and (request is None or n.data["request_number"] == request.number)
    )


def expected(people, kind, deadline="reply"):
    return sorted((name, kind, deadline) for name in people)


@pytest.fixture
def assigned(world, moment):
    """A request received 2026-09-14, given to 民政办 on 10-12."""
    moment.at("2026-10-12 09:00")
    r = register(world, applicant_name="王小明", submitted_on=RECEIVED)
    ops.assign(world.users["office"], r, r.version, world.departments["civil"].id)
    db.session.commit()
    return r


def test_due_soon_then_overdue_once_each_to_the_department_and_the_office(world, moment, assigned):
    moment.at("2026-10-09 08:00")  # Friday, a working day (调休 Saturday 10-10 too): 6 left
    jobs.run_request_reminders()
    assert told(world) == []
    moment.at("2026-10-12 08:00")  # 4 working days left
    result = jobs.run_request_reminders()
    assert result.done == [assigned.id] and result.failed == []
    first = expected(OFFICE | CIVIL_OFFICERS, Kind.DUE_SOON)
    assert told(world) == first
    moment.at("2026-10-16 08:00")  # due today: still amber, nothing new
    assert jobs.run_request_reminders().done == []
    assert told(world) == first
    moment.at("2026-10-17 08:00")  # Saturday after the due day: overdue
    jobs.run_request_reminders()
    jobs.run_request_reminders()  # a second run (or host) writes nothing again
    moment.at("2026-10-19 08:00")
    jobs.run_request_reminders()
    assert told(world) == sorted(first + expected(OFFICE | CIVIL_OFFICERS, Kind.OVERDUE))
    # nobody else: the 民政办's leader, another department, the secrecy reviewer, the admins
    assert not {name for name, _, _ in told(world)} & {
        "leader",
        "officer_agri",
        "leader_agri",
        "secrecy",
        "sysadmin",
        "auditor",
        "secadmin",
    }


def test_the_text_names_the_number_and_the_due_day_never_the_applicant(
    world, moment, assigned, login_as
):
    moment.at("2026-10-12 08:00")
    jobs.run_request_reminders()
    moment.at("2026-10-19 08:00")
    jobs.run_request_reminders()
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == world.users["officer"].id)
    ).all()
    assert len(notes) == 2
    page = login_as("officer").get("/notifications").text  # what the officer reads
    assert f"申请 {assigned.number} 已超过答复期限（{DUE}），请尽快答复" in page
    assert f"申请 {assigned.number} 的答复期限为 {DUE}，请及时答复" in page
    assert "王小明" not in page
    for n in notes:
        assert "王小明" not in n.params and "110105194912310029" not in n.params
        assert n.item_id is None and n.body_id == world.body.id


def test_an_unassigned_request_is_the_offices_alone(world, moment):
    moment.at("2026-10-12 08:00")
    register(world, submitted_on=RECEIVED)  # registered, no department yet
    jobs.run_request_reminders()
    assert told(world) == expected(OFFICE, Kind.DUE_SOON)


def test_a_paused_request_gets_no_reminder(world, moment, assigned):
    ops.start_pause(
        world.users["officer"], assigned, assigned.version, "third_party", date(2026, 10, 9), ""
    )
    db.session.commit()
    for day in ("2026-10-12", "2026-10-19", "2026-11-30"):
        moment.at(f"{day} 08:00")
        assert jobs.run_request_reminders().done == []
    assert told(world) == []
    moment.at("2026-11-30 09:00")  # the third party answered long ago: the clock runs again
    ops.end_pause(world.users["officer"], assigned, assigned.version, date(2026, 10, 9))
    db.session.commit()
    jobs.run_request_reminders()
    # one paused working day (10-09) moves the due day to Monday 10-19: overdue now
    assert told(world) == expected(OFFICE | CIVIL_OFFICERS, Kind.OVERDUE)
    assert {n.data["due_on"] for n in db.session.scalars(select(Notification))} == {"2026-10-19"}


def test_a_request_awaiting_correction_gets_no_reply_reminder_then_the_office_may_close_it(
    world, moment, login_as
):
    moment.at("2026-09-15 10:00")
    r = register(world, submitted_on=RECEIVED)
    ops.request_correction(
        world.users["office"], r, r.version, date(2026, 9, 15), "请写明年份", date(2026, 9, 30)
    )
    db.session.commit()
    for day in ("2026-09-29", "2026-09-30"):  # awaited, the deadline not yet passed
        moment.at(f"{day} 08:00")
        jobs.run_request_reminders()
        assert told(world) == []
    moment.at("2026-10-12 08:00")  # the reply would have been due soon: no reply reminder
    jobs.run_request_reminders()
    jobs.run_request_reminders()
    assert told(world) == expected(OFFICE, Kind.OVERDUE, "correction")
    page = login_as("office").get("/notifications").text
    assert f"申请 {r.number} 的补正期限（2026-09-30）已过，申请人未补正，可按逾期不补正结案" in page
    ops.close_lapsed(world.users["office"], r, r.version)
    db.session.commit()
    moment.at("2026-10-19 08:00")
    assert jobs.run_request_reminders().done == []  # closed: nothing more
    assert len(told(world)) == len(OFFICE)


def test_a_disabled_account_is_not_told(world, moment, assigned):
    world.users["officer_b"].is_enabled = False
    db.session.commit()
    moment.at("2026-10-12 08:00")
    jobs.run_request_reminders()
    assert told(world) == expected(OFFICE | {"officer"}, Kind.DUE_SOON)


def test_the_job_runs_with_the_others(world, moment, assigned):
    moment.at("2026-10-12 08:00")
    names = [result.name for result in jobs.run_all()]
    assert "答复期限提醒 (request reminders)" in names
    assert told(world) == expected(OFFICE | CIVIL_OFFICERS, Kind.DUE_SOON)
