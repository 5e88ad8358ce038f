"""A fee notice (国办函〔2020〕109号): the clock stops from the notice; unpaid 20 working days
later, the office closes the request as 逾期未缴费 (table 三 row (六) 2). The pause names the
third party consulted and the fee notified."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.request_outcomes import row_of
from approval.extensions import db
from approval.requests import operations as ops
from tests.helpers.requests import register


def processing(world):
    r = register(world, submitted_on=date(2026, 9, 14))
    ops.assign(world.users["office"], r, r.version, world.departments["civil"].id)
    db.session.commit()
    return r


def test_the_fee_is_due_20_working_days_after_the_notice_across_national_day(world, moment):
    moment.at("2026-09-25 10:00")
    r = processing(world)
    pause = ops.start_pause(
        world.users["office"], r, r.version, "fee", date(2026, 9, 25), "", amount="120.50"
    )
    db.session.commit()
    assert pause.amount == Decimal("120.50") and pause.party is None
    # by hand: 9-28..9-30 (1-3), 国庆 and 中秋 10-1..10-7 off, 10-8, 10-9 (4, 5), Saturday
    # 10-10 a 调休 working day (6), 10-12..10-16 (7-11), 10-19..10-23 (12-16), 10-26..10-29 (17-20)
    assert ops.fee_due(r) == date(2026, 10, 29)


def test_an_unpaid_fee_closes_the_request_only_after_its_deadline(world, moment, login_as):
    moment.at("2026-09-25 10:00")
    r = processing(world)
    ops.start_pause(world.users["office"], r, r.version, "fee", date(2026, 9, 25), "", amount="50")
    db.session.commit()
    moment.at("2026-10-29 10:00")  # the last day to pay
    with pytest.raises(Conflict, match="逾期未缴费"):
        ops.close_fee_unpaid(world.users["office"], r, r.version)
    db.session.rollback()
    assert "按逾期未缴费结案" not in login_as("office").get(f"/requests/{r.id}").text
    moment.at("2026-10-30 10:00")
    with pytest.raises(PermissionDenied):
        ops.close_fee_unpaid(world.users["officer"], r, r.version)
    db.session.rollback()
    b = login_as("office")
    page = b.get(f"/requests/{r.id}")
    assert "按逾期未缴费结案" in page.text and "缴费期限 2026-10-29" in page.text
    done = b.post(
        f"/requests/{r.id}/close-fee-unpaid",
        {"version": str(r.version)},
        token_from=f"/requests/{r.id}",
    )
    assert done.status_code == 303
    db.session.refresh(r)
    assert (r.state, r.outcome, r.closed_on) == (
        "closed_fee_unpaid",
        "fee_unpaid",
        date(2026, 10, 30),
    )
    assert row_of(r.outcome) == "6.2"


def test_a_fee_amount_is_a_positive_sum_of_yuan(world, moment, login_as):
    moment.at("2026-09-25 10:00")
    r = processing(world)
    for bad in ("-5", "0", "abc", "1.234", "NaN"):
        with pytest.raises(InvalidInput) as refused:
            ops.start_pause(
                world.users["office"], r, r.version, "fee", date(2026, 9, 25), "", amount=bad
            )
        assert refused.value.field == "amount"
        db.session.rollback()
    b = login_as("office")
    page = f"/requests/{r.id}"
    kept = b.post(
        f"{page}/pauses",
        {"version": str(r.version), "kind": "fee", "starts_on": "2026-09-25", "amount": "十元"},
        token_from=page,
    )
    assert kept.status_code == 422 and "收费金额应为大于0的数字（元）" in kept.text
    assert 'value="十元"' in kept.text


def test_a_third_party_pause_names_the_party(world, moment, login_as):
    moment.at("2026-09-25 10:00")
    r = processing(world)
    b = login_as("officer")
    page = f"/requests/{r.id}"
    done = b.post(
        f"{page}/pauses",
        {
            "version": str(r.version),
            "kind": "third_party",
            "starts_on": "2026-09-25",
            "party": "某某建材有限公司",
        },
        token_from=page,
    )
    assert done.status_code == 303
    db.session.refresh(r)
    assert r.pauses[0].party == "某某建材有限公司" and r.pauses[0].amount is None
    assert "某某建材有限公司" in b.get(page).text
