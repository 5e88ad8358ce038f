"""The monthly 通报 as .xlsx (openpyxl), and what its .docx (``report_docx``) shares with it, from
the same ``Report`` as the page, so the files hold the page's numbers.

The workbook's first sheet is the 通报 itself (title, ranking, the body's total); the other
sheets hold the return reasons, the step times, the stale categories, the monthly trend and the
public's messages (互动回应) per department.
Counts are numbers and rates are numbers formatted as percentages (Excel can add them up); a
figure that does not exist (a rate without a base, a category never published) is an empty cell.
The document is a 公文 (GB/T 9704) whose annexes are the same tables.
"""

from __future__ import annotations

from io import BytesIO

from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from approval.core.clock import to_local
from approval.platform.i18n import label_text
from approval.platform.office_files import append_row
from approval.statistics import interaction_part
from approval.statistics.operations import Report, rate_text

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNSAFE = '/\\:*?"<>|'


def filename(report: Report, extension: str) -> str:
    """示范镇人民政府-2026年10月-政务公开信息报送情况通报.xlsx (no character a file system refuses)."""
    title = gettext("政务公开信息报送情况通报")
    name = f"{report.body_name}-{report.period.label}-{title}"
    return "".join("-" if c in UNSAFE or ord(c) < 32 else c for c in name) + "." + extension


def ranking_header() -> list[str]:
    return [
        gettext("排名"),
        gettext("部门"),
        gettext("报送"),
        gettext("录用（发布）"),
        gettext("录用率"),
        gettext("退回"),
        gettext("不予公开"),
        gettext("超期发布"),
        gettext("年度目标"),
        gettext("年内累计发布"),
        gettext("完成率"),
    ]


def ranking_rows(report: Report) -> list[list]:
    """The ranking and the total, with numbers as numbers and rates as Decimal or None."""

    def values(rank, name, f):
        return [
            rank,
            name,
            f.submitted,
            f.published,
            f.adoption_rate,
            f.returned,
            f.withheld,
            f.late,
            f.target,
            f.published_in_year,
            f.completion,
        ]

    rows = [values(r.rank, r.name, r.figures) for r in report.rows]
    rows.append(values("", gettext("合计"), report.total))
    return rows


def _period_line(report: Report) -> str:
    period = report.period
    return gettext(
        "统计期间：%(first)s 至 %(last)s；截至日期：%(today)s",
        first=period.first_day.isoformat(),
        last=period.last_day.isoformat(),
        today=report.as_of.isoformat(),
    )


def summary(report: Report) -> str:
    f = report.total
    text = gettext(
        "%(period)s，各部门共报送信息 %(submitted)s 条，录用（发布）%(published)s 条，录用率 "
        "%(rate)s；退回 %(returned)s 次，不予公开 %(withheld)s 条，超期发布 %(late)s 条。",
        period=report.period.label,
        submitted=f.submitted,
        published=f.published,
        rate=rate_text(f.adoption_rate),
        returned=f.returned,
        withheld=f.withheld,
        late=f.late,
    )
    if f.target:
        return text + gettext(
            "%(span)s共发布 %(year)s 条，完成年度目标（%(target)s 条）的 %(rate)s。",
            span=report.year_to_date_label,
            year=f.published_in_year,
            target=f.target,
            rate=rate_text(f.completion),
        )
    return text + gettext(
        "%(span)s共发布 %(year)s 条。", span=report.year_to_date_label, year=f.published_in_year
    )


def _last_published(stale) -> str:
    return (
        to_local(stale.last_published).strftime("%Y-%m-%d")
        if stale.last_published
        else gettext("从未发布")
    )


