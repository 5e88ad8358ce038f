"""The annual report's tables (国办公开办函〔2021〕30号) as plain data, and their cross-checks
(勾稽关系), from plain records: no Flask, no database. ``queries`` reads the records; a test can
hand-build any year and compare every cell with a hand-computed table.

- 表二 (规章, 行政规范性文件): 本年制发件数 = items of that 信息类别 published in the year;
  本年废止件数 = validity changes to 废止/失效 dated in the year of an item that was 有效 until
  then; 现行有效件数 = items published by 31 December and 有效 on that day, plus the documents
  outside the system (the office's entered figure for the year before the system, less what the
  system held on that day). A 撤稿 does not change a document's 有效性.
- 表三: ``requests.statistics.TableThree`` (reused, not recomputed).
- 表四: ``requests.cases.TableFour`` as cells (each group's 总计 kept as a cell, so that a changed
  figure shows).

Each failing check is a ``Check`` naming its table, rule and cell."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from approval.core.msgids import N_
from approval.core.request_vocab import ORGANISATION_KINDS

# 表三's keys, as requests.statistics names them (that module reads the database)
APPLICANT_COLUMNS = ("person", *ORGANISATION_KINDS)
CARRIED_IN, TOTAL_COLUMN = "carried_in", "total"

REGULATION, NORMATIVE = "regulation", "normative_document"
DOCUMENT_TYPES = (REGULATION, NORMATIVE)
ISSUED, REPEALED, CURRENT = "issued", "repealed", "current"
TWO_COLUMNS = (ISSUED, REPEALED, CURRENT)
VALID, ENDED = "valid", ("repealed", "expired")

TWO_ROW_LABELS = {REGULATION: N_("规章"), NORMATIVE: N_("行政规范性文件")}
TWO_COLUMN_LABELS = {
    ISSUED: N_("本年制发件数"),
    REPEALED: N_("本年废止件数"),
    CURRENT: N_("现行有效件数"),
}
# the entered rows of table 二: 本年处理决定数量 (three rows) and 本年收费金额（单位：万元）
DECISION_ROWS = {
    "licensing": N_("行政许可"),
    "penalty": N_("行政处罚"),
    "coercion": N_("行政强制"),
}
FEE_ROW_LABEL = N_("行政事业性收费")

# table 四: three groups of five columns
FOUR_GROUPS = ("review", "direct", "after_review")
FOUR_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
FOUR_GROUP_LABELS = {
    "review": N_("行政复议"),
    "direct": N_("未经复议直接起诉"),
    "after_review": N_("复议后起诉"),
}
FOUR_COLUMN_LABELS = {
    "upheld": N_("结果维持"),
    "corrected": N_("结果纠正"),
    "other": N_("其他结果"),
    "pending": N_("尚未审结"),
    "total": N_("总计"),
}

# the checks
BALANCE = "balance"  # 表三, a column: 一 + 二 = (七) + 四
TOTAL_OF_COLUMNS = "total_of_columns"  # 表三, a row: 总计 = the other columns
TOTAL_OF_RESULTS = "total_of_results"  # 表三, a column: (七) = the result rows
CARRY_OVER = "carry_over"  # 表三: 上年结转 = last year's 结转下年度
CURRENT_BALANCE = "current_balance"  # 表二: 现行有效 = last year's + 制发 − 废止
GROUP_TOTAL = "group_total"  # 表四: a group's 总计 = its four columns


@dataclass(frozen=True)
class Document:
    """A published 规章 or 行政规范性文件 (its published revision's 信息类别)."""

    item_id: int
    info_type: str
    published_on: date


@dataclass(frozen=True)
class ValidityChange:
    """A 变更有效性 (the audit trail's change_validity entry): the item's validity from that day."""

    item_id: int
    validity: str
    changed_on: date


@dataclass(frozen=True)
class Baseline:
    """The office's figures for the year before the system (entered, audited): 表二's 现行有效件数
    per document type and 表三's 结转下年度继续办理 per applicant column."""

    year: int
    current: dict[str, int] = field(default_factory=dict)
    carried_out: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    """A cross-check that fails: ``table`` 二/三/四, ``rule``, the ``cell`` it names (row,
    column), and both sides of the equation that should hold."""

    table: str
    rule: str
    cell: tuple[str, str]
    left: int
    right: int


@dataclass
class TableTwo:
    year: int
    cells: dict[tuple[str, str], int]
    previous_current: dict[str, int] | None  # last year's 现行有效 where known

    def __getitem__(self, cell):
        return self.cells[cell]

    def __setitem__(self, cell, value):
        if cell not in self.cells:
            raise KeyError(cell)
        self.cells[cell] = value

    def checks(self) -> list[Check]:
        if self.previous_current is None:
            return []
        failures = []
        for kind in DOCUMENT_TYPES:
            expected = (
                self.previous_current.get(kind, 0)
                + self.cells[kind, ISSUED]
                - self.cells[kind, REPEALED]
            )
            if self.cells[kind, CURRENT] != expected:
                failures.append(
                    Check(
                        "二", CURRENT_BALANCE, (kind, CURRENT), self.cells[kind, CURRENT], expected
                    )
                )
        return failures


def _validity_on(changes: list[ValidityChange], day: date) -> str:
    """The validity on ``day`` of an item whose changes are ``changes`` (sorted)."""
    validity = VALID
    for change in changes:
        if change.changed_on > day:
            break
        validity = change.validity
    return validity


def _valid_count(documents, changes_of, kind: str, day: date) -> int:
    return sum(
        1
        for d in documents
        if d.info_type == kind
        and d.published_on <= day
        and _validity_on(changes_of.get(d.item_id, []), day) == VALID
    )


def table_two(
    documents: Iterable[Document],
    changes: Iterable[ValidityChange],
    year: int,
    baseline: Baseline | None = None,
    previous_known: bool = False,
) -> TableTwo:
    """表二's computed rows for ``year``. ``previous_known``: last year is in the system (its
    现行有效 is computed the same way and checked against); a baseline of last year is known."""
    documents = [d for d in documents if d.info_type in DOCUMENT_TYPES]
    changes_of: dict[int, list[ValidityChange]] = {}
    for change in sorted(changes, key=lambda c: (c.changed_on, c.item_id)):
        changes_of.setdefault(change.item_id, []).append(change)
    start, end = date(year, 1, 1), date(year, 12, 31)

    def current(kind: str, y: int) -> int:
        held = _valid_count(documents, changes_of, kind, date(y, 12, 31))
        if baseline is not None and baseline.year < y:
            before = _valid_count(documents, changes_of, kind, date(baseline.year, 12, 31))
            held += baseline.current.get(kind, 0) - before
        return held

    cells = {}
    for kind in DOCUMENT_TYPES:
        ids = {d.item_id for d in documents if d.info_type == kind}
        cells[kind, ISSUED] = sum(
            1 for d in documents if d.info_type == kind and start <= d.published_on <= end
        )
        repealed = 0
        for item_id in ids:
            history = changes_of.get(item_id, [])
            before = VALID
            for change in history:
                if (
                    start <= change.changed_on <= end
                    and before == VALID
                    and change.validity in ENDED
                ):
                    repealed += 1
                before = change.validity
        cells[kind, REPEALED] = repealed
        cells[kind, CURRENT] = current(kind, year)
    previous = None
    if baseline is not None and baseline.year == year - 1:
        previous = {kind: baseline.current.get(kind, 0) for kind in DOCUMENT_TYPES}
    elif previous_known or (baseline is not None and baseline.year < year - 1):
        previous = {kind: current(kind, year - 1) for kind in DOCUMENT_TYPES}
    return TableTwo(year, cells, previous)


@dataclass
class TableFourCells:
    """表四 as cells ``(group, column)``; the 总计 cells are kept, not recomputed, so a changed
    figure fails its group's check."""

    cells: dict[tuple[str, str], int]

    @classmethod
    def of(cls, four) -> TableFourCells:
        """From ``requests.cases.TableFour``."""
        cells = {}
        for group in FOUR_GROUPS:
            for column, value in zip(FOUR_COLUMNS, getattr(four, group).as_row(), strict=True):
                cells[group, column] = value
        return cls(cells)

    def __getitem__(self, cell):
        return self.cells[cell]

    def __setitem__(self, cell, value):
        if cell not in self.cells:
            raise KeyError(cell)
        self.cells[cell] = value

    def row(self) -> list[int]:
        return [self.cells[g, c] for g in FOUR_GROUPS for c in FOUR_COLUMNS]

    def checks(self) -> list[Check]:
        failures = []
        for group in FOUR_GROUPS:
            parts = sum(self.cells[group, c] for c in FOUR_COLUMNS if c != "total")
            if self.cells[group, "total"] != parts:
                failures.append(
                    Check("四", GROUP_TOTAL, (group, "total"), self.cells[group, "total"], parts)
                )
        return failures


def three_checks(three, previous_carried_out: dict[str, int] | None) -> list[Check]:
    """表三's own checks (``TableThree.checks``) and the carry-over: each column's 上年结转 is
    last year's 结转下年度 (``previous_carried_out``: per applicant column; the 总计 column is
    their sum)."""
    failures = [Check("三", f.rule, f.cell, f.left, f.right) for f in three.checks()]
    if previous_carried_out is not None:
        previous = {c: previous_carried_out.get(c, 0) for c in APPLICANT_COLUMNS}
        previous[TOTAL_COLUMN] = sum(previous.values())
        for column, value in previous.items():
            if three[CARRIED_IN, column] != value:
                failures.append(
                    Check("三", CARRY_OVER, (CARRIED_IN, column), three[CARRIED_IN, column], value)
                )
    return failures


@dataclass
class Tables:
    """The report's three computed tables and every failing check."""

    two: TableTwo
    three: object  # requests.statistics.TableThree
    four: TableFourCells
    previous_carried_out: dict[str, int] | None = None

    def checks(self) -> list[Check]:
        return [
            *self.two.checks(),
            *three_checks(self.three, self.previous_carried_out),
            *self.four.checks(),
        ]
