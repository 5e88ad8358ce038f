"""The monthly 通报 as a .docx 公文 (GB/T 9704, python-docx): the narrative and, as annexes, the
tables of the workbook (``export``), from the same ``Report`` as the page."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from flask_babel import gettext

from approval.platform import office_docx, office_files
from approval.platform.office_docx import HEADING_FONT, TITLE_FONT, TITLE_SIZE
from approval.statistics import interaction_part
from approval.statistics.definitions import DEFINITIONS
from approval.statistics.export import detail_tables, ranking_header, ranking_rows, summary
from approval.statistics.operations import NO_RATE, Report, rate_text

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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
    titles = [gettext("各部门排名")] + [t for t, _h, _r in detail_tables(report)]
    titles.append(gettext("统计口径说明"))
    for heading, text in (
        (gettext("一、总体情况"), summary(report)),
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

    annexes = [(RANKING_NUMBERS, ranking_header(), ranking_rows(report))]
    annexes += [
        (numeric, head, rows)
        for numeric, (_t, head, rows) in zip(DETAIL_NUMBERS, detail_tables(report))
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