def detail_tables(report: Report) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) of the tables after the ranking, shared by both files."""
    return [
        (
            gettext("退回原因（次数最多的前5项）"),
            [gettext("退回原因"), gettext("次数")],
            [[r.text, r.count] for r in report.reasons],
        ),
        (
            gettext("各环节平均办理时长"),
            [gettext("环节"), gettext("办理次数"), gettext("平均时长（小时）")],
            [
                [
                    label_text(s.name),
                    s.decisions,
                    None if s.average_hours is None else round(s.average_hours, 1),
                ]
                for s in report.step_times
            ],
        ),
        (
            gettext("栏目不更新"),
            [
                gettext("栏目代码"),
                gettext("栏目"),
                gettext("最近发布"),
                gettext("未更新天数"),
                gettext("更新要求（天）"),
            ],
            [
                [
                    s.code,
                    s.name,
                    _last_published(s),
                    s.days_since,
                    s.limit_days,
                ]
                for s in report.stale
            ],
        ),
        (
            gettext("近12个月报送和发布"),
            [gettext("月份"), gettext("报送"), gettext("发布")],
            [[f"{m.year}-{m.month:02d}", m.submitted, m.published] for m in report.trend],
        ),
        (
            gettext("互动回应办理情况"),
            interaction_part.header(),
            interaction_part.table_rows(report.interaction) if report.interaction else [],
        ),
    ]


# ------------------------------------------------------------------------------ .xlsx

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PERCENT, HOURS = "0.00%", "0.0"
RANKING_RATES = (4, 10)  # 录用率, 完成率
HEADER_ROW = 5  # of the 通报 sheet


def build_xlsx(report: Report) -> bytes:
    """The workbook: numbers are numbers (rates with a percentage format), a figure that does not
    exist is an empty cell; every sheet prints on A4 (the 通报 in landscape) fitted to the
    page's width, its header row repeated on every page, the table with borders."""
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("通报")
    header = ranking_header()
    last_column = get_column_letter(len(header))
    for text, size in ((report.title, 16), (_period_line(report), 10), (summary(report), 10)):
        append_row(sheet, [text])
        row = sheet.max_row
        sheet.merge_cells(f"A{row}:{last_column}{row}")
        cell = sheet.cell(row=row, column=1)
        cell.font = Font(bold=size > 10, size=size)
        cell.alignment = Alignment(
            horizontal="center" if row < 3 else "left", vertical="top", wrap_text=True
        )
    sheet.row_dimensions[1].height = 24
    sheet.row_dimensions[3].height = 48  # the summary, wrapped over three lines
    append_row(sheet, [])
    append_row(sheet, header)
    for values in ranking_rows(report):
        values[0] = values[0] or None  # the total has no rank
        append_row(
            sheet,
            [float(v) if i in RANKING_RATES and v is not None else v for i, v in enumerate(values)],
        )
        for i in RANKING_RATES:
            sheet.cell(row=sheet.max_row, column=i + 1).number_format = PERCENT
    sheet[f"B{sheet.max_row}"].font = Font(bold=True)
    _table_style(sheet, HEADER_ROW, len(header))
    for (rank,) in sheet.iter_rows(min_row=HEADER_ROW + 1, max_col=1):
        rank.alignment = Alignment(horizontal="center", vertical="center")
    for i, width in enumerate((6, 18, 8, 12, 10, 8, 10, 10, 10, 14, 10), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    _print_setup(sheet, HEADER_ROW, len(header), landscape=True)

    for (title, head, rows), formats in zip(detail_tables(report), DETAIL_FORMATS):
        detail = book.create_sheet(_sheet_name(title))
        append_row(detail, [title])
        detail["A1"].font = Font(bold=True, size=13)
        append_row(detail, head)
        for row in rows:
            append_row(detail, row)
            for column, number_format in formats.items():
                detail.cell(row=detail.max_row, column=column + 1).number_format = number_format
        _table_style(detail, 2, len(head))
        for i, values in enumerate(zip(head, *rows), start=1):
            detail.column_dimensions[get_column_letter(i)].width = min(
                60, max(8, *(_shown_width(v) + 2 for v in values))
            )
        _print_setup(detail, 2, len(head), landscape=False)
    book.properties.title = report.title
    book.properties.creator = report.body_name
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# number formats of the detail sheets' columns (by index)
DETAIL_FORMATS = (
    {1: "0"},
    {1: "0", 2: HOURS},
    {3: "0", 4: "0"},
    {1: "0", 2: "0"},
    {**{i: "0" for i in range(1, 9)}, 9: PERCENT},  # 互动回应: counts, the 满意率
)


def _shown_width(value) -> float:
    """A cell's width in Excel's character units (a Chinese character is two)."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in str(value if value is not None else ""))


def _table_style(sheet, header_row: int, columns: int) -> None:
    """Borders round every cell of the table, its header bold and centred, numbers right."""
    for row in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row, max_col=columns):
        for cell in row:
            cell.border = BORDER
            if cell.row == header_row:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            elif isinstance(cell.value, str):
                cell.alignment = Alignment(vertical="center", wrap_text=True)
            else:
                cell.alignment = Alignment(vertical="center")


def _print_setup(sheet, header_row: int, columns: int, *, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # as many pages as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:{get_column_letter(columns)}{sheet.max_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top, sheet.page_margins.bottom = 0.6, 0.8
    sheet.page_margins.header, sheet.page_margins.footer = 0.3, 0.35
    sheet.oddFooter.center.text = gettext("第 &P 页，共 &N 页")


def _sheet_name(title: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    title = title.replace("（", "(").replace("）", ")")
    return "".join("-" if c in "[]:*?/\\" else c for c in title)[:31]
