"""The annual report's tables as a function of plain records (approval/annual_reports/tables.py):
a hand-built year — documents issued and repealed, a baseline before the system, requests of every
reply type and applicant type with carry-overs in and out, cases of every result — gives tables
equal cell by cell to a hand-computed expectation, every check holds, and one changed figure makes
the check naming that cell fail. No Flask, no database."""

from __future__ import annotations

from datetime import date

import pytest

from approval.annual_reports import tables as t
from approval.annual_reports.tables import Baseline, Document, ValidityChange
from approval.core.request_outcomes import ROW_KEYS
from approval.requests.cases import CaseCounts, TableFour
from approval.requests.statistics import COLUMNS, TableThree

R, N = t.REGULATION, t.NORMATIVE

# 2025 (the year before the system: the office entered 5 规章 and 12 行政规范性文件 in force and
# 3 requests carried into 2026: 2 自然人, 1 商业企业). In the system: two 规章 published in 2026
# (1, 2), one of them repealed in 2026 (1); four 行政规范性文件 (10, 11, 12 in 2026, 13 in 2027),
# 11 expired in 2026, 12 repealed in 2027 (counted there, not in 2026); 20 is 工作动态 (ignored);
# 10 changed 有效 → 有效 again never happens, 11's later 失效 → 废止 is not a second 废止.
DOCUMENTS = [
    Document(1, R, date(2026, 3, 1)),
    Document(2, R, date(2026, 12, 31)),
    Document(10, N, date(2026, 1, 1)),
    Document(11, N, date(2026, 5, 5)),
    Document(12, N, date(2026, 6, 6)),
    Document(13, N, date(2027, 1, 1)),
    Document(20, "work_news", date(2026, 2, 2)),
]
CHANGES = [
    ValidityChange(1, "repealed", date(2026, 9, 1)),
    ValidityChange(11, "expired", date(2026, 10, 1)),
    ValidityChange(11, "repealed", date(2026, 11, 1)),
    ValidityChange(12, "repealed", date(2027, 2, 1)),
    ValidityChange(20, "expired", date(2026, 3, 3)),
]
BASELINE = Baseline(2025, current={R: 5, N: 12}, carried_out={"person": 2, "business": 1})


def test_table_two_cell_by_cell_with_the_baseline():
    two = t.table_two(DOCUMENTS, CHANGES, 2026, BASELINE)
    assert two.cells == {
        (R, "issued"): 2,
        (R, "repealed"): 1,
        (R, "current"): 5 + 2 - 1,
        (N, "issued"): 3,
        (N, "repealed"): 1,  # 11's second change is not counted again
        (N, "current"): 12 + 3 - 1,
    }
    assert two.previous_current == {R: 5, N: 12}
    assert two.checks() == []
    # 2027: last year computed the same way, 12 repealed, 13 issued
    later = t.table_two(DOCUMENTS, CHANGES, 2027, BASELINE)
    assert later.cells == {
        (R, "issued"): 0,
        (R, "repealed"): 0,
        (R, "current"): 6,
        (N, "issued"): 1,
        (N, "repealed"): 1,
        (N, "current"): 14,
    }
    assert later.previous_current == {R: 6, N: 14}
    assert later.checks() == []


def test_table_two_without_a_known_last_year_has_no_balance_to_check():
    two = t.table_two(DOCUMENTS, CHANGES, 2026)
    assert two[R, "current"] == 1 and two[N, "current"] == 2
    assert two.previous_current is None and two.checks() == []


def test_table_two_names_the_cell_a_changed_figure_breaks():
    two = t.table_two(DOCUMENTS, CHANGES, 2026, BASELINE)
    two[N, "repealed"] = 2
    assert two.checks() == [t.Check("二", t.CURRENT_BALANCE, (N, "current"), 14, 13)]
    # a document made valid again (废止 → 有效) is neither 制发 nor 废止: the balance shows it
    revived = [*CHANGES, ValidityChange(1, "valid", date(2026, 12, 1))]
    failing = t.table_two(DOCUMENTS, revived, 2026, BASELINE).checks()
    assert [(c.table, c.cell) for c in failing] == [("二", (R, "current"))]


