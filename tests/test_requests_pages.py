"""The register's pages (approval/requests/routes.py): the 申请登记簿 with its badges, the staff
entry form (Chinese errors, what was typed kept), a request's page (every read audited) and its
action forms (POST-redirect-GET, 409 on a stale page), and who gets a 403 or a 404.

``office`` is the general office's 办公室审核, ``office_head`` leads the general office;
``officer``/``leader`` are 民政办's, ``officer_agri`` 农业农村办's."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from approval.core.request_vocab import REQUEST_STATES
from approval.extensions import db
from approval.models import AuditEntry, InformationRequest
from approval.requests import operations as ops
from tests.conftest import Browser
from tests.factories import World
from tests.helpers.pages import heading
from tests.helpers.requests import register


@pytest.fixture
def today(moment):
    moment.at("2026-10-14 10:00")  # a Wednesday
    return moment


def views() -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "request_viewed")
    )


def assigned(world, r, department="civil"):
    ops.assign(world.users["office"], r, r.version, world.departments[department].id)
    db.session.commit()
    return r


def test_the_register_lists_the_offices_requests_with_their_clocks(world, today, login_as):
    running = register(world, applicant_name="张三")
    late = register(world, applicant_name="李四", submitted_on=date(2026, 9, 1))
    page = login_as("office").get("/requests")
    assert page.status_code == 200 and heading(page.text) == "依申请公开登记簿"
    assert running.number in page.text and "张三" in page.text and "李四" in page.text
    assert f'data-request="{late.id}" data-level="overdue"' in page.text
    assert "答复超期" in page.text and "due-overdue" in page.text
    assert f'data-request="{running.id}" data-level="on_time"' in page.text
    filtered = login_as("office").get("/requests?state=correction_requested")
    assert running.number not in filtered.text and "没有符合条件的申请" in filtered.text
    assert "/requests/new" in page.text  # the office registers


def test_a_department_lists_only_what_is_assigned_to_it(world, today, login_as):
    r = assigned(world, register(world))
    other = register(world, applicant_name="王五")
    civil = login_as("officer").get("/requests")
    assert r.number in civil.text and other.number not in civil.text
    assert "/requests/new" not in civil.text
    assert r.number not in login_as("officer_agri").get("/requests").text


@pytest.mark.parametrize("who", ["secrecy", "sysadmin", "auditor", "secadmin"])
def test_the_register_is_forbidden_to_others(world, today, login_as, who):
    assert login_as(who).get("/requests").status_code == 403


def test_the_public_is_sent_to_sign_in(world, today, client):
    r = register(world)
    for path in ("/requests", f"/requests/{r.id}", "/requests/new"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_nav_links_the_register_for_those_who_may_see_it(world, today, login_as):
    assert 'href="/requests"' in login_as("office").get("/").text
    assert 'href="/requests"' not in login_as("secrecy").get("/").text


def test_a_request_page_is_audited_and_shows_the_clock(world, today, login_as):
    r = register(world)
    before = views()
    page = login_as("office").get(f"/requests/{r.id}")
    assert page.status_code == 200 and r.number in page.text
    assert "110105194912310029" in page.text  # the office sees the applicant's data
    assert 'data-due="2026-11-09"' in page.text  # 20 working days after Monday 2026-10-12
    assert views() == before + 1
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert entry.actor_id == world.users["office"].id and entry.action == "request_viewed"


def test_who_gets_a_404_for_a_request(world, today, login_as):
    r = register(world)
    before = views()
    assert login_as("officer").get(f"/requests/{r.id}").status_code == 404  # not assigned yet
    assigned(world, r)
    assert login_as("officer").get(f"/requests/{r.id}").status_code == 200
    assert login_as("leader").get(f"/requests/{r.id}").status_code == 200
    assert login_as("officer_agri").get(f"/requests/{r.id}").status_code == 404
    assert login_as("leader_agri").get(f"/requests/{r.id}").status_code == 404
    assert login_as("secrecy").get(f"/requests/{r.id}").status_code == 403
    before += 2  # the two reads above that were allowed
    other = World.build(credit_code="11000000MB0000002X")
    stranger = Browser(world_client := login_as("office").client.application.test_client())
    assert stranger.login(other.users["office"].username, other.password).status_code == 302
    assert world_client.get(f"/requests/{r.id}").status_code == 404
    assert login_as("office").get("/requests/999999").status_code == 404
    assert views() == before  # a refused read is not a read


def test_the_entry_form_keeps_what_was_typed_and_says_what_is_wrong_in_chinese(
    world, today, login_as
):
    office = login_as("office")
    form = office.get("/requests/new")
    assert form.status_code == 200 and heading(form.text) == "登记申请"
    data = {
        "applicant_kind": "person",
        "applicant_name": "赵六",
        "id_type": "resident_id",
        "id_number": "",
        "phone": "13900001111",
        "description": "本村土地征收补偿标准",
        "provision": "paper",
        "pickup": "post",
        "address": "",
        "channel": "registered_post",
        "submitted_on": "2026-10-09",
        "signed_for_on": "",
    }
    refused = office.post("/requests/new", data, token_from="/requests/new")
    assert refused.status_code == 422
    assert "请填写证件号码" in refused.text
    assert 'value="赵六"' in refused.text and "本村土地征收补偿标准" in refused.text
    assert 'value="2026-10-09"' in refused.text
    assert db.session.scalar(select(func.count()).select_from(InformationRequest)) == 0
    data |= {"id_number": "110105194912310029"}
    refused = office.post("/requests/new", data, token_from="/requests/new")
    assert refused.status_code == 422 and "选择邮寄的，请填写通信地址" in refused.text
    data |= {"address": "某县某镇某村1号"}
    refused = office.post("/requests/new", data, token_from="/requests/new")
    assert refused.status_code == 422 and "挂号信请填写签收日期" in refused.text
    bad_date = office.post(
        "/requests/new", data | {"signed_for_on": "昨天"}, token_from="/requests/new"
    )
    assert bad_date.status_code == 422 and 'value="昨天"' in bad_date.text
    done = office.post(
        "/requests/new", data | {"signed_for_on": "2026-10-13"}, token_from="/requests/new"
    )
    assert done.status_code == 303
    made = db.session.scalar(select(InformationRequest))
    assert done.headers["Location"].endswith(f"/requests/{made.id}")
    assert made.received_on == date(2026, 10, 13) and made.channel == "registered_post"


def test_only_the_office_may_enter_requests(world, today, login_as):
    assert login_as("officer").get("/requests/new").status_code == 403
    assert login_as("leader").get("/requests/new").status_code == 403


def act(browser, r, action, data):
    db.session.refresh(r)
    return browser.post(
        f"/requests/{r.id}/{action}",
        {"version": str(r.version), **data},
        token_from=f"/requests/{r.id}",
    )


def test_the_actions_through_the_page(world, moment, login_as):
    moment.at("2026-10-23 10:00")  # the 9th working day after Monday 2026-10-12
    r = register(world)
    office = login_as("office")
    page = office.get(f"/requests/{r.id}")
    assert 'id="form-assign"' in page.text and 'id="form-correction"' in page.text
    assert 'id="form-extension"' not in page.text  # the head of the office's
    late = act(
        office,
        r,
        "correction",
        {"requested_on": "2026-10-23", "missing": "请写明年份", "deadline": "2026-11-06"},
    )
    assert late.status_code == 303
    shown = office.get(late.headers["Location"])
    assert "晚于收到申请后第7个工作日（2026-10-21）" in shown.text
    stale_version = r.version - 1
    stale = office.post(
        f"/requests/{r.id}/corrected",
        {"version": str(stale_version), "received_on": "2026-10-23"},
        token_from=f"/requests/{r.id}",
    )
    assert stale.status_code == 409
    assert act(office, r, "corrected", {"received_on": "2026-10-23"}).status_code == 303
    assert (
        act(office, r, "assign", {"department_id": str(world.departments["civil"].id)}).status_code
        == 303
    )
    officer = login_as("officer")
    assert (
        act(
            officer, r, "pauses", {"kind": "third_party", "starts_on": "2026-10-23", "note": ""}
        ).status_code
        == 303
    )
    page = officer.get(f"/requests/{r.id}")
    assert "暂停计时，剩" in page.text and 'id="form-end_pause"' in page.text
    assert act(officer, r, "pauses/end", {"ends_on": "2026-10-23"}).status_code == 303
    head = login_as("office_head")
    refused = act(head, r, "extension", {"days": "25", "reason": "调档"})
    assert refused.status_code == 422 and "延长的期限应为 1 到 20 个工作日" in refused.text
    assert 'value="25"' in refused.text
    assert act(head, r, "extension", {"days": "10", "reason": "调档"}).status_code == 303
    db.session.refresh(r)
    assert (r.state, r.extension_days, r.department.name) == ("processing", 10, "民政办")
    assert (
        act(officer, r, "assign", {"department_id": str(world.departments["agri"].id)}).status_code
        == 403
    )


def test_closing_a_lapsed_correction_through_the_page(world, moment, login_as):
    moment.at("2026-10-14 10:00")
    r = register(world)
    office = login_as("office")
    act(
        office,
        r,
        "correction",
        {"requested_on": "2026-10-14", "missing": "缺少年份", "deadline": "2026-10-21"},
    )
    assert act(office, r, "close-lapsed", {}).status_code == 409
    moment.at("2026-10-22 10:00")
    office = login_as("office")  # a week later: a new session
    assert 'id="form-close_lapsed"' in office.get(f"/requests/{r.id}").text
    assert act(office, r, "close-lapsed", {}).status_code == 303
    db.session.refresh(r)
    assert r.state == "closed_lapsed"


def test_the_demo_shows_the_register_at_work(app):
    from approval import demo

    assert demo.seed()
    db.session.commit()
    office = Browser(app.test_client())
    assert office.login("office", demo.DEMO_PASSWORD).status_code == 302
    page = office.get("/requests")
    assert page.status_code == 200
    levels = {
        level
        for level in ("overdue", "due_soon", "on_time", "paused", "waiting", "closed")
        if f'data-level="{level}"' in page.text
    }
    assert levels == {"overdue", "due_soon", "on_time", "paused", "waiting", "closed"}
    states = set(db.session.scalars(select(InformationRequest.state)))
    assert states == set(REQUEST_STATES)  # every state of the register
