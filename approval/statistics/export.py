"""The monthly 通报 as .xlsx (openpyxl) and .docx (python-docx), from the same ``Report`` as the
page, so the files hold the page's numbers.

The workbook's first sheet is the 通报 itself (title, ranking, the body's total); the other
sheets hold the return reasons, the step times, the stale categories and the monthly trend.
Counts are numbers and rates are numbers formatted as percentages (Excel can add them up); a rate
that does not exist is the text "—". The document is an A4 通报 with the same tables.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from approval.core.clock import to_local
from approval.platform import office_files
from approval.platform.i18n import N_, label_text
from approval.platform.office_files import append_row
from approval.statistics.definitions import DEFINITIONS
from approval.statistics.operations import NO_RATE, Report, rate_text

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CJK_FONT, LATIN_FONT = "宋体", "Times New Roman"
UNSAFE = '/\\:*?"<>|'
DETAIL_HEADINGS = (
    N_("三、%(title)s"),
    N_("四、%(title)s"),
    N_("五、%(title)s"),
    N_("六、%(title)s"),
)


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


def _ranking_rows(report: Report) -> list[list]:
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


def _summary(report: Report) -> str:
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


def _detail_tables(report: Report) -> list[tuple[str, list[str], list[list]]]:
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
            [[label_text(s.name), s.decisions, s.hours_text] for s in report.step_times],
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
                    NO_RATE if s.days_since is None else s.days_since,
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
    ]


# ------------------------------------------------------------------------------ .xlsx


def build_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("通报")
    header = ranking_header()
    append_row(sheet, [report.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append_row(sheet, [_period_line(report)])
    append_row(sheet, [_summary(report)])
    append_row(sheet, [])
    append_row(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for values in _ranking_rows(report):
        append_row(
            sheet,
            [
                NO_RATE if v is None else float(v) if i in (4, 10) else v
                for i, v in enumerate(values)
            ],
        )
        for i in (4, 10):
            sheet.cell(row=sheet.max_row, column=i + 1).number_format = "0.00%"
    sheet[f"B{sheet.max_row}"].font = Font(bold=True)
    widths = (6, 18, 8, 12, 10, 8, 10, 10, 10, 14, 10)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "C6"

    for title, head, rows in _detail_tables(report):
        detail = book.create_sheet(_sheet_name(title))
        append_row(detail, [title])
        detail["A1"].font = Font(bold=True, size=13)
        append_row(detail, head)
        for cell in detail[2]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(detail, row)
        for i in range(1, len(head) + 1):
            detail.column_dimensions[get_column_letter(i)].width = 14 if i > 1 else 30
    book.properties.title = report.title
    book.properties.creator = report.body_name
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(title: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    title = title.replace("（", "(").replace("）", ")")
    return "".join("-" if c in "[]:*?/\\" else c for c in title)[:31]


# ------------------------------------------------------------------------------ .docx


def build_docx(report: Report) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.left_margin = section.right_margin = Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = LATIN_FONT, Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
    doc.core_properties.title = report.title
    doc.core_properties.author = report.body_name

    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(office_files.text(report.title))
    run.bold, run.font.size = True, Pt(16)
    line = doc.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.add_run(_period_line(report)).font.size = Pt(9)

    _heading(doc, gettext("一、总体情况"))
    doc.add_paragraph(_summary(report))
    _heading(doc, gettext("二、各部门排名"))
    _table(
        doc,
        ranking_header(),
        [[_cell(v) for v in row] for row in _ranking_rows(report)],
        font=Pt(9),
    )
    for heading_text, (title, head, rows) in zip(DETAIL_HEADINGS, _detail_tables(report)):
        _heading(doc, gettext(heading_text, title=title))
        if rows:
            _table(doc, head, [[_cell(v) for v in row] for row in rows])
        else:
            doc.add_paragraph(gettext("无。"))
    _heading(doc, gettext("口径说明"))
    for term, text in DEFINITIONS:
        paragraph = doc.add_paragraph()
        paragraph.add_run(gettext(term) + "：").bold = True
        paragraph.add_run(gettext(text)).font.size = Pt(9)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return NO_RATE
    if isinstance(value, Decimal):  # a rate
        return rate_text(value)
    return str(value)


def _heading(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(10)
    run = paragraph.add_run(text)
    run.bold, run.font.size = True, Pt(12)


def _table(doc, header: list[str], rows: list[list[str]], font=None) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header):
        run = cell.paragraphs[0].add_run(office_files.text(text))
        run.bold = True
        if font:
            run.font.size = font
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            run = cell.paragraphs[0].add_run(office_files.text(text))
            if font:
                run.font.size = font