# 表三 of 2026, hand-computed per column. Every reply type is one result row; the fixture spreads
# the 22 rows over the columns and carries requests in (from the baseline) and out.
NEW = {
    "person": 30,
    "business": 8,
    "research": 2,
    "public_welfare": 1,
    "legal_services": 3,
    "other": 4,
}
CARRIED = {"person": 2, "business": 1}
CARRIED_OUT = {"person": 3, "business": 1, "legal_services": 1}


def _results():
    """Per column, 22 result rows summing to 新收 + 结转 − 结转下年度."""
    results = {}
    for column in t.APPLICANT_COLUMNS:
        due = NEW.get(column, 0) + CARRIED.get(column, 0) - CARRIED_OUT.get(column, 0)
        for i, row in enumerate(ROW_KEYS):
            n = 1 if (i + len(column)) % 3 == 0 else 0
            n = min(n, due)
            results[row, column] = n
            due -= n
        results["1", column] += due  # the rest were granted
    return results


def _three():
    return TableThree.from_counts(
        date(2026, 1, 1), date(2026, 12, 31), NEW, CARRIED, _results(), CARRIED_OUT
    )


def test_table_three_balances_and_carries_over_from_the_baseline():
    three = _three()
    assert three["new", "total"] == 48
    assert three["carried_in", "total"] == 3
    assert three["results_total", "total"] == 46
    assert three["carried_out", "total"] == 5
    assert sum(three[row, "total"] for row in ROW_KEYS) == 46
    assert t.three_checks(three, BASELINE.carried_out) == []


@pytest.mark.parametrize(
    ("cell", "rules"),
    [
        (
            ("carried_out", "person"),
            {
                ("balance", ("carried_out", "person")),
                ("total_of_columns", ("carried_out", "total")),
            },
        ),
        (
            ("3.1", "legal_services"),
            {
                ("total_of_results", ("results_total", "legal_services")),
                ("total_of_columns", ("3.1", "total")),
            },
        ),
        (
            ("new", "total"),
            {("total_of_columns", ("new", "total")), ("balance", ("carried_out", "total"))},
        ),
        (
            ("carried_in", "research"),
            {
                ("balance", ("carried_out", "research")),
                ("total_of_columns", ("carried_in", "total")),
                ("carry_over", ("carried_in", "research")),
            },
        ),
    ],
)
def test_table_three_names_the_cell_a_changed_figure_breaks(cell, rules):
    three = _three()
    three[cell] = three[cell] + 1
    failing = t.three_checks(three, BASELINE.carried_out)
    assert {(c.rule, c.cell) for c in failing} == rules
    assert all(c.table == "三" for c in failing)


def test_the_carry_over_check_names_the_column_last_year_disagrees_in():
    three = _three()
    failing = t.three_checks(three, {"person": 2, "business": 0})
    assert {(c.rule, c.cell, c.left, c.right) for c in failing} == {
        ("carry_over", ("carried_in", "business"), 1, 0),
        ("carry_over", ("carried_in", "total"), 3, 2),
    }


def test_table_four_cells_and_their_totals():
    four = t.TableFourCells.of(
        TableFour(
            review=CaseCounts(upheld=2, corrected=1, other=0, pending=1),
            direct=CaseCounts(upheld=1, pending=2),
            after_review=CaseCounts(corrected=1),
        )
    )
    assert four.row() == [2, 1, 0, 1, 4, 1, 0, 0, 2, 3, 0, 1, 0, 0, 1]
    assert four.checks() == []
    four["direct", "upheld"] = 0
    assert four.checks() == [t.Check("四", t.GROUP_TOTAL, ("direct", "total"), 3, 2)]


def test_the_whole_report_holds_and_lists_every_failure():
    tables = t.Tables(
        t.table_two(DOCUMENTS, CHANGES, 2026, BASELINE),
        _three(),
        t.TableFourCells.of(TableFour(CaseCounts(1), CaseCounts(), CaseCounts(pending=1))),
        BASELINE.carried_out,
    )
    assert tables.checks() == []
    tables.four["review", "total"] = 0
    tables.two[R, "issued"] = 3
    assert [(c.table, c.cell) for c in tables.checks()] == [
        ("二", (R, "current")),
        ("四", ("review", "total")),
    ]
    assert set(COLUMNS) == {*t.APPLICANT_COLUMNS, t.TOTAL_COLUMN}
