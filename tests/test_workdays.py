"""The working-day calendar: hand-computed deadlines across 春节, 国庆 and 调休 days, the
uncovered-year fallback (the statutory holidays of 2027) and its warning flag, overrides, and
what it costs.

The holiday arrangements used here, from the State Council's notices (国务院办公厅关于…部分节假日
安排的通知), checked against chinesecalendar 1.11.0 in test_the_package_carries_the_notices:

- 2025 (国办发明电〔2024〕12号) 国庆节、中秋节: 10月1日（周三）至8日（周三）放假调休，共8天；
  9月28日（周日）、10月11日（周六）上班.
- 2026 (国办发明电〔2025〕7号) 春节: 2月15日（周日）至23日（周一）放假调休，共9天；
  2月14日（周六）、2月28日（周六）上班.  国庆节: 10月1日至7日放假调休；9月20日（周日）、
  10月10日（周六）上班.

Counting rule: the day of the event is not counted; the deadline is the n-th working day after it.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from approval.calendar import current as working_calendar
from approval.core import workdays
from approval.core.workdays import Calendar, package_covers, package_range
from approval.extensions import db
from approval.models import CalendarOverride

# The calendar as chinesecalendar 1.11.0 left it: 2027 not covered. Pinned, so that these
# hand-computed 2027 cases keep testing the fallback after the package learns 2027.
AS_OF_2026 = Calendar(covers=lambda year: year <= 2026)

D = date


# ------------------------------------------------------------------------------ the package


def test_the_package_carries_the_notices():
    """What the deadlines below rely on, day by day, as the notices say."""
    base = workdays.base_is_working_day
    # 2025 国庆+中秋: Oct 1–8 off, Sunday Sep 28 and Saturday Oct 11 worked
    assert [base(D(2025, 10, d)) for d in range(1, 9)] == [False] * 8
    assert base(D(2025, 9, 28)) and D(2025, 9, 28).weekday() == 6
    assert base(D(2025, 10, 11)) and D(2025, 10, 11).weekday() == 5
    assert base(D(2025, 10, 9)) and base(D(2025, 10, 10)) and base(D(2025, 9, 30))
    # 2026 春节: Feb 15–23 off, Saturdays Feb 14 and Feb 28 worked
    assert [base(D(2026, 2, d)) for d in range(15, 24)] == [False] * 9
    assert base(D(2026, 2, 14)) and D(2026, 2, 14).weekday() == 5
    assert base(D(2026, 2, 28)) and D(2026, 2, 28).weekday() == 5
    # 2026 国庆: Oct 1–7 off, Sunday Sep 20 and Saturday Oct 10 worked
    assert [base(D(2026, 10, d)) for d in range(1, 8)] == [False] * 7
    assert base(D(2026, 9, 20)) and base(D(2026, 10, 10))


def test_the_package_refuses_a_year_it_does_not_cover_and_the_calendar_does_not():
    first, last = package_range()
    assert (first, package_covers(last), package_covers(last + 1)) == (2004, True, False)
    with pytest.raises(NotImplementedError, match=f"no available data for year {last + 1}"):
        chinese_calendar.is_workday(D(last + 1, 3, 1))
    # the calendar falls back on the weekend for that year instead of failing
    monday = D(last + 1, 3, 1) + timedelta(days=-D(last + 1, 3, 1).weekday() + 7)
    calendar = Calendar()
    assert calendar.is_working_day(monday) and not calendar.is_working_day(monday - timedelta(1))


def test_package_adjustments_list_weekday_holidays_and_make_up_days():
    days = {d.day: (d.is_working_day, d.name) for d in workdays.package_adjustments(2026)}
    assert days[D(2026, 2, 14)] == (True, "春节")  # 调休 Saturday
    assert days[D(2026, 2, 16)] == (False, "春节")
    assert D(2026, 2, 15) not in days  # a Sunday off is no adjustment
    assert days[D(2026, 10, 10)] == (True, "国庆节")
    assert workdays.package_adjustments(package_range()[1] + 1) == []


# ------------------------------------------------------------------------------ deadlines


@pytest.mark.parametrize(
    "start, n, due",
    [
        # 春节 2026. Friday Feb 13 → Saturday Feb 14, a 调休 working day, is the first
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 13), 2, D(2026, 2, 24)),
        # an event on the last working day before 春节 (the 调休 Saturday): the holiday is skipped
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 14), 5, D(2026, 2, 28)),  # the second 调休 Saturday counts
        (D(2026, 2, 14), 6, D(2026, 3, 2)),
        (D(2026, 2, 14), 20, D(2026, 3, 20)),  # 条例 Art. 26: 20 working days
        # 国庆 2025
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 9, 30), 2, D(2025, 10, 10)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),  # 调休 Saturday
        (D(2025, 9, 30), 4, D(2025, 10, 13)),
        (D(2025, 9, 30), 20, D(2025, 11, 4)),
        (D(2025, 9, 27), 1, D(2025, 9, 28)),  # a Saturday event; Sunday Sep 28 is worked
        (D(2025, 9, 27), 4, D(2025, 10, 9)),
        # an event on a holiday: counting starts on the next working day all the same
        (D(2025, 10, 3), 1, D(2025, 10, 9)),
        (D(2025, 10, 8), 1, D(2025, 10, 9)),
        (D(2026, 2, 17), 20, D(2026, 3, 20)),  # as from Feb 14: no working day in between
        # an ordinary week: Friday → Monday
        (D(2025, 11, 7), 1, D(2025, 11, 10)),
        (D(2025, 11, 7), 0, D(2025, 11, 7)),  # n = 0: the day itself
    ],
)
def test_deadline_is_the_nth_working_day_after_the_event(start, n, due):
    deadline = AS_OF_2026.add_working_days(start, n)
    assert (deadline.due, deadline.covered, deadline.uncovered_years) == (due, True, ())
    assert AS_OF_2026.working_days_between(start, due).working_days == n


def test_a_make_up_saturday_is_a_working_day_and_a_holiday_weekday_is_not():
    assert AS_OF_2026.is_working_day(D(2026, 2, 14))  # Saturday, 调休
    assert not AS_OF_2026.is_working_day(D(2026, 2, 16))  # Monday, 春节
    assert not AS_OF_2026.is_working_day(D(2026, 2, 21))  # an ordinary Saturday off


# ------------------------------------------------------------------------------ remaining days


@pytest.mark.parametrize(
    "today, due, left",
    [
        (D(2025, 9, 30), D(2025, 10, 10), 2),  # the holiday is not counted
        (D(2025, 10, 10), D(2025, 10, 10), 0),  # due today
        (D(2025, 10, 11), D(2025, 10, 10), -1),  # the 调休 Saturday after: one working day late
        (D(2025, 10, 13), D(2025, 10, 10), -2),
        (D(2025, 10, 12), D(2025, 10, 10), -1),  # Sunday: still one working day late
        (D(2026, 2, 15), D(2026, 2, 24), 1),  # from inside 春节
        (D(2026, 2, 24), D(2026, 2, 14), -1),  # 春节 does not make one later
    ],
)
def test_remaining_working_days_are_negative_when_overdue(today, due, left):
    span = AS_OF_2026.working_days_between(today, due)
    assert (span.working_days, span.covered) == (left, True)


# ------------------------------------------------------------------------------ uncovered year


def test_an_uncovered_year_counts_the_statutory_holidays_and_says_so():
    deadline = AS_OF_2026.add_working_days(D(2027, 3, 1), 20)  # Monday
    assert deadline.due == D(2027, 3, 29)  # four weeks of five days (清明 is Apr 5)
    assert (deadline.covered, deadline.uncovered_years) == (False, (2027,))
    # 2027-01-01 is a Friday and 元旦: a day off even without the notice, with a warning
    crossing = AS_OF_2026.add_working_days(D(2026, 12, 31), 1)
    assert (crossing.due, crossing.uncovered_years) == (D(2027, 1, 4), (2027,))
    # counting only 2026 days: no warning
    assert AS_OF_2026.add_working_days(D(2026, 12, 30), 1).covered
    # Dec 29, 30, 31 and Jan 4–8: eight (元旦 and the weekend off)
    span = AS_OF_2026.working_days_between(D(2026, 12, 28), D(2027, 1, 8))
    assert (span.working_days, span.uncovered_years) == (8, (2027,))


def test_twenty_working_days_from_2026_12_10_skip_yuandan_2027():
    """The live bug: chinesecalendar 1.11.0 stops at 2026, and the old fallback (Monday–Friday)
    counted 元旦 2027 as a working day, giving 2027-01-07.

    By hand, from Thursday 2026-12-10 (not counted): Dec 11 (Fri) = 1; Dec 14–18 = 2–6;
    Dec 21–25 = 7–11; Dec 28–31 (Mon–Thu) = 12–15; Jan 1 (Fri, 元旦) off; Jan 2–3 weekend;
    Jan 4–8 (Mon–Fri) = 16–20. Due Friday 2027-01-08."""
    assert D(2027, 1, 1).weekday() == 4  # a Friday
    deadline = AS_OF_2026.add_working_days(D(2026, 12, 10), 20)
    assert (deadline.due, deadline.uncovered_years) == (D(2027, 1, 8), (2027,))
    assert AS_OF_2026.working_days_between(D(2026, 12, 10), D(2027, 1, 8)).working_days == 20
    if not package_covers(2027):  # the live calendar, as installed
        assert Calendar().add_working_days(D(2026, 12, 10), 20).due == D(2027, 1, 8)


@pytest.mark.parametrize(
    ("start", "n", "due", "why"),
    [
        # 春节 2027: lunar new year (初一) is Saturday 2027-02-06, so 除夕 is Friday Feb 5 and
        # 初三 Monday Feb 8. Off: Feb 5 and Feb 8 (Feb 6–7 are the weekend anyway).
        (D(2027, 2, 4), 1, D(2027, 2, 9), "除夕 Fri Feb 5 and 初三 Mon Feb 8 off"),
        # from Mon Feb 1: Feb 2–4 = 1–3; Feb 9–12 = 4–7; Feb 15–19 = 8–12; Feb 22–26 = 13–17;
        # Mar 1–3 = 18–20 (Monday–Friday alone would give Mar 1)
        (D(2027, 2, 1), 20, D(2027, 3, 3), "two weekdays of 春节 off"),
        # 清明 2027: the solar term falls on Monday April 5
        (D(2027, 4, 2), 1, D(2027, 4, 6), "清明 Mon Apr 5 off"),
        # 劳动节 2027: May 1–2 are Saturday and Sunday: no day off is added (no 调休 guessed)
        (D(2027, 4, 30), 1, D(2027, 5, 3), "劳动节 on the weekend"),
        # 端午 2027: lunar 5/5 is Wednesday June 9
        (D(2027, 6, 8), 1, D(2027, 6, 10), "端午 Wed Jun 9 off"),
        # 中秋 2027: lunar 8/15 is Wednesday September 15
        (D(2027, 9, 14), 1, D(2027, 9, 16), "中秋 Wed Sep 15 off"),
        # 国庆 2027: Oct 1 (Fri) off, Oct 2–3 the weekend
        (D(2027, 9, 30), 1, D(2027, 10, 4), "国庆 Fri Oct 1 off"),
        # from Thu Sep 30: Oct 4–8 = 1–5, Oct 11–15 = 6–10, Oct 18–22 = 11–15, Oct 25–29 = 16–20
        (D(2027, 9, 30), 20, D(2027, 10, 29), "国庆 in a 20-day clock"),
    ],
)
def test_the_statutory_holidays_of_2027_by_hand(start, n, due, why):
    deadline = AS_OF_2026.add_working_days(start, n)
    assert (deadline.due, deadline.uncovered_years) == (due, (2027,)), why
    assert AS_OF_2026.working_days_between(start, due).working_days == n


def test_the_statutory_holidays_of_2027():
    """《全国年节及纪念日放假办法》 as amended in 2024 (in force 2025), computed, with no 调休."""
    assert workdays.statutory_holidays(2027) == {
        D(2027, 1, 1): "元旦",
        D(2027, 2, 5): "春节",  # 除夕: the last day of the 12th lunar month of 2026
        D(2027, 2, 6): "春节",  # 初一
        D(2027, 2, 7): "春节",
        D(2027, 2, 8): "春节",  # 初三
        D(2027, 4, 5): "清明节",
        D(2027, 5, 1): "劳动节",
        D(2027, 5, 2): "劳动节",
        D(2027, 6, 9): "端午节",
        D(2027, 9, 15): "中秋节",
        D(2027, 10, 1): "国庆节",
        D(2027, 10, 2): "国庆节",
        D(2027, 10, 3): "国庆节",
    }
    # 中秋 2028 (lunar 8/15) is October 3, a 国庆 day: one day, both names
    assert workdays.statutory_holidays(2028)[D(2028, 10, 3)] == "国庆节、中秋节"
    # the admin page lists those on weekdays
    assert [d.day for d in workdays.statutory_adjustments(2027)] == [
        D(2027, 1, 1),
        D(2027, 2, 5),
        D(2027, 2, 8),
        D(2027, 4, 5),
        D(2027, 6, 9),
        D(2027, 9, 15),
        D(2027, 10, 1),
    ] or package_covers(2027)


def test_the_computed_statutory_holidays_are_the_packages_holidays():
    """The lunar dates and 清明 as computed agree with the State Council's notices that the
    package carries: every statutory day on a weekday of 2008–2026 is one of its holidays, and
    in 2025 and 2026 (the 2024 amendment) 除夕 is one."""
    for year in range(2008, 2027):
        for day in workdays.statutory_holidays(year):
            if day.weekday() < 5:
                assert day in chinese_calendar.holidays, day
    assert D(2025, 1, 28) in workdays.statutory_holidays(2025)  # 除夕 2025
    assert D(2026, 2, 16) in workdays.statutory_holidays(2026)  # 除夕 2026
    assert D(2024, 2, 9) not in workdays.statutory_holidays(2024)  # before the amendment


def test_an_entered_year_is_no_longer_warned_of():
    """The system admin enters the State Council's notice as overrides: from the first override
    of the year on, the year counts as entered."""
    calendar = Calendar(
        {
            D(2027, 1, 1): False,  # (statutory anyway, but a row of the notice)
            D(2027, 2, 9): False,  # a bridging day off of 春节
            D(2027, 2, 20): True,  # a Saturday worked
        },
        covers=lambda year: year <= 2026,
    )
    crossing = calendar.add_working_days(D(2026, 12, 31), 1)
    assert (crossing.due, crossing.covered) == (D(2027, 1, 4), True)
    assert calendar.add_working_days(D(2027, 2, 4), 1).due == D(2027, 2, 10)
    assert calendar.add_working_days(D(2027, 2, 19), 1).due == D(2027, 2, 20)
    assert calendar.working_days_between(D(2026, 12, 31), D(2027, 1, 4)).working_days == 1
    # a year without any override is still warned of
    assert calendar.add_working_days(D(2027, 12, 30), 2).uncovered_years == (2028,)
    # a loader's overrides count the same
    loaded = Calendar(loader=lambda first, last: {D(2027, 2, 20): True}, covers=lambda y: y <= 2026)
    assert loaded.covers(2027) and not loaded.covers(2028)


def test_an_override_wins_over_the_package():
    # 2026 国庆: Oct 1–7 off; Thursday Oct 8 is a working day unless corrected
    assert AS_OF_2026.add_working_days(D(2026, 9, 30), 1).due == D(2026, 10, 8)
    corrected = Calendar({D(2026, 10, 8): False, D(2026, 10, 10): False})
    assert corrected.add_working_days(D(2026, 9, 30), 1).due == D(2026, 10, 9)
    assert corrected.add_working_days(D(2026, 9, 30), 2).due == D(2026, 10, 12)


def test_the_calendar_takes_local_dates_and_counts_forward():
    with pytest.raises(TypeError):
        AS_OF_2026.add_working_days(datetime(2026, 3, 2, 23, 0), 1)  # a UTC time is not a day
    with pytest.raises(ValueError):
        AS_OF_2026.add_working_days(D(2026, 3, 2), -1)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(D(2003, 6, 1), D(2028, 6, 30)),
    n=st.integers(0, 300),
    offs=st.sets(st.dates(D(2003, 1, 1), D(2029, 12, 31)), max_size=20),
)
def test_counting_forward_and_measuring_agree(start, n, offs):
    """For any start, n and overrides: the deadline is a working day n working days after the
    start, and every day in between is counted exactly once."""
    calendar = Calendar({d: d.weekday() >= 5 for d in offs})  # flip weekdays and weekends
    deadline = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, deadline.due).working_days == n
    assert calendar.working_days_between(deadline.due, start).working_days == -n
    if n:
        assert calendar.is_working_day(deadline.due)
        assert (
            calendar.working_days_between(start, deadline.due - timedelta(1)).working_days == n - 1
        )
    counted_years = range((start + timedelta(1)).year, deadline.due.year + 1) if n else ()
    entered = {d.year for d in offs}
    assert deadline.uncovered_years == tuple(
        y for y in counted_years if not (package_covers(y) or y in entered)
    )


# ------------------------------------------------------------------------------ the database


@contextmanager
def counted_queries():
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_request_calendar_reads_overrides_once_for_a_whole_inbox(app):
    db.session.add_all(
        [
            CalendarOverride(day=D(2026, 10, 8), is_working_day=False, note="更正"),
            CalendarOverride(day=D(2025, 10, 9), is_working_day=False, note="更正"),
            CalendarOverride(day=D(2023, 3, 1), is_working_day=False, note="不在读取范围"),
        ]
    )
    db.session.commit()
    working_calendar.forget_current_calendar()
    with counted_queries() as statements:
        dues = [
            working_calendar.add_working_days(D(2026, 1, 1) + timedelta(days=i), 20).due
            for i in range(300)
        ]
        left = working_calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 9))
        assert working_calendar.add_working_days(D(2025, 9, 30), 1).due == D(2025, 10, 10)
    assert len(statements) == 1  # 2025–2027 in one query, nothing per day or per item
    assert left.working_days == 1
    assert working_calendar.current_calendar() is working_calendar.current_calendar()
    assert len(set(dues)) > 100


def test_the_service_refreshes_the_request_calendar(world):
    from approval.calendar import operations as calendar_service

    assert working_calendar.add_working_days(D(2026, 9, 30), 1).due == D(2026, 10, 8)
    calendar_service.add_overrides(
        world.users["sysadmin"], D(2026, 10, 8), None, False, "国务院调整安排"
    )
    db.session.commit()
    assert working_calendar.add_working_days(D(2026, 9, 30), 1).due == D(2026, 10, 9)


@pytest.mark.parametrize("n", [1, 5, 20])
def test_earliest_start_agrees_with_the_deadline_of_every_day_of_two_years(n):
    """earliest_start(D, n) is the first start due on or after D, for every D (holidays and
    weekends too) across 春节 and 国庆 of 2025–2026 and the New Year between them."""
    calendar = Calendar()
    day = date(2025, 1, 1)
    while day <= date(2026, 12, 31):
        start = calendar.earliest_start(day, n)
        assert calendar.add_working_days(start, n).due >= day
        assert calendar.add_working_days(start - timedelta(days=1), n).due < day
        day += timedelta(days=1)


def test_earliest_start_of_hand_computed_cases():
    calendar = Calendar()
    # 国庆 2026: 10-01..10-07 off, 10-08 (Thu) and 10-09 (Fri) work, 10-10 (Sat) is a make-up day
    assert calendar.earliest_start(date(2026, 10, 10), 1) == date(2026, 10, 9)
    # due on a holiday means due by the first working day after it: started 09-30 (Wed), the
    # first working day counted is 10-08
    assert calendar.earliest_start(date(2026, 10, 3), 1) == date(2026, 9, 30)
    assert calendar.earliest_start(date(2026, 10, 8), 1) == date(2026, 9, 30)
    # 5 working days before 10-12 (Mon): 10-10, 10-09, 10-08, 09-30, 09-29 → start 09-29
    assert calendar.earliest_start(date(2026, 10, 12), 5) == date(2026, 9, 29)
