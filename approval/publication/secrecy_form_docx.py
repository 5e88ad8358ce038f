"""The 保密审查单 as a Word document (python-docx), built from the same ``SecrecyForm`` as the page."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from flask_babel import gettext

from approval.core.clock import local_today
from approval.platform import office_files
from approval.publication.secrecy_form import SecrecyForm

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CJK_FONT = "宋体"  # what a government office's Word has; the viewer substitutes if needed
LATIN_FONT = "Times New Roman"


def build(form: SecrecyForm) -> bytes:
    """The .docx bytes of ``form``: A4 portrait, one heading, four tables, the outcome."""
    doc = Document()
    _page_setup(doc)
    _fonts(doc)
    title = gettext("保密审查单")
    doc.core_properties.title = f"{title} · {office_files.text(form.title)}"
    doc.core_properties.author = office_files.text(form.body_name)
    doc.core_properties.comments = form.content_hash

    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(gettext("政府信息公开保密审查单"))
    run.bold, run.font.size = True, Pt(18)
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run(
        f"{office_files.text(form.body_name)} · "
        + gettext("第 %(n)s 轮", n=form.round)
        + " · "
        + gettext("第 %(n)s 稿", n=form.revision_number)
    ).font.size = Pt(10.5)

    _section(doc, gettext("基本信息"))
    _table(
        doc,
        None,
        [list(row) for row in form.attributes],
        widths=(Cm(3.2), Cm(12.8)),
        label_column=True,
    )

    _section(doc, gettext("审批意见"))
    if form.decisions:
        _table(
            doc,
            [
                gettext("环节"),
                gettext("办理人"),
                gettext("角色"),
                gettext("操作"),
                gettext("意见"),
                gettext("时间"),
            ],
            [[d.step, d.actor, d.role, d.action, d.opinion, d.time] for d in form.decisions],
            widths=(Cm(2.6), Cm(2.2), Cm(2.2), Cm(2.2), Cm(4.2), Cm(2.6)),
        )
    else:
        doc.add_paragraph(gettext("本轮尚无审批意见。"))

    _section(doc, gettext("保密审查事项"))
    _table(
        doc,
        [gettext("审查事项"), gettext("结论")],
        [[c.question, c.answer_label] for c in form.checklist],
        widths=(Cm(13.5), Cm(2.5)),
    )

    _section(doc, gettext("保密预审发现"))
    if form.findings:
        _table(
            doc,
            [
                gettext("类型"),
                gettext("风险"),
                gettext("位置"),
                gettext("建议公开为"),
                gettext("说明"),
            ],
            [
                [f.kind, f.severity_label, f.where, f.masked or "—", f.detail or ""]
                for f in form.findings
            ],
            widths=(Cm(2.6), Cm(1.8), Cm(4.4), Cm(3.6), Cm(3.6)),
        )
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

    footer = doc.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(gettext("导出日期") + "：" + local_today().isoformat()).font.size = Pt(9)

    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.left_margin = section.right_margin = Cm(2.5)


def _fonts(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name, style.font.size = LATIN_FONT, Pt(10.5)  # 五号
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)


def _section(doc, title: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(10)
    run = paragraph.add_run(title)
    run.bold, run.font.size = True, Pt(12)


def _labelled(doc, label: str, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.add_run(label + "：").bold = True
    paragraph.add_run(office_files.text(text))


def _table(
    doc, header: list[str] | None, rows: list[list[str]], *, widths, label_column: bool = False
) -> None:
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header):
            cell.paragraphs[0].add_run(office_files.text(text)).bold = True
        _repeat_as_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values)):
            run = cell.paragraphs[0].add_run(office_files.text(text))
            run.bold = label_column and i == 0
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _repeat_as_header(row) -> None:
    """The header row repeats on every page the table runs over."""
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)
