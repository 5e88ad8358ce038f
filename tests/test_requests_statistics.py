"""The register's statistics (approval/requests/statistics.py, /requests/statistics): the annual
report's table 三 for a period, cell by cell against a hand-computed table over two years, its
cross-checks (holding on real data, failing on a changed cell, naming it), every outcome in exactly
one result row, the late replies across 中秋 and 国庆 2026, and who may open the page.

The requests are written with the ORM, their outcome, closing day and state set directly (the
reply chain that sets them is built elsewhere)."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest

from approval.core.request_outcomes import OUTCOMES, ROW_KEYS, row_of
from approval.extensions import db
from approval.models import InformationRequest, RequestPause
from approval.requests import statistics as stats
from approval.requests.statistics import (
    BALANCE,
    CARRIED_IN,
    CARRIED_OUT,
    COLUMNS,
    NEW,
    RESULTS_TOTAL,
    TOTAL_OF_COLUMNS,
    TOTAL_OF_RESULTS,
)

_numbers = count(1)


def made(world, column: str, received, closed=None, outcome=None, state=None, **values):
    """A request of ``column``'s applicant (person, or an organisation of that kind)."""
    person = column == "person"
    seq = next(_numbers)
    r = InformationRequest(
        body_id=world.body.id,
        number=f"依申请〔测试〕{seq:04d}号",
        state=state or ("answered" if closed else "processing"),
        applicant_kind="person" if person else "organisation",
        applicant_name="张三" if person else "某某有限公司",
        organisation_kind=None if person else column,
        description="某事项",
        provision="paper",
        pickup="collect",
        channel="in_person",
        submitted_on=received,
        received_on=received,
        closed_on=closed,
        outcome=outcome,
        registered_by_id=world.users["office"].id,
        **values,
    )
    db.session.add(r)
    db.session.flush()
    return r


D = date.fromisoformat


def two_years(world):
    """The hand-made register of 2025 and 2026 (letters as in the expected tables' notes)."""
    made(world, "person", D("2025-03-02"), D("2025-03-20"), "granted")  # A
    made(world, "person", D("2025-11-20"), D("2026-01-10"), "partial")  # B
    made(world, "business", D("2025-12-15"))  # C: still open
    made(world, "research", D("2025-06-01"), D("2025-06-30"), "state_secret")  # D
    made(
        world,
        "public_welfare",
        D("2025-12-30"),
        D("2026-02-01"),
        "correction_lapsed",
        "closed_lapsed",
    )  # E
    made(world, "legal_services", D("2026-01-05"), D("2026-01-28"), "not_held")  # F
    made(world, "other", D("2026-02-10"), D("2026-03-01"), "fee_unpaid", "closed_fee_unpaid")  # G
    made(world, "person", D("2026-03-01"), D("2026-12-31"), "repeated")  # H: closed on 12-31
    made(world, "person", D("2026-12-31"), state="registered")  # I: received on 12-31
    j = made(world, "person", None, state="submitted")  # J: not confirmed: never counted
    j.submitted_on = D("2026-06-01")
    made(world, "business", D("2024-12-20"), D("2025-01-05"), "already_public")  # K
    made(world, "other", D("2026-05-05"))  # M: still open
    made(world, "person", D("2027-01-04"))  # after both years
    db.session.commit()


# columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
EXPECTED = {
    2025: {
        NEW: [2, 1, 1, 1, 0, 0, 5],  # A B | C | D | E
        CARRIED_IN: [0, 1, 0, 0, 0, 0, 1],  # K
        "1": [1, 1, 0, 0, 0, 0, 2],  # A granted, K already public
        "3.1": [0, 0, 1, 0, 0, 0, 1],  # D
        RESULTS_TOTAL: [1, 1, 1, 0, 0, 0, 3],
        CARRIED_OUT: [1, 1, 0, 1, 0, 0, 3],  # B C E
    },
    2026: {
        NEW: [2, 0, 0, 0, 1, 2, 5],  # H I | F | G M
        CARRIED_IN: [1, 1, 0, 1, 0, 0, 3],  # B C E: 2025's 结转下年度
        "2": [1, 0, 0, 0, 0, 0, 1],  # B
        "4.1": [0, 0, 0, 0, 1, 0, 1],  # F
        "5.2": [1, 0, 0, 0, 0, 0, 1],  # H
        "6.1": [0, 0, 0, 1, 0, 0, 1],  # E
        "6.2": [0, 0, 0, 0, 0, 1, 1],  # G
        RESULTS_TOTAL: [2, 0, 0, 1, 1, 1, 5],
        CARRIED_OUT: [1, 1, 0, 0, 0, 1, 3],  # I | C | M
    },
}


def year(world, y: int) -> stats.TableThree:
    return stats.table_three(world.body.id, date(y, 1, 1), date(y, 12, 31))


@pytest.mark.parametrize("y", [2025, 2026])
def test_table_three_equals_the_hand_computed_table_cell_by_cell(world, y):
    two_years(world)
    table = year(world, y)
    zero = [0] * len(COLUMNS)
    for row in stats.ROWS:
        assert table.row(row) == EXPECTED[y].get(row, zero), row
    assert table.checks() == []


