"""What the app's Word files share: the page, the fonts and the tables of party and government
documents (GB/T 9704-2012, 党政机关公文格式).

- A4; margins 37 mm top, 35 mm bottom, 28 mm left (订口), 26 mm right: a type area of
  156 × 225 mm (landscape pages, for wide tables, keep 25 mm all round);
- titles in 小标宋 (方正小标宋简体), the body in 仿宋_GB2312, first-level headings in 黑体;
- the 落款 (issuer to be sealed, centred over the date) and the page numbers "— n —".

Where a computer lacks a font, Word and WPS take the font table's alternative (``w:altName``:
仿宋, 宋体, 黑体, which every Chinese Windows has). LibreOffice (7.4) ignores that entry and asks
fontconfig, which on a Linux machine without the fonts gives Noto Serif/Sans CJK SC or whatever
CJK font is installed; the words and the page are the same. Every text written is cleaned
(``office_files.text``).
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from approval.platform import office_files

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
# font → Word's alternative where it is missing
FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", HEADING_FONT: "黑体"}
BODY_SIZE, TITLE_SIZE = Pt(16), Pt(22)  # 三号, 二号
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area
CHAR = 16  # one character of the body, in points
TABLE_SIZE = Pt(12)  # 小四: a form's or a table's cells
TYPE_WIDTH = Mm(156)  # portrait
LANDSCAPE_WIDTH = Mm(297 - 50)
RED = RGBColor(0xE6, 0x00, 0x12)  # 发文机关标志 and the 版头's rule


def page_setup(section, *, landscape: bool = False) -> None:
    """A4, GB/T 9704's margins; a landscape page (for a wide table) 25 mm all round."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(25)
        section.left_margin = section.right_margin = Mm(25)
        section.footer_distance = Mm(12)
        return
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)


def landscape_section(doc):
    """A new section, on a new page, in landscape (its footer is the document's)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape=True)
    return section


def styles(doc, *, size=BODY_SIZE, pitch=LINE_PITCH) -> None:
    """Normal: 仿宋_GB2312 in ``size``, Chinese, no space between paragraphs, an exact pitch
    (None: single spacing)."""
    style = doc.styles["Normal"]
    style.font.size = size
    set_fonts(style.element.get_or_add_rPr(), BODY_FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    style.element.get_or_add_rPr().append(language)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if pitch is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = pitch
    font_table(doc)


def set_fonts(rpr, name: str) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def font_table(doc) -> None:
    """Name each font's alternative in the font table (Word uses it where the font is missing)."""
    part = next(
        (p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml"), None
    )
    if part is None:
        return
    root = parse_xml(part.blob)
    for name, alternative in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternative)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "modern" if name == HEADING_FONT else "roman")
        font.extend([alt, charset, family])
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def font(run, name: str, size=None, *, bold: bool | None = None, color=None) -> None:
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    set_fonts(run._element.get_or_add_rPr(), name)


def paragraph(doc, text: str, *, align=None, indent: int = 2, char: float = CHAR):
    """A paragraph of ``text`` (cleaned), justified, its first line indented ``indent``
    characters of ``char`` points."""
    p = doc.add_paragraph()
    p.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.first_line_indent = Pt(indent * char) if indent else None
    if text:
        p.add_run(office_files.text(text))
    return p


def width(text: str) -> float:
    """The text's width in characters (digits and Latin letters are half one)."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def seal_line(doc, issuer: str, dated: str, *, char: float = CHAR) -> None:
    """The date four characters from the right margin, the issuer centred over it."""
    date_right = 4
    issuer_right = max(0.0, date_right + (width(dated) - width(issuer)) / 2)
    for text, right in ((issuer, issuer_right), (dated, date_right)):
        p = paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0)
        p.paragraph_format.right_indent = Pt(right * char)
        p.paragraph_format.keep_with_next = text == issuer


def chinese_date(day) -> str:
    """2026年11月3日 (GB/T 9704 7.3.5.1: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def footer(doc) -> None:
    """— 1 —: the page number, centred (a PAGE field, filled in by Word or LibreOffice)."""
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)
    p.add_run(" —")
    for r in p.runs:
        font(r, "宋体", Pt(14))  # 四号


def rule(p, color: str = "E60012", size_eighths: int = 12) -> None:
    """A line under paragraph ``p`` across the type area (the 版头's 分隔线)."""
    properties = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    properties.append(borders)


# ------------------------------------------------------------------------------ tables


