"""A request's documents (``documents.Letter``) as Word files (python-docx), laid out as the
party and government documents' format asks (GB/T 9704-2012, 党政机关公文格式):

- A4 portrait; margins 37 mm top, 35 mm bottom, 28 mm left (订口), 26 mm right: a type area of
  156 × 225 mm;
- the title in 二号 (22 pt) 小标宋 (方正小标宋简体), centred; the body in 三号 (16 pt)
  仿宋_GB2312 at an exact 28.95 pt line pitch (22 lines a page), paragraphs indented two
  characters; the 主送 (addressee) flush left;
- 附件说明 as "附件：1.……", later names aligned with the first (7.3.4);
- the 落款: the issuer (to be sealed) centred over the date, the date four characters from the
  right margin; page numbers "— n —" at the foot.

Where a computer lacks those fonts, Word takes the font table's alternative (仿宋, 宋体) and
LibreOffice its own replacement (FangSong, then Noto Serif CJK SC); the letter's words are the
same. The text is the ``Letter``'s, cleaned as every text written into an office file is."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from approval.platform import office_files
from approval.requests.letters import ATTACHMENTS_LABEL, Letter

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_SIZE, TITLE_SIZE = Pt(16), Pt(22)  # 三号, 二号
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area
CHAR = 16  # one character of the body, in points


def build(letter: Letter) -> bytes:
    """The .docx bytes of ``letter``."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _font_table(doc)
    doc.core_properties.title = f"{letter.title} {letter.number}"
    doc.core_properties.author = office_files.text(letter.issuer)
    doc.core_properties.comments = ""

    title = _paragraph(doc, letter.title, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    for run in title.runs:
        _font(run, TITLE_FONT, TITLE_SIZE)
    if letter.subtitle:
        _paragraph(doc, letter.subtitle, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    _paragraph(doc, letter.reference, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    _paragraph(doc, "")  # a blank line before the addressee
    _paragraph(doc, f"{letter.addressee}：", indent=0)

    for block in letter.blocks:
        if block.text:
            paragraph = _paragraph(doc, block.text, indent=0 if block.quote else 2)
            if block.quote:
                paragraph.paragraph_format.left_indent = Pt(2 * CHAR)
                paragraph.paragraph_format.right_indent = Pt(2 * CHAR)
        for line in block.numbered():
            _paragraph(doc, line)
    last = None
    for text in (letter.remedies, letter.closing):
        if text:
            last = _paragraph(doc, text)
    attachments = letter.attachment_lines()
    if attachments:
        last = _paragraph(doc, "")  # 正文下空一行 (7.3.4)
        for i, line in enumerate(attachments):
            last = _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0 if i else 2)
            if i:  # aligned under the first name: 2 characters, "附件：", then the name
                last.paragraph_format.left_indent = Pt((2 + len(ATTACHMENTS_LABEL) + 1) * CHAR)
    # the 落款 one line below the text, never alone on a page (7.3.5.4): the last paragraph,
    # the blank line and the issuer keep with what follows
    blank = _paragraph(doc, "")
    for paragraph in (last, blank):
        if paragraph is not None:
            paragraph.paragraph_format.keep_with_next = True
    _seal_line(doc, *letter.seal)
    _footer(doc)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)


def _styles(doc) -> None:
    style = doc.styles["Normal"]
    style.font.size = BODY_SIZE
    _set_fonts(style.element.get_or_add_rPr(), BODY_FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    style.element.get_or_add_rPr().append(language)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH


def _set_fonts(rpr, name: str) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _font_table(doc) -> None:
    """Name each font's alternative in the font table (Word uses it where the font is missing)."""
    part = next(
        (p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml"), None
    )
    if part is None:
        return
    root = parse_xml(part.blob)
    for name, alternative in ((BODY_FONT, BODY_FALLBACK), (TITLE_FONT, TITLE_FALLBACK)):
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternative)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        family = OxmlElement("w:family")
        family.set(qn("w:val"), "roman")
        font.extend([alt, charset, family])
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _font(run, name: str, size) -> None:
    run.font.size = size
    _set_fonts(run._element.get_or_add_rPr(), name)


def _paragraph(doc, text: str, *, align=None, indent: int = 2):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align or WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Pt(indent * CHAR) if indent else None
    if text:
        paragraph.add_run(office_files.text(text))
    return paragraph


def _width(text: str) -> float:
    """The text's width in body characters (digits and Latin letters are half one)."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def _seal_line(doc, issuer: str, dated: str) -> None:
    """The date four characters from the right margin, the issuer centred over it."""
    date_right = 4
    issuer_right = max(0.0, date_right + (_width(dated) - _width(issuer)) / 2)
    for text, right in ((issuer, issuer_right), (dated, date_right)):
        paragraph = _paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=0)
        paragraph.paragraph_format.right_indent = Pt(right * CHAR)
        paragraph.paragraph_format.keep_with_next = text == issuer


def _footer(doc) -> None:
    """— 1 —: the page number, centred (a PAGE field, filled in by Word or LibreOffice)."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        _font(r, "宋体", Pt(14))  # 四号
