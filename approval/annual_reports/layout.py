"""The report's tables laid out as the format draws them (国办公开办函〔2021〕30号): a grid of
cells with merged ranges, the labels exactly the format's. The page, the .docx and the .xlsx all
draw this grid, so the three never disagree. Pure data: no Flask."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from approval.annual_reports import tables as t
from approval.core.msgids import N_
from approval.core.request_outcomes import GROUPS, ROWS
from approval.core.request_vocab import APPLICANT_KINDS, ORGANISATION_KINDS

TITLE = N_("%(body)s%(year)s年政府信息公开工作年度报告")
SECTIONS = {
    "overview": N_("一、总体情况"),
    "two": N_("二、主动公开政府信息情况"),
    "three": N_("三、收到和处理政府信息公开申请情况"),
    "four": N_("四、政府信息公开行政复议、行政诉讼情况"),
    "problems": N_("五、存在的主要问题及改进情况"),
    "other_matters": N_("六、其他需要报告的事项"),
}
INFO_CONTENT = N_("信息内容")
DECISIONS = N_("本年处理决定数量")
FEES = N_("本年收费金额（单位：万元）")
THREE_NOTE = N_("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
THREE_ROWS = {
    "new": N_("一、本年新收政府信息公开申请数量"),
    "carried_in": N_("二、上年结转政府信息公开申请数量"),
    "results": N_("三、本年度办理结果"),
    "results_total": N_("（七）总计"),
    "carried_out": N_("四、结转下年度继续办理"),
}
APPLICANTS, TOTAL = N_("申请人情况"), N_("总计")
REVIEW, LITIGATION = N_("行政复议"), N_("行政诉讼")


@dataclass
class Cell:
    text: str = ""
    header: bool = False  # a label (translated on the page), not a figure
    key: str | None = None  # a figure's cell, "row:column" (the checks name it)


@dataclass
class Grid:
    """``rows`` of equal length; ``merges``: (first row, first column, last row, last column),
    the first cell carries the text, the others are covered."""

    rows: list[list[Cell]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.rows[0])

    def spans(self) -> dict[tuple[int, int], tuple[int, int] | None]:
        """{(row, column): (rowspan, colspan)} for a merge's first cell, None for a covered one."""
        found: dict[tuple[int, int], tuple[int, int] | None] = {}
        for r0, c0, r1, c1 in self.merges:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    found[r, c] = None
            found[r0, c0] = (r1 - r0 + 1, c1 - c0 + 1)
        return found


GRID_KEYS = ("two", "three", "four")  # the report's tables, in its order