def test_last_years_carry_over_is_this_years_carried_in(world):
    two_years(world)
    assert year(world, 2026).row(CARRIED_IN) == year(world, 2025).row(CARRIED_OUT)


def test_a_body_counts_only_its_own_requests(world):
    from tests.factories import World

    two_years(world)
    other = World.build(credit_code="11000000MB0000002X")
    assert sum(year(other, 2026).row(NEW)) == 0


def test_every_outcome_lands_in_exactly_one_result_row(world):
    """Each outcome on a day of its own: that day's table has it in row_of(outcome), nowhere
    else, and its (七) 总计 is 1."""
    for i, outcome in enumerate(OUTCOMES):
        day = date(2026, 1, 1 + i)
        made(world, "person", day, day, outcome.code)
    db.session.commit()
    assert len(OUTCOMES) >= len(ROW_KEYS)
    rows_used = set()
    for i, outcome in enumerate(OUTCOMES):
        day = date(2026, 1, 1 + i)
        table = stats.table_three(world.body.id, day, day)
        hits = [row for row in ROW_KEYS if table[row, "person"]]
        assert hits == [row_of(outcome.code)], outcome.code
        assert table[row_of(outcome.code), "total"] == 1
        assert table[RESULTS_TOTAL, "person"] == 1 and table.checks() == []
        rows_used.add(hits[0])
    assert rows_used == set(ROW_KEYS)  # and every result row has an outcome


def test_the_cross_checks_name_the_cell_that_was_changed(world):
    two_years(world)
    table = year(world, 2026)
    assert table.checks() == []

    table[NEW, "person"] += 1
    failures = table.checks()
    assert {(f.rule, f.cell) for f in failures} == {
        (BALANCE, (CARRIED_OUT, "person")),
        (TOTAL_OF_COLUMNS, (NEW, "total")),
    }
    assert all((NEW, "person") in f.cells for f in failures)
    balance = next(f for f in failures if f.rule == BALANCE)
    assert (balance.left, balance.right) == (4, 3)  # 3 + 1 received, 2 + 1 handled

    table = year(world, 2026)
    table["5.2", "research"] = 1
    failures = table.checks()
    assert {(f.rule, f.cell) for f in failures} == {
        (TOTAL_OF_RESULTS, (RESULTS_TOTAL, "research")),
        (TOTAL_OF_COLUMNS, ("5.2", "total")),
    }
    assert all(("5.2", "research") in f.cells for f in failures)

    table = year(world, 2026)
    table[CARRIED_OUT, "total"] = 4
    failures = table.checks()
    assert [(f.rule, f.cell) for f in failures] == [
        (TOTAL_OF_COLUMNS, (CARRIED_OUT, "total")),
        (BALANCE, (CARRIED_OUT, "total")),
    ]
    with pytest.raises(KeyError):
        table["no such row", "person"] = 1


def test_a_closed_request_without_an_outcome_breaks_the_balance_of_its_column(world):
    made(world, "research", D("2026-04-01"), D("2026-04-20"), outcome=None)
    db.session.commit()
    table = year(world, 2026)
    assert table.unclassified == {"research": 1}
    assert table[NEW, "research"] == 1 and table[RESULTS_TOTAL, "research"] == 0
    failed = {(f.rule, f.column) for f in table.checks()}
    assert failed == {(BALANCE, "research"), (BALANCE, "total")}


def test_counts_per_state_in_the_period(world):
    two_years(world)
    counts = stats.state_counts(world.body.id, D("2026-01-01"), D("2026-12-31"))
    assert counts == {
        "submitted": 1,  # J, by the day it was submitted
        "registered": 1,  # I
        "correction_requested": 0,
        "processing": 1,  # M
        "closed_lapsed": 0,
        "answered": 2,  # F H
        "closed_fee_unpaid": 1,  # G
    }


def test_late_replies_are_counted_in_working_days_across_the_holidays(world, moment):
    """Received Monday 2026-09-14: 中秋 (09-25) and 国庆 (10-01..10-07) are days off, Sunday
    09-20 and Saturday 10-10 are working days, so the 20th working day is Friday 10-16
    (09-15..18: 4, 09-20..24: 9, 09-28..30: 12, 10-08..10: 15, 10-12..16: 20). Counting weekdays
    only it would be Monday 10-12: a reply on 10-14 would look late."""
    moment.at("2026-10-20 10:00")
    received = D("2026-09-14")
    made(world, "person", received, D("2026-10-14"), "granted")  # on time
    made(world, "person", received, D("2026-10-16"), "granted")  # on the due day: on time
    made(world, "person", received, D("2026-10-17"), "granted")  # Saturday after: late
    made(world, "business", received, D("2026-10-19"), "partial")  # late by one working day
    # a third party consulted 09-28..10-09 (09-28, 09-29, 09-30, 10-08, 10-09: 5 working days
    # not counted): due 10-23, so a reply on 10-19 is on time
    paused = made(world, "person", received, D("2026-10-19"), "granted")
    paused.pauses.append(
        RequestPause(
            kind="third_party",
            starts_on=D("2026-09-28"),
            ends_on=D("2026-10-09"),
            created_by_id=world.users["office"].id,
        )
    )
    made(world, "person", received)  # open, due 10-16: overdue today
    still_paused = made(world, "person", received)  # open, a pause with no end: no due date
    still_paused.pauses.append(
        RequestPause(kind="fee", starts_on=D("2026-09-30"), created_by_id=world.users["office"].id)
    )
    made(world, "person", D("2026-10-19"))  # open, received yesterday
    db.session.commit()
    figures = stats.figures(world.body.id, D("2026-01-01"), D("2026-12-31"), D("2026-10-20"))
    assert (figures.closed, figures.late, figures.overdue_now) == (5, 2, 1)
    assert figures.uncovered_years == ()
    october_15 = stats.figures(world.body.id, D("2026-10-01"), D("2026-10-15"), D("2026-10-15"))
    assert (october_15.closed, october_15.late, october_15.overdue_now) == (1, 0, 0)


