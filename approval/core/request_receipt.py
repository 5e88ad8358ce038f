"""The day of receipt of a request for government information (《政府信息公开条例》 Art. 31), as a
pure function of the channel it came by and that channel's dates. No Flask, no database.

Art. 31:

- (一) handed in at the counter (当面提交): the day it is handed in (``submitted_on``);
- (二) by post that is signed for (挂号信, EMS …): the day the body signs for it
  (``signed_for_on``); by post that needs no signature (平信): the disclosure office confirms
  receipt with the applicant on the day it arrives, and the day of that confirmation is the day
  of receipt (``confirmed_on``);
- (三) over the internet (网上申请, 电子邮件) or by the office's fax: the day both sides confirm
  it (``confirmed_on``). Online requests are confirmed in the register.

An oral request (Art. 29: 书面申请确有困难的) is written down by the office and confirmed by the
applicant; it is then a request handed in at the counter, received on the day the applicant
confirms the written record (``confirmed_on``): before that there is no request to count from.

The dates must be in order: a letter is signed for, and a request confirmed, no earlier than it
was sent or handed in (``submitted_on``, when given). Whether a date lies in the future is the
register's question (it knows today).
"""

from __future__ import annotations

from datetime import date, datetime

from approval.core.request_vocab import (
    CHANNELS,
    EMAIL,
    FAX,
    IN_PERSON,
    ONLINE,
    ORAL,
    ORDINARY_POST,
    REGISTERED_POST,
)

# which date is the day of receipt, per channel
RECEIPT_DATE = {
    IN_PERSON: "submitted_on",
    REGISTERED_POST: "signed_for_on",
    ORDINARY_POST: "confirmed_on",
    FAX: "confirmed_on",
    EMAIL: "confirmed_on",
    ONLINE: "confirmed_on",
    ORAL: "confirmed_on",
}


class ReceiptError(ValueError):
    """Dates that give no day of receipt; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def _is_date(value) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def receipt_day(
    channel: str,
    *,
    submitted_on: date | None = None,
    signed_for_on: date | None = None,
    confirmed_on: date | None = None,
) -> date:
    """The day of receipt (Art. 31) of a request that came by ``channel`` (a code of
    ``request_vocab.CHANNELS``). Raises ReceiptError naming the missing or impossible date."""
    if channel not in CHANNELS:
        raise ReceiptError(f"unknown channel {channel!r}", "channel")
    given = {
        "submitted_on": submitted_on,
        "signed_for_on": signed_for_on,
        "confirmed_on": confirmed_on,
    }
    for name, value in given.items():
        if value is not None and not _is_date(value):
            raise ReceiptError(f"{name} must be a date, not {type(value).__name__}", name)
    wanted = RECEIPT_DATE[channel]
    day = given[wanted]
    if day is None:
        raise ReceiptError(f"a request by {channel} needs {wanted}", wanted)
    for name in ("signed_for_on", "confirmed_on"):
        later = given[name]
        if later is not None and submitted_on is not None and later < submitted_on:
            raise ReceiptError(f"{name} ({later}) is before submitted_on ({submitted_on})", name)
    return day
