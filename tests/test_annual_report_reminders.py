"""The reminder before the annual report's deadline (annual_reports/reminders.py, run by
``flask jobs run``): from 30 days before 31 January the office is told once that the report on
the year before is due, once more when it is late (within as many days after), never when it is published; the day is the
deployment's (a township follows its county's date)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from approval import jobs
from approval.annual_reports import reminders
from approval.extensions import db
from approval.models import AnnualReport, Notification
from approval.models.notifications import Kind

# the writers of the report: the office's statistics staff (the general office's 办公室审核 and
# 发布员, the leader who leads it); the world has no 信息员 in the general office
OFFICE = {"office", "publisher", "office_and_secrecy", "office_head"}


def told(world) -> list[tuple[str, str, int]]:
    names = {u.id: name for name, u in world.users.items()}
    rows = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    return sorted(
        (names[n.user_id], n.kind, n.data["annual_report_year"])
        for n in rows
        if n.data.get("annual_report_year")
    )


def expected(kind, year=2026):
    return sorted((name, kind, year) for name in OFFICE)


def test_the_window_and_the_levels():
    due = reminders.due_on(2026, "01-31")
    assert due == date(2027, 1, 31)
    assert reminders.level(date(2026, 12, 31), due, 30) is None  # 31 days before
    assert reminders.level(date(2027, 1, 1), due, 30) == Kind.DUE_SOON
    assert reminders.level(due, due, 30) == Kind.DUE_SOON  # the day itself: still due
    assert reminders.level(date(2027, 2, 1), due, 30) == Kind.OVERDUE
    assert reminders.level(date(2027, 3, 2), due, 30) == Kind.OVERDUE  # 30 days after
    assert reminders.level(date(2027, 3, 3), due, 30) is None  # a body new to the app in the
    # autumn is not told about last year's report, which it published on paper
    assert reminders.due_on(2026, "03-31") == date(2027, 3, 31)


def test_due_soon_then_late_once_each_to_the_office(world, moment):
    moment.at("2026-12-31 09:00")
    assert jobs.run_annual_report_reminders().done == []
    moment.at("2027-01-02 09:00")
    result = jobs.run_annual_report_reminders()
    assert result.done == [world.body.id] and result.failed == []
    jobs.run_annual_report_reminders()  # a second run (or host) writes nothing again
    moment.at("2027-01-31 09:00")
    jobs.run_annual_report_reminders()
    assert told(world) == expected(Kind.DUE_SOON)
    moment.at("2027-02-01 09:00")
    jobs.run_annual_report_reminders()
    moment.at("2027-03-02 09:00")
    jobs.run_annual_report_reminders()
    assert told(world) == sorted(expected(Kind.DUE_SOON) + expected(Kind.OVERDUE))
    # nobody else: the departments' officers and leaders, the secrecy reviewer, the admins
    assert {name for name, _, _ in told(world)} == OFFICE


def test_the_office_reads_it_and_opens_the_report(world, moment, login_as):
    moment.at("2027-01-05 09:00")
    jobs.run_annual_report_reminders()
    office = login_as("office")
    page = office.get("/notifications").text
    assert "2026年政府信息公开工作年度报告应于 2027-01-31 前发布，请及时编写、送审" in page
    note = db.session.scalar(
        select(Notification).where(Notification.user_id == world.users["office"].id)
    )
    response = office.post(f"/notifications/{note.id}/open", {}, token_from="/notifications")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/office/annual-reports/2026")
    moment.at("2027-02-03 09:00")
    jobs.run_annual_report_reminders()
    page = login_as("office").get("/notifications").text  # a new day, a new session
    assert (
        "2026年政府信息公开工作年度报告已超过发布期限（2027-01-31），尚未发布，请尽快办理" in page
    )


def test_a_published_report_is_not_reminded(world, moment):
    moment.at("2027-01-10 09:00")
    item = world.to_state(world.item(), "published")
    db.session.add(AnnualReport(body_id=world.body.id, year=2026, item_id=item.id))
    db.session.commit()
    assert jobs.run_annual_report_reminders().done == []
    assert told(world) == []


def test_a_report_in_the_chain_is_still_reminded(world, moment):
    moment.at("2027-01-10 09:00")
    item = world.to_state(world.item(), "pending_office")
    db.session.add(AnnualReport(body_id=world.body.id, year=2026, item_id=item.id))
    db.session.commit()
    jobs.run_annual_report_reminders()
    assert told(world) == expected(Kind.DUE_SOON)


def test_a_township_follows_its_county_s_date(app, world, moment):
    app.config.update(ANNUAL_REPORT_DUE="03-31", ANNUAL_REPORT_REMIND_DAYS=20)
    moment.at("2027-03-10 09:00")  # 21 days before
    jobs.run_annual_report_reminders()
    assert told(world) == []
    moment.at("2027-03-11 09:00")
    jobs.run_annual_report_reminders()
    assert told(world) == expected(Kind.DUE_SOON)
    assert {n.data["due_on"] for n in db.session.scalars(select(Notification))} == {"2027-03-31"}


def test_the_job_runs_with_the_others(world, moment):
    moment.at("2027-01-20 09:00")
    names = [r.name for r in jobs.run_all()]
    assert "年度报告提醒 (annual report reminders)" in names
    assert told(world) == expected(Kind.DUE_SOON)
