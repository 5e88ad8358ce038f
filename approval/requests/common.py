"""What the register's operations share (``operations``, ``pauses``, ``deliveries``, ``cases``,
``intake``): the permission and state guards, the date checks, the reply clock, the audit reference."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from approval.calendar import current as working_calendar
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.request_clock import ReplyClock, TimelineError, reply_clock
from approval.core.request_vocab import CORRECTION_REQUESTED, PROCESSING, REGISTERED
from approval.extensions import db
from approval.models import Department, InformationRequest


def departments_of(body_id: int) -> list[Department]:
    return list(
        db.session.scalars(
            select(Department)
            .where(Department.body_id == body_id)
            .order_by(Department.position, Department.id)
        )
    )


def guard(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("您没有办理此申请的权限")


def guard_open(request: InformationRequest) -> None:
    if request.state not in (REGISTERED, CORRECTION_REQUESTED, PROCESSING):
        raise Conflict("该申请已办结")


def not_future(day: date, field: str) -> None:
    if day > clock.local_today():
        raise InvalidInput("日期不能晚于今天", field)


def try_timeline(request: InformationRequest, field: str, **changes) -> None:
    """The change must leave dates the clock can count (``RequestTimeline``'s checks)."""
    try:
        request.timeline(**changes)
    except TimelineError as exc:
        if exc.field == "correction_requested":
            raise InvalidInput("告知补正的日期不能早于收到申请之日", field) from exc
        if exc.field == "correction_received":
            raise InvalidInput("收到补正材料的日期不能早于告知补正的日期", field) from exc
        if exc.field == "pauses":
            raise InvalidInput(
                "暂停开始日期不能早于答复期限的起算日，也不能与其他暂停重叠", field
            ) from exc
        raise InvalidInput("日期与本申请的其他日期矛盾", field) from exc


def touch(request: InformationRequest) -> None:
    request.updated_at = clock.utcnow()


def reference(request: InformationRequest) -> dict:
    return {"request_id": request.id, "number": request.number}


def clock_of(request: InformationRequest, today: date | None = None) -> ReplyClock:
    """The reply clock of ``request`` as of ``today`` (the body's local date)."""
    return reply_clock(
        request.timeline(),
        today or clock.local_today(),
        working_calendar.current_calendar(),
    )


def trimmed(value, field: str, maximum: int) -> str | None:
    """The text trimmed, None when blank; too long is refused."""
    value = (value or "").strip()
    if len(value) > maximum:
        raise InvalidInput("内容过长，最多 %(n)s 字", field, n=maximum)
    return value or None
