"""The system admin's working-day calendar page (工作日历): only an active system admin reaches it;
overrides are added and removed through the page with real CSRF tokens; each change is one audit
entry; bad input is refused (422) with what was typed kept; the page says whether the package
covers the year.

The "uncovered year" is the first year after the installed chinesecalendar's range (2027 with
1.11.0), so these tests keep working when a newer package learns 2027."""

from __future__ import annotations

import html
import json
import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from approval import permissions
from approval.audit import trail as audit
from approval.calendar import current as working_calendar
from approval.calendar import operations as calendar_service
from approval.core.clock import utcnow
from approval.core.errors import InvalidInput, PermissionDenied
from approval.core.workdays import base_is_working_day, package_range
from approval.extensions import db
from approval.models import AuditEntry, CalendarOverride
from tests.conftest import PG_URL

PAGE = "/admin/calendar"
ACTIONS = ("calendar_override_add", "calendar_override_remove")
YEAR = package_range()[1] + 1  # not covered by the package
NEW_YEAR = date(YEAR, 1, 1)


def weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


# the first working day of the year (元旦 and the weekend are off without the notice too)
FIRST_WEEKDAY = next(
    NEW_YEAR + timedelta(d) for d in range(10) if base_is_working_day(NEW_YEAR + timedelta(d))
)
SATURDAY = weekday_on_or_after(date(YEAR, 3, 1), 5)  # March: no statutory holiday near


def add(b, day, kind="day_off", note="元旦", until="", year=YEAR):
    return b.post(
        f"{PAGE}?year={year}",
        {"day": str(day), "until": str(until), "kind": kind, "note": note},
        token_from=f"{PAGE}?year={year}",
    )


def entries() -> list[AuditEntry]:
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(ACTIONS)).order_by(AuditEntry.id)
    ).all()


def overrides() -> list[CalendarOverride]:
    return db.session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)).all()


def flash_text(page: str) -> str:
    return " ".join(re.findall(r'<p class="flash flash-\w+"[^>]*>(.*?)</p>', page, re.S))


def field_error(page: str, name: str) -> str:
    match = re.search(rf'<p class="field-error" id="{name}-error">(.*?)</p>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def typed(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', match.group(0)) if match else None
    return html.unescape(value.group(1)) if value else ""


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize(
    "name",
    [
        "officer",
        "leader",
        "office",
        "secrecy",
        "publisher",
        "office_and_secrecy",
        "auditor",
        "secadmin",
    ],
)
def test_only_the_system_admin_reaches_the_calendar(world, login_as, name):
    db.session.add(CalendarOverride(day=FIRST_WEEKDAY, is_working_day=False, note="元旦"))
    db.session.commit()
    override_id = overrides()[0].id
    b = login_as(name)
    assert b.get(PAGE).status_code == 403
    token = b.token("/account/password")
    for url, data in (
        (PAGE, {"day": str(FIRST_WEEKDAY + timedelta(1)), "kind": "day_off", "note": "越权"}),
        (f"{PAGE}/{override_id}/delete", {}),
    ):
        assert b.client.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    assert len(overrides()) == 1 and not entries()


def test_a_visitor_is_sent_to_the_login_page(client):
    assert client.get(PAGE).status_code == 302
    assert "/login" in client.get(PAGE).headers["Location"]


def test_the_permission_is_for_an_active_system_admin(world):
    sysadmin = world.users["sysadmin"]
    assert permissions.can_manage_calendar(sysadmin)
    assert not permissions.can_manage_calendar(world.users["secadmin"])
    assert not permissions.can_manage_calendar(world.users["office"])
    assert not permissions.can_manage_calendar(None)
    sysadmin.is_enabled = False
    assert not permissions.can_manage_calendar(sysadmin)
    with pytest.raises(PermissionDenied):
        calendar_service.add_overrides(world.users["office"], FIRST_WEEKDAY, None, False, "元旦")


# ---------------------------------------------------------------- adding and removing


