"""Text of an attachment, cut into segments that say where in the file each piece is, for the
screening of attachments. Pure Python: no Flask, no database.

Every failure - an unsupported format, a corrupt or encrypted file, a file too big to read - is
an ``Unreadable`` with a reason for the reviewer, never another exception: an attachment that
cannot be read is itself a finding ("needs manual review")."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

MAX_CHARS = 20_000_000  # extracted text, all segments together
MAX_CELLS = 1_000_000  # non-empty spreadsheet cells
MAX_SCANNED_CELLS = 20_000_000  # spreadsheet cells looked at, empty padding included
MAX_ZIP_BYTES = 300 * 1024 * 1024  # declared uncompressed size of a .docx/.xlsx (zip bombs)
MAX_TEXT_BYTES = 64 * 1024 * 1024  # a .txt/.csv file
MAX_PDF_PAGES = 5_000

MANUAL = "需人工审查"
UNSUPPORTED = f"暂不支持自动读取该格式，{MANUAL}"
TOO_BIG = f"内容过大，无法自动读取，{MANUAL}"


@dataclass(frozen=True)
class Segment:
    location: (
        str  # for people: "正文第3段", "表格1 第2行第3列", "工作表“名单” B7", "第2页", "第12行"
    )
    text: str


class Unreadable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Collector:
    """Segments with a cap on their total length."""

    def __init__(self):
        self.segments, self.chars = [], 0

    def add(self, location: str, text: str) -> None:
        if not text.strip():
            return
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            raise Unreadable(TOO_BIG)
        self.segments.append(Segment(location, text))


def extract(path: Path, extension: str) -> list[Segment]:
    extension = extension.lower().lstrip(".")
    reader = _READERS.get(extension)
    if reader is None:
        raise Unreadable(UNSUPPORTED)
    out = _Collector()
    try:
        reader(Path(path), out)
    except Unreadable:
        raise
    except MemoryError:
        raise Unreadable(TOO_BIG) from None
    except Exception as error:  # corrupt files make the libraries fail in many ways
        raise Unreadable(_CORRUPT[extension]) from error
    return out.segments


_CORRUPT = {
    "docx": f"文件已损坏或不是有效的 Word（.docx）文档，{MANUAL}",
    "xlsx": f"文件已损坏或不是有效的 Excel（.xlsx）工作簿，{MANUAL}",
    "pdf": f"PDF 文件已损坏，无法读取，{MANUAL}",
    "txt": f"无法读取该文本文件，{MANUAL}",
    "csv": f"无法读取该 CSV 文件，{MANUAL}",
}


def _check_zip(path: Path) -> None:
    """Refuse before inflating anything: zipfile never yields more than an entry's declared size."""
    with zipfile.ZipFile(path) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_ZIP_BYTES:
            raise Unreadable(TOO_BIG)


# --- .docx -----------------------------------------------------------------------------------

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
_W = "{%s}" % _NS["w"]
# run text in document order, tracked deletions included (they are still in the file), text
# boxes included once (their mc:Fallback copy left out), field codes left out
_RUN_TEXT = etree.XPath(
    ".//w:r/*[self::w:t or self::w:delText or self::w:tab or self::w:br or self::w:cr]"
    "[not(ancestor::mc:Fallback)]",
    namespaces=_NS,
)
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"}


