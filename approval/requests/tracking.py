"""The portal's tracker (issue 28, "Tracking on the portal"): an applicant finds their request by
its 查询码 and their name, and reads its state, its dates and the documents sent to them.

``find`` looks the request up by the code's hash within the body, compares the hash again in
constant time and the name exactly (after trimming); a wrong code and a wrong name are the same
None, so the page cannot tell which was wrong. ``public_status`` is all the tracker shows: a
plain record built from the request, so that the page can show nothing else of it: not the
applicant's ID number or contact details, not the department or the staff who handle it, not
their notes (the pause's note, the extension's reason, a delivery's note or proof file).

A lookup is the applicant reading their own request: it is not audited (the form is
rate-limited instead: ``RATELIMIT_TRACKER``).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from approval.core.msgids import N_
from approval.core.request_clock import PAUSED
from approval.core.request_vocab import (
    ANSWERED,
    CLOSED_FEE_UNPAID,
    CLOSED_LAPSED,
    CORRECTION_REQUESTED,
    DELIVERY_METHODS,
    DOCUMENTS,
    OPEN_STATES,
    PROCESSING,
    REGISTERED,
    SUBMITTED,
)
from approval.extensions import db
from approval.models import InformationRequest
from approval.requests.common import clock_of
from approval.requests.intake import tracking_code_hash

# the states as the applicant reads them
PUBLIC_STATES = {
    SUBMITTED: N_("已提交，等待受理机关确认收到"),
    REGISTERED: N_("已收到，正在办理"),
    PROCESSING: N_("正在办理"),
    CORRECTION_REQUESTED: N_("需要补正"),
    ANSWERED: N_("已答复"),
    CLOSED_LAPSED: N_("已终止（逾期未补正）"),
    CLOSED_FEE_UNPAID: N_("已终止（逾期未缴纳信息处理费）"),
}
IN_HAND = N_("正在办理")  # a state this list does not know yet
# documents the applicant was sent (the third party's letter went to the third party)
TO_APPLICANT = ("reply", "correction", "extension")
NO_HASH = "0" * 64


def find(body_id: int, code: str | None, name: str | None) -> InformationRequest | None:
    """The body's request with this 查询码 and applicant name, else None (whichever was wrong)."""
    digest = tracking_code_hash(code)
    found = db.session.scalar(
        select(InformationRequest).where(
            InformationRequest.tracking_code_hash == digest,
            InformationRequest.body_id == body_id,
        )
    )
    stored_hash = found.tracking_code_hash if found is not None else NO_HASH
    stored_name = found.applicant_name if found is not None else ""
    code_ok = hmac.compare_digest(stored_hash, digest)
    name_ok = hmac.compare_digest(stored_name.encode(), (name or "").strip().encode())
    return found if found is not None and code_ok and name_ok else None


@dataclass(frozen=True)
class Correction:
    requested_on: date
    items: str | None
    deadline: date | None
    received_on: date | None


@dataclass(frozen=True)
class Document:
    name: str  # msgids (request_vocab), translated where shown
    method: str
    delivered_on: date


@dataclass(frozen=True)
class PublicStatus:
    """What the tracker shows of one request; nothing else of it reaches the page."""

    number: str
    state: str  # the public wording (a msgid)
    is_closed: bool
    submitted_on: date | None
    received_on: date | None
    due: date | None  # the reply's due day while the clock runs
    clock_note: str | None  # instead of a due day: why there is none (a msgid)
    correction: Correction | None
    extension_days: int
    closed_on: date | None
    documents: list[Document]


def public_status(request: InformationRequest, today: date) -> PublicStatus:
    due, note = None, None
    if request.state == SUBMITTED:
        note = N_("自受理机关确认收到申请之日起计算")
    elif request.state in OPEN_STATES:
        reply_clock = clock_of(request, today)
        if reply_clock.state == PAUSED:
            note = N_("暂停计时")
        elif reply_clock.due is None:
            note = N_("自收到补正材料之日起重新计算")
        else:
            due = reply_clock.due
    correction = None
    if request.correction_requested_on is not None:
        correction = Correction(
            request.correction_requested_on,
            request.correction_items,
            request.correction_deadline,
            request.correction_received_on,
        )
    return PublicStatus(
        number=request.number,
        state=PUBLIC_STATES.get(request.state, IN_HAND),
        is_closed=request.state not in OPEN_STATES and request.state != SUBMITTED,
        submitted_on=request.submitted_on,
        received_on=request.received_on,
        due=due,
        clock_note=note,
        correction=correction,
        extension_days=request.extension_days or 0,
        closed_on=request.closed_on,
        documents=[
            Document(DOCUMENTS[d.document], DELIVERY_METHODS.get(d.method, ""), d.delivered_on)
            for d in request.deliveries
            if d.document in TO_APPLICANT
        ],
    )