def grids_to_json(grids: dict[str, Grid]) -> str:
    """The grids as kept when the report is sent (``AnnualReport.sent_tables``)."""
    return json.dumps(
        {
            key: {
                "rows": [[[c.text, c.header, c.key] for c in row] for row in grids[key].rows],
                "merges": [list(m) for m in grids[key].merges],
            }
            for key in GRID_KEYS
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def grids_from_json(text: str) -> dict[str, Grid]:
    data = json.loads(text)
    return {
        key: Grid(
            [[Cell(t, bool(h), k) for t, h, k in row] for row in data[key]["rows"]],
            [tuple(m) for m in data[key]["merges"]],
        )
        for key in GRID_KEYS
    }


def _label(text: str) -> Cell:
    return Cell(text, header=True)


def _figure(value, key: str) -> Cell:
    if value is None:
        return Cell("", key=key)
    if isinstance(value, Decimal):
        return Cell(format(value.normalize(), "f"), key=key)
    return Cell(str(value), key=key)


def table_two(two: t.TableTwo, entered: dict) -> Grid:
    """表二: the computed 规章 and 行政规范性文件 rows, then the office's entered figures
    (``entered``: licensing, penalty, coercion, fees; None where not entered)."""
    rows, merges = [], []

    def heading(text):
        merges.append((len(rows), 0, len(rows), 3))
        rows.append([_label(text), Cell(), Cell(), Cell()])

    def single(label, value, key):
        merges.append((len(rows), 1, len(rows), 3))
        rows.append([_label(label), _figure(value, key), Cell(), Cell()])

    heading(N_("第二十条第（一）项"))
    rows.append([_label(INFO_CONTENT), *(_label(t.TWO_COLUMN_LABELS[c]) for c in t.TWO_COLUMNS)])
    for kind in t.DOCUMENT_TYPES:
        rows.append(
            [
                _label(t.TWO_ROW_LABELS[kind]),
                *(_figure(two[kind, c], f"{kind}:{c}") for c in t.TWO_COLUMNS),
            ]
        )
    heading(N_("第二十条第（五）项"))
    single(INFO_CONTENT, None, None)
    rows[-1][1] = _label(DECISIONS)
    single(t.DECISION_ROWS["licensing"], entered.get("licensing"), "licensing:decisions")
    heading(N_("第二十条第（六）项"))
    single(INFO_CONTENT, None, None)
    rows[-1][1] = _label(DECISIONS)
    for key in ("penalty", "coercion"):
        single(t.DECISION_ROWS[key], entered.get(key), f"{key}:decisions")
    heading(N_("第二十条第（八）项"))
    single(INFO_CONTENT, None, None)
    rows[-1][1] = _label(FEES)
    single(t.FEE_ROW_LABEL, entered.get("fees"), "fees:amount")
    return Grid(rows, merges)


def column_label(column: str) -> str:
    if column == "person":
        return APPLICANT_KINDS["person"]
    if column == t.TOTAL_COLUMN:
        return TOTAL
    return ORGANISATION_KINDS[column]


def table_three(three) -> Grid:
    """表三 (``requests.statistics.TableThree``): three label columns, seven figure columns."""
    columns = (*t.APPLICANT_COLUMNS, t.TOTAL_COLUMN)
    blank = [Cell() for _ in range(10)]
    rows = [
        [_label(THREE_NOTE), Cell(), Cell(), _label(APPLICANTS), *blank[:6]],
        [Cell(), Cell(), Cell(), _label(column_label("person"))]
        + [_label(APPLICANT_KINDS["organisation"]), *blank[:4], _label(TOTAL)],
        [Cell(), Cell(), Cell(), Cell()]
        + [_label(ORGANISATION_KINDS[c]) for c in t.APPLICANT_COLUMNS[1:]]
        + [Cell()],
    ]
    merges = [(0, 0, 2, 2), (0, 3, 0, 9), (1, 3, 2, 3), (1, 4, 1, 8), (1, 9, 2, 9)]

    def figures(key):
        return [_figure(three[key, c], f"{key}:{c}") for c in columns]

    def whole(key):
        merges.append((len(rows), 0, len(rows), 2))
        rows.append([_label(THREE_ROWS[key]), Cell(), Cell(), *figures(key)])

    whole("new")
    whole("carried_in")
    first = len(rows)
    for group, group_label in GROUPS.items():
        members = [r for r in ROWS if r.group == group]
        top = len(rows)
        for r in members:
            if len(members) == 1:
                merges.append((len(rows), 1, len(rows), 2))
                rows.append([Cell(), _label(group_label), Cell(), *figures(r.key)])
            else:
                rows.append([Cell(), Cell(), _label(r.label), *figures(r.key)])
        if len(members) > 1:
            rows[top][1] = _label(group_label)
            merges.append((top, 1, len(rows) - 1, 1))
    merges.append((len(rows), 1, len(rows), 2))
    rows.append([Cell(), _label(THREE_ROWS["results_total"]), Cell(), *figures("results_total")])
    rows[first][0] = _label(THREE_ROWS["results"])
    merges.append((first, 0, len(rows) - 1, 0))
    whole("carried_out")
    return Grid(rows, merges)


def table_four(four: t.TableFourCells) -> Grid:
    """表四: 行政复议 (five columns), 行政诉讼 (未经复议直接起诉, 复议后起诉: five each)."""
    labels = [_label(t.FOUR_COLUMN_LABELS[c]) for c in t.FOUR_COLUMNS]
    rows = [
        [_label(REVIEW), *[Cell()] * 4, _label(LITIGATION), *[Cell()] * 9],
        [*labels, _label(t.FOUR_GROUP_LABELS["direct"]), *[Cell()] * 4]
        + [_label(t.FOUR_GROUP_LABELS["after_review"]), *[Cell()] * 4],
        [*[Cell()] * 5, *labels, *labels],
        [_figure(four[g, c], f"{g}:{c}") for g in t.FOUR_GROUPS for c in t.FOUR_COLUMNS],
    ]
    rows = [[Cell(c.text, c.header, c.key) for c in row] for row in rows]  # no shared cells
    merges = [(0, 0, 0, 4), (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14)]
    merges += [(1, c, 2, c) for c in range(5)]
    return Grid(rows, merges)
