"""The 保密审查单 as a Word document (python-docx), built from the same ``SecrecyForm`` as the page,
laid out to be signed, sealed and filed: A4 portrait with GB/T 9704's margins and fonts
(``platform.office_docx``: 小标宋 title, 仿宋_GB2312 text, 黑体 headings), tables of fixed column
widths that fit the 156 mm type area, the opinions of every round, a signature and date line for
the author and each signer of the current round, and the body's name over a date left blank
with room for the seal."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from flask_babel import gettext

from approval.core.clock import local_today
from approval.platform import office_docx, office_files
from approval.platform.office_docx import HEADING_FONT, TITLE_FONT, TITLE_SIZE
from approval.publication.secrecy_form import SecrecyForm

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_SIZE = Pt(12)  # 小四: the form's text and its two-column tables
SMALL_SIZE = Pt(10.5)  # 五号: the many-column tables
HEADING_SIZE = Pt(14)  # 四号
TYPE_WIDTH_MM = 156  # every table spans the type area
# fixed column widths (mm); the opinions' and findings' columns fit their content
ATTRIBUTE_WIDTHS = (30, 126)
CHECKLIST_WIDTHS = (128, 28)
SIGNATURE_WIDTHS = (34, 32, 56, 34)
SIGNATURE_HEIGHT = Mm(12)
BLANK_DATE = "年　　月　　日"
SEAL_DATE = "　　　　年　　月　　日"


def build(form: SecrecyForm) -> bytes:
    """The .docx bytes of ``form``."""
    doc = Document()
    office_docx.page_setup(doc.sections[0])
    office_docx.styles(doc, size=TEXT_SIZE, pitch=None)
    office_docx.footer(doc)
    title = gettext("保密审查单")
    doc.core_properties.title = f"{title} · {office_files.text(form.title)}"
    doc.core_properties.author = office_files.text(form.body_name)
    doc.core_properties.comments = form.content_hash

    heading = _centred(doc, gettext("政府信息公开保密审查单"))
    office_docx.font(heading.runs[0], TITLE_FONT, TITLE_SIZE)
    heading.paragraph_format.space_after = Pt(6)
    _centred(
        doc,
        f"{office_files.text(form.body_name)} · "
        + gettext("第 %(n)s 轮", n=form.round)
        + " · "
        + gettext("第 %(n)s 稿", n=form.revision_number),
    )

    _section(doc, gettext("基本信息"))
    _table(doc, None, [list(row) for row in form.attributes], ATTRIBUTE_WIDTHS, label_column=True)

    _section(doc, gettext("审批意见"))
    if any(r.decisions for r in form.rounds):
        header = [
            gettext("环节"),
            gettext("办理人"),
            gettext("操作"),
            gettext("意见"),
            gettext("时间"),
        ]
        # the role under the name and the time under the date, so that the opinion, the one
        # long text, keeps a wide column (the page has a column for each)
        rounds = [
            (
                record.heading,
                [
                    [
                        d.step,
                        f"{d.actor}\n（{d.role}）",
                        d.action,
                        d.opinion,
                        d.time.replace(" ", "\n"),
                    ]
                    for d in record.decisions
                ],
            )
            for record in form.rounds
        ]
        widths = office_docx.fit_widths(
            header,
            [row for _heading, rows in rounds for row in rows],
            TYPE_WIDTH_MM,
            SMALL_SIZE,
            flexible=3,
            cap_mm=32,
        )
        table = office_docx.table(doc, header, [], widths, size=SMALL_SIZE)
        for heading_text, rows in rounds:
            office_docx.merged_row(table, heading_text, size=SMALL_SIZE)
            for row in rows:
                office_docx.add_row(table, row, widths, size=SMALL_SIZE)
    else:
        doc.add_paragraph(gettext("本轮尚无审批意见。"))

    _section(doc, gettext("保密审查事项"))
    _table(
        doc,
        [gettext("审查事项"), gettext("结论")],
        [[c.question, c.answer_label] for c in form.checklist],
        CHECKLIST_WIDTHS,
        center=(1,),
    )

    _section(doc, gettext("保密预审发现"))
    if form.findings:
        header = [
            gettext("类型"),
            gettext("风险"),
            gettext("位置"),
            gettext("建议公开为"),
            gettext("说明"),
        ]
        rows = [
            [f.kind, f.severity_label, f.where, f.masked or "—", f.detail or ""]
            for f in form.findings
        ]
        widths = office_docx.fit_widths(
            header, rows, TYPE_WIDTH_MM, SMALL_SIZE, flexible=4, cap_mm=40
        )
        office_docx.table(doc, header, rows, widths, size=SMALL_SIZE)
    else:
        doc.add_paragraph(gettext("未发现密级标志、未脱敏的个人信息或敏感词。"))
    if form.override_reason:
        _labelled(doc, gettext("放行理由"), form.override_reason)

    _section(doc, gettext("审查结论"))
    conclusion = doc.add_paragraph()
    conclusion.add_run(form.outcome_label).bold = True
    if form.withheld_basis:
        basis = gettext("依据")
        conclusion.add_run(f"（{basis}：{form.withheld_basis}）")

    _signatures(doc, form)
    exported = doc.add_paragraph()
    exported.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    exported.paragraph_format.space_before = Pt(6)
    exported.add_run(gettext("导出日期") + "：" + local_today().isoformat()).font.size = Pt(9)

    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _signatures(doc, form: SecrecyForm) -> None:
    """签字: the author and each signer of the current round, a line to sign and a date; then
    the body's name over a blank date, with room above for the seal. Kept on one page."""
    heading = _section(doc, gettext("签字"))
    heading.paragraph_format.keep_with_next = True
    rows = [[gettext("撰稿"), form.author, "", BLANK_DATE]]
    rows += [[d.step, d.actor, "", BLANK_DATE] for d in form.decisions]
    table = _table(
        doc,
        [gettext("环节"), gettext("姓名"), gettext("签字"), gettext("日期")],
        rows,
        SIGNATURE_WIDTHS,
        right=(3,),
    )
    for row in table.rows[1:]:
        office_docx.row_height(row, SIGNATURE_HEIGHT)
    for row in table.rows[:-1]:  # the table stays together
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    for _ in range(3):  # room for the seal, which covers the name and the date
        blank = doc.add_paragraph()
        blank.paragraph_format.keep_with_next = True
    office_docx.seal_line(
        doc,
        office_files.text(form.body_name) + gettext("（盖章）"),
        SEAL_DATE,
        char=TEXT_SIZE.pt,
    )


def _centred(doc, text: str):
    return office_docx.paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)


def _section(doc, title: str):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(10)
    paragraph.paragraph_format.space_after = Pt(4)
    paragraph.paragraph_format.keep_with_next = True
    office_docx.font(paragraph.add_run(title), HEADING_FONT, HEADING_SIZE)
    return paragraph


def _labelled(doc, label: str, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(4)
    paragraph.add_run(label + "：").bold = True
    paragraph.add_run(office_files.text(text))


def _table(doc, header, rows, widths, *, size=TEXT_SIZE, **options):
    return office_docx.table(doc, header, rows, [Mm(w) for w in widths], size=size, **options)
