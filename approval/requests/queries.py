"""The register's read side: its list (a body's requests the user may see, by state, newest
first, keyset-paged), the standing of each request's clock as the lists show it, and the actions
a request's page offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.orm import joinedload

from approval.core.clock import local_today
from approval.core.request_clock import CORRECTION_LAPSED, OVERDUE, PAUSED, ReplyClock
from approval.core.request_vocab import (
    CORRECTABLE_STATES,
    CORRECTION_REQUESTED,
    OPEN_STATES,
    PROCESSING,
    REGISTERED,
    REQUEST_STATES,
    SUBMITTED,
)
from approval.extensions import db
from approval.models import InformationRequest
from approval.permissions import requests as may
from approval.platform.paging import cursor_of, parse_cursor
from approval.requests.common import clock_of
from approval.requests.pauses import fee_due

PAGE_SIZE = 50
DUE_SOON = 5  # working days left at which the reply is flagged (as the 公开期限)


@dataclass(frozen=True)
class Standing:
    """How a list shows one request's clock: a badge level (the 公开期限's classes) and text."""

    level: str  # overdue | due_soon | on_time | paused | waiting | unconfirmed | closed
    clock: ReplyClock | None

    @property
    def late_by(self) -> int:
        return max(0, -(self.clock.left or 0)) if self.clock else 0


def standing(info_request: InformationRequest, today: date) -> Standing:
    if info_request.state == SUBMITTED:
        return Standing("unconfirmed", None)  # the clock starts when the office confirms receipt
    if info_request.state not in OPEN_STATES:
        return Standing("closed", None)
    clock = clock_of(info_request, today)
    if clock.state == OVERDUE:
        return Standing("overdue", clock)
    if clock.state == CORRECTION_LAPSED:
        return Standing("overdue", clock)
    if clock.due is None and clock.left is None:
        return Standing("waiting", clock)  # a 补正 is awaited
    if clock.state == PAUSED or clock.due is None:
        return Standing("paused", clock)
    return Standing("due_soon" if clock.left <= DUE_SOON else "on_time", clock)


@dataclass
class RegisterPage:
    rows: list[tuple[InformationRequest, Standing]]
    next_cursor: str | None
    state: str | None


def register_page(user, state: str | None, cursor: str | None, today: date) -> RegisterPage:
    if state not in REQUEST_STATES:
        state = None
    query = (
        select(InformationRequest)
        .where(may.visible_requests(user))
        .options(joinedload(InformationRequest.department))
        .order_by(InformationRequest.created_at.desc(), InformationRequest.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if state:
        query = query.where(InformationRequest.state == state)
    after = parse_cursor(cursor)
    if after:
        query = query.where(
            tuple_(InformationRequest.created_at, InformationRequest.id) < tuple_(*after)
        )
    found = list(db.session.scalars(query))
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return RegisterPage(
        [(r, standing(r, today)) for r in found],
        cursor_of(found[-1], "created_at") if more else None,
        state,
    )


def offered(user, info_request: InformationRequest, clock: ReplyClock | None) -> set[str]:
    """The action forms the request's page shows this user (the operations decide again)."""
    actions = set()
    state, manage = info_request.state, may.can_manage_request(user, info_request)
    if manage and state == SUBMITTED:
        actions.add("confirm_receipt")  # receipt_routes.py
    if manage and state in OPEN_STATES:
        actions.add("assign")
    if (
        manage
        and state in CORRECTABLE_STATES
        and info_request.correction_requested_on is None
        and not info_request.pauses
    ):
        actions.add("correction")
    if manage and state == CORRECTION_REQUESTED:
        actions.add("corrected")
        if clock is not None and clock.state == CORRECTION_LAPSED:
            actions.add("close_lapsed")
    fee_pay_by = fee_due(info_request) if manage and state == PROCESSING else None
    if fee_pay_by is not None and fee_pay_by < (clock.today if clock else local_today()):
        actions.add("close_fee_unpaid")
    if may.can_pause_request(user, info_request) and state == PROCESSING:
        actions.add("end_pause" if info_request.open_pause else "pause")
    if (
        may.can_approve_extension(user, info_request)
        and state in (REGISTERED, PROCESSING)
        and not info_request.extension_days
        and (clock is None or clock.state != "overdue")
    ):
        actions.add("extension")
    return actions
