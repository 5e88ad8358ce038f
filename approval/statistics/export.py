"""The monthly 通报 as .xlsx (openpyxl) and .docx (python-docx), from the same ``Report`` as the
page, so the files hold the page's numbers.

The workbook's first sheet is the 通报 itself (title, ranking, the body's total); the other
sheets hold the return reasons, the step times, the stale categories, the monthly trend and the
public's messages (互动回应) per department.
Counts are numbers and rates are numbers formatted as percentages (Excel can add them up); a
figure that does not exist (a rate without a base, a category never published) is an empty cell.
The document is a 公文 (GB/T 9704) whose annexes are the same tables.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from approval.core.clock import to_local
from approval.platform import office_docx, office_files
from approval.platform.i18n import label_text
from approval.platform.office_docx import HEADING_FONT, TITLE_FONT, TITLE_SIZE
from approval.platform.office_files import append_row
from approval.statistics import interaction_part
from approval.statistics.definitions import DEFINITIONS
from approval.statistics.operations import NO_RATE, Report, rate_text

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
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
    for text, size in ((report.title, 16), (_period_line(report), 10), (_summary(report), 10)):
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
    for values in _ranking_rows(report):
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

    for (title, head, rows), formats in zip(_detail_tables(report), DETAIL_FORMATS):
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


# ------------------------------------------------------------------------------ .docx

ANNEX_TITLE_SIZE = Pt(18)  # 小二
NOTE_SIZE = Pt(12)
TABLE_SIZE = Pt(12)  # 小四
LANDSCAPE_MM = 247  # the landscape pages' type area
# the columns holding numbers (right-aligned) of the ranking and the other annexes' tables
RANKING_NUMBERS = tuple(range(2, 11))
DETAIL_NUMBERS = ((1,), (1, 2), (3, 4), (1, 2), tuple(range(1, 10)))


def build_docx(report: Report, number: str = "") -> bytes:
    """The 通报 as a 公文 (GB/T 9704): the issuing body, the 文号 (``number``; a blank to fill in
    by hand when empty) and the red rule; the title, the addressees, a narrative built from the
    figures, the list of annexes and the 落款 (the body over the date, to be sealed) on A4
    portrait pages; then each annex (the ranking, the return reasons, the step times, the stale
    categories, the monthly trend, the definitions) on its own A4 landscape page."""
    doc = Document()
    office_docx.page_setup(doc.sections[0])
    office_docx.styles(doc)
    office_docx.footer(doc)
    doc.core_properties.title = report.title
    doc.core_properties.author = report.body_name
    body = office_files.text(report.body_name)

    issuer = _centred(doc, body)
    size = min(36.0, office_docx.TYPE_WIDTH.pt / max(1.0, office_docx.width(body)))
    office_docx.font(issuer.runs[0], TITLE_FONT, Pt(size), color=office_docx.RED)
    _centred(doc, "")
    number_line = _centred(
        doc, office_files.text(number) or gettext("〔%(year)s〕　号", year=report.as_of.year)
    )
    office_docx.rule(number_line)
    _centred(doc, "")
    title = _centred(
        doc, gettext("关于%(period)s政务公开信息报送情况的通报", period=report.period.label)
    )
    office_docx.font(title.runs[0], TITLE_FONT, TITLE_SIZE)
    _centred(doc, "")
    office_docx.paragraph(doc, gettext("各部门："), indent=0)
    office_docx.paragraph(
        doc,
        gettext(
            "现将%(period)s各部门政务公开信息报送、录用和栏目更新情况通报如下。",
            period=report.period.label,
        ),
    )
    titles = [gettext("各部门排名")] + [t for t, _h, _r in _detail_tables(report)]
    titles.append(gettext("统计口径说明"))
    for heading, text in (
        (gettext("一、总体情况"), _summary(report)),
        (gettext("二、各部门情况"), _departments_text(report)),
        (gettext("三、栏目更新情况"), _stale_text(report)),
        (gettext("四、互动回应办理情况"), _interaction_text(report)),
    ):
        _heading(doc, heading)
        office_docx.paragraph(doc, text)
    office_docx.paragraph(doc, gettext("各部门排名和其他明细见附件。"))
    office_docx.paragraph(doc, "")
    label = gettext("附件：")
    for i, name in enumerate(titles, start=1):
        line = f"{label}{i}.{name}" if i == 1 else f"{i}.{name}"
        p = office_docx.paragraph(
            doc, line, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0 if i > 1 else 2
        )
        if i > 1:
            p.paragraph_format.left_indent = Pt((2 + office_docx.width(label)) * office_docx.CHAR)
        p.paragraph_format.keep_with_next = True
    office_docx.paragraph(doc, "").paragraph_format.keep_with_next = True
    office_docx.seal_line(doc, body, office_docx.chinese_date(report.as_of))

    annexes = [(RANKING_NUMBERS, ranking_header(), _ranking_rows(report))]
    annexes += [
        (numeric, head, rows)
        for numeric, (_t, head, rows) in zip(DETAIL_NUMBERS, _detail_tables(report))
    ]
    office_docx.landscape_section(doc)
    for i, (name, (numeric, head, rows)) in enumerate(zip(titles, annexes), start=1):
        _annex_heading(doc, i, name, first=i == 1)
        if rows:
            texts = [[_cell(v) for v in row] for row in rows]
            # the ranking spans the page; the narrower tables are as wide as their content
            widths = office_docx.fit_widths(head, texts, LANDSCAPE_MM, TABLE_SIZE, stretch=i == 1)
            office_docx.table(
                doc,
                head,
                texts,
                widths,
                size=TABLE_SIZE,
                right=numeric,
                center=(0,) if i == 1 else (),
            )
        else:
            office_docx.paragraph(doc, gettext("无。"), indent=0)
    _annex_heading(doc, len(titles), titles[-1], first=False)
    for term, text in DEFINITIONS:
        p = office_docx.paragraph(doc, "", char=NOTE_SIZE.pt)
        p.paragraph_format.line_spacing = Pt(20)
        p.add_run(gettext(term) + "：").bold = True
        p.add_run(gettext(text))
        for run in p.runs:
            run.font.size = NOTE_SIZE
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _departments_text(report: Report) -> str:
    """Who reported most, who had the best adoption, who reported nothing, who published late."""
    rows = report.rows
    if not rows:
        return gettext("本单位尚未设置部门。")
    sentences = []
    top = max(rows, key=lambda r: (r.figures.published, -r.rank))
    if top.figures.published:
        sentences.append(
            gettext(
                "录用（发布）最多的是%(name)s（%(n)s 条）", name=top.name, n=top.figures.published
            )
        )
    rated = [r for r in rows if r.figures.adoption_rate is not None]
    if rated:
        best = max(rated, key=lambda r: (r.figures.adoption_rate, -r.rank))
        sentences.append(
            gettext(
                "录用率最高的是%(name)s（%(rate)s）",
                name=best.name,
                rate=rate_text(best.figures.adoption_rate),
            )
        )
    idle = [r.name for r in rows if not r.figures.submitted]
    if idle:
        sentences.append(gettext("%(names)s本期未报送信息", names=gettext("、").join(idle)))
    late = [
        gettext("%(name)s %(n)s 条", name=r.name, n=r.figures.late) for r in rows if r.figures.late
    ]
    if late:
        sentences.append(gettext("超期发布的有%(list)s", list=gettext("、").join(late)))
    reached = [
        r.name for r in rows if r.figures.completion is not None and r.figures.completion >= 1
    ]
    if reached:
        sentences.append(gettext("已完成年度目标的有%(names)s", names=gettext("、").join(reached)))
    if not sentences:
        return gettext("本期各部门均未报送信息。")
    return gettext("；").join(sentences) + gettext("。")


def _stale_text(report: Report) -> str:
    as_of = office_docx.chinese_date(report.as_of)
    if not report.stale:
        return gettext("截至%(date)s，各栏目均按更新要求更新。", date=as_of)
    listed = gettext("、").join(
        f"{s.code} {s.name}（"
        + (
            gettext("从未发布")
            if s.days_since is None
            else gettext("%(n)s 天未更新", n=s.days_since)
        )
        + "）"
        for s in report.stale
    )
    return gettext(
        "截至%(date)s，有 %(n)s 个栏目超过更新要求未更新：%(list)s。请相关部门及时更新。",
        date=as_of,
        n=len(report.stale),
        list=listed,
    )


def _interaction_text(report: Report) -> str:
    if report.interaction is None:
        return gettext("本期未收到群众留言。")
    return interaction_part.sentence(report.interaction)


def _cell(value) -> str:
    if value is None:
        return NO_RATE
    if isinstance(value, Decimal):  # a rate
        return rate_text(value)
    if isinstance(value, float):  # hours
        return f"{value:.1f}"
    return str(value)


def _centred(doc, text: str):
    return office_docx.paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)


def _heading(doc, text: str) -> None:
    """A first-level heading: 黑体, indented two characters, as the body."""
    p = office_docx.paragraph(doc, text)
    p.paragraph_format.keep_with_next = True
    office_docx.font(p.runs[0], HEADING_FONT)


def _annex_heading(doc, number: int, title: str, *, first: bool) -> None:
    """附件N (黑体, top left) and the annex's title, centred, on a new page."""
    p = office_docx.paragraph(doc, gettext("附件%(n)s", n=number), indent=0)
    p.paragraph_format.page_break_before = not first
    p.paragraph_format.keep_with_next = True
    office_docx.font(p.runs[0], HEADING_FONT)
    p = _centred(doc, title)
    p.paragraph_format.space_after = Pt(12)
    p.paragraph_format.keep_with_next = True
    office_docx.font(p.runs[0], TITLE_FONT, ANNEX_TITLE_SIZE)
