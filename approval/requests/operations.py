"""The register's state changes (依申请公开). Each one: guard permission → guard state → guard
version (``guards.changing``) → mutate → ``audit.record`` → flush; never commit. A date the
clock could not count from (``core.request_clock.TimelineError``) is refused as InvalidInput
before anything changes: the change is tried on the request's timeline first.

Here: registering, viewing and assigning a request. The clock's stops and ends (补正, pauses, 延期,
closing a lapsed or unpaid request) are in ``pauses``, the shared guards in ``common``; both are
importable from here, the register's one entry point.

The audit entries name the request (id and 申请编号) and what changed, never the applicant's
personal data: the audit admin reads the trail, and the applicant's name and ID number are for
the people handling the request (the register's pages) only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import InvalidInput, NotFound, PermissionDenied
from approval.core.request_receipt import ReceiptError, receipt_day
from approval.core.request_vocab import (
    APPLICANT_KINDS,
    CHANNELS,
    ID_TYPES,
    ORAL,
    ORGANISATION_KINDS,
    PERSON,
    PICKUP_METHODS,
    PROCESSING,
    PROVISION_FORMS,
    REGISTERED,
)
from approval.extensions import db
from approval.models import Department, InformationRequest, RequestSequence
from approval.models.requests import REQUEST_NUMBER_PATTERN, TEXT_MAX
from approval.permissions import requests as may
from approval.platform.guards import changing
from approval.requests.common import (  # noqa: F401 (the helpers' callers import them from here too)
    clock_of,
    departments_of,
    guard,
    guard_open,
    not_future,
    reference,
    touch,
    trimmed,
    try_timeline,
)
from approval.requests.pauses import (  # noqa: F401 (operations is the register's entry point)
    CLOSED_AS_FEE_UNPAID,
    CLOSED_AS_LAPSED,
    CORRECTION_ANSWERED,
    CORRECTION_ASKED,
    EXTENDED,
    PAUSE_ENDED,
    PAUSE_STARTED,
    approve_extension,
    close_fee_unpaid,
    close_lapsed,
    end_pause,
    fee_due,
    record_correction,
    request_correction,
    start_pause,
)

# audit actions
REGISTERED_ACTION = "request_registered"
VIEWED = "request_viewed"
ASSIGNED, TRANSFERRED = "request_assigned", "request_transferred"

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
    guard_open(request)
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
