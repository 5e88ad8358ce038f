"""Text extraction from attachments: real files built here, the exact segments and locations
found, and a reason for the reviewer for every file that cannot be read."""

from __future__ import annotations

import datetime as dt
import zipfile

import docx
import openpyxl
import pytest
from docx.oxml.parser import parse_xml
from pypdf import PdfWriter

from approval.core.screening import extract as ex
from approval.core.screening.extract import Segment, Unreadable, extract

ID = "110105194912310021"
MOBILE = "13812345678"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def reason(path, extension):
    with pytest.raises(Unreadable) as caught:
        extract(path, extension)
    assert str(caught.value) == caught.value.reason
    return caught.value.reason


def minimal_pdf(*page_streams: bytes) -> bytes:
    """A valid PDF written by hand (one Helvetica font, one content stream per page), with the
    xref offsets computed from the bytes actually written."""
    n = len(page_streams)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, stream in enumerate(page_streams):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
            f"<< /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


TEXT_PAGE = f"BT /F1 12 Tf 72 720 Td (ID {ID} tel {MOBILE}) Tj ET".encode()


@pytest.fixture
def word_file(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "内部资料 注意保存"
    document.add_paragraph("关于2024年第一季度城乡低保对象的公示")
    document.add_paragraph("")  # blank lines are not counted as paragraphs
    table = document.add_table(rows=2, cols=3)
    for column, title in enumerate(("姓名", "住址", "身份证号")):
        table.cell(0, column).text = title
    table.cell(1, 0).text = "张三"
    table.cell(1, 2).text = ID
    document.add_paragraph("公示期为7天。")
    path = tmp_path / "公示.docx"
    document.save(path)
    return path


def test_docx_paragraphs_table_and_header(word_file):
    assert extract(word_file, "docx") == [
        Segment("页眉第1段", "内部资料 注意保存"),
        Segment("正文第1段", "关于2024年第一季度城乡低保对象的公示"),
        Segment("表格1 第1行第1列", "姓名"),
        Segment("表格1 第1行第2列", "住址"),
        Segment("表格1 第1行第3列", "身份证号"),
        Segment("表格1 第2行第1列", "张三"),
        Segment("表格1 第2行第3列", ID),
        Segment("正文第2段", "公示期为7天。"),
    ]


def test_extension_with_dot_and_capitals(word_file):
    assert extract(word_file, ".DOCX") == extract(word_file, "docx")


def test_docx_nested_table_merged_cells_and_footer(tmp_path):
    document = docx.Document()
    document.sections[0].footer.paragraphs[0].text = "第1页"
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并的标题"
    table.cell(0, 2).text = "备注"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 1).text = f"联系电话 {MOBILE}"
    path = tmp_path / "nested.docx"
    document.save(path)
    assert extract(path, "docx") == [
        Segment("页脚第1段", "第1页"),
        Segment("表格1 第1行第1列", "合并的标题"),  # a merged cell once, not twice
        Segment("表格1 第1行第3列", "备注"),
        Segment("表格1 第2行第2列 内嵌表格1 第1行第2列", f"联系电话 {MOBILE}"),
    ]


