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
LibreOffice its own replacement; the letter's words are the same (the page, fonts, 落款 and
footer are ``platform.office_docx``'s, shared with the other Word files). The text is the
``Letter``'s, cleaned as every text written into an office file is."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from approval.platform import office_docx, office_files
from approval.platform.office_docx import CHAR, TITLE_FONT, TITLE_SIZE
from approval.requests.letters import ATTACHMENTS_LABEL, Letter

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_paragraph = office_docx.paragraph


def build(letter: Letter) -> bytes:
    """The .docx bytes of ``letter``."""
    doc = Document()
    office_docx.page_setup(doc.sections[0])
    office_docx.styles(doc)
    doc.core_properties.title = f"{letter.title} {letter.number}"
    doc.core_properties.author = office_files.text(letter.issuer)
    doc.core_properties.comments = ""

    title = _paragraph(doc, letter.title, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    for run in title.runs:
        office_docx.font(run, TITLE_FONT, TITLE_SIZE)
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
    office_docx.seal_line(doc, *letter.seal)
    office_docx.footer(doc)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
