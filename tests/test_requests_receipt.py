"""The day of receipt of a request (条例 Art. 31), a pure function of the channel and its dates
(approval/core/request_receipt.py): hand-computed cases, one per channel, and the refusals."""

from __future__ import annotations

from datetime import date

import pytest

from approval.core.request_receipt import RECEIPT_DATE, ReceiptError, receipt_day
from approval.core.request_vocab import CHANNELS

# a letter posted on Friday 2026-09-25, signed for on Monday 2026-09-28; an e-mail sent on
# Wednesday 2026-09-30 and confirmed after 国庆 on Thursday 2026-10-08
POSTED, SIGNED = date(2026, 9, 25), date(2026, 9, 28)
SENT, CONFIRMED = date(2026, 9, 30), date(2026, 10, 8)


def test_every_channel_names_the_date_that_decides():
    assert set(RECEIPT_DATE) == set(CHANNELS)


def test_in_person_is_the_day_it_is_handed_in():
    assert receipt_day("in_person", submitted_on=date(2026, 10, 12)) == date(2026, 10, 12)


def test_registered_post_is_the_day_the_body_signs_for_it():
    assert receipt_day("registered_post", submitted_on=POSTED, signed_for_on=SIGNED) == SIGNED


def test_registered_post_signed_for_on_a_holiday_is_that_day():
    # signed for on 国庆 (the counter is staffed): the day of receipt is that day, and the clock
    # (core.request_clock) starts counting on the next working day
    day = date(2026, 10, 3)
    assert receipt_day("registered_post", signed_for_on=day) == day


@pytest.mark.parametrize("channel", ["ordinary_post", "fax", "email", "online"])
def test_other_channels_are_the_day_receipt_is_confirmed(channel):
    assert receipt_day(channel, submitted_on=SENT, confirmed_on=CONFIRMED) == CONFIRMED


def test_an_oral_request_is_received_when_the_applicant_confirms_the_record():
    told, confirmed = date(2026, 10, 12), date(2026, 10, 14)  # written down Mon, confirmed Wed
    assert receipt_day("oral", submitted_on=told, confirmed_on=confirmed) == confirmed


@pytest.mark.parametrize(
    ("channel", "given", "field"),
    [
        ("in_person", {}, "submitted_on"),
        ("registered_post", {"submitted_on": POSTED}, "signed_for_on"),
        ("ordinary_post", {"submitted_on": POSTED}, "confirmed_on"),
        ("online", {}, "confirmed_on"),
        ("oral", {"submitted_on": POSTED}, "confirmed_on"),
        ("registered_post", {"submitted_on": SIGNED, "signed_for_on": POSTED}, "signed_for_on"),
        ("email", {"submitted_on": CONFIRMED, "confirmed_on": SENT}, "confirmed_on"),
        ("carrier_pigeon", {"submitted_on": POSTED}, "channel"),
        ("in_person", {"submitted_on": "2026-10-12"}, "submitted_on"),
    ],
)
def test_missing_or_impossible_dates_are_refused_naming_the_field(channel, given, field):
    with pytest.raises(ReceiptError) as refused:
        receipt_day(channel, **given)
    assert refused.value.field == field
