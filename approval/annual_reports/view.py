"""Everything the report's page, its .docx and its .xlsx show, read once: the office's record,
the computed tables with their checks, the grids the format draws, and the figures offered for
一、总体情况 as ready sentences (the public's messages among them: ``interaction.statistics``). The sentences are the report's own language (Chinese), whatever
the user's: the office copies them into the report."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from approval.annual_reports import layout, queries, tables
from approval.core.clock import local_today
from approval.core.request_outcomes import GROUPS, ROWS
from approval.core.vocab import CHANNELS, INFO_TYPES
from approval.extensions import db
from approval.interaction.statistics import year_sentence
from approval.models import AnnualReport, AnnualReportBaseline, Body


@dataclass
class ReportView:
    body_name: str
    year: int
    report: AnnualReport | None
    baseline: AnnualReportBaseline | None
    tables: tables.Tables
    checks: list[tables.Check]
    grids: dict[str, layout.Grid]
    texts: dict[str, str]
    entered: dict
    fees_collected: Decimal  # 信息处理费, yuan
    sentences: list[str]  # for 一、总体情况
    other_sentences: list[str]  # for 六、其他需要报告的事项

    @property
    def failed_cells(self) -> set[str]:
        return {f"{c.cell[0]}:{c.cell[1]}" for c in self.checks}


def build(body_id: int, year: int) -> ReportView:
    body = db.session.get(Body, body_id)
    report = queries.report_of(body_id, year)
    computed = queries.compute(body_id, year)
    entered = {
        key: getattr(report, key) if report else None
        for key in ("licensing", "penalty", "coercion", "fees")
    }
    texts = {
        key: getattr(report, key) if report else ""
        for key in ("overview", "problems", "other_matters")
    }
    fees = queries.fees_collected(body_id, year)
    return ReportView(
        body_name=body.name,
        year=year,
        report=report,
        baseline=queries.baseline_of(body_id),
        tables=computed,
        checks=computed.checks(),
        grids={
            "two": layout.table_two(computed.two, entered),
            "three": layout.table_three(computed.three),
            "four": layout.table_four(computed.four),
        },
        texts=texts,
        entered=entered,
        fees_collected=fees,
        sentences=sentences(year, queries.published_in(body_id, year), computed)
        + [year_sentence(body_id, year, local_today())],  # 互动回应 (interaction/statistics.py)
        other_sentences=[f"{year}年，本机关收取政府信息公开信息处理费{_yuan(fees)}元。"],
    )


def _yuan(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def _listed(pairs) -> str:
    return "、".join(f"{label}{n}条" for label, n in pairs)


def sentences(year: int, published: queries.Published, computed: tables.Tables) -> list[str]:
    """Ready sentences with the year's figures."""
    out = [f"{year}年，本机关共主动公开政府信息{published.total}条。"]
    if published.by_type:
        out.append(
            "按信息类别，" + _listed((INFO_TYPES[k], n) for k, n in published.by_type) + "。"
        )
    if published.by_channel:
        out.append(
            "按公开渠道，" + _listed((CHANNELS[k], n) for k, n in published.by_channel) + "。"
        )
    if published.by_category:
        out.append("按主题分类，" + _listed(published.by_category) + "。")
    two = computed.two
    out.append(
        f"本年制发规章{two['regulation', 'issued']}件、行政规范性文件"
        f"{two['normative_document', 'issued']}件，废止规章{two['regulation', 'repealed']}件、"
        f"行政规范性文件{two['normative_document', 'repealed']}件；现行有效规章"
        f"{two['regulation', 'current']}件、行政规范性文件{two['normative_document', 'current']}件。"
    )
    three = computed.three
    out.append(
        f"全年新收政府信息公开申请{three['new', 'total']}件，上年结转"
        f"{three['carried_in', 'total']}件，办结{three['results_total', 'total']}件，"
        f"结转下年度继续办理{three['carried_out', 'total']}件。"
    )
    by_group = {}
    for row in ROWS:
        by_group[row.group] = by_group.get(row.group, 0) + three[row.key, "total"]
    parts = [
        f"{GROUPS[g].split('）', 1)[1].split('（', 1)[0]}{n}件" for g, n in by_group.items() if n
    ]
    if parts:
        out.append("办结的申请中，" + "、".join(parts) + "。")
    four = computed.four
    litigation = four["direct", "total"] + four["after_review", "total"]
    out.append(
        f"本年因政府信息公开被申请行政复议{four['review', 'total']}件，"
        f"被提起行政诉讼{litigation}件。"
    )
    return out
