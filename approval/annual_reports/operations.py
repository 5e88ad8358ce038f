"""The annual report's changes: the office's texts and entered figures of one year, and the
figures of the year before the system. Each: guard permission (``permissions.annual_reports``)
→ guard input → guard version (``changing``; a report not yet saved is version 0, and a lost
race on its first save is a Conflict) → mutate → ``audit.record`` with what changed, before →
after → flush; never commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy.exc import IntegrityError

from approval.annual_reports import tables
from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.periods import FIRST_YEAR, LAST_YEAR
from approval.extensions import db
from approval.models import AnnualReport, AnnualReportBaseline
from approval.models.annual_reports import REPORT_TEXT_MAX
from approval.permissions import annual_reports as may
from approval.platform.guards import STALE_MESSAGE, changing

REPORT_SAVED, BASELINE_SAVED = "annual_report_saved", "annual_baseline_saved"
TEXT_FIELDS = ("overview", "problems", "other_matters")
FIGURE_FIELDS = tuple(tables.DECISION_ROWS)  # licensing, penalty, coercion
FIGURE_MAX = 10**9
FEES_MAX = Decimal("100000000")  # 万元


@dataclass
class ReportInput:
    overview: str = ""
    problems: str = ""
    other_matters: str = ""
    licensing: str = ""  # as typed: whole numbers, blank for none entered
    penalty: str = ""
    coercion: str = ""
    fees: str = ""  # 万元, up to four decimals


def _guard(user, body_id: int) -> None:
    if not may.can_write_annual_report(user, body_id):
        raise PermissionDenied("只有党政办公室可以编写政府信息公开工作年度报告")


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput("年度无效", "year")
    return year


def whole_number(text, field: str) -> int | None:
    text = ("" if text is None else str(text)).strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,10}", text) or int(text) >= FIGURE_MAX:
        raise InvalidInput("请填写不小于0的整数", field)
    return int(text)


def amount(text, field: str) -> Decimal | None:
    text = ("" if text is None else str(text)).strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value >= FEES_MAX:
        raise InvalidInput("请填写不小于0的金额（万元），如 12.5", field)
    if value.as_tuple().exponent < -4:
        raise InvalidInput("金额最多保留四位小数（万元）", field)
    return value


def _text(text, field: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > REPORT_TEXT_MAX:
        raise InvalidInput("内容过长，请不超过 %(max)s 字", field, max=REPORT_TEXT_MAX)
    return text


def _insert(row) -> None:
    """The first save; another's first save of the same row got there first: a Conflict."""
    db.session.add(row)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise Conflict(STALE_MESSAGE) from exc


def _state(report: AnnualReport) -> dict:
    state = {f: getattr(report, f) for f in (*TEXT_FIELDS, *FIGURE_FIELDS)}
    state["fees"] = None if report.fees is None else format(report.fees.normalize(), "f")
    return state


def _changes(before: dict, after: dict) -> dict:
    """What changed, before → after; a text by its length (the report's text is in the item)."""
    changes = {}
    for key, new in after.items():
        old = before.get(key)
        if old == new:
            continue
        if key in TEXT_FIELDS:
            changes[key] = {"before_chars": len(old or ""), "after_chars": len(new or "")}
        else:
            changes[key] = {"before": old, "after": new}
    return changes


def save_report(
    user, body_id: int, year: int, report: AnnualReport | None, seen, given: ReportInput
) -> AnnualReport:
    """Create or change the body's report of ``year``; ``seen``: the version the page showed
    ("0": no report yet)."""
    _guard(user, body_id)
    _year(year)
    values = {f: _text(getattr(given, f), f) for f in TEXT_FIELDS}
    values.update({f: whole_number(getattr(given, f), f) for f in FIGURE_FIELDS})
    values["fees"] = amount(given.fees, "fees")
    if report is None:
        if str(seen) != "0":
            raise Conflict(STALE_MESSAGE)
        before = {f: None for f in (*TEXT_FIELDS, *FIGURE_FIELDS, "fees")}
        report = AnnualReport(body_id=body_id, year=year, **values, updated_by_id=user.id)
        _insert(report)
    else:
        before = _state(report)
        with changing(report, seen):
            for key, value in values.items():
                setattr(report, key, value)
            report.updated_by_id = user.id
            report.updated_at = clock.utcnow()
    after = _state(report)
    audit.record(
        REPORT_SAVED,
        actor=user,
        detail={"report_id": report.id, "year": year, "changes": _changes(before, after)},
    )
    return report


@dataclass
class BaselineInput:
    year: str = ""
    regulation_current: str = ""
    normative_current: str = ""
    carried_out: dict[str, str] | None = None  # per applicant column, as typed


def save_baseline(
    user, body_id: int, baseline: AnnualReportBaseline | None, seen, given: BaselineInput
) -> AnnualReportBaseline:
    """The office's figures for the year before the system (one per body)."""
    _guard(user, body_id)
    try:
        year = int(str(given.year).strip())
    except ValueError:
        raise InvalidInput("请填写年度，如 2025", "year") from None
    if not FIRST_YEAR <= year <= clock.local_today().year:
        raise InvalidInput("年度无效：须为已过去或当前的年度", "year")
    values = {
        "year": year,
        "regulation_current": whole_number(given.regulation_current, "regulation_current") or 0,
        "normative_current": whole_number(given.normative_current, "normative_current") or 0,
    }
    carried = {}
    for column in tables.APPLICANT_COLUMNS:
        typed = (given.carried_out or {}).get(column)
        carried[column] = whole_number(typed, f"carried_{column}") or 0
    if baseline is None:
        if str(seen) != "0":
            raise Conflict(STALE_MESSAGE)
        before = None
        baseline = AnnualReportBaseline(body_id=body_id, **values, updated_by_id=user.id)
        baseline.carried_out = carried
        _insert(baseline)
    else:
        before = {
            "year": baseline.year,
            "regulation_current": baseline.regulation_current,
            "normative_current": baseline.normative_current,
            "carried_out": baseline.carried_out,
        }
        with changing(baseline, seen):
            for key, value in values.items():
                setattr(baseline, key, value)
            baseline.carried_out = carried
            baseline.updated_by_id = user.id
            baseline.updated_at = clock.utcnow()
    after = {**values, "carried_out": carried}
    audit.record(BASELINE_SAVED, actor=user, detail={"before": before, "after": after})
    return baseline
