"""The report as a Word file in the format's layout (国办公开办函〔2021〕30号) and the app's
GB/T 9704 style (``platform.office_docx``): the title, the six section headings in 黑体, the
texts, and tables 二, 三 and 四 with the format's exact labels and merged cells (``layout``).
The labels are the format's Chinese whatever the user's language: the report is published as
it is."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from approval.annual_reports import layout
from approval.platform import office_docx, office_files
from approval.platform.office_docx import HEADING_FONT, TABLE_SIZE, TITLE_FONT

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_SIZE = Pt(22)  # 二号
SMALL = Pt(9)  # table 三 and 四 are wide: 小五 in their cells


def build(view) -> bytes:
    """The .docx bytes of ``view`` (``queries.ReportView``)."""
    doc = Document()
    office_docx.page_setup(doc.sections[0])
    office_docx.styles(doc)
    title = layout.TITLE % {"body": view.body_name, "year": view.year}
    doc.core_properties.title = office_files.text(title)
    doc.core_properties.author = office_files.text(view.body_name)
    doc.core_properties.comments = ""
    p = office_docx.paragraph(doc, title, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    for run in p.runs:
        office_docx.font(run, TITLE_FONT, TITLE_SIZE)
    office_docx.paragraph(doc, "")

    _heading(doc, layout.SECTIONS["overview"])
    _texts(doc, view.texts["overview"])
    _heading(doc, layout.SECTIONS["two"])
    _grid(doc, view.grids["two"], [Mm(60), Mm(32), Mm(32), Mm(32)], TABLE_SIZE)
    _heading(doc, layout.SECTIONS["three"])
    widths = [Mm(22), Mm(22), Mm(40)] + [Mm(10.3)] * 7
    _grid(doc, view.grids["three"], widths, SMALL)
    _heading(doc, layout.SECTIONS["four"])
    _grid(doc, view.grids["four"], [Mm(10.4)] * 15, SMALL)
    _heading(doc, layout.SECTIONS["problems"])
    _texts(doc, view.texts["problems"])
    _heading(doc, layout.SECTIONS["other_matters"])
    _texts(doc, view.texts["other_matters"])
    office_docx.footer(doc)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _heading(doc, text: str) -> None:
    p = office_docx.paragraph(doc, text)
    p.paragraph_format.keep_with_next = True
    for run in p.runs:
        office_docx.font(run, HEADING_FONT)


def _texts(doc, text: str) -> None:
    for line in (text or "").split("\n"):
        if line.strip():
            office_docx.paragraph(doc, line.strip())


def _grid(doc, grid: layout.Grid, widths, size) -> None:
    t = doc.add_table(rows=len(grid.rows), cols=grid.width)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    office_docx.fixed_widths(t, widths)
    # python-docx's t.cell(r, c) walks the whole table each time (table 三 took seconds): the
    # cells are read once before the merges (which are disjoint, so each still has its own
    # cell) and once after (a merged range repeats its first cell)
    width = grid.width
    unmerged = t._cells
    for r0, c0, r1, c1 in grid.merges:
        unmerged[r0 * width + c0].merge(unmerged[r1 * width + c1])
    spans = grid.spans()
    cells = t._cells
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if spans.get((r, c), ()) is None:
                continue  # covered by a merge
            target = cells[r * width + c]
            p = target.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = None
            p.paragraph_format.line_spacing = 1.0
            if cell.text:
                run = p.add_run(office_files.text(cell.text))
                run.font.size = size
        office_docx.row_cant_split(t.rows[r])
    for r in range(len(grid.rows)):
        for c, w in enumerate(widths[:width]):
            cells[r * width + c].width = w
