"""The reply clock of a request for government information (approval/core/request_clock.py):
hand-computed due dates across 春节 and 国庆 2026, states, and the refusals of impossible dates.

The 2026 arrangement (国办发明电〔2025〕7号), as chinesecalendar 1.11.0 carries it (checked day by
day in test_the_calendar_is_the_one_the_cases_were_counted_in):

- 春节: 2月15日（周日）至23日（周一）放假调休，共9天; 2月14日（周六）、2月28日（周六）上班.
- 清明节: 4月4日（周六）至6日（周一）放假; no make-up day.
- 中秋节: 9月25日（周五）至27日（周日）放假.
- 国庆节: 10月1日（周四）至7日（周三）放假调休; 9月20日（周日）、10月10日（周六）上班.

Every expected date below was counted by hand on that calendar, not by the code under test: the
day of the event (receipt, the corrected request, a pause's end) is not counted; the days S..E of
a pause are not counted, both included. "n Mon 2" is the n-th working day counted.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from approval.core import request_clock as rc
from approval.core.request_clock import Pause, RequestTimeline, TimelineError, reply_clock
from approval.core.workdays import Calendar

D = date
# The package's data for 2026 with no overrides; every case stays within 2026.
CALENDAR = Calendar(covers=lambda year: year <= 2026)


def clock(timeline: RequestTimeline, today: date) -> rc.ReplyClock:
    return reply_clock(timeline, today, CALENDAR)


def test_the_calendar_is_the_one_the_cases_were_counted_in():
    works = CALENDAR.is_working_day
    # 春节: Feb 15 (Sun) – Feb 23 (Mon) off; Saturdays Feb 14 and Feb 28 worked
    assert [works(D(2026, 2, d)) for d in range(15, 24)] == [False] * 9
    assert works(D(2026, 2, 14)) and D(2026, 2, 14).weekday() == 5
    assert works(D(2026, 2, 28)) and D(2026, 2, 28).weekday() == 5
    assert works(D(2026, 2, 13)) and works(D(2026, 2, 24))
    # 清明: Apr 4–6 (Sat–Mon) off, Apr 3 (Fri) and Apr 7 (Tue) worked
    assert not any(works(D(2026, 4, d)) for d in (4, 5, 6))
    assert works(D(2026, 4, 3)) and works(D(2026, 4, 7))
    # 中秋 Sep 25 (Fri) – 27 off; 国庆 Oct 1 (Thu) – 7 (Wed) off; Sun Sep 20, Sat Oct 10 worked
    assert not any(works(D(2026, 9, d)) for d in (25, 26, 27))
    assert [works(D(2026, 10, d)) for d in range(1, 8)] == [False] * 7
    assert works(D(2026, 9, 20)) and D(2026, 9, 20).weekday() == 6
    assert works(D(2026, 10, 10)) and D(2026, 10, 10).weekday() == 5
    assert works(D(2026, 9, 24)) and works(D(2026, 9, 28)) and works(D(2026, 10, 8))


# ------------------------------------------------------------------------------ 春节 2026


def test_plain_twenty_working_days_across_the_spring_festival():
    # Received Mon Feb 9 (not counted). 1 Tue Feb 10, 2 Wed 11, 3 Thu 12, 4 Fri 13,
    # 5 Sat 14 (make-up), [Feb 15–23 off], 6 Tue 24, 7 Wed 25, 8 Thu 26, 9 Fri 27,
    # 10 Sat 28 (make-up), 11 Mon Mar 2, 12 Tue 3, 13 Wed 4, 14 Thu 5, 15 Fri 6,
    # 16 Mon 9, 17 Tue 10, 18 Wed 11, 19 Thu 12, 20 Fri Mar 13.
    # 补正 notice (7 working days): 1 Feb 10 … 5 Feb 14, 6 Feb 24, 7 Wed Feb 25.
    timeline = RequestTimeline(received=D(2026, 2, 9))
    on_receipt = clock(timeline, D(2026, 2, 9))
    assert on_receipt.due == D(2026, 3, 13)
    assert on_receipt.correction_notice_due == D(2026, 2, 25)
    assert (on_receipt.state, on_receipt.used, on_receipt.left) == (rc.RUNNING, 0, 20)
    assert on_receipt.clock_start == D(2026, 2, 9) and on_receipt.period == 20
    assert on_receipt.covered and not on_receipt.paused

    # During the holiday, Fri Feb 20: Feb 10–14 counted (5), the holiday not.
    holiday = clock(timeline, D(2026, 2, 20))
    assert (holiday.state, holiday.used, holiday.left) == (rc.RUNNING, 5, 15)

    # On the due day: 0 left, still running.
    last_day = clock(timeline, D(2026, 3, 13))
    assert (last_day.state, last_day.used, last_day.left) == (rc.RUNNING, 20, 0)


def test_overdue_after_the_due_date():
    # Due Fri Mar 13 (above). Sat Mar 14: the due day has passed, no working day since: overdue,
    # 0 working days late. Tue Mar 17: Mon 16, Tue 17 after it: two working days late.
    timeline = RequestTimeline(received=D(2026, 2, 9))
    saturday = clock(timeline, D(2026, 3, 14))
    assert (saturday.state, saturday.due, saturday.left) == (rc.OVERDUE, D(2026, 3, 13), 0)
    tuesday = clock(timeline, D(2026, 3, 17))
    assert (tuesday.state, tuesday.used, tuesday.left) == (rc.OVERDUE, 22, -2)


def test_a_pause_after_the_due_date_does_not_make_a_late_request_timely():
    # Due Fri Mar 13 (above); a fee notice on Mon Mar 16, unpaid. Wed Mar 18: Mon 16, Tue 17,
    # Wed 18 after the due date, three working days late, and paused since Mar 16.
    timeline = RequestTimeline(received=D(2026, 2, 9), pauses=[(rc.FEE, D(2026, 3, 16), None)])
    result = clock(timeline, D(2026, 3, 18))
    assert (result.state, result.due, result.left) == (rc.OVERDUE, D(2026, 3, 13), -3)
    assert (result.paused, result.paused_since, result.pause_kind) == (True, D(2026, 3, 16), rc.FEE)
    assert result.paused_working_days == 0


def test_an_extension_of_twenty_working_days_across_qingming():
    # Received Mon Feb 9: the 20th working day is Fri Mar 13 (above). Then 21 Mon Mar 16,
    # 22 Tue 17, 23 Wed 18, 24 Thu 19, 25 Fri 20, 26 Mon 23, 27 Tue 24, 28 Wed 25, 29 Thu 26,
    # 30 Fri 27, 31 Mon 30, 32 Tue 31, 33 Wed Apr 1, 34 Thu 2, 35 Fri 3, [Apr 4–6 清明],
    # 36 Tue Apr 7, 37 Wed 8, 38 Thu 9, 39 Fri 10, 40 Mon Apr 13.
    timeline = RequestTimeline(received=D(2026, 2, 9), extension_days=20)
    result = clock(timeline, D(2026, 3, 17))  # late without the extension, not with it
    assert result.due == D(2026, 4, 13) and result.period == 40
    # Mar 17: 22 working days used (20 to Mar 13, Mon 16, Tue 17), 18 left.
    assert (result.state, result.used, result.left) == (rc.RUNNING, 22, 18)


def test_a_correction_restarts_the_clock():
    # Received Tue Feb 3. 补正 notice due: 1 Wed Feb 4, 2 Thu 5, 3 Fri 6, 4 Mon 9, 5 Tue 10,
    # 6 Wed 11, 7 Thu Feb 12; asked on Fri Feb 6 (in time), answer by Fri Feb 27.
    # The corrected request arrives Thu Feb 26 (not counted): 1 Fri Feb 27, 2 Sat 28 (make-up),
    # 3 Mon Mar 2, 4 Tue 3, 5 Wed 4, 6 Thu 5, 7 Fri 6, 8 Mon 9, 9 Tue 10, 10 Wed 11, 11 Thu 12,
    # 12 Fri 13, 13 Mon 16, 14 Tue 17, 15 Wed 18, 16 Thu 19, 17 Fri 20, 18 Mon 23, 19 Tue 24,
    # 20 Wed Mar 25. (Without the 补正 it would have been Mon Mar 9: the days before are gone.)
    asked = dict(
        received=D(2026, 2, 3),
        correction_requested=D(2026, 2, 6),
        correction_deadline=D(2026, 2, 27),
    )
    waiting = clock(RequestTimeline(**asked), D(2026, 2, 20))
    assert waiting.state == rc.AWAITING_CORRECTION
    assert (waiting.due, waiting.used, waiting.left, waiting.clock_start) == (None,) * 4
    assert waiting.correction_notice_due == D(2026, 2, 12)
    assert not waiting.correction_notice_late

    corrected = RequestTimeline(**asked, correction_received=D(2026, 2, 26))
    result = clock(corrected, D(2026, 3, 2))
    assert result.clock_start == D(2026, 2, 26)
    assert result.due == D(2026, 3, 25)
    # Mon Mar 2: Fri Feb 27, Sat Feb 28, Mon Mar 2 counted.
    assert (result.state, result.used, result.left) == (rc.RUNNING, 3, 17)
    assert clock(RequestTimeline(received=D(2026, 2, 3)), D(2026, 2, 3)).due == D(2026, 3, 9)


def test_a_lapsed_correction():
    # As above, no answer. Fri Feb 27 (the deadline itself): still awaited. Sat Feb 28: lapsed
    # (逾期不补正), no due date.
    timeline = RequestTimeline(
        received=D(2026, 2, 3),
        correction_requested=D(2026, 2, 6),
        correction_deadline=D(2026, 2, 27),
    )
    assert clock(timeline, D(2026, 2, 27)).state == rc.AWAITING_CORRECTION
    lapsed = clock(timeline, D(2026, 2, 28))
    assert (lapsed.state, lapsed.due, lapsed.left) == (rc.CORRECTION_LAPSED, None, None)


def test_a_correction_answered_after_the_deadline_is_honoured_when_recorded():
    # Deadline Fri Feb 27, answer Mon Mar 2 (recorded: the body accepted it). From Mar 2:
    # 1 Tue Mar 3, 2 Wed 4, 3 Thu 5, 4 Fri 6, 5 Mon 9, 6 Tue 10, 7 Wed 11, 8 Thu 12, 9 Fri 13,
    # 10 Mon 16, 11 Tue 17, 12 Wed 18, 13 Thu 19, 14 Fri 20, 15 Mon 23, 16 Tue 24, 17 Wed 25,
    # 18 Thu 26, 19 Fri 27, 20 Mon Mar 30.
    timeline = RequestTimeline(
        received=D(2026, 2, 3),
        correction_requested=D(2026, 2, 6),
        correction_deadline=D(2026, 2, 27),
        correction_received=D(2026, 3, 2),
    )
    result = clock(timeline, D(2026, 3, 2))
    assert (result.state, result.due, result.left) == (rc.RUNNING, D(2026, 3, 30), 20)


def test_a_late_correction_notice_is_flagged():
    # Received Mon Feb 9: the notice was due Wed Feb 25 (above); asked on Thu Feb 26.
    timeline = RequestTimeline(received=D(2026, 2, 9), correction_requested=D(2026, 2, 26))
    result = clock(timeline, D(2026, 2, 26))
    assert result.correction_notice_due == D(2026, 2, 25)
    assert result.correction_notice_late


# ------------------------------------------------------------------------------ 国庆 2026


THIRD_PARTY_CASE = RequestTimeline(
    received=D(2026, 9, 14),
    pauses=[Pause(rc.THIRD_PARTY, D(2026, 9, 23), D(2026, 10, 20))],
)


def test_a_third_party_pause_of_fifteen_working_days_across_national_day():
    # Received Mon Sep 14. Counted before the pause: 1 Tue Sep 15, 2 Wed 16, 3 Thu 17, 4 Fri 18,
    # 5 Sun 20 (make-up), 6 Mon 21, 7 Tue 22.
    # Consultation letter Wed Sep 23, opinion received Tue Oct 20; not counted, 15 working days:
    # Sep 23, 24, [25–27 中秋], 28, 29, 30, [Oct 1–7 国庆], Oct 8, 9, 10 (make-up), 12, 13, 14,
    # 15, 16, 19, 20.
    # Resumes after Oct 20: 8 Wed Oct 21, 9 Thu 22, 10 Fri 23, 11 Mon 26, 12 Tue 27, 13 Wed 28,
    # 14 Thu 29, 15 Fri 30, 16 Mon Nov 2, 17 Tue 3, 18 Wed 4, 19 Thu 5, 20 Fri Nov 6.
    # (Without the pause: … 9 Thu Sep 24, 10 Mon 28, 11 Tue 29, 12 Wed 30, 13 Thu Oct 8,
    # 14 Fri 9, 15 Sat 10, 16 Mon 12, 17 Tue 13, 18 Wed 14, 19 Thu 15, 20 Fri Oct 16.)
    # 补正 notice: 1 Sep 15 … 5 Sep 20, 6 Sep 21, 7 Tue Sep 22.
    before = clock(THIRD_PARTY_CASE, D(2026, 9, 22))
    assert before.due == D(2026, 11, 6) and before.paused_working_days == 15
    assert before.correction_notice_due == D(2026, 9, 22)
    assert (before.state, before.used, before.left) == (rc.RUNNING, 7, 13)

    # During 国庆, Mon Oct 5: paused since Sep 23, the count stands at 7 used, 13 left.
    during = clock(THIRD_PARTY_CASE, D(2026, 10, 5))
    assert (during.state, during.used, during.left) == (rc.PAUSED, 7, 13)
    assert (during.paused_since, during.pause_kind) == (D(2026, 9, 23), rc.THIRD_PARTY)
    assert during.due == D(2026, 11, 6)

    # The end day itself is paused; Wed Oct 21 counts again (8 used).
    assert clock(THIRD_PARTY_CASE, D(2026, 10, 20)).state == rc.PAUSED
    after = clock(THIRD_PARTY_CASE, D(2026, 10, 21))
    assert (after.state, after.used, after.left, after.paused) == (rc.RUNNING, 8, 12, False)

    without = clock(RequestTimeline(received=D(2026, 9, 14)), D(2026, 9, 14))
    assert without.due == D(2026, 10, 16)


def test_a_third_party_pause_and_an_extension():
    # Due Fri Nov 6 with the pause (above); 20 more working days: 1 Mon Nov 9 … 5 Fri 13,
    # 6 Mon 16 … 10 Fri 20, 11 Mon 23 … 15 Fri 27, 16 Mon Nov 30, 17 Tue Dec 1, 18 Wed 2,
    # 19 Thu 3, 20 Fri Dec 4.
    timeline = RequestTimeline(
        received=D(2026, 9, 14), pauses=THIRD_PARTY_CASE.pauses, extension_days=20
    )
    result = clock(timeline, D(2026, 11, 9))
    assert result.due == D(2026, 12, 4) and result.period == 40
    # Nov 9: 7 before the pause + Oct 21 … Nov 6 (13) + Nov 9 = 21 used, 19 left.
    assert (result.state, result.used, result.left) == (rc.RUNNING, 21, 19)


def test_a_fee_pause_still_open():
    # Received Mon Sep 28. 1 Tue Sep 29, 2 Wed 30, [Oct 1–7], 3 Thu Oct 8, 4 Fri 9,
    # 5 Sat 10 (make-up), 6 Mon 12, 7 Tue 13. Fee notice Wed Oct 14, not paid: no due date.
    # Fri Oct 23: 7 used, 13 left; not counted so far: Oct 14, 15, 16, 19, 20, 21, 22, 23 (8).
    timeline = RequestTimeline(received=D(2026, 9, 28), pauses=[(rc.FEE, D(2026, 10, 14), None)])
    result = clock(timeline, D(2026, 10, 23))
    assert (result.state, result.due, result.used, result.left) == (rc.PAUSED, None, 7, 13)
    assert (result.paused, result.paused_since, result.pause_kind) == (
        True,
        D(2026, 10, 14),
        rc.FEE,
    )
    assert result.paused_working_days == 8
    assert result.correction_notice_due == D(2026, 10, 13)

    # The day before the notice: running, no due date all the same (the pause is recorded).
    earlier = clock(timeline, D(2026, 10, 13))
    assert (earlier.state, earlier.due, earlier.used, earlier.left) == (rc.RUNNING, None, 7, 13)


def test_a_fee_paid():
    # As above, paid Fri Oct 16: Oct 14, 15, 16 not counted (3). Resumes: 8 Mon Oct 19,
    # 9 Tue 20, 10 Wed 21, 11 Thu 22, 12 Fri 23, 13 Mon 26, 14 Tue 27, 15 Wed 28, 16 Thu 29,
    # 17 Fri 30, 18 Mon Nov 2, 19 Tue 3, 20 Wed Nov 4. (Unpaused: … 20 Fri Oct 30.)
    timeline = RequestTimeline(
        received=D(2026, 9, 28), pauses=[(rc.FEE, D(2026, 10, 14), D(2026, 10, 16))]
    )
    result = clock(timeline, D(2026, 10, 23))
    assert result.due == D(2026, 11, 4) and result.paused_working_days == 3
    # Oct 23: 7 + Oct 19–23 (5) = 12 used, 8 left.
    assert (result.state, result.used, result.left) == (rc.RUNNING, 12, 8)
    assert clock(RequestTimeline(received=D(2026, 9, 28)), D(2026, 9, 28)).due == D(2026, 10, 30)


def test_a_pause_within_the_holiday_changes_nothing():
    # Received Mon Sep 28, due Fri Oct 30 (above); another body consulted Fri Oct 2, consent on
    # Tue Oct 6: no working day in Oct 2–6.
    timeline = RequestTimeline(
        received=D(2026, 9, 28), pauses=[(rc.OTHER_BODY, D(2026, 10, 2), D(2026, 10, 6))]
    )
    result = clock(timeline, D(2026, 10, 6))
    assert (result.due, result.paused_working_days) == (D(2026, 10, 30), 0)
    assert (result.state, result.used, result.left, result.pause_kind) == (
        rc.PAUSED,
        2,
        18,
        rc.OTHER_BODY,
    )


def test_a_pause_from_the_day_of_receipt():
    # Received Mon Oct 12, a third party consulted the same day, opinion Wed Oct 14. Oct 12 is
    # never counted (receipt), so the pause takes Oct 13 and 14 (2). From Oct 15: 1 Thu 15,
    # 2 Fri 16, 3 Mon 19, 4 Tue 20, 5 Wed 21, 6 Thu 22, 7 Fri 23, 8 Mon 26, 9 Tue 27, 10 Wed 28,
    # 11 Thu 29, 12 Fri 30, 13 Mon Nov 2, 14 Tue 3, 15 Wed 4, 16 Thu 5, 17 Fri 6, 18 Mon 9,
    # 19 Tue 10, 20 Wed Nov 11.
    timeline = RequestTimeline(
        received=D(2026, 10, 12), pauses=[(rc.THIRD_PARTY, D(2026, 10, 12), D(2026, 10, 14))]
    )
    result = clock(timeline, D(2026, 10, 14))
    assert (result.due, result.paused_working_days) == (D(2026, 11, 11), 2)
    assert (result.state, result.used, result.left) == (rc.PAUSED, 0, 20)


def test_a_correction_then_a_pause():
    # Received Mon Sep 14, 补正 asked Tue Sep 15, corrected request Mon Sep 21 (not counted):
    # 1 Tue Sep 22, 2 Wed 23, 3 Thu 24, 4 Mon 28. Fee notice Tue Sep 29, paid Fri Oct 9:
    # Sep 29, 30, Oct 8, 9 not counted (4). Resumes: 5 Sat Oct 10 (make-up), 6 Mon 12, 7 Tue 13,
    # 8 Wed 14, 9 Thu 15, 10 Fri 16, 11 Mon 19, 12 Tue 20, 13 Wed 21, 14 Thu 22, 15 Fri 23,
    # 16 Mon 26, 17 Tue 27, 18 Wed 28, 19 Thu 29, 20 Fri Oct 30.
    timeline = RequestTimeline(
        received=D(2026, 9, 14),
        correction_requested=D(2026, 9, 15),
        correction_received=D(2026, 9, 21),
        pauses=[(rc.FEE, D(2026, 9, 29), D(2026, 10, 9))],
    )
    result = clock(timeline, D(2026, 10, 10))
    assert (result.due, result.paused_working_days) == (D(2026, 10, 30), 4)
    assert (result.state, result.used, result.left) == (rc.RUNNING, 5, 15)


# ------------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (dict(extension_days=-1), "extension_days"),
        (dict(extension_days=21), "extension_days"),
        (dict(extension_days=True), "extension_days"),
        (dict(extension_days=2.5), "extension_days"),
        (dict(correction_received=D(2026, 2, 12)), "correction_received"),
        (dict(correction_deadline=D(2026, 2, 27)), "correction_deadline"),
        (dict(correction_requested=D(2026, 2, 5)), "correction_requested"),
        (
            dict(correction_requested=D(2026, 2, 11), correction_received=D(2026, 2, 10)),
            "correction_received",
        ),
        (
            dict(correction_requested=D(2026, 2, 11), correction_deadline=D(2026, 2, 10)),
            "correction_deadline",
        ),
        (dict(received=datetime(2026, 2, 9, 10, 0)), "received"),
        (dict(received=None), "received"),
        # a pause ending before it starts
        (dict(pauses=[(rc.FEE, D(2026, 2, 12), D(2026, 2, 11))]), "pauses"),
        # an unknown kind, a malformed pause, a datetime
        (dict(pauses=[("holiday", D(2026, 2, 12), None)]), "pauses"),
        (dict(pauses=[(rc.FEE,)]), "pauses"),
        (dict(pauses=[(rc.FEE, datetime(2026, 2, 12, 9, 0), None)]), "pauses"),
        # a pause before receipt
        (dict(pauses=[(rc.FEE, D(2026, 2, 6), D(2026, 2, 10))]), "pauses"),
        # overlapping pauses (sharing their end and start day), and any after an open one
        (
            dict(
                pauses=[
                    (rc.THIRD_PARTY, D(2026, 2, 10), D(2026, 2, 12)),
                    (rc.FEE, D(2026, 2, 12), D(2026, 2, 13)),
                ]
            ),
            "pauses",
        ),
        (
            dict(
                pauses=[
                    (rc.FEE, D(2026, 3, 2), D(2026, 3, 3)),
                    (rc.OTHER_BODY, D(2026, 2, 10), None),
                ]
            ),
            "pauses",
        ),
        # a pause while the corrected request is awaited, and one before it arrived
        (
            dict(
                correction_requested=D(2026, 2, 10),
                pauses=[(rc.THIRD_PARTY, D(2026, 2, 11), None)],
            ),
            "pauses",
        ),
        (
            dict(
                correction_requested=D(2026, 2, 10),
                correction_received=D(2026, 2, 24),
                pauses=[(rc.THIRD_PARTY, D(2026, 2, 11), D(2026, 2, 12))],
            ),
            "pauses",
        ),
    ],
)
def test_impossible_timelines_are_refused(fields, field):
    with pytest.raises(TimelineError) as caught:
        RequestTimeline(**{"received": D(2026, 2, 9), **fields})
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError) and str(caught.value)


def test_bounds_are_accepted():
    # 0 and 20 extension days; pauses back to back (one ends the day before the next starts);
    # a correction asked, answered and due on the day of receipt.
    RequestTimeline(received=D(2026, 2, 9), extension_days=0)
    RequestTimeline(received=D(2026, 2, 9), extension_days=20)
    RequestTimeline(
        received=D(2026, 2, 9),
        pauses=[
            (rc.THIRD_PARTY, D(2026, 2, 10), D(2026, 2, 11)),
            (rc.FEE, D(2026, 2, 12), None),
        ],
    )
    same_day = D(2026, 2, 9)
    RequestTimeline(
        received=same_day,
        correction_requested=same_day,
        correction_received=same_day,
        correction_deadline=same_day,
    )


def test_pauses_are_kept_in_order():
    later, earlier = (rc.FEE, D(2026, 3, 2), None), (rc.THIRD_PARTY, D(2026, 2, 10), D(2026, 2, 12))
    timeline = RequestTimeline(received=D(2026, 2, 9), pauses=[later, earlier])
    assert [p.kind for p in timeline.pauses] == [rc.THIRD_PARTY, rc.FEE]
    assert all(isinstance(p, Pause) for p in timeline.pauses)


def test_today_must_be_a_date():
    with pytest.raises(TimelineError) as caught:
        reply_clock(RequestTimeline(received=D(2026, 2, 9)), datetime(2026, 2, 9, 8), CALENDAR)
    assert caught.value.field == "today"
