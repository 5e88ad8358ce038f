"""The register's operations (approval/requests/operations.py): each change is one audit entry
naming the request and not the applicant; refusals change nothing; the clock follows the rows.

In the world, ``office`` (办公室审核) and ``publisher`` are the general office's staff and
``office_head`` leads it (the head of the disclosure office, who approves extensions);
``officer`` writes for 民政办 (civil), ``leader`` leads it; ``officer_agri`` is 农业农村办's.
"Today" is moved with ``moment`` (Beijing time)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from approval.audit.trail import detail_of
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.request_clock import CORRECTION_LAPSED, PAUSED, RUNNING
from approval.extensions import db
from approval.models import AuditEntry, InformationRequest
from approval.permissions import requests as may
from approval.requests import operations as ops
from tests.helpers.requests import person, register


@pytest.fixture
def today(moment):
    moment.at("2026-10-14 10:00")  # a Wednesday
    return moment


def last_entry() -> AuditEntry:
    return db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))


def entries() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def test_registering_numbers_the_request_and_audits_without_personal_data(world, today):
    first = register(world)
    second = register(world, channel="registered_post", signed_for_on=date(2026, 10, 13))
    assert (first.number, second.number) == ("依申请〔2026〕0001号", "依申请〔2026〕0002号")
    assert first.state == "registered" and first.received_on == date(2026, 10, 12)
    assert second.received_on == date(2026, 10, 13)
    entry = last_entry()
    assert entry.action == "request_registered" and entry.to_state == "registered"
    assert detail_of(entry) == {
        "request_id": second.id,
        "number": second.number,
        "channel": "registered_post",
        "applicant_kind": "person",
        "received_on": "2026-10-13",
    }
    assert "张三" not in entry.detail and "110105" not in entry.detail


def test_an_organisation_needs_its_credit_code_representative_contact_and_kind(world, today):
    org = dict(
        applicant_kind="organisation",
        applicant_name="某某律师事务所",
        id_type="",
        id_number="",
        credit_code="31110000ma01abcd2x",
        legal_representative="李四",
        contact_person="王五",
        organisation_kind="legal_services",
    )
    made = register(world, **org)
    assert made.credit_code == "31110000MA01ABCD2X" and made.id_number is None
    for field, value in [
        ("credit_code", "123"),
        ("legal_representative", ""),
        ("contact_person", " "),
        ("organisation_kind", "church"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            ops.register(world.users["office"], person(**{**org, field: value}))
        assert refused.value.field == field
        db.session.rollback()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"applicant_name": ""}, "applicant_name"),
        ({"id_number": ""}, "id_number"),
        ({"phone": ""}, "phone"),
        ({"description": "   "}, "description"),
        ({"pickup": "email"}, "email"),
        ({"channel": ""}, "channel"),
        ({"channel": "registered_post"}, "signed_for_on"),
        ({"channel": "oral", "confirmed_on": date(2026, 10, 14)}, "applicant_confirmed"),
        ({"submitted_on": date(2026, 10, 15)}, "submitted_on"),  # tomorrow
    ],
)
def test_registering_refuses_incomplete_input_and_changes_nothing(world, today, overrides, field):
    before = entries()
    with pytest.raises(InvalidInput) as refused:
        ops.register(world.users["office"], person(**overrides))
    assert refused.value.field == field
    db.session.rollback()
    assert entries() == before
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0


def test_an_oral_request_confirmed_by_the_applicant_is_received_that_day(world, today):
    made = register(
        world, channel="oral", confirmed_on=date(2026, 10, 14), applicant_confirmed=True
    )
    assert made.received_on == date(2026, 10, 14) and made.applicant_confirmed


@pytest.mark.parametrize("who", ["officer", "leader", "secrecy", "office_head", "sysadmin"])
def test_only_the_office_registers(world, today, who):
    if who == "office_head":  # the leader of the general office is the office too
        assert register(world, who).number
        return
    with pytest.raises(PermissionDenied):
        ops.register(world.users[who], person())


def test_assigning_and_transferring_are_audited_with_the_departments(world, today):
    r = register(world)
    ops.assign(world.users["office"], r, r.version, world.departments["civil"].id)
    db.session.commit()
    assert r.state == "processing" and r.department.name == "民政办"
    entry = last_entry()
    assert (entry.action, entry.from_state, entry.to_state) == (
        "request_assigned",
        "registered",
        "processing",
    )
    assert detail_of(entry)["to_department"] == "民政办"
    ops.assign(world.users["office"], r, r.version, world.departments["agri"].id)
    db.session.commit()
    entry = last_entry()
    assert entry.action == "request_transferred"
    assert detail_of(entry)["from_department"] == "民政办"
    assert detail_of(entry)["to_department"] == "农业农村办"


def test_a_stale_version_is_a_conflict_and_changes_nothing(world, today):
    r = register(world)
    seen = r.version
    ops.assign(world.users["office"], r, seen, world.departments["civil"].id)
    db.session.commit()
    before = entries()
    with pytest.raises(Conflict):
        ops.assign(world.users["office"], r, seen, world.departments["agri"].id)
    db.session.rollback()
    assert entries() == before and r.department.name == "民政办"


def test_a_department_may_not_assign_or_transfer(world, today):
    r = register(world)
    ops.assign(world.users["office"], r, r.version, world.departments["civil"].id)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        ops.assign(world.users["leader"], r, r.version, world.departments["agri"].id)


def test_correction_once_restarts_the_clock_and_warns_when_late(world, today):
    r = register(world)  # received Monday 2026-10-12; 7th working day: 2026-10-21
    late = ops.request_correction(
        world.users["office"],
        r,
        r.version,
        date(2026, 10, 14),
        "请补充所需信息的年份和村（社区）名称",
        date(2026, 10, 30),
    )
    db.session.commit()
    assert late is False and r.state == "correction_requested"
    entry = last_entry()
    assert entry.action == "request_correction_asked" and detail_of(entry)["late"] is False
    assert "年份" not in entry.detail  # what is missing stays on the request, not in the trail
    assert ops.clock_of(r).due is None
    with pytest.raises(Conflict):  # one notice only (Art. 30, 一次性告知)
        ops.request_correction(
            world.users["office"], r, r.version, date(2026, 10, 14), "再补充", date(2026, 11, 6)
        )
    db.session.rollback()
    today.at("2026-10-20 09:00")
    ops.record_correction(world.users["office"], r, r.version, date(2026, 10, 19))
    db.session.commit()
    # not given to a department yet: back to 已登记, not 办理中 with no one handling it
    assert r.state == "registered" and last_entry().action == "request_correction_received"
    clock = ops.clock_of(r)
    # 20 working days after Monday 2026-10-19: 2026-11-16 (a Monday)
    assert clock.clock_start == date(2026, 10, 19) and clock.due == date(2026, 11, 16)


def test_a_late_correction_notice_is_recorded_as_late(world, moment):
    moment.at("2026-10-26 10:00")
    r = register(world)  # received 2026-10-12; the notice was due 2026-10-21
    late = ops.request_correction(
        world.users["office"], r, r.version, date(2026, 10, 26), "缺少年份", date(2026, 11, 9)
    )
    assert late is True and detail_of(last_entry())["late"] is True


def test_closing_as_lapsed_only_after_the_deadline(world, today):
    r = register(world)
    ops.request_correction(
        world.users["office"], r, r.version, date(2026, 10, 14), "缺少年份", date(2026, 10, 21)
    )
    db.session.commit()
    with pytest.raises(Conflict):
        ops.close_lapsed(world.users["office"], r, r.version)
    db.session.rollback()
    today.at("2026-10-22 09:00")
    assert ops.clock_of(r).state == CORRECTION_LAPSED
    with pytest.raises(PermissionDenied):
        ops.close_lapsed(world.users["officer"], r, r.version)
    ops.close_lapsed(world.users["office"], r, r.version)
    db.session.commit()
    assert r.state == "closed_lapsed" and r.closed_on == date(2026, 10, 22)
    entry = last_entry()
    assert (entry.action, entry.to_state) == ("request_closed_lapsed", "closed_lapsed")


def test_pauses_stop_the_clock_and_the_department_may_record_them(world, today):
    r = register(world)
    ops.assign(world.users["office"], r, r.version, world.departments["civil"].id)
    db.session.commit()
    ops.start_pause(
        world.users["officer"], r, r.version, "third_party", date(2026, 10, 14), "征求企业意见"
    )
    db.session.commit()
    assert ops.clock_of(r).state == PAUSED and last_entry().action == "request_pause_started"
    with pytest.raises(Conflict):  # one open pause at a time
        ops.start_pause(world.users["officer"], r, r.version, "fee", date(2026, 10, 14), "")
    db.session.rollback()
    with pytest.raises(PermissionDenied):  # another department
        ops.end_pause(world.users["officer_agri"], r, r.version, date(2026, 10, 14))
    db.session.rollback()
    today.at("2026-10-23 10:00")
    ops.end_pause(world.users["leader"], r, r.version, date(2026, 10, 22))
    db.session.commit()
    clock = ops.clock_of(r)
    assert clock.state == RUNNING and last_entry().action == "request_pause_ended"
    # received Monday 10-12; working day 10-13 counted; 10-14..10-22 (7 working days) paused;
    # 19 more working days after 10-22: 2026-11-18
    assert clock.due == date(2026, 11, 18) and clock.paused_working_days == 7


def test_a_pause_before_the_clock_starts_is_refused(world, today):
    r = register(world)
    ops.assign(world.users["office"], r, r.version, world.departments["civil"].id)
    db.session.commit()
    with pytest.raises(InvalidInput) as refused:
        ops.start_pause(world.users["office"], r, r.version, "fee", date(2026, 10, 9), "")
    assert refused.value.field == "starts_on"


def test_the_extension_is_once_by_the_head_of_the_office(world, today):
    r = register(world)
    ops.assign(world.users["office"], r, r.version, world.departments["civil"].id)
    db.session.commit()
    for who in ("office", "leader", "officer"):
        assert not may.can_approve_extension(world.users[who], r)
        with pytest.raises(PermissionDenied):
            ops.approve_extension(world.users[who], r, r.version, 10, "需要调取档案")
    with pytest.raises(InvalidInput):
        ops.approve_extension(world.users["office_head"], r, r.version, 21, "太长")
    ops.approve_extension(world.users["office_head"], r, r.version, 10, "需要调取档案")
    db.session.commit()
    entry = last_entry()
    assert entry.action == "request_extension_approved" and detail_of(entry)["days"] == 10
    assert "调取档案" not in entry.detail
    # 30 working days after Monday 2026-10-12: 2026-11-23
    assert ops.clock_of(r).due == date(2026, 11, 23) and ops.clock_of(r).period == 30
    with pytest.raises(Conflict):
        ops.approve_extension(world.users["office_head"], r, r.version, 5, "再延")


def test_no_extension_once_the_reply_is_overdue(world, moment):
    moment.at("2026-11-20 10:00")
    r = register(world)  # received 2026-10-12, due 2026-11-09
    with pytest.raises(Conflict):
        ops.approve_extension(world.users["office_head"], r, r.version, 10, "来不及")


def test_reading_a_request_is_audited_for_those_who_may_see_it(world, today):
    r = register(world)
    ops.record_view(world.users["office"], r)
    assert last_entry().action == "request_viewed"
    assert detail_of(last_entry()) == {"request_id": r.id, "number": r.number}
    from approval.core.errors import NotFound

    with pytest.raises(NotFound):
        ops.record_view(world.users["officer"], r)  # not assigned to 民政办 yet


def test_who_may_see_a_request(world, today):
    r = register(world)
    users = world.users
    office_side = {"office", "publisher", "office_head", "office_and_secrecy"}
    for name, user in users.items():
        assert may.can_view_request(user, r) is (name in office_side), name
    ops.assign(users["office"], r, r.version, world.departments["civil"].id)
    db.session.commit()
    for name, user in users.items():
        expected = name in office_side | {"officer", "officer_b", "leader"}
        assert may.can_view_request(user, r) is expected, name
    visible = {
        name
        for name, user in users.items()
        if db.session.scalar(
            select(func.count()).select_from(InformationRequest).where(may.visible_requests(user))
        )
    }
    assert visible == office_side | {"officer", "officer_b", "leader"}
