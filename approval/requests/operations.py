"""The register's state changes (依申请公开). Each one: guard permission → guard state → guard
version (``guards.changing``) → mutate → ``audit.record`` → flush; never commit. A date the
clock could not count from (``core.request_clock.TimelineError``) is refused as InvalidInput
before anything changes: the change is tried on the request's timeline first.

The audit entries name the request (id and 申请编号) and what changed, never the applicant's
personal data: the audit admin reads the trail, and the applicant's name and ID number are for
the people handling the request (the register's pages) only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from approval.audit import trail as audit
from approval.calendar import current as working_calendar
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from approval.core.request_clock import (
    CORRECTION_LAPSED,
    MAX_EXTENSION_WORKING_DAYS,
    OVERDUE,
    ReplyClock,
    TimelineError,
    fee_payment_due,
    reply_clock,
)
from approval.core.request_receipt import ReceiptError, receipt_day
from approval.core.request_vocab import (
    APPLICANT_KINDS,
    CHANNELS,
    CLOSED_FEE_UNPAID,
    CLOSED_LAPSED,
    CORRECTABLE_STATES,
    CORRECTION_REQUESTED,
    ID_TYPES,
    ORAL,
    ORGANISATION_KINDS,
    PAUSE_KINDS,
    PERSON,
    PICKUP_METHODS,
    PROCESSING,
    PROVISION_FORMS,
    REGISTERED,
)
from approval.extensions import db
from approval.models import Department, InformationRequest, RequestPause, RequestSequence
from approval.models.requests import NOTE_MAX, REQUEST_NUMBER_PATTERN, TEXT_MAX
from approval.permissions import requests as may
from approval.platform.guards import changing

# audit actions
REGISTERED_ACTION = "request_registered"
VIEWED = "request_viewed"
ASSIGNED, TRANSFERRED = "request_assigned", "request_transferred"
CORRECTION_ASKED, CORRECTION_ANSWERED = "request_correction_asked", "request_correction_received"
PAUSE_STARTED, PAUSE_ENDED = "request_pause_started", "request_pause_ended"
EXTENDED = "request_extension_approved"
CLOSED_AS_LAPSED = "request_closed_lapsed"
CLOSED_AS_FEE_UNPAID = "request_closed_fee_unpaid"

CREDIT_CODE_LENGTH = 18


@dataclass
class NewRequest:
    """What the staff entry form (and later the portal's form) gives."""

    applicant_kind: str = PERSON
    applicant_name: str = ""
    id_type: str | None = None
    id_number: str | None = None
    credit_code: str | None = None
    legal_representative: str | None = None
    contact_person: str | None = None
    organisation_kind: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    postcode: str | None = None
    description: str = ""
    purpose: str | None = None
    provision: str = "paper"
    pickup: str = "collect"
    channel: str = ""
    submitted_on: date | None = None
    signed_for_on: date | None = None
    confirmed_on: date | None = None
    applicant_confirmed: bool = False


# ------------------------------------------------------------------------------ reading


def clock_of(request: InformationRequest, today: date | None = None) -> ReplyClock:
    """The reply clock of ``request`` as of ``today`` (the body's local date)."""
    return reply_clock(
        request.timeline(),
        today or clock.local_today(),
        working_calendar.current_calendar(),
    )


def record_view(user, request: InformationRequest) -> None:
    """Every staff read of a request's page is audited (issue 28, "Privacy")."""
    if not may.can_view_request(user, request):
        raise NotFound("申请不存在")
    audit.record(VIEWED, actor=user, detail=reference(request))


# ------------------------------------------------------------------------------ registering


def register(user, given: NewRequest) -> InformationRequest:
    """Enter a request received by the office. InvalidInput names the field at fault."""
    if not may.can_register_requests(user):
        raise PermissionDenied("只有党政办公室的信息公开工作人员可以登记申请")
    values = checked(given)
    received_on = receipt_day_of(values)
    request = InformationRequest(
        body_id=user.body_id,
        number=next_number(user.body_id, clock.local_today().year),
        state=REGISTERED,
        received_on=received_on,
        registered_by_id=user.id,
        **values,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        REGISTERED_ACTION,
        actor=user,
        to_state=REGISTERED,
        detail={
            **reference(request),
            "channel": request.channel,
            "applicant_kind": request.applicant_kind,
            "received_on": received_on.isoformat(),
        },
    )
    return request


def trimmed(value, field: str, maximum: int) -> str | None:
    """The text trimmed, None when blank; too long is refused."""
    value = (value or "").strip()
    if len(value) > maximum:
        raise InvalidInput("内容过长，最多 %(n)s 字", field, n=maximum)
    return value or None


def checked(given: NewRequest) -> dict:
    """The columns of a new request from the form, checked; what the kind does not use is None."""
    v = {f.name: getattr(given, f.name) for f in fields(given)}
    kind = v["applicant_kind"]
    if kind not in APPLICANT_KINDS:
        raise InvalidInput("请选择申请人类型", "applicant_kind")
    v["applicant_name"] = trimmed(v["applicant_name"], "applicant_name", 100)
    if not v["applicant_name"]:
        if kind == PERSON:
            raise InvalidInput("请填写申请人姓名", "applicant_name")
        raise InvalidInput("请填写法人或其他组织名称", "applicant_name")
    if kind == PERSON:
        _check_person(v)
    else:
        _check_organisation(v)
    for name in ("phone", "email", "address"):
        v[name] = trimmed(v[name], name, 200)
    v["postcode"] = trimmed(v["postcode"], "postcode", 16)
    if not (v["phone"] or v["email"] or v["address"]):
        raise InvalidInput("请至少填写一种联系方式（电话、电子邮箱或通信地址）", "phone")
    v["description"] = trimmed(v["description"], "description", TEXT_MAX)
    if not v["description"]:
        raise InvalidInput(
            "请填写所需政府信息的名称、文号或便于查询的其他特征性描述", "description"
        )
    v["purpose"] = trimmed(v["purpose"], "purpose", TEXT_MAX)
    if v["provision"] not in PROVISION_FORMS:
        raise InvalidInput("请选择提供方式", "provision")
    if v["pickup"] not in PICKUP_METHODS:
        raise InvalidInput("请选择获取方式", "pickup")
    if v["pickup"] == "email" and not v["email"]:
        raise InvalidInput("选择以电子邮件获取的，请填写电子邮箱", "email")
    if v["pickup"] == "post" and not v["address"]:
        raise InvalidInput("选择邮寄的，请填写通信地址", "address")
    if v["channel"] not in CHANNELS:
        raise InvalidInput("请选择申请方式", "channel")
    if v["channel"] == ORAL and not v["applicant_confirmed"]:
        raise InvalidInput(
            "口头申请须由工作人员代为填写，并经申请人确认后登记", "applicant_confirmed"
        )
    v["applicant_confirmed"] = bool(v["applicant_confirmed"])
    return v


def _check_person(v: dict) -> None:
    if v["id_type"] not in ID_TYPES:
        raise InvalidInput("请选择证件类型", "id_type")
    v["id_number"] = trimmed(v["id_number"], "id_number", 64)
    if not v["id_number"]:
        raise InvalidInput("请填写证件号码", "id_number")
    for name in ("credit_code", "legal_representative", "contact_person", "organisation_kind"):
        v[name] = None


def _check_organisation(v: dict) -> None:
    code = (v["credit_code"] or "").strip().upper()
    if not code:
        raise InvalidInput("请填写统一社会信用代码", "credit_code")
    if len(code) != CREDIT_CODE_LENGTH or not code.isalnum():
        raise InvalidInput("统一社会信用代码应为18位数字或字母", "credit_code")
    v["credit_code"] = code
    v["legal_representative"] = trimmed(v["legal_representative"], "legal_representative", 100)
    if not v["legal_representative"]:
        raise InvalidInput("请填写法定代表人或负责人", "legal_representative")
    v["contact_person"] = trimmed(v["contact_person"], "contact_person", 100)
    if not v["contact_person"]:
        raise InvalidInput("请填写联系人", "contact_person")
    if v["organisation_kind"] not in ORGANISATION_KINDS:
        raise InvalidInput("请选择组织类型", "organisation_kind")
    v["id_type"] = v["id_number"] = None


def receipt_day_of(v: dict) -> date:
    try:
        day = receipt_day(
            v["channel"],
            submitted_on=v["submitted_on"],
            signed_for_on=v["signed_for_on"],
            confirmed_on=v["confirmed_on"],
        )
    except ReceiptError as exc:
        if exc.field in ("signed_for_on", "confirmed_on") and v[exc.field] is not None:
            raise InvalidInput("签收或确认日期不能早于提交日期", exc.field) from exc
        if exc.field == "submitted_on":
            raise InvalidInput("请填写提交日期", exc.field) from exc
        if exc.field == "signed_for_on":
            raise InvalidInput("挂号信请填写签收日期", exc.field) from exc
        raise InvalidInput("请填写确认收到申请的日期", exc.field) from exc
    today = clock.local_today()
    for name in ("submitted_on", "signed_for_on", "confirmed_on"):
        if v[name] is not None and v[name] > today:
            raise InvalidInput("日期不能晚于今天", name)
    return day


def next_number(body_id: int, year: int) -> str:
    """The next 申请编号 of the body's year, taken atomically as the 索引号 is."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(RequestSequence)
        .values(body_id=body_id, year=year, last_seq=1)
        .on_conflict_do_update(
            index_elements=["body_id", "year"], set_={"last_seq": RequestSequence.last_seq + 1}
        )
        .returning(RequestSequence.last_seq)
    )
    seq = db.session.execute(statement).scalar_one()
    return REQUEST_NUMBER_PATTERN.format(year=year, seq=seq)


# ------------------------------------------------------------------------------ handling


def assign(user, request: InformationRequest, seen, department_id: int | None) -> None:
    """Give the request to the department that holds the information, or 转办 it to another."""
    guard(may.can_manage_request(user, request))
    _guard_open(request)
    department = db.session.get(Department, department_id) if department_id else None
    if department is None or department.body_id != request.body_id:
        raise InvalidInput("请选择承办科室", "department_id")
    if department.id == request.department_id:
        raise InvalidInput("该申请已由此科室办理", "department_id")
    before = request.department
    from_state = request.state
    with changing(request, seen):
        request.department = department
        if request.state == REGISTERED:
            request.state = PROCESSING
        touch(request)
    audit.record(
        TRANSFERRED if before is not None else ASSIGNED,
        actor=user,
        from_state=from_state,
        to_state=request.state,
        detail={
            **reference(request),
            "from_department": before.name if before else None,
            "to_department": department.name,
        },
    )


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
    _try_timeline(
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
    _try_timeline(request, "received_on", correction_received=received_on)
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
    _try_timeline(request, "starts_on", pauses=[*existing, (kind, starts_on, None)])
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


# ------------------------------------------------------------------------------ helpers


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


def _guard_open(request: InformationRequest) -> None:
    if request.state not in (REGISTERED, CORRECTION_REQUESTED, PROCESSING):
        raise Conflict("该申请已办结")


def not_future(day: date, field: str) -> None:
    if day > clock.local_today():
        raise InvalidInput("日期不能晚于今天", field)


def _try_timeline(request: InformationRequest, field: str, **changes) -> None:
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