def _children(element, tag: str):
    """Children with the tag, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == _W + tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _blocks(element):
    """Paragraphs and tables in document order, looking through content controls."""
    for child in element:
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _paragraph_text(p) -> str:
    return "".join(
        node.text or ""
        if node.tag in (_W + "t", _W + "delText")
        else "\t"
        if node.tag == _W + "tab"
        else "\n"
        for node in _RUN_TEXT(p)
    )


def _docx_blocks(element, prefix: str, out: _Collector) -> None:
    """prefix names the container ("正文", "页眉", ...); tables are numbered in it from 1."""
    paragraphs = tables = 0
    for block in _blocks(element):
        if block.tag == _W + "p":
            text = _paragraph_text(block)
            if text.strip():
                paragraphs += 1
                out.add(f"{prefix}第{paragraphs}段", text)
        else:
            tables += 1
            _docx_table(block, f"{'' if prefix == '正文' else prefix}表格{tables}", out)


def _docx_table(tbl, name: str, out: _Collector) -> None:
    for r, tr in enumerate(_children(tbl, "tr"), start=1):
        column = 1 + sum(int(g.get(_W + "val", 0)) for g in tr.iterfind("w:trPr/w:gridBefore", _NS))
        for tc in _children(tr, "tc"):
            span = tc.find("w:tcPr/w:gridSpan", _NS)
            where = f"{name} 第{r}行第{column}列"
            column += int(span.get(_W + "val", 1)) if span is not None else 1
            text = "\n".join(_paragraph_text(p) for p in _children(tc, "p"))
            out.add(where, text.strip("\n"))
            for k, inner in enumerate(_children(tc, "tbl"), start=1):
                _docx_table(inner, f"{where} 内嵌表格{k}", out)


_NOTES = {"/word/footnotes.xml": "脚注", "/word/endnotes.xml": "尾注", "/word/comments.xml": "批注"}


def _read_docx(path: Path, out: _Collector) -> None:
    import docx
    from docx.oxml.parser import parse_xml  # no entity expansion

    _check_zip(path)
    document = docx.Document(str(path))
    sections = document.sections
    for i, section in enumerate(sections, start=1):
        for kind, label in (("header", "页眉"), ("footer", "页脚")):
            for variant, word in (("", ""), ("first_page_", "首页"), ("even_page_", "偶数页")):
                part = getattr(section, variant + kind)
                if part.is_linked_to_previous:  # no definition of its own
                    continue
                where = (f"第{i}节" if len(sections) > 1 else "") + word + label
                _docx_blocks(part.part.element, where, out)
    _docx_blocks(document.element.body, "正文", out)
    for part in document.part.package.iter_parts():
        label = _NOTES.get(str(part.partname))
        if label:
            texts = (_paragraph_text(p) for p in parse_xml(part.blob).iter(_W + "p"))
            for n, text in enumerate((t for t in texts if t.strip()), start=1):
                out.add(f"{label}第{n}段", text)


# --- .xlsx -----------------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"([#,0]*)(?:\.(0+))?(%?)")


def _display(value, number_format: str) -> str:
    """The value roughly as Excel shows it; whole numbers in full (no 1.38123E+10)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return str(value)
    if isinstance(value, (int, float)):
        plain = _PLAIN_NUMBER.fullmatch(number_format or "")
        if plain and (plain.group(2) or plain.group(3) or "," in plain.group(1)):
            shown = value * 100 if plain.group(3) else value
            comma = "," if "," in plain.group(1) else ""
            return f"{shown:{comma}.{len(plain.group(2) or '')}f}{plain.group(3)}"
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return format(value, ".15g") if isinstance(value, float) else str(value)
    return str(value)


def _read_xlsx(path: Path, out: _Collector) -> None:
    import openpyxl

    _check_zip(path)
    # a file object, not the path: stored attachments are named by their hash, without the
    # ".xlsx" that openpyxl insists on in a file name
    handle = path.open("rb")
    book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    try:
        cells = scanned = 0
        for sheet in book.worksheets:
            hidden = "" if sheet.sheet_state == "visible" else "（隐藏）"
            sheet.reset_dimensions()  # a forged dimension must not make us pad every row
            for row in sheet.iter_rows():
                scanned += len(row)
                if scanned > MAX_SCANNED_CELLS:
                    raise Unreadable(TOO_BIG)
                for cell in row:
                    if cell.value is None:
                        continue
                    text = _display(cell.value, cell.number_format)
                    if text.strip():
                        cells += 1
                        if cells > MAX_CELLS:
                            raise Unreadable(f"单元格过多，无法自动读取，{MANUAL}")
                        out.add(f"工作表“{sheet.title}”{hidden} {cell.coordinate}", text)
    finally:
        book.close()
        handle.close()


# --- .pdf ------------------------------------------------------------------------------------


def _read_pdf(path: Path, out: _Collector) -> None:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    try:  # an owner password alone (no password to open) still lets anyone read the text
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("needs a password")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise Unreadable(TOO_BIG)
        for number, page in enumerate(reader.pages, start=1):
            out.add(f"第{number}页", page.extract_text() or "")
    except Exception as error:  # e.g. AES without the cryptography package
        if reader.is_encrypted and not isinstance(error, Unreadable):
            raise Unreadable(f"PDF 已加密，无法读取，{MANUAL}") from error
        raise
    if not out.segments:
        raise Unreadable(f"PDF 没有文字层（可能是扫描件），{MANUAL}")


# --- .txt / .csv -----------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _read_text(path: Path, out: _Collector) -> None:
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise Unreadable(TOO_BIG)
    text = _decode(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    for number, line in enumerate(text.split("\n"), start=1):
        out.add(f"第{number}行", line)


_READERS = {
    "docx": _read_docx,
    "xlsx": _read_xlsx,
    "pdf": _read_pdf,
    "txt": _read_text,
    "csv": _read_text,
}