def test_docx_tracked_deletion_content_control_and_comment(tmp_path):
    """Text a reader of the published file can still recover is screened too."""
    document = docx.Document()
    paragraph = document.add_paragraph("身份证号：")
    paragraph._p.append(
        parse_xml(
            f'<w:del {W} w:id="1" w:author="a"><w:r><w:delText>{ID}</w:delText></w:r></w:del>'
        )
    )
    document.element.body.insert(
        0,
        parse_xml(
            f"<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>机密★1年</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    document.add_comment(paragraph.runs, text="电话核实过了 " + MOBILE, author="王")
    path = tmp_path / "tracked.docx"
    document.save(path)
    assert extract(path, "docx") == [
        Segment("正文第1段", "机密★1年"),
        Segment("正文第2段", "身份证号：" + ID),
        Segment("批注第1段", "电话核实过了 " + MOBILE),
    ]


def test_corrupt_docx(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    assert reason(path, "docx") == "文件已损坏或不是有效的 Word（.docx）文档，需人工审查"


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "不是有效的 Word" in reason(path, "docx")


def test_zip_bomb_is_refused_before_inflating(word_file, monkeypatch):
    monkeypatch.setattr(ex, "MAX_ZIP_BYTES", 10_000)
    assert reason(word_file, "docx") == "内容过大，无法自动读取，需人工审查"


def test_total_text_is_capped(word_file, monkeypatch):
    monkeypatch.setattr(ex, "MAX_CHARS", 30)
    assert reason(word_file, "docx") == "内容过大，无法自动读取，需人工审查"


@pytest.fixture
def excel_file(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "低保名单"
    sheet.append(["序号", "姓名", "联系电话"])
    sheet.append([1, "张三", int(MOBILE)])
    sheet.append([2, "李四", "139 0000 1111"])
    sheet.append([3, "王五", None])
    second = book.create_sheet("说明")
    second["B2"] = "本名单仅供公示使用"
    path = tmp_path / "低保.xlsx"
    book.save(path)
    return path


def test_xlsx_every_sheet_every_cell(excel_file):
    assert extract(excel_file, "xlsx") == [
        Segment("工作表“低保名单” A1", "序号"),
        Segment("工作表“低保名单” B1", "姓名"),
        Segment("工作表“低保名单” C1", "联系电话"),
        Segment("工作表“低保名单” A2", "1"),
        Segment("工作表“低保名单” B2", "张三"),
        Segment("工作表“低保名单” C2", MOBILE),
        Segment("工作表“低保名单” A3", "2"),
        Segment("工作表“低保名单” B3", "李四"),
        Segment("工作表“低保名单” C3", "139 0000 1111"),
        Segment("工作表“低保名单” A4", "3"),
        Segment("工作表“低保名单” B4", "王五"),
        Segment("工作表“说明” B2", "本名单仅供公示使用"),
    ]


def test_xlsx_values_as_displayed_and_hidden_sheet(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet["A1"] = 13812345678.0  # a float that is a whole number: no "1.38123E+10", no ".0"
    sheet["A2"] = 0.125
    sheet["A2"].number_format = "0.0%"
    sheet["A3"] = 1234.5
    sheet["A3"].number_format = "#,##0.00"
    sheet["A4"] = dt.datetime(2024, 3, 1)
    sheet["A5"] = True
    sheet["A6"] = 2.5
    hidden = book.create_sheet("底稿")
    hidden.sheet_state = "hidden"
    hidden["C7"] = ID
    path = tmp_path / "values.xlsx"
    book.save(path)
    assert [(s.location, s.text) for s in extract(path, "xlsx")] == [
        ("工作表“数据” A1", MOBILE),
        ("工作表“数据” A2", "12.5%"),
        ("工作表“数据” A3", "1,234.50"),
        ("工作表“数据” A4", "2024-03-01"),
        ("工作表“数据” A5", "TRUE"),
        ("工作表“数据” A6", "2.5"),
        ("工作表“底稿”（隐藏） C7", ID),
    ]


def test_xlsx_cell_count_is_capped(excel_file, monkeypatch):
    monkeypatch.setattr(ex, "MAX_CELLS", 5)
    assert reason(excel_file, "xlsx") == "单元格过多，无法自动读取，需人工审查"


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a workbook at all")
    assert reason(path, "xlsx") == "文件已损坏或不是有效的 Excel（.xlsx）工作簿，需人工审查"


def test_pdf_with_text_layer_page_by_page(tmp_path):
    path = tmp_path / "list.pdf"
    path.write_bytes(minimal_pdf(b"", TEXT_PAGE))
    assert extract(path, "pdf") == [Segment("第2页", f"ID {ID} tel {MOBILE}")]


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(minimal_pdf(b""))
    assert reason(path, "pdf") == "PDF 没有文字层（可能是扫描件），需人工审查"


def test_encrypted_pdf(tmp_path):
    source = tmp_path / "plain.pdf"
    source.write_bytes(minimal_pdf(TEXT_PAGE))
    writer = PdfWriter(clone_from=source)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    assert reason(path, "pdf") == "PDF 已加密，无法读取，需人工审查"


def test_pdf_with_only_an_owner_password_is_read(tmp_path):
    source = tmp_path / "plain.pdf"
    source.write_bytes(minimal_pdf(TEXT_PAGE))
    writer = PdfWriter(clone_from=source)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "restricted.pdf"
    writer.write(path)
    assert extract(path, "pdf") == [Segment("第1页", f"ID {ID} tel {MOBILE}")]


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage \x00\x01 no objects, no xref")
    assert reason(path, "pdf") == "PDF 文件已损坏，无法读取，需人工审查"


def test_txt_in_gb18030(tmp_path):
    path = tmp_path / "名单.txt"
    path.write_bytes(f"低保名单\r\n\r\n张三 {ID}\r\n李四 {MOBILE}\r\n".encode("gb18030"))
    assert extract(path, "txt") == [
        Segment("第1行", "低保名单"),
        Segment("第3行", f"张三 {ID}"),
        Segment("第4行", f"李四 {MOBILE}"),
    ]


def test_txt_in_utf8_with_bom_and_utf16(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff秘密★5年\n正文".encode("utf-8"))
    assert extract(path, "txt") == [Segment("第1行", "秘密★5年"), Segment("第2行", "正文")]
    path.write_bytes("姓名\t电话\n张三\t13812345678".encode("utf-16"))  # Excel's "Unicode text"
    assert extract(path, "txt") == [
        Segment("第1行", "姓名\t电话"),
        Segment("第2行", "张三\t13812345678"),
    ]


def test_csv_per_line(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text(f"姓名,身份证号,电话\n张三,{ID},{MOBILE}\n", encoding="utf-8")
    assert extract(path, "csv") == [
        Segment("第1行", "姓名,身份证号,电话"),
        Segment("第2行", f"张三,{ID},{MOBILE}"),
    ]


def test_big_text_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(ex, "MAX_TEXT_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_text("一二三四五六七八九十", encoding="utf-8")
    assert reason(path, "txt") == "内容过大，无法自动读取，需人工审查"


@pytest.mark.parametrize("extension", ["doc", "xls", "wps", "et", "ofd", "png", "jpg", "zip", ""])
def test_unsupported_formats_need_manual_review(tmp_path, extension):
    path = tmp_path / f"old.{extension}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)  # an OLE header
    assert reason(path, extension) == "暂不支持自动读取该格式，需人工审查"


def test_files_stored_without_an_extension_are_read_by_the_extension_given(tmp_path):
    """Attachments are stored under their SHA-256, with no extension in the file name."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["联系电话", "13812345678"])
    data = io.BytesIO()
    book.save(data)
    stored = tmp_path / "3f" / ("3f" + "0" * 62)
    stored.parent.mkdir()
    stored.write_bytes(data.getvalue())
    assert [s.text for s in extract(stored, "xlsx")] == ["联系电话", "13812345678"]


# ---------------------------------------------------------------- files that are not what they say


def test_a_workbook_named_docx_and_a_document_named_xlsx_need_review(word_file, excel_file):
    """Both are zip packages: read as the other format, each would give no text at all, and so
    no finding, while WPS opens it by its content."""
    assert "不是有效的 Word" in reason(excel_file, "docx")
    assert "不是有效的 Excel" in reason(word_file, "xlsx")


def test_a_dtd_in_any_part_of_a_word_document_is_refused(tmp_path):
    """Office never writes a DTD; with one, an entity could hide text from the reader."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "HEADER"
    document.add_paragraph("正文")
    plain = tmp_path / "plain.docx"
    document.save(plain)
    hidden = tmp_path / "dtd.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(hidden, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("word/header"):
                data = data.replace(
                    b"?>", b'?><!DOCTYPE w:hdr [<!ENTITY x "110105194912310021">]>', 1
                )
                data = data.replace(b"HEADER", b"&x;")
            target.writestr(info, data)
    assert reason(hidden, "docx") == "文件含有 DTD 声明（Office 文档不会有），需人工审查"


def test_xlsx_cell_types_written_by_other_programs(tmp_path):
    """An empty value, an ISO date cell (t="d"), an inline string and a cached formula string,
    as WPS and LibreOffice write them."""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1"><v/></c><c r="B1" t="d"><v>2024-03-01T00:00:00</v></c>'
        '<c r="C1" t="inlineStr"><is><t>张三</t></is></c>'
        f'<c r="D1" t="str"><f>A1</f><v>{ID}</v></c></row></sheetData></worksheet>'
    )
    path = tmp_path / "others.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="表" sheetId="1" r:id="r1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    assert extract(path, "xlsx") == [
        Segment("工作表“表” B1", "2024-03-01"),
        Segment("工作表“表” C1", "张三"),
        Segment("工作表“表” D1", ID),
    ]
