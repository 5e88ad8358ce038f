"""What the annual report reads from the database: the records ``tables`` computes 表二 from (the
published 规章 and 行政规范性文件, the audit trail's 变更有效性 entries), 表三 and 表四 from the
request register (``requests.statistics.table_three``, ``requests.cases.table_four``), the
信息处理费 collected, and the figures offered for 一、总体情况."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select

from approval.annual_reports import layout, tables
from approval.core.clock import local_zone, to_local
from approval.core.vocab import CHANNELS, INFO_TYPES
from approval.core.workflow import PUBLISHED, Action
from approval.extensions import db
from approval.models import (
    AnnualReport,
    AnnualReportBaseline,
    AuditEntry,
    Category,
    InformationRequest,
    Item,
    RequestPause,
    Revision,
)
from approval.requests.cases import table_four
from approval.requests.statistics import table_three


def _utc(day: date, end: bool = False) -> datetime:
    """The stored (naive UTC) time of the local day's start (or the next day's start)."""
    moment = datetime.combine(day, time.min, tzinfo=local_zone())
    if end:
        moment = datetime.combine(date.fromordinal(day.toordinal() + 1), time.min, local_zone())
    return moment.astimezone(UTC).replace(tzinfo=None)


def documents(body_id: int) -> list[tables.Document]:
    """Every 规章 and 行政规范性文件 the body published (by its published revision's 信息类别)."""
    rows = db.session.execute(
        select(Item.id, Revision.info_type, Item.published_at)
        .join(Revision, Revision.id == Item.published_revision_id)
        .where(
            Item.body_id == body_id,
            Item.published_at.is_not(None),
            Revision.info_type.in_(tables.DOCUMENT_TYPES),
        )
    )
    return [tables.Document(i, kind, to_local(at).date()) for i, kind, at in rows]


def validity_changes(body_id: int) -> list[tables.ValidityChange]:
    """The 变更有效性 entries of the audit trail (the day they were made, the validity set)."""
    rows = db.session.execute(
        select(AuditEntry.item_id, AuditEntry.detail, AuditEntry.occurred_at).where(
            AuditEntry.body_id == body_id,
            AuditEntry.action == Action.CHANGE_VALIDITY.value,
            AuditEntry.item_id.is_not(None),
        )
    )
    changes = []
    for item_id, detail, at in rows:
        validity = json.loads(detail or "{}").get("validity")
        if validity:
            changes.append(tables.ValidityChange(item_id, validity, to_local(at).date()))
    return changes


def baseline_of(body_id: int) -> AnnualReportBaseline | None:
    return db.session.get(AnnualReportBaseline, body_id)


def baseline_record(row: AnnualReportBaseline | None) -> tables.Baseline | None:
    if row is None:
        return None
    return tables.Baseline(
        row.year,
        {tables.REGULATION: row.regulation_current, tables.NORMATIVE: row.normative_current},
        row.carried_out,
    )


def report_of(body_id: int, year: int) -> AnnualReport | None:
    return db.session.scalar(
        select(AnnualReport).where(AnnualReport.body_id == body_id, AnnualReport.year == year)
    )


def compute(body_id: int, year: int) -> tables.Tables:
    """The year's three tables with what their checks compare against: last year's 现行有效 (from
    the baseline, or computed where last year has a report in the system) and last year's
    结转下年度 (the baseline's for the year after it, else the register's)."""
    baseline = baseline_record(baseline_of(body_id))
    previous_known = report_of(body_id, year - 1) is not None
    two = tables.table_two(
        documents(body_id), validity_changes(body_id), year, baseline, previous_known
    )
    three = table_three(body_id, date(year, 1, 1), date(year, 12, 31))
    four = tables.TableFourCells.of(table_four(body_id, date(year, 1, 1), date(year, 12, 31)))
    if baseline is not None and baseline.year == year - 1:
        previous_out = baseline.carried_out
    elif baseline is not None and baseline.year >= year:
        previous_out = None  # a year the office reported on paper
    else:
        last = table_three(body_id, date(year - 1, 1, 1), date(year - 1, 12, 31))
        previous_out = {c: last["carried_out", c] for c in tables.APPLICANT_COLUMNS}
    return tables.Tables(two, three, four, previous_out)


def fees_collected(body_id: int, year: int) -> Decimal:
    """信息处理费 collected in the year (yuan): the fee pauses ended (paid) in the year."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(RequestPause.amount), 0))
        .join(InformationRequest, InformationRequest.id == RequestPause.request_id)
        .where(
            InformationRequest.body_id == body_id,
            InformationRequest.outcome.is_distinct_from("fee_unpaid"),
            RequestPause.kind == "fee",
            RequestPause.amount.is_not(None),
            RequestPause.ends_on >= date(year, 1, 1),
            RequestPause.ends_on <= date(year, 12, 31),
        )
    )
    return Decimal(total or 0).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Published:
    total: int
    by_type: list[tuple[str, int]]  # (信息类别 code, count), most first
    by_channel: list[tuple[str, int]]
    by_category: list[tuple[str, int]]  # (category name, count)


def published_in(body_id: int, year: int) -> Published:
    """The items the body published in the year (by their published revision)."""
    rows = db.session.execute(
        select(Revision.info_type, Revision.channels, Category.name)
        .select_from(Item)
        .join(Revision, Revision.id == Item.published_revision_id)
        .outerjoin(Category, Category.id == Item.category_id)
        .where(
            Item.body_id == body_id,
            Item.published_at >= _utc(date(year, 1, 1)),
            Item.published_at < _utc(date(year, 12, 31), end=True),
        )
    ).all()
    by_type: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for info_type, channels, category in rows:
        by_type[info_type] = by_type.get(info_type, 0) + 1
        for channel in (c for c in (channels or "").split(",") if c):
            by_channel[channel] = by_channel.get(channel, 0) + 1
        if category:
            by_category[category] = by_category.get(category, 0) + 1

    def ordered(counts):
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    return Published(
        len(rows),
        [(k, n) for k, n in ordered(by_type) if k in INFO_TYPES],
        [(k, n) for k, n in ordered(by_channel) if k in CHANNELS],
        ordered(by_category),
    )


def published_reports(body_id: int) -> list[tuple[int, int]]:
    """(year, item id) of the body's annual reports whose item is published, newest first."""
    rows = db.session.execute(
        select(AnnualReport.year, Item.id)
        .join(Item, Item.id == AnnualReport.item_id)
        .where(AnnualReport.body_id == body_id, Item.state == PUBLISHED)
        .order_by(AnnualReport.year.desc())
    )
    return [(year, item_id) for year, item_id in rows]


def sent_tables(item_id: int) -> list[tuple[str, str, layout.Grid]] | None:
    """(heading msgid, key, grid) of each table of the report ``item_id`` is, as sent; None for
    an item that is no report (or one sent before the tables were kept)."""
    kept = db.session.scalar(
        select(AnnualReport.sent_tables).where(AnnualReport.item_id == item_id)
    )
    if not kept:
        return None
    grids = layout.grids_from_json(kept)
    return [(layout.SECTIONS[key], key, grids[key]) for key in layout.GRID_KEYS]