# ------------------------------------------------------------------------------ the page


def test_the_office_sees_table_three_and_its_checks(world, moment, login_as):
    moment.at("2026-11-02 10:00")
    two_years(world)
    page = login_as("office").get("/requests/statistics")
    assert page.status_code == 200
    text = page.text
    assert "依申请公开统计" in text and 'data-period="2026-01-01/2026-12-31"' in text
    for label in (
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果",
        "（七）总计",
        "四、结转下年度继续办理",
        "商业企业",
        "法律服务机构",
        "1.本机关不掌握相关政府信息",
    ):
        assert label in text, label
    assert 'data-cell="new:total">5<' in text and 'data-cell="carried_in:person">1<' in text
    assert 'data-cell="6.2:other">1<' in text and 'data-cell="results_total:total">5<' in text
    assert 'data-checks="passed"' in text
    assert 'data-figure="received"><span>本期收到</span><strong>5<' in text  # J aside
    assert 'data-state="answered"><th scope="row">已答复</th><td>2<' in text
    last_year = login_as("office").get("/requests/statistics?year=2025")
    assert 'data-cell="carried_out:total">3<' in last_year.text
    assert '<option selected value="2025">' in last_year.text
    ranged = login_as("office").get("/requests/statistics?start=2026-01-01&end=2026-01-31")
    assert ranged.status_code == 200 and 'data-period="2026-01-01/2026-01-31"' in ranged.text
    assert 'data-cell="new:legal_services">1<' in ranged.text  # F
    # January: B and C and E carried in, B and F closed, C and E carried out
    assert 'data-cell="carried_in:total">3<' in ranged.text
    assert 'data-cell="results_total:total">2<' in ranged.text
    assert 'data-cell="carried_out:total">2<' in ranged.text


def test_the_page_refuses_a_period_it_cannot_read_in_chinese(world, moment, login_as):
    moment.at("2026-11-02 10:00")
    office = login_as("office")
    for query, message, kept in (
        ("start=2026-03-01", "请填写结束日期", 'value="2026-03-01"'),
        ("end=2026-03-01", "请填写开始日期", 'value="2026-03-01"'),
        ("start=2026-03-01&end=2026-02-01", "结束日期不能早于开始日期", 'value="2026-02-01"'),
        ("start=昨天&end=2026-02-01", "请输入有效的日期", 'value="昨天"'),
        ("year=abc", "统计年度无效，请从列表中选择", None),
    ):
        page = office.get(f"/requests/statistics?{query}")
        assert page.status_code == 422, query
        assert message in page.text and 'id="table-three"' not in page.text, query
        if kept:
            assert kept in page.text, query


def test_who_may_open_the_statistics(world, moment, login_as, client):
    moment.at("2026-11-02 10:00")
    assert login_as("office").get("/requests/statistics").status_code == 200
    assert login_as("office_head").get("/requests/statistics").status_code == 200
    for who in ("officer", "leader", "secrecy", "sysadmin", "auditor"):
        assert login_as(who).get("/requests/statistics").status_code == 403, who
    response = client.get("/requests/statistics")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_register_links_the_statistics_for_the_office_only(world, moment, login_as):
    moment.at("2026-11-02 10:00")
    assert 'href="/requests/statistics"' in login_as("office").get("/requests").text
    assert 'href="/requests/statistics"' not in login_as("officer").get("/requests").text


def test_the_page_says_which_check_fails_and_where(world, moment, login_as):
    moment.at("2026-11-02 10:00")
    made(world, "research", D("2026-04-01"), D("2026-04-20"), outcome=None)  # no outcome
    db.session.commit()
    page = login_as("office").get("/requests/statistics")
    assert page.status_code == 200 and 'data-checks="failed"' in page.text
    assert "“科研机构”列：第一项加第二项之和（1）不等于第三项加第四项之和（0）" in page.text
    assert 'data-rule="balance" data-cell="carried_out:research"' in page.text
    assert "其中 1 件已办结的申请没有记录办理结果，未计入第三项。" in page.text
    assert 'data-cell="carried_out:research"><strong class="danger">0<' in page.text
