"""The register's clock stops and ends (依申请公开, 条例 Arts. 30, 31, 32, 42): 补正 asked and
received, pauses (第三方意见征询, 信息处理费) started and ended, the 延期 approved, and a request
closed because the correction lapsed or the fee was not paid. Each one as ``operations``: guard
permission → guard state → guard version → mutate → ``audit.record`` → flush; a date the clock
could not count from is refused before anything changes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from approval.audit import trail as audit
from approval.calendar import current as working_calendar
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput
from approval.core.request_clock import (
    CORRECTION_LAPSED,
    MAX_EXTENSION_WORKING_DAYS,
    OVERDUE,
    fee_payment_due,
)
from approval.core.request_vocab import (
    CLOSED_FEE_UNPAID,
    CLOSED_LAPSED,
    CORRECTABLE_STATES,
    CORRECTION_REQUESTED,
    PAUSE_KINDS,
    PROCESSING,
    REGISTERED,
)
from approval.models import InformationRequest, RequestPause
from approval.models.requests import NOTE_MAX, TEXT_MAX
from approval.permissions import requests as may
from approval.platform.guards import changing
from approval.requests.common import (
    clock_of,
    guard,
    not_future,
    reference,
    touch,
    trimmed,
    try_timeline,
)

# audit actions
CORRECTION_ASKED, CORRECTION_ANSWERED = "request_correction_asked", "request_correction_received"
PAUSE_STARTED, PAUSE_ENDED = "request_pause_started", "request_pause_ended"
EXTENDED = "request_extension_approved"
CLOSED_AS_LAPSED = "request_closed_lapsed"
CLOSED_AS_FEE_UNPAID = "request_closed_fee_unpaid"


def request_correction(
    user, request: InformationRequest, seen, requested_on, missing, deadline
) -> bool:
    """The one 补正 notice (Art. 30): everything missing, and the day the answer is due. Returns
    whether it went out later than the 7th working day after receipt (the page warns)."""
    guard(may.can_manage_request(user, request))
    if request.correction_requested_on is not None:
        raise Conflict("补正只能一次性告知，本申请已告知过补正")
    if request.state not in CORRECTABLE_STATES:
        raise Conflict("该申请当前不能告知补正")
    if request.pauses:
        raise Conflict("已有暂停计时记录的申请不能再告知补正")
    missing = trimmed(missing, "missing", TEXT_MAX)
    if not missing:
        raise InvalidInput("请一次性列明需要补正的全部事项", "missing")
    if requested_on is None:
        raise InvalidInput("请填写告知补正的日期", "requested_on")
    not_future(requested_on, "requested_on")
    if deadline is None:
        raise InvalidInput("请填写补正期限", "deadline")
    if deadline <= requested_on:
        raise InvalidInput("补正期限应晚于告知日期", "deadline")
    try_timeline(
        request,
        "requested_on",
        correction_requested=requested_on,
        correction_deadline=deadline,
    )
    from_state = request.state
    with changing(request, seen):
        request.correction_requested_on = requested_on
        request.correction_items = missing
        request.correction_deadline = deadline
        request.state = CORRECTION_REQUESTED
        touch(request)
    late = clock_of(request).correction_notice_late
    audit.record(
        CORRECTION_ASKED,
        actor=user,
        from_state=from_state,
        to_state=request.state,
        detail={
            **reference(request),
            "requested_on": requested_on.isoformat(),
            "deadline": deadline.isoformat(),
            "missing_chars": len(missing),  # the text stays on the request: it may name people
            "late": late,
        },
    )
    return late


def record_correction(user, request: InformationRequest, seen, received_on) -> None:
    """The corrected request arrived: the reply clock restarts from that day (Art. 30)."""
    guard(may.can_manage_request(user, request))
    if request.state != CORRECTION_REQUESTED:
        raise Conflict("该申请没有等待补正")
    if received_on is None:
        raise InvalidInput("请填写收到补正材料的日期", "received_on")
    not_future(received_on, "received_on")
    try_timeline(request, "received_on", correction_received=received_on)
    # back to 办理中, or to 已登记 when no department was given the request yet
    onward = PROCESSING if request.department_id is not None else REGISTERED
    with changing(request, seen):
        request.correction_received_on = received_on
        request.state = onward
        touch(request)
    audit.record(
        CORRECTION_ANSWERED,
        actor=user,
        from_state=CORRECTION_REQUESTED,
        to_state=onward,
        detail={**reference(request), "received_on": received_on.isoformat()},
    )


def start_pause(
    user, request: InformationRequest, seen, kind, starts_on, note, party=None, amount=None
) -> RequestPause:
    """Stop the clock from ``starts_on`` (that day included): a third party, another body, a fee.
    ``party``: the third party or body consulted (named in the 征询函); ``amount``: the fee
    notified, in yuan (the annual report's 信息处理费), as typed."""
    guard(may.can_pause_request(user, request))
    if request.state != PROCESSING:
        raise Conflict("只有办理中的申请可以暂停计时")
    if request.open_pause is not None:
        raise Conflict("该申请已在暂停计时中，请先结束当前暂停")
    if kind not in PAUSE_KINDS:
        raise InvalidInput("请选择暂停计时的事由", "kind")
    if starts_on is None:
        raise InvalidInput("请填写暂停开始日期", "starts_on")
    not_future(starts_on, "starts_on")
    note = trimmed(note, "note", NOTE_MAX)
    party = trimmed(party, "party", 200) if kind != "fee" else None
    amount = _fee_amount(amount) if kind == "fee" else None
    existing = [(p.kind, p.starts_on, p.ends_on) for p in request.pauses]
    try_timeline(request, "starts_on", pauses=[*existing, (kind, starts_on, None)])
    with changing(request, seen):
        pause = RequestPause(
            kind=kind,
            starts_on=starts_on,
            note=note,
            party=party,
            amount=amount,
            created_by_id=user.id,
        )
        request.pauses.append(pause)
        touch(request)
    audit.record(
        PAUSE_STARTED,
        actor=user,
        detail={
            **reference(request),
            "kind": kind,
            "starts_on": starts_on.isoformat(),
            "note_chars": len(note or ""),
        },
    )
    return pause


def _fee_amount(value) -> Decimal | None:
    """A fee in yuan: blank, or a positive amount with at most two decimals."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount >= 10**10:
        raise InvalidInput("收费金额应为大于0的数字（元）", "amount")
    if amount.as_tuple().exponent < -2:
        raise InvalidInput("收费金额最多保留两位小数", "amount")
    return amount


def end_pause(user, request: InformationRequest, seen, ends_on) -> None:
    """The opinion, the consent or the payment arrived on ``ends_on``: the clock runs again."""
    guard(may.can_pause_request(user, request))
    pause = request.open_pause
    if pause is None:
        raise Conflict("该申请没有进行中的暂停计时")
    if ends_on is None:
        raise InvalidInput("请填写暂停结束日期", "ends_on")
    not_future(ends_on, "ends_on")
    if ends_on < pause.starts_on:
        raise InvalidInput("结束日期不能早于暂停开始日期", "ends_on")
    with changing(request, seen):
        pause.ends_on = ends_on
        touch(request)
    audit.record(
        PAUSE_ENDED,
        actor=user,
        detail={
            **reference(request),
            "kind": pause.kind,
            "starts_on": pause.starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )


def approve_extension(user, request: InformationRequest, seen, days, reason) -> None:
    """延期 (Art. 33 para. 2): once, at most 20 working days, approved by the head of the
    disclosure office before the reply is due."""
    guard(may.can_approve_extension(user, request))
    if request.state not in (REGISTERED, PROCESSING):
        raise Conflict("该申请当前不能延期")
    if request.extension_days:
        raise Conflict("答复期限只能延长一次，本申请已经延期")
    if days is None or not 1 <= days <= MAX_EXTENSION_WORKING_DAYS:
        raise InvalidInput(
            "延长的期限应为 1 到 %(n)s 个工作日", "days", n=MAX_EXTENSION_WORKING_DAYS
        )
    reason = trimmed(reason, "reason", TEXT_MAX)
    if not reason:
        raise InvalidInput("请填写延期理由", "reason")
    if clock_of(request).state == OVERDUE:
        raise Conflict("答复期限已过，不能再延期")
    with changing(request, seen):
        request.extension_days = days
        request.extension_reason = reason
        request.extension_approved_by_id = user.id
        request.extension_approved_on = clock.local_today()
        touch(request)
    audit.record(
        EXTENDED,
        actor=user,
        detail={**reference(request), "days": days, "reason_chars": len(reason)},
    )


def close_lapsed(user, request: InformationRequest, seen) -> None:
    """逾期不补正: no answer to the 补正 notice by the day set; the request is deemed given up
    (Art. 30; annual report table 三 row (六) 1)."""
    guard(may.can_manage_request(user, request))
    if request.state != CORRECTION_REQUESTED or clock_of(request).state != CORRECTION_LAPSED:
        raise Conflict("补正期限尚未届满，不能按逾期不补正结案")
    with changing(request, seen):
        request.state = CLOSED_LAPSED
        request.outcome = "correction_lapsed"
        request.closed_on = clock.local_today()
        touch(request)
    audit.record(
        CLOSED_AS_LAPSED,
        actor=user,
        from_state=CORRECTION_REQUESTED,
        to_state=CLOSED_LAPSED,
        detail={**reference(request), "deadline": request.correction_deadline.isoformat()},
    )


def fee_due(request: InformationRequest):
    """The open fee notice's payment deadline, or None when no fee notice is waiting."""
    pause = request.open_pause
    if pause is None or pause.kind != "fee":
        return None
    return fee_payment_due(pause.starts_on, working_calendar.current_calendar())


def close_fee_unpaid(user, request: InformationRequest, seen) -> None:
    """逾期未缴费: the fee notified was not paid within its period; the request is no longer
    handled (国办函〔2020〕109号; annual report table 三 row (六) 2). The fee pause stays open:
    it never ended with a payment."""
    guard(may.can_manage_request(user, request))
    due = fee_due(request) if request.state == PROCESSING else None
    if due is None or clock.local_today() <= due:
        raise Conflict("没有已过缴费期限的收费通知，不能按逾期未缴费结案")
    with changing(request, seen):
        request.state = CLOSED_FEE_UNPAID
        request.outcome = "fee_unpaid"
        request.closed_on = clock.local_today()
        touch(request)
    audit.record(
        CLOSED_AS_FEE_UNPAID,
        actor=user,
        from_state=PROCESSING,
        to_state=CLOSED_FEE_UNPAID,
        detail={
            **reference(request),
            "notice_on": request.open_pause.starts_on.isoformat(),
            "pay_by": due.isoformat(),
        },
    )
