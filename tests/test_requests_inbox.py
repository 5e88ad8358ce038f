"""The 依申请公开 panel of the staff home (待办, requests/inbox.py): the open requests the user may
see, most urgent first (overdue, then fewest working days left, then the clocks standing still),
with the register's badges; at most 10, and a link to the register; the same number of queries
however many requests there are.

On Monday 2026-10-12: a request received 2026-09-01 was due 09-29 (five working days late), one
of 09-14 has 4 working days left, one of 09-15 has 5, one received today 20."""

from __future__ import annotations

from datetime import date

import pytest

from approval.extensions import db
from approval.requests import operations as ops
from tests.factories import World
from tests.helpers.queries import page_queries
from tests.helpers.requests import register


@pytest.fixture
def today(moment):
    moment.at("2026-10-12 09:00")
    return moment


def assign(world, r, department="civil"):
    ops.assign(world.users["office"], r, r.version, world.departments[department].id)
    db.session.commit()
    return r


def order_in(page: str, requests) -> list[int]:
    """The requests as the page lists them (those it lists)."""
    found = [(page.find(f'data-request="{r.id}"'), r.id) for r in requests]
    return [request_id for at, request_id in sorted(found) if at >= 0]


def test_the_office_sees_its_open_requests_most_urgent_first(world, today, login_as):
    on_time = register(world, submitted_on=date(2026, 10, 12))
    five_left = assign(world, register(world, submitted_on=date(2026, 9, 15)))
    overdue = register(world, submitted_on=date(2026, 9, 1))
    four_left = assign(world, register(world, submitted_on=date(2026, 9, 14)))
    paused = assign(world, register(world, submitted_on=date(2026, 10, 9)))
    ops.start_pause(world.users["officer"], paused, paused.version, "fee", date(2026, 10, 12), "")
    waiting = register(world, submitted_on=date(2026, 10, 9))
    ops.request_correction(
        world.users["office"],
        waiting,
        waiting.version,
        date(2026, 10, 12),
        "年份",
        date(2026, 10, 20),
    )
    closed = register(world, submitted_on=date(2026, 9, 1))
    closed.state, closed.outcome, closed.closed_on = "answered", "granted", date(2026, 9, 20)
    db.session.commit()
    other = World.build(credit_code="11000000MB0000002X")
    elsewhere = register(other, submitted_on=date(2026, 9, 1))

    page = login_as("office").get("/").text
    assert 'id="requests"' in page and "依申请公开" in page
    everything = [on_time, five_left, overdue, four_left, paused, waiting, closed, elsewhere]
    assert order_in(page, everything) == [
        overdue.id,
        four_left.id,
        five_left.id,
        on_time.id,
        paused.id,
        waiting.id,
    ]
    assert f'data-request="{overdue.id}" data-level="overdue"' in page
    assert "答复超期 5 个工作日" in page and "due-overdue" in page
    assert f'data-request="{four_left.id}" data-level="due_soon"' in page
    assert "剩 4 个工作日" in page and "due-due_soon" in page
    assert f'href="/requests/{overdue.id}">{overdue.number}</a>' in page
    assert 'data-count="requests">6<' in page and 'href="/requests">查看登记簿' in page
    assert "张三" not in page  # the applicant stays on the register's pages


def test_a_department_sees_what_is_assigned_to_it_and_others_nothing(world, today, login_as):
    mine = assign(world, register(world, submitted_on=date(2026, 9, 14)))
    register(world, submitted_on=date(2026, 9, 1))  # not assigned: the office's
    agri = assign(world, register(world, submitted_on=date(2026, 9, 1)), "agri")
    civil = login_as("officer").get("/").text
    assert order_in(civil, [mine, agri]) == [mine.id]
    assert 'data-count="requests">1<' in civil
    assert order_in(login_as("leader").get("/").text, [mine, agri]) == [mine.id]
    assert order_in(login_as("officer_b").get("/").text, [mine, agri]) == [mine.id]
    agri_page = login_as("officer_agri").get("/").text
    assert order_in(agri_page, [mine, agri]) == [agri.id]
    for who in ("secrecy", "office_head"):
        page = login_as(who).get("/").text
        assert ('id="requests"' in page) is (who == "office_head"), who


def test_a_department_with_nothing_open_is_told_so(world, today, login_as):
    page = login_as("officer_agri").get("/").text
    assert 'id="requests"' in page and "暂无办理中的申请" in page


def test_at_most_ten_are_listed_with_a_link_to_the_rest(world, today, login_as):
    made = [register(world, submitted_on=date(2026, 9, 1 + i)) for i in range(12)]
    page = login_as("office").get("/").text
    listed = order_in(page, made)
    assert listed == [r.id for r in made[:10]]  # the oldest are the latest
    assert 'data-count="requests">12<' in page and "另有 2 件，查看登记簿" in page


def test_the_panel_costs_the_same_queries_for_two_requests_and_twelve(
    world, today, login_as, client
):
    for i in range(2):
        assign(world, register(world, submitted_on=date(2026, 9, 1 + i)))
    few = page_queries(login_as, client, "office", "/", "依申请公开")
    for i in range(10):
        r = assign(world, register(world, submitted_on=date(2026, 9, 10 + i)))
        if i % 2:
            ops.start_pause(
                world.users["officer"], r, r.version, "third_party", date(2026, 10, 12), ""
            )
    db.session.commit()
    many = page_queries(login_as, client, "office", "/", "依申请公开")
    assert many == few
