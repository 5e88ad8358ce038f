"""A failing cross-check in words, naming its table, row and column, in the user's language."""

from __future__ import annotations

from flask_babel import gettext

from approval.annual_reports import layout, tables
from approval.core.request_outcomes import GROUPS, ROWS


def _row_label(table: str, row: str) -> str:
    if table == "二":
        return gettext(tables.TWO_ROW_LABELS[row])
    if table == "四":
        return gettext(tables.FOUR_GROUP_LABELS[row])
    if row in layout.THREE_ROWS:
        return gettext(layout.THREE_ROWS[row])
    found = next(r for r in ROWS if r.key == row)
    group = gettext(GROUPS[found.group])
    return group if found.key == found.group else f"{group} {gettext(found.label)}"


def _column_label(table: str, column: str) -> str:
    if table == "二":
        return gettext(tables.TWO_COLUMN_LABELS[column])
    if table == "四":
        return gettext(tables.FOUR_COLUMN_LABELS[column])
    return gettext(layout.column_label(column))


def check_text(check: tables.Check) -> str:
    """A failing check in words, naming its table, row and column."""
    row, column = _row_label(check.table, check.cell[0]), _column_label(check.table, check.cell[1])
    args = {"row": row, "column": column, "left": check.left, "right": check.right}
    messages = {
        tables.BALANCE: gettext(
            "表三“%(column)s”列：第一项加第二项之和（%(left)s）不等于第三项加第四项之和（%(right)s）",
            **args,
        ),
        tables.TOTAL_OF_COLUMNS: gettext(
            "表三“%(row)s”行：总计（%(left)s）不等于各列之和（%(right)s）", **args
        ),
        tables.TOTAL_OF_RESULTS: gettext(
            "表三“%(column)s”列：（七）总计（%(left)s）不等于各项办理结果之和（%(right)s）", **args
        ),
        tables.CARRY_OVER: gettext(
            "表三“%(column)s”列：上年结转（%(left)s）不等于上一年度的结转下年度继续办理（%(right)s）",
            **args,
        ),
        tables.CURRENT_BALANCE: gettext(
            "表二“%(row)s”：现行有效件数（%(left)s）不等于上年现行有效件数加本年制发件数减本年废止件数（%(right)s）",
            **args,
        ),
        tables.GROUP_TOTAL: gettext(
            "表四“%(row)s”：总计（%(left)s）不等于结果维持、结果纠正、其他结果、尚未审结之和（%(right)s）",
            **args,
        ),
    }
    return messages[check.rule]