def table(
    doc,
    header: list[str] | None,
    rows: list[list],
    widths: list[int] | tuple,
    *,
    size=None,
    right: tuple[int, ...] = (),
    center: tuple[int, ...] = (),
    label_column: bool = False,
):
    """A bordered table with fixed column ``widths`` (Mm or Pt), its cells' texts in ``size``
    仿宋, single-spaced; columns in ``right`` right-aligned (numbers), in ``center`` centred;
    the header row bold, centred and repeated on every page the table runs over."""
    size = size or TABLE_SIZE
    t = doc.add_table(rows=0, cols=len(widths))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False  # fixed layout: the widths below are kept
    fixed_widths(t, widths)
    if header:
        row = t.add_row()
        for cell, text, w in zip(row.cells, header, widths):
            cell.width = w
            _cell_text(cell, text, size, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        row_cant_split(row)
        repeat_as_header(row)
    for values in rows:
        add_row(t, values, widths, size=size, right=right, center=center, label_column=label_column)
    return t


def add_row(
    t,
    values,
    widths,
    *,
    size=None,
    right: tuple[int, ...] = (),
    center: tuple[int, ...] = (),
    label_column: bool = False,
):
    """One more row of ``values`` in a table made by ``table`` (the same options)."""
    row = t.add_row()
    for i, (cell, value, w) in enumerate(zip(row.cells, values, widths)):
        align = (
            WD_ALIGN_PARAGRAPH.RIGHT
            if i in right
            else WD_ALIGN_PARAGRAPH.CENTER
            if i in center
            else WD_ALIGN_PARAGRAPH.LEFT
        )
        cell.width = w
        _cell_text(cell, value, size or TABLE_SIZE, align, bold=label_column and i == 0)
    row_cant_split(row)
    return row


CELL_PADDING_MM = 4.0  # Word's default cell margins (1.9 mm each side) and a little air
PT_MM = 25.4 / 72


def fit_widths(
    header: list[str] | None,
    rows: list[list],
    total_mm: float,
    size,
    *,
    flexible: int | None = None,
    stretch: bool = True,
    flexible_min_mm: float = 40,
    cap_mm: float = 60,
) -> list:
    """Column widths (Mm) that fit the content in ``size`` points: each column as wide as its
    widest line (a header's included), within ``total_mm``. The ``flexible`` column (a long
    text that may wrap) takes what is left, at least ``flexible_min_mm``; without one, the slack
    is shared out (``stretch``) or the table stays as narrow as its content; when the content is
    wider than ``total_mm`` every column shrinks in proportion (the texts wrap). No column asks
    for more than ``cap_mm``: a long text wraps rather than squeezing the others."""
    em_mm = size.pt * PT_MM
    columns = len(header) if header else len(rows[0])
    needs = []
    for i in range(columns):
        texts = ([header[i]] if header else []) + [row[i] for row in rows]
        widest = max(
            (_em(line) for t in texts for line in office_files.text(t).split("\n")), default=1
        )
        needs.append(min(cap_mm, widest * em_mm + CELL_PADDING_MM))
    if flexible is not None:
        others = sum(n for i, n in enumerate(needs) if i != flexible)
        flex = min(needs[flexible], flexible_min_mm)
        if others + flex > total_mm:  # the fixed columns give way in proportion
            scale = (total_mm - flex) / others
            needs = [flex if i == flexible else n * scale for i, n in enumerate(needs)]
        else:
            needs[flexible] = total_mm - others
    elif sum(needs) > total_mm or stretch:
        scale = total_mm / sum(needs)
        needs = [n * scale for n in needs]
    return [Mm(round(n, 1)) for n in needs]


def _em(text: str) -> float:
    """The text's width in ems of a CJK font (its digits and Latin letters are about 0.55)."""
    return sum(0.55 if ord(c) < 0x2E80 else 1 for c in text)


def fixed_widths(t, widths) -> None:
    """The table's grid and total width, so that Word and LibreOffice keep the columns."""
    for column, w in zip(t.columns, widths):
        column.width = w
    properties = t._tbl.tblPr
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    total.set(qn("w:type"), "dxa")
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    properties.append(total)


def _cell_text(cell, value, size, align, *, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = None
    lines = office_files.text(value).split("\n")
    run = p.add_run(lines[0])
    run.font.size, run.bold = size, bold
    for line in lines[1:]:
        run.add_break()
        run.add_text(line)


def repeat_as_header(row) -> None:
    """The row repeats on every page the table runs over."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def row_cant_split(row) -> None:
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def row_height(row, height) -> None:
    """At least ``height`` (room to sign)."""
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    row.height = height


def merged_row(t, text: str, *, size=None, bold: bool = True):
    """A row whose cells are one, holding ``text`` (a group's heading inside a table)."""
    size = size or TABLE_SIZE
    row = t.add_row()
    cell = row.cells[0].merge(row.cells[-1])
    _cell_text(cell, text, size, WD_ALIGN_PARAGRAPH.LEFT, bold=bold)
    row_cant_split(row)
    return row