def test_the_system_admin_adds_and_removes_an_override(world, login_as):
    b = login_as("sysadmin")
    page = b.get(f"{PAGE}?year={YEAR}")
    assert page.status_code == 200
    assert f"{YEAR} 年未收录国务院放假安排，请按国务院办公厅通知录入" in page.text
    assert 'data-coverage="uncovered"' in page.text
    assert "已计入法定节假日" in page.text and "调休安排尚未录入" in page.text
    before = working_calendar.current_calendar().add_working_days(FIRST_WEEKDAY - timedelta(1), 1)
    assert before.due == FIRST_WEEKDAY and not before.covered

    response = add(b, FIRST_WEEKDAY, note=f"{YEAR}年元旦")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{PAGE}?year={YEAR}")
    (row,) = overrides()
    assert (row.day, row.is_working_day, row.note) == (FIRST_WEEKDAY, False, f"{YEAR}年元旦")
    assert row.created_by_id == world.users["sysadmin"].id
    page = b.get(response.headers["Location"]).text
    assert "已录入 1 天的调整" in flash_text(page) and f"{YEAR}年元旦" in page
    assert f'data-day="{FIRST_WEEKDAY.isoformat()}"' in page
    # the calendar now skips that day, and the year counts as entered: no more warning
    after = working_calendar.current_calendar().add_working_days(FIRST_WEEKDAY - timedelta(1), 1)
    assert after.due > FIRST_WEEKDAY and after.covered
    assert 'data-coverage="entered"' in page and 'data-coverage="uncovered"' not in page

    (entry,) = entries()
    detail = json.loads(entry.detail)
    assert (entry.actor_id, entry.body_id) == (world.users["sysadmin"].id, world.body.id)
    assert detail["days"] == [[FIRST_WEEKDAY.isoformat(), "day_off"]]
    assert (detail["note"], detail["role"]) == (f"{YEAR}年元旦", "sysadmin")

    response = b.post(f"{PAGE}/{row.id}/delete", {}, token_from=f"{PAGE}?year={YEAR}")
    assert response.status_code == 303
    assert overrides() == []
    assert "已删除调整" in flash_text(b.get(response.headers["Location"]).text)
    removed = entries()[-1]
    assert removed.action == "calendar_override_remove"
    assert json.loads(removed.detail)["days"] == [[FIRST_WEEKDAY.isoformat(), "day_off"]]
    assert audit.verify().ok
    # removed twice (a stale page): not found, nothing written
    response = b.post(f"{PAGE}/{row.id}/delete", {}, token_from=f"{PAGE}?year={YEAR}")
    assert response.status_code == 404 and len(entries()) == 2


def test_a_run_of_days_skips_the_days_that_are_off_anyway(world, login_as):
    """A notice's "Saturday to Wednesday off": the weekend needs no row."""
    b = login_as("sysadmin")
    response = add(b, SATURDAY, until=SATURDAY + timedelta(4), note=f"{YEAR}年春节")
    assert response.status_code == 303
    assert [o.day for o in overrides()] == [SATURDAY + timedelta(d) for d in (2, 3, 4)]
    text = flash_text(b.get(response.headers["Location"]).text)
    assert "已录入 3 天的调整" in text and "2 天本来就是休息日，未录入" in text
    (entry,) = entries()
    assert json.loads(entry.detail)["unchanged"] == [
        SATURDAY.isoformat(),
        (SATURDAY + timedelta(1)).isoformat(),
    ]
    # and a make-up Saturday is a working day
    assert (
        add(
            b, SATURDAY - timedelta(7), kind="working_day", note=f"{YEAR}年春节调休上班"
        ).status_code
        == 303
    )
    assert working_calendar.current_calendar().is_working_day(SATURDAY - timedelta(7))


def test_a_correction_in_a_covered_year_is_kept_and_shown_against_the_package(world, login_as):
    b = login_as("sysadmin")
    page = b.get(f"{PAGE}?year=2026").text
    assert 'data-coverage="covered"' in page and 'data-coverage="uncovered"' not in page
    assert "2026 年未收录" not in page
    assert 'data-day="2026-02-14"' in page  # the package's 调休 Saturday is listed
    # the 调休 Saturday of 国庆 2026 made a day off: a change, so it is taken
    assert add(b, date(2026, 10, 10), note="国务院调整安排", year=2026).status_code == 303
    page = b.get(f"{PAGE}?year=2026").text
    assert "系统日历为工作日" in page
    # a row the package has caught up with (a newer package): offered for removal
    db.session.add(CalendarOverride(day=date(2026, 10, 1), is_working_day=False, note="国庆"))
    db.session.commit()
    assert "与系统日历一致，可删除" in b.get(f"{PAGE}?year=2026").text


