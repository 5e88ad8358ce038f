"""复议/诉讼 case log: the 行政复议 and 行政诉讼 brought over a request, and their results, as
the annual report's table 四 counts them (国办公开办函〔2021〕30号, 四、政府信息公开行政复议、
行政诉讼情况).

The office (``may.can_manage_request``) adds a case to a request once it was answered or closed
(a review or a suit is brought against the reply, or against the closing), and records its result
later: 结果维持, 结果纠正 or 其他结果; until then it is 尚未审结. Each change: guard permission →
guard state → guard input → guard version (``changing``: the request's version when adding, the
case's own when deciding) → mutate → ``audit.record`` → flush; never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.request_vocab import CASE_KINDS, CASE_RESULTS, CLOSED_STATES
from approval.extensions import db
from approval.models import InformationRequest, RequestCase
from approval.models.requests import CONTACT_MAX, NOTE_MAX
from approval.permissions import requests as may
from approval.platform.guards import changing
from approval.requests.common import not_future, reference, touch, trimmed

CASE_ADDED, CASE_DECIDED = "request_case_added", "request_case_decided"
REVIEW, LITIGATION = "review", "litigation"
PENDING = "pending"
DECIDED_RESULTS = tuple(r for r in CASE_RESULTS if r != PENDING)  # upheld, corrected, other
CASE_NUMBER_MAX = 100


def add_case(
    user,
    request: InformationRequest,
    seen,
    kind,
    after_review,
    filed_on,
    authority,
    case_number,
    note,
) -> RequestCase:
    """A 行政复议 or 行政诉讼 (``after_review``: 复议后起诉) filed on ``filed_on``."""
    if not may.can_manage_request(user, request):
        raise PermissionDenied("只有党政办公室可以登记行政复议和行政诉讼")
    if request.state not in CLOSED_STATES:
        raise Conflict("只有已答复或已办结的申请可以登记行政复议或行政诉讼")
    if kind not in CASE_KINDS:
        raise InvalidInput("请选择行政复议或行政诉讼", "kind")
    after_review = bool(after_review)
    if kind == REVIEW and after_review:
        raise InvalidInput("“复议后起诉”只适用于行政诉讼", "after_review")
    if filed_on is None:
        raise InvalidInput("请填写申请复议或起诉的日期", "filed_on")
    not_future(filed_on, "filed_on")
    if request.received_on is not None and filed_on < request.received_on:
        raise InvalidInput("申请复议或起诉的日期不能早于收到申请之日", "filed_on")
    authority = trimmed(authority, "authority", CONTACT_MAX)
    if not authority:
        raise InvalidInput("请填写复议机关或人民法院", "authority")
    case_number = trimmed(case_number, "case_number", CASE_NUMBER_MAX)
    note = trimmed(note, "note", NOTE_MAX)
    with changing(request, seen):
        case = RequestCase(
            body_id=request.body_id,
            kind=kind,
            after_review=after_review,
            filed_on=filed_on,
            authority=authority,
            case_number=case_number,
            note=note,
            result=PENDING,
            created_by_id=user.id,
        )
        request.cases.append(case)
        touch(request)
    audit.record(
        CASE_ADDED,
        actor=user,
        detail={
            **reference(request),
            "case_id": case.id,
            "kind": kind,
            "after_review": after_review,
            "filed_on": filed_on.isoformat(),
            "authority": authority,
            "case_number": case_number,
            "note_chars": len(note or ""),
        },
    )
    return case


def decide_case(user, case: RequestCase, seen, result, decided_on) -> None:
    """The case's result (维持, 纠正, 其他), once, on ``decided_on``."""
    request = case.request
    if not may.can_manage_request(user, request):
        raise PermissionDenied("只有党政办公室可以登记行政复议和行政诉讼")
    if case.result != PENDING:
        raise Conflict("该案件已登记审理结果")
    if result not in DECIDED_RESULTS:
        raise InvalidInput("请选择审理结果", "result")
    if decided_on is None:
        raise InvalidInput("请填写审结日期", "decided_on")
    not_future(decided_on, "decided_on")
    if decided_on < case.filed_on:
        raise InvalidInput("审结日期不能早于申请复议或起诉的日期", "decided_on")
    with changing(case, seen):
        case.result = result
        case.decided_on = decided_on
        case.updated_at = clock.utcnow()
    audit.record(
        CASE_DECIDED,
        actor=user,
        detail={
            **reference(request),
            "case_id": case.id,
            "kind": case.kind,
            "result": result,
            "decided_on": decided_on.isoformat(),
        },
    )


def case_of(request: InformationRequest, case_id: int) -> RequestCase | None:
    return next((c for c in request.cases if c.id == case_id), None)


# ------------------------------------------------------------------------------ table 四


@dataclass(frozen=True)
class CaseCounts:
    """One group of table 四: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计."""

    upheld: int = 0
    corrected: int = 0
    other: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        return self.upheld + self.corrected + self.other + self.pending

    def as_row(self) -> tuple[int, int, int, int, int]:
        return (self.upheld, self.corrected, self.other, self.pending, self.total)


@dataclass(frozen=True)
class TableFour:
    review: CaseCounts  # 行政复议
    direct: CaseCounts  # 行政诉讼: 未经复议直接起诉
    after_review: CaseCounts  # 行政诉讼: 复议后起诉

    def as_row(self) -> tuple[int, ...]:
        """The table's one row of 15 numbers, in its column order."""
        return (*self.review.as_row(), *self.direct.as_row(), *self.after_review.as_row())


def table_four(body_id: int, start: date, end: date) -> TableFour:
    """Table 四 of the annual report for the cases **filed** from ``start`` to ``end`` (both
    included) over the body's requests. Each case is counted by its result **as recorded now**,
    not as it stood on ``end``: the report is written after the year (by 31 January), and a case
    decided in the meantime is reported with its result, as the offices fill the table in; one
    still pending when the report is made is 尚未审结. Each group's 总计 is the sum of its four
    columns."""
    rows = db.session.execute(
        select(RequestCase.kind, RequestCase.after_review, RequestCase.result, func.count())
        .where(
            RequestCase.body_id == body_id,
            RequestCase.filed_on >= start,
            RequestCase.filed_on <= end,
        )
        .group_by(RequestCase.kind, RequestCase.after_review, RequestCase.result)
    )
    groups: dict[str, dict[str, int]] = {"review": {}, "direct": {}, "after_review": {}}
    for kind, after_review, result, count in rows:
        group = "review" if kind == REVIEW else ("after_review" if after_review else "direct")
        groups[group][result] = groups[group].get(result, 0) + count
    return TableFour(**{name: CaseCounts(**counts) for name, counts in groups.items()})
