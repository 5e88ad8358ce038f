"""A corpus of hostile attachments, made here rather than committed as blobs: the files of the
attack on the app (issue "Hostile files and hostile text") and their classic relatives.

``python -m tests.helpers.hostile_files <folder>`` writes them all (bench/hostile_files.py does
that for its report); the tests call ``make(name, folder)``. Each maker returns the file's path;
its name carries the extension it is uploaded with.
"""

from __future__ import annotations

import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    ),
}


def _docx(path: Path, document_chunks) -> Path:
    """A .docx whose word/document.xml is written from ``document_chunks`` (bytes), streamed
    into the archive so that a 290 MB part never sits in memory here."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _DOCX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for chunk in document_chunks:
                part.write(chunk)
    return path


def inflated_docx(folder: Path, megabytes: int = 290, name: str = "inflated.docx") -> Path:
    """About 1 MB on disk, 290 MB of document.xml: 5.5 million short paragraphs."""
    paragraph = "<w:p><w:r><w:t>关于低保对象的公示 张三 李四</w:t></w:r></w:p>".encode()
    count = megabytes * 1024 * 1024 // len(paragraph)

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'.encode()
        block = paragraph * 10_000
        for _ in range(count // 10_000):
            yield block
        yield b"</w:body></w:document>"

    return _docx(folder / name, chunks())


def streamed_docx(folder: Path) -> Path:
    """120 MB of document.xml, under the per-part cap: read as a stream until a work limit."""
    return inflated_docx(folder, 120, "streamed.docx")


def busy_docx(folder: Path) -> Path:
    """2.1 million empty paragraphs (19 KB on disk): no text to count, so no early work limit;
    parsing them to the element cap takes about 10 s of CPU, far over a one-second CPU limit on
    any machine (the streamed .docx reaches its text cap in about one second on a fast one)."""

    def chunks():
        yield f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'.encode()
        block = b"<w:p/>" * 10_000
        for _ in range(210):
            yield block
        yield b"</w:body></w:document>"

    return _docx(folder / "busy.docx", chunks())


def _entity_docx(path: Path, doctype: str, text: str) -> Path:
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document {W}><w:body>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    return _docx(path, [document.encode()])


def xxe_docx(folder: Path) -> Path:
    """An external entity naming a local file (and a URL): its content must never be read."""
    doctype = (
        '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">'
        '<!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]>'
    )
    return _entity_docx(folder / "xxe.docx", doctype, "before &secret; &remote; after")


def billion_laughs_docx(folder: Path) -> Path:
    """Ten levels of ten internal entities: 10^9 "lol"s if anything expanded them."""
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol%d;" % (n - 1)) * 10}">' for n in range(1, 10)
    ]
    doctype = "<!DOCTYPE w:document [" + "".join(levels) + "]>"
    return _entity_docx(folder / "laughs.docx", doctype, "&lol9;")


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
_SHEET_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_CLOSE = b"</sheetData></worksheet>"


def _xlsx(path: Path, sheet_chunks) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for chunk in sheet_chunks:
                part.write(chunk)
    return path


def far_row_xlsx(folder: Path) -> Path:
    """About 1.6 KB: one cell, in row 1,000,000,000 (openpyxl's row iterator padded every row
    before it, for 169-197 s)."""
    cell = b'<row r="1000000000"><c r="A1000000000" t="inlineStr"><is><t>x</t></is></c></row>'
    return _xlsx(folder / "far_row.xlsx", [_SHEET_OPEN, cell, _SHEET_CLOSE])


def three_million_cells_xlsx(folder: Path) -> Path:
    """3,000,000 numeric cells: 100,000 rows of 30."""

    def chunks():
        yield _SHEET_OPEN
        for first in range(1, 100_001, 1000):
            rows = []
            for r in range(first, first + 1000):
                cells = "".join(f"<c><v>{c}</v></c>" for c in range(30))
                rows.append(f'<row r="{r}">{cells}</row>')
            yield "".join(rows).encode()
        yield _SHEET_CLOSE

    return _xlsx(folder / "three_million_cells.xlsx", chunks())


def _pdf(objects: list[bytes]) -> bytes:
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


def shared_stream_pdf(folder: Path) -> Path:
    """About 5 KB: three pages that share one flate-compressed content stream of 1.9 million
    tokens (extraction read it once per page, about 10 s each)."""
    stream = b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * 950_000 + b"ET"
    packed = zlib.compress(stream, 9)
    kids = b"4 0 R 5 0 R 6 0 R"
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count 3 >>" % kids,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        page,
        page,
        page,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed),
    ]
    path = folder / "shared_stream.pdf"
    path.write_bytes(_pdf(objects))
    return path


def polyglot_pdf(folder: Path) -> Path:
    """A PDF that is also a ZIP holding an HTML page with a script: stored and served as the PDF
    it says it is (attachment, nosniff), read as a PDF, never unpacked or rendered."""
    text = b"BT /F1 12 Tf 72 720 Td (polyglot) Tj ET"
    pdf = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        ]
    )
    path = folder / "polyglot.pdf"
    path.write_bytes(pdf)
    with zipfile.ZipFile(path, "a") as archive:  # appended: PDF readers and unzip both accept it
        archive.writestr("index.html", "<html><script>alert(document.cookie)</script></html>")
    return path


MAKERS: dict[str, Callable[[Path], Path]] = {
    "far_row_xlsx": far_row_xlsx,
    "shared_stream_pdf": shared_stream_pdf,
    "inflated_docx": inflated_docx,
    "streamed_docx": streamed_docx,
    "busy_docx": busy_docx,
    "three_million_cells_xlsx": three_million_cells_xlsx,
    "xxe_docx": xxe_docx,
    "billion_laughs_docx": billion_laughs_docx,
    "polyglot_pdf": polyglot_pdf,
}


def make(name: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return MAKERS[name](folder)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-files")
    for maker_name in MAKERS:
        made = make(maker_name, target)
        print(f"{made}  {made.stat().st_size:,} bytes")