def test_the_current_year_page_points_to_an_uncovered_next_year(world, login_as):
    page = login_as("sysadmin").get(f"{PAGE}?year=abc").text  # not a year: this year
    this_year = date.today().year
    assert f"工作日历 · {this_year} 年" in html.unescape(page)
    if this_year + 1 == YEAR:
        assert f'data-uncovered-ahead="{YEAR}"' in page


# ---------------------------------------------------------------- refusals


def test_bad_input_is_refused_with_what_was_typed(world, login_as):
    b = login_as("sysadmin")
    cases = [  # (form, field with the error, message)
        ({"day": f"{YEAR}-02-30", "note": "春节"}, "day", "请输入有效的日期"),
        ({"day": "", "note": "春节"}, "day", "请填写日期"),
        ({"day": str(FIRST_WEEKDAY), "note": "  "}, "note", "请填写说明"),
        ({"day": str(FIRST_WEEKDAY), "note": "长" * 101}, "note", "说明不能超过100字"),
        ({"day": str(FIRST_WEEKDAY), "until": "明天", "note": "元旦"}, "until", "请输入有效的日期"),
        (
            {"day": str(FIRST_WEEKDAY + timedelta(3)), "until": str(FIRST_WEEKDAY), "note": "元旦"},
            "until",
            "结束日期不能早于开始日期",
        ),
        (
            {
                "day": str(FIRST_WEEKDAY),
                "until": str(FIRST_WEEKDAY + timedelta(40)),
                "note": "元旦",
            },
            "until",
            "一次最多录入连续 31 天",
        ),
        ({"day": "2099-01-01", "note": "元旦"}, "day", "只能录入 2000 年至"),
        ({"day": str(SATURDAY), "note": "周末"}, "day", "本来就是休息日，无需调整"),
        ({"day": "2026-10-01", "note": "国庆"}, "day", "按国务院放假安排本来就是休息日"),
        ({"day": "2026-10-10", "kind": "working_day", "note": "国庆调休"}, "day", "本来就是工作日"),
    ]
    for data, field, message in cases:
        form = {"until": "", "kind": "day_off", **data}
        response = b.post(f"{PAGE}?year={YEAR}", form, token_from=f"{PAGE}?year={YEAR}")
        assert response.status_code == 422, data
        assert message in field_error(response.text, field), (data, response.text[-3000:])
        for name in ("day", "until", "note"):
            assert typed(response.text, name) == form[name], (data, name)
        assert (
            f'<option selected value="{form["kind"]}">' in response.text
            or f'<option value="{form["kind"]}" selected>' in response.text
        )
    assert overrides() == [] and entries() == []


def test_a_date_with_an_override_already_is_refused(world, login_as):
    b = login_as("sysadmin")
    assert add(b, FIRST_WEEKDAY, note=f"{YEAR}年元旦").status_code == 303
    response = add(
        b,
        FIRST_WEEKDAY - timedelta(1) if FIRST_WEEKDAY.day > 1 else FIRST_WEEKDAY,
        until=FIRST_WEEKDAY + timedelta(1),
        note="重复录入",
    )
    assert response.status_code == 422
    error = field_error(response.text, "day")
    assert f"{FIRST_WEEKDAY.isoformat()}" in error and f"已设为休息日（{YEAR}年元旦）" in error
    assert "请先删除原记录" in error and typed(response.text, "note") == "重复录入"
    assert len(overrides()) == 1 and len(entries()) == 1
    assert db.session.scalar(select(func.count()).select_from(CalendarOverride)) == 1


@pytest.mark.skipif(not PG_URL, reason="SQLite serialises write requests (BEGIN IMMEDIATE)")
def test_the_same_date_entered_at_the_same_instant_is_refused_cleanly(world):
    """PostgreSQL: another admin's insert of the date, not yet committed when this one checks,
    commits while this one waits on the unique index: a clear refusal, not a 500."""
    other = db.engine.connect()
    other.begin()
    other.execute(
        CalendarOverride.__table__.insert().values(
            day=FIRST_WEEKDAY, is_working_day=False, note="另一位管理员", created_at=utcnow()
        )
    )
    committer = threading.Timer(0.5, other.commit)
    committer.start()
    try:
        with pytest.raises(InvalidInput, match="刚刚已被他人录入"):
            calendar_service.add_overrides(
                world.users["sysadmin"], FIRST_WEEKDAY, None, False, f"{YEAR}年元旦"
            )
        db.session.rollback()
    finally:
        committer.join()
        other.close()
    assert [o.note for o in overrides()] == ["另一位管理员"] and entries() == []
