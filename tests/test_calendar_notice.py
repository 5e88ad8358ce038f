"""The system admin pastes the State Council's holiday notice on the calendar page: it is read,
shown for confirmation, and saved as overrides in one audited step; after it the year is no
longer warned of. Text that cannot be read is refused (422) with what was typed kept.

The notice's 2027 dates are invented test input (tests/test_holiday_notice.py). The year is 2027
pinned as the package's next year: these tests skip once an installed chinesecalendar covers it."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from approval.audit import trail as audit
from approval.calendar import current as working_calendar
from approval.core.workdays import package_covers
from approval.extensions import db
from approval.models import AuditEntry, CalendarOverride
from tests.test_calendar_admin import field_error, flash_text
from tests.test_holiday_notice import NOTICE_2027

YEAR = 2027
PAGE = f"/admin/calendar?year={YEAR}"
POST = f"/admin/calendar/notice?year={YEAR}"

pytestmark = pytest.mark.skipif(package_covers(YEAR), reason="the package covers 2027")


def typed_notice(page: str) -> str:
    match = re.search(r'<textarea[^>]*name="notice"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(match.group(1)).lstrip("\r\n") if match else ""


def notice_entries() -> list[AuditEntry]:
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "calendar_notice_add")
    ).all()


def overrides() -> list[CalendarOverride]:
    return db.session.scalars(select(CalendarOverride).order_by(CalendarOverride.day)).all()


def test_the_pasted_notice_is_confirmed_then_saved_in_one_audited_step(world, login_as):
    b = login_as("sysadmin")
    before = working_calendar.current_calendar().add_working_days(date(2026, 12, 31), 1)
    assert before.uncovered_years == (YEAR,)

    preview = b.post(POST, {"notice": NOTICE_2027, "step": "preview"}, token_from=PAGE)
    assert preview.status_code == 200
    assert overrides() == [] and notice_entries() == []  # nothing saved yet
    page = preview.text
    assert "国办发明电〔2026〕12号" in page and "data-notice-plan" in page
    # a weekday off that the statutory rule does not give: to be entered
    assert 'data-day="2027-02-09" data-kind="day_off" data-status="add"' in page
    # 除夕 (Friday Feb 5) is statutory, Saturday Feb 6 a weekend: already so
    assert 'data-day="2027-02-05" data-kind="day_off" data-status="unchanged"' in page
    assert 'data-day="2027-01-31" data-kind="working_day" data-status="add"' in page
    assert typed_notice(page) == NOTICE_2027
    previewed = re.search(r'name="previewed" value="([0-9a-f]+)"', page).group(1)

    saved = b.post(
        POST,
        {"notice": NOTICE_2027, "step": "confirm", "previewed": previewed},
        token_from=PAGE,
    )
    assert saved.status_code == 303
    rows = overrides()
    # weekdays off beyond the statutory days, and the six make-up Saturdays and Sundays
    assert [(o.day, o.is_working_day) for o in rows] == [
        (date(2027, 1, 31), True),
        (date(2027, 2, 9), False),
        (date(2027, 2, 10), False),
        (date(2027, 2, 11), False),
        (date(2027, 2, 12), False),
        (date(2027, 2, 20), True),
        (date(2027, 4, 25), True),
        (date(2027, 5, 3), False),
        (date(2027, 5, 4), False),
        (date(2027, 5, 5), False),
        (date(2027, 5, 8), True),
        (date(2027, 9, 26), True),
        (date(2027, 9, 30), False),
        (date(2027, 10, 4), False),
        (date(2027, 10, 5), False),
        (date(2027, 10, 6), False),
        (date(2027, 10, 7), False),
        (date(2027, 10, 9), True),
    ]
    assert rows[1].note == "2027年春节（国办发明电〔2026〕12号）"
    assert rows[0].note == "2027年春节调休上班（国办发明电〔2026〕12号）"
    (entry,) = notice_entries()
    detail = json.loads(entry.detail)
    assert (entry.actor_id, detail["year"], detail["count"]) == (
        world.users["sysadmin"].id,
        YEAR,
        18,
    )
    assert detail["reference"] == "国办发明电〔2026〕12号"
    assert ["2027-02-09", "day_off"] in detail["days"] and "2027-02-05" in detail["unchanged"]
    assert audit.verify().ok

    page = b.get(saved.headers["Location"]).text
    assert "已按通知录入 18 天的调整" in flash_text(page)
    assert 'data-coverage="entered"' in page and 'data-coverage="uncovered"' not in page
    # the year is entered: no warning, and the 调休 counts
    after = working_calendar.current_calendar().add_working_days(date(2027, 2, 4), 1)
    assert (after.due, after.covered) == (date(2027, 2, 15), True)
    assert working_calendar.current_calendar().is_working_day(date(2027, 2, 20))

    # the same notice again: nothing left to enter, refused, nothing written
    again = b.post(POST, {"notice": NOTICE_2027, "step": "preview"}, token_from=PAGE)
    assert 'data-status="add"' not in again.text and "都已按此计算或录入" in again.text
    assert len(notice_entries()) == 1


def test_text_edited_after_the_preview_is_shown_again_not_saved(world, login_as):
    b = login_as("sysadmin")
    edited = NOTICE_2027.replace("２月２０日（周六）上班", "２月２７日（周六）上班")
    response = b.post(
        POST, {"notice": edited, "step": "confirm", "previewed": "0" * 64}, token_from=PAGE
    )
    assert response.status_code == 200 and "data-notice-plan" in response.text
    assert overrides() == [] and notice_entries() == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请粘贴国务院办公厅通知的正文"),
        ("一、元旦：１月１日至三日放假。", "无法识别这句中的日期范围"),
        ("随便粘贴的一段话", "未能从粘贴的文字中识别出放假或上班日期"),
    ],
)
def test_unreadable_text_is_refused_with_what_was_typed(world, login_as, text, message):
    b = login_as("sysadmin")
    for step in ("preview", "confirm"):
        response = b.post(POST, {"notice": text, "step": step}, token_from=PAGE)
        assert response.status_code == 422
        assert message in field_error(response.text, "notice")
        assert typed_notice(response.text) == text
    assert overrides() == [] and notice_entries() == []


def test_a_day_the_notice_contradicts_is_refused(world, login_as):
    b = login_as("sysadmin")
    db.session.add(CalendarOverride(day=date(2027, 2, 9), is_working_day=True, note="误录"))
    db.session.commit()
    response = b.post(POST, {"notice": NOTICE_2027, "step": "preview"}, token_from=PAGE)
    assert response.status_code == 422
    error = field_error(response.text, "notice")
    assert "2027-02-09" in error and "请先删除原记录" in error
    assert typed_notice(response.text) == NOTICE_2027
