"""Word documents for the rich 正文's tests (tests/test_rich_body.py, tests/e2e), built with
python-docx: a 公示 with a 20-row table, and documents that carry a hostile hyperlink."""

from __future__ import annotations

import io

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
VILLAGES = ("青山村", "绿水村", "石桥村", "柳湾村")


def roster() -> list[tuple[str, str, str, str]]:
    """20 rows: 姓名, 所在村, masked resident ID, amount."""
    return [
        (
            f"{SURNAMES[n]}{'明华强芳'[n % 4]}",
            VILLAGES[n % 4],
            f"3301**********{1200 + n}",
            f"{600 + 10 * n}",
        )
        for n in range(20)
    ]


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def notice_docx() -> bytes:
    """A 公示 as an office writes it: a heading, a paragraph, a table of 20 people with a header
    row and a merged title cell, and a closing paragraph with a link."""
    document = docx.Document()
    document.add_heading("2026年第一季度临时救助对象公示", level=1)
    document.add_paragraph("经村（居）委会评议、镇人民政府审核，现将临时救助对象公示如下：")
    table = document.add_table(rows=22, cols=4)
    title = table.cell(0, 0).merge(table.cell(0, 3))
    title.text = "临时救助对象名单（第一批）"
    for cell, text in zip(table.rows[1].cells, ("姓名", "所在村", "身份证号", "救助金额（元）")):
        cell.text = text
    for row, values in zip(table.rows[2:], roster()):
        for cell, text in zip(row.cells, values):
            cell.text = text
    closing = document.add_paragraph("政策依据见")
    add_link(closing, "https://www.gov.cn/", "中国政府网")
    return _save(document)


def add_link(paragraph, target: str, text: str) -> None:
    """A hyperlink run, as Word writes one (mammoth turns it into <a href>)."""
    rid = paragraph.part.relate_to(target, HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    label = OxmlElement("w:t")
    label.text = text
    run.append(label)
    link.append(run)
    paragraph._p.append(link)


def linked_docx(target: str, text: str = "点击查看") -> bytes:
    """A one-paragraph document whose only link goes to ``target`` (a hostile payload)."""
    document = docx.Document()
    paragraph = document.add_paragraph("详见：")
    add_link(paragraph, target, text)
    return _save(document)


def text_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    return _save(document)
