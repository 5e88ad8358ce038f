"""依申请公开 filed on the portal (issue 28, "Intake"), and the office confirming its receipt.

A request filed on the portal is checked by the very rules of the staff entry
(``operations.checked``: one set of checks, one set of Chinese messages) and stored as
SUBMITTED: channel "online", submitted today, with no day of receipt and no one who registered
it. Art. 31 (三): a request made over the internet is received on the day the body confirms it,
so the reply clock starts only when the office confirms receipt in the register
(``confirm_receipt``); until then the register shows it as 待确认收到.

The applicant gets a 查询码 (``new_tracking_code``): 12 characters drawn with ``secrets`` from an
alphabet without look-alikes (no 0/O, 1/I/L), grouped by four for reading aloud, about 59 bits.
Only its SHA-256 is stored (``tracking_code_hash``); the code itself is shown once, on the page
after the form, and is never logged, audited or put in a URL.

The audit entries name the request (id, 申请编号, channel) and never the applicant's personal data
(see ``operations``). The portal's filing has no user: its entry is the portal's
(``actor_username`` "portal") and belongs to the body.

Spam: there is deliberately no way to delete a filing (a request is a record; the annual report
counts requests, and 不予处理 has its own rows in table 三). A filing that is no request at all
stays 待确认收到 for now; closing such a filing (with its reason, audited, never deleted) is
still to be decided. The form's rate limit (``RATELIMIT_REQUEST_FORM``) bounds how many there are.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import replace

from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput
from approval.core.request_vocab import ONLINE, REGISTERED, SUBMITTED
from approval.extensions import db
from approval.models import InformationRequest
from approval.permissions import requests as may
from approval.platform.guards import changing
from approval.requests import operations as ops

# audit actions
FILED_ONLINE = "request_filed_online"
RECEIPT_CONFIRMED = "request_receipt_confirmed"
PORTAL_ACTOR = "portal"  # the audit entry's actor for a filing on the portal (no user)

TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
TRACKING_LENGTH, TRACKING_GROUP = 12, 4


def new_tracking_code() -> str:
    """A fresh 查询码, e.g. "K7QM-3XPA-92HD"."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return "-".join(raw[i : i + TRACKING_GROUP] for i in range(0, TRACKING_LENGTH, TRACKING_GROUP))


def tracking_code_hash(code: str | None) -> str:
    """The SHA-256 (hex) of a 查询码 as typed: full-width characters made half-width (NFKC), upper
    case, and anything but letters and digits (the hyphens, spaces) left out, so "k7qm 3xpa 92hd"
    and "K7QM-3XPA-92HD" are one code."""
    text = unicodedata.normalize("NFKC", code or "").upper()
    kept = "".join(c for c in text if c.isascii() and c.isalnum())
    return hashlib.sha256(kept.encode()).hexdigest()


def file_online(body, given: ops.NewRequest) -> tuple[InformationRequest, str]:
    """File ``given`` on ``body``'s portal: the stored request (SUBMITTED, not yet received) and its
    查询码 (to show once). InvalidInput names the field at fault, as for the staff entry."""
    today = clock.local_today()
    online = replace(
        given,
        channel=ONLINE,
        submitted_on=today,
        signed_for_on=None,
        confirmed_on=None,
        applicant_confirmed=False,
    )
    values = ops.checked(online)
    code = new_tracking_code()
    request = InformationRequest(
        body_id=body.id,
        number=ops.next_number(body.id, today.year),
        state=SUBMITTED,
        received_on=None,  # Art. 31: the day the office confirms receipt
        registered_by_id=None,
        tracking_code_hash=tracking_code_hash(code),
        **values,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        FILED_ONLINE,
        actor_username=PORTAL_ACTOR,
        body_id=body.id,
        to_state=SUBMITTED,
        detail={**ops.reference(request), "channel": ONLINE},
    )
    return request, code


def confirm_receipt(user, request: InformationRequest, seen, confirmed_on) -> None:
    """The office confirms it received the online request on ``confirmed_on`` (no earlier than it
    was filed, not in the future): that is the day of receipt (Art. 31), the request enters the
    register (REGISTERED, registered by ``user``) and the reply clock starts."""
    ops.guard(may.can_manage_request(user, request))
    if request.state != SUBMITTED:
        raise Conflict("该申请已确认收到")
    if confirmed_on is None:
        raise InvalidInput("请填写确认收到申请的日期", "confirmed_on")
    if request.submitted_on is not None and confirmed_on < request.submitted_on:
        raise InvalidInput(
            "确认收到的日期不能早于提交申请的日期（%(day)s）",
            "confirmed_on",
            day=request.submitted_on.isoformat(),
        )
    received_on = ops.receipt_day_of(
        {
            "channel": request.channel,
            "submitted_on": request.submitted_on,
            "signed_for_on": request.signed_for_on,
            "confirmed_on": confirmed_on,
        }
    )  # refuses a day in the future
    with changing(request, seen):
        request.confirmed_on = confirmed_on
        request.received_on = received_on
        request.registered_by_id = user.id
        request.state = REGISTERED
        ops.touch(request)
    audit.record(
        RECEIPT_CONFIRMED,
        actor=user,
        from_state=SUBMITTED,
        to_state=REGISTERED,
        detail={
            **ops.reference(request),
            "confirmed_on": confirmed_on.isoformat(),
            "received_on": received_on.isoformat(),
        },
    )
