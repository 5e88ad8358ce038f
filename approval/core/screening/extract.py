"""Text of an attachment, cut into segments that say where in the file each piece is, for the
screening of attachments. Pure Python: no Flask, no database.

Every failure - an unsupported format, a corrupt or encrypted file, a file too big to read - is
an ``Unreadable`` with a reason for the reviewer, never another exception: an attachment that
cannot be read is itself a finding ("needs manual review")."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

# Limits on the work one file may cause. The child process that runs ``extract`` has hard limits
# on CPU seconds, memory and wall time as well (platform/extraction.py); these make the common
# hostile shapes stop early, with a reason, instead of at the hard limit.
# extracted text, all segments together (and run text as it is read): what sealing screens and
# publishing indexes, inside their transactions, at about 1.7 million characters a second
MAX_CHARS = 2_000_000
MAX_SEGMENTS = 1_000_000  # paragraphs, cells, pages and lines with text
MAX_XML_ELEMENTS = 2_000_000  # elements of a .docx's XML parts (about 3 µs each to read)
MAX_CELLS = 200_000  # non-empty spreadsheet cells (read at about 100,000 a second)
MAX_SCANNED_CELLS = 1_000_000  # spreadsheet cells in the file, empty ones included
MAX_ROWS = 2_000_000  # spreadsheet rows counted by their index (row 1,000,000 alone counts 1e6)
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # Excel's grid: a cell beyond it is forged
MAX_ZIP_BYTES = 300 * 1024 * 1024  # declared uncompressed size of a .docx/.xlsx (zip bombs)
MAX_PART_BYTES = 128 * 1024 * 1024  # declared uncompressed size of any one part
MAX_TEXT_BYTES = 64 * 1024 * 1024  # a .txt/.csv file
MAX_PDF_PAGES = 5_000
MAX_PDF_TOKENS = 1_000_000  # content-stream tokens of a whole PDF, a shared stream once per use

MANUAL = "需人工审查"
UNSUPPORTED = f"暂不支持自动读取该格式，{MANUAL}"
TOO_BIG = f"内容过大，无法自动读取，{MANUAL}"
DOCTYPE = f"文件含有 DTD 声明（Office 文档不会有），{MANUAL}"
OVER_MEMORY = f"读取所需内存超过限制，{MANUAL}"


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
    """Segments, and the work done to find them, each with a cap."""

    def __init__(self):
        self.segments, self.chars, self.elements, self.characters_read = [], 0, 0, 0

    def add(self, location: str, text: str) -> None:
        if not text.strip():
            return
        self.chars += len(text)
        if self.chars > MAX_CHARS or len(self.segments) >= MAX_SEGMENTS:
            raise Unreadable(TOO_BIG)
        self.segments.append(Segment(location, text))

    def read(self, characters: int) -> None:
        self.characters_read += characters
        if self.characters_read > MAX_CHARS:
            raise Unreadable(TOO_BIG)


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
    except MemoryError:  # the child's RLIMIT_AS (platform/extract_child.py)
        raise Unreadable(OVER_MEMORY) from None
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
        sizes = [info.file_size for info in archive.infolist()]
        if sum(sizes) > MAX_ZIP_BYTES or max(sizes, default=0) > MAX_PART_BYTES:
            raise Unreadable(TOO_BIG)


# --- .docx -----------------------------------------------------------------------------------
# Read as a stream (lxml iterparse), never as a whole tree: each paragraph or table at the top of
# the body is read at its end tag and then dropped, so memory follows the largest table, not the
# document. Every XML element counts against MAX_XML_ELEMENTS and every character of run text
# against MAX_CHARS while the stream is read, before any paragraph is complete.

_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
_W = "{%s}" % _NS["w"]
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# run text in document order, tracked deletions included (they are still in the file), text
# boxes included once (their mc:Fallback copy left out), field codes left out
_RUN_TEXT = etree.XPath(
    ".//w:r/*[self::w:t or self::w:delText or self::w:tab or self::w:br or self::w:cr]"
    "[not(ancestor::mc:Fallback)]",
    namespaces=_NS,
)
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"}
_CONTAINERS = {_W + "body", _W + "hdr", _W + "ftr"}
_TEXT_TAGS = {_W + "t", _W + "delText"}
_PARAGRAPH, _SECTION, _SECTION_CHANGE = _W + "p", _W + "sectPr", _W + "sectPrChange"
_BLOCKS = {_PARAGRAPH, _W + "tbl"}


def _children(element, tag: str):
    """Children with the tag, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == _W + tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _paragraph_text(p) -> str:
    return "".join(
        node.text or "" if node.tag in _TEXT_TAGS else "\t" if node.tag == _W + "tab" else "\n"
        for node in _RUN_TEXT(p)
    )


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


def _elements(archive: zipfile.ZipFile, name: str, out: _Collector, root: str | None = None):
    """(tag, element) at each end tag of one XML part, counted against MAX_XML_ELEMENTS, with
    run text counted against MAX_CHARS. A part with a DTD is refused (no entities), and so is a
    part whose root element is not ``root`` (a workbook named .docx, a Strict-format file)."""
    with archive.open(name) as stream:
        parser = etree.iterparse(stream, events=("end",), resolve_entities=False, load_dtd=False)
        first = True
        for _, element in parser:
            if first:
                _check_root(element.getroottree(), root)
                first = False
            out.elements += 1
            if out.elements > MAX_XML_ELEMENTS:
                raise Unreadable(TOO_BIG)
            tag = element.tag
            if tag in _TEXT_TAGS and element.text:
                out.read(len(element.text))
            yield tag, element


def _release(element) -> None:
    """Drop a block that has been read, and whatever came before it in its parent."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _is_block(element) -> bool:
    """A paragraph or table of the body, a header or a footer (not one inside a table cell or a
    text box), looking through content controls."""
    parent = element.getparent()
    while parent is not None and parent.tag in _WRAPPERS:
        parent = parent.getparent()
    return parent is not None and parent.tag in _CONTAINERS


def _check_root(tree, root: str | None) -> None:
    if tree.docinfo.doctype:
        raise Unreadable(DOCTYPE)
    if root is not None and tree.getroot().tag != root:
        raise ValueError(f"the main part is {tree.getroot().tag}, not {root}")


def _docx_part(archive, name: str, prefix: str, out: _Collector, sections=None) -> None:
    """Paragraphs and tables of a body, header or footer in document order; prefix names the
    container ("正文", "页眉", ...), and tables are numbered in it from 1. ``sections`` collects
    the header and footer references of each section (w:sectPr) as the body goes by."""
    paragraphs = tables = 0
    root = _W + "document" if sections is not None else None
    for tag, element in _elements(archive, name, out, root):
        if tag == _SECTION and sections is not None and element.getparent().tag != _SECTION_CHANGE:
            sections.append(
                {(ref.tag, ref.get(_W + "type", "default")): ref.get(_R + "id") for ref in element}
            )
        elif tag in _BLOCKS and _is_block(element):
            if tag == _PARAGRAPH:
                text = _paragraph_text(element)
                if text.strip():
                    paragraphs += 1
                    out.add(f"{prefix}第{paragraphs}段", text)
            else:
                tables += 1
                _docx_table(element, f"{'' if prefix == '正文' else prefix}表格{tables}", out)
            _release(element)


def _docx_notes(archive, name: str, label: str, out: _Collector) -> None:
    n = 0
    for tag, element in _elements(archive, name, out):
        if tag == _PARAGRAPH:
            text = _paragraph_text(element)
            if text.strip():
                n += 1
                out.add(f"{label}第{n}段", text)
            _release(element)


def _relationships(archive, part: str) -> list[tuple[str, str, str]]:
    """(id, type, part name) of a part's internal relationships."""
    folder, _, base = part.rpartition("/")
    rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if rels not in archive.NameToInfo:
        return []
    found = []
    tree = etree.fromstring(archive.read(rels), _SAFE_PARSER).getroottree()
    _check_root(tree, None)
    for element in tree.iter(_RELATIONSHIP):
        if element.get("TargetMode") == "External":
            continue
        target = element.get("Target", "")
        name = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found.append((element.get("Id"), element.get("Type", ""), posixpath.normpath(name)))
    return found


_SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
_VARIANTS = (("default", ""), ("first", "首页"), ("even", "偶数页"))
_KINDS = ((_W + "headerReference", "页眉"), (_W + "footerReference", "页脚"))
_NOTES = (("/footnotes", "脚注"), ("/endnotes", "尾注"), ("/comments", "批注"))


def _read_docx(path: Path, out: _Collector) -> None:
    _check_zip(path)
    with zipfile.ZipFile(path) as archive:
        main = next(n for _, t, n in _relationships(archive, "") if t.endswith("/officeDocument"))
        related = _relationships(archive, main)
        parts = {rid: name for rid, _, name in related}
        sections: list[dict] = []
        pages, out.segments = out.segments, []
        _docx_part(archive, main, "正文", out, sections)
        body, out.segments = out.segments, pages
        # headers and footers come first, as a reader sees them on the page; a section without a
        # reference of its own for a kind and variant is linked to the previous one
        for i, refs in enumerate(sections, start=1):
            for tag, label in _KINDS:
                for variant, word in _VARIANTS:
                    rid = refs.get((tag, variant))
                    if rid in parts:
                        where = (f"第{i}节" if len(sections) > 1 else "") + word + label
                        _docx_part(archive, parts[rid], where, out)
        out.segments.extend(body)
        for suffix, label in _NOTES:
            for _, kind, name in related:
                if kind.endswith(suffix) and name in archive.NameToInfo:
                    _docx_notes(archive, name, label, out)


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


_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MAX_SMALL_PART_BYTES = 16 * 1024 * 1024  # a workbook's sheet list, styles and relationships


def _small_part(archive, name: str):
    """A part read as a whole tree: only the small ones (sheet list, styles, relationships)."""
    if archive.getinfo(name).file_size > MAX_SMALL_PART_BYTES:
        raise Unreadable(TOO_BIG)
    element = etree.fromstring(archive.read(name), _SAFE_PARSER)
    _check_root(element.getroottree(), None)
    return element


def _streamed(archive, name: str, tag: str, out: _Collector):
    """The elements with ``tag`` of a large part, each dropped once the caller has read it."""
    with archive.open(name) as stream:
        parser = etree.iterparse(
            stream, events=("end",), tag=tag, resolve_entities=False, load_dtd=False
        )
        for count, (_, element) in enumerate(parser):
            if count == 0:
                _check_root(element.getroottree(), None)
            yield element
            _release(element)


def _text_of(element) -> str:
    """A shared or inline string: its plain text, or its rich-text runs (not phonetic guides)."""
    return "".join(element.xpath("s:t/text() | s:r/s:t/text()", namespaces={"s": _S[1:-1]}))


def _read_xlsx(path: Path, out: _Collector) -> None:
    """Every sheet's cells as the file lists them, read as a stream with lxml. openpyxl is not
    used to read: its read-only workbook scans a whole sheet for its size when the sheet does not
    state it, and its row iterator pads the gaps between rows with empty rows (one cell in row
    1,000,000,000 made it loop a billion times). Only cells present are looked at; rows are
    counted by their index against MAX_ROWS, and a cell outside Excel's grid is refused."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.utils.datetime import (
        CALENDAR_MAC_1904,
        CALENDAR_WINDOWS_1900,
        from_excel,
        from_ISO8601,
    )

    _check_zip(path)
    with zipfile.ZipFile(path) as archive:
        book = next(n for _, t, n in _relationships(archive, "") if t.endswith("/officeDocument"))
        related = _relationships(archive, book)
        parts = {rid: name for rid, _, name in related}
        workbook = _small_part(archive, book)
        if workbook.tag != f"{_S}workbook":  # a Word document named .xlsx, a Strict workbook
            raise ValueError(f"the main part is {workbook.tag}, not a workbook")
        properties = workbook.find(f"{_S}workbookPr")
        mac = properties is not None and properties.get("date1904") in ("1", "true")
        epoch = CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900
        shared, formats = [], []
        for _, kind, name in related:
            if kind.endswith("/sharedStrings") and name in archive.NameToInfo:
                for si in _streamed(archive, name, f"{_S}si", out):
                    text = _text_of(si)
                    out.read(len(text))
                    shared.append(text)
            elif kind.endswith("/styles") and name in archive.NameToInfo:
                styles = _small_part(archive, name)
                custom = {
                    int(f.get("numFmtId")): f.get("formatCode", "")
                    for f in styles.iterfind(f"{_S}numFmts/{_S}numFmt")
                }
                formats = [
                    custom.get(n, BUILTIN_FORMATS.get(n, "General"))
                    for n in (
                        int(xf.get("numFmtId", 0)) for xf in styles.iterfind(f"{_S}cellXfs/{_S}xf")
                    )
                ]

        def value_of(c):
            kind, raw = c.get("t", "n"), c.findtext(f"{_S}v") or None
            number_format = formats[int(c.get("s", 0))] if c.get("s") else "General"
            if kind == "inlineStr":
                inline = c.find(f"{_S}is")
                return _text_of(inline) if inline is not None else None
            if raw is None:
                return None
            if kind == "s":
                return shared[int(raw)]
            if kind == "b":
                return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
            if kind == "d":  # an ISO 8601 date
                try:
                    return _display(from_ISO8601(raw), number_format)
                except ValueError:
                    return raw
            if kind in ("str", "e"):
                return raw
            number = float(raw)
            if is_date_format(number_format):
                try:
                    return _display(from_excel(number, epoch), number_format)
                except (OverflowError, ValueError):
                    pass
            if number.is_integer() and "." not in raw and "E" not in raw.upper():
                number = int(raw)
            return _display(number, number_format)

        cells = scanned = rows = 0
        for sheet in workbook.iter(f"{_S}sheet"):
            name = parts.get(sheet.get(_R + "id"))
            if name not in archive.NameToInfo:
                continue
            title = sheet.get("name", "")
            hidden = "" if sheet.get("state", "visible") == "visible" else "（隐藏）"
            last_row = index = 0
            for row in _streamed(archive, name, f"{_S}row", out):
                index = int(row.get("r") or index + 1)
                if not 1 <= index <= EXCEL_ROWS:
                    raise Unreadable(TOO_BIG)
                rows += max(0, index - last_row)
                last_row = max(last_row, index)
                column = 0
                for c in row.iterfind(f"{_S}c"):
                    scanned += 1
                    column = _column_of(c.get("r")) or column + 1
                    if not 1 <= column <= EXCEL_COLUMNS:
                        raise Unreadable(TOO_BIG)
                    text = value_of(c)
                    if text is not None and text.strip():
                        cells += 1
                        if cells > MAX_CELLS:
                            raise Unreadable(f"单元格过多，无法自动读取，{MANUAL}")
                        where = f"工作表“{title}”{hidden} {get_column_letter(column)}{index}"
                        out.add(where, text)
                if rows > MAX_ROWS or scanned > MAX_SCANNED_CELLS:
                    raise Unreadable(TOO_BIG)


_COLUMN = re.compile(r"([A-Z]{1,3})\d*")


def _column_of(reference: str | None) -> int:
    """B7 → 2; 0 when there is no reference."""
    match = _COLUMN.match(reference or "")
    if not match:
        return 0
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - 64
    return number


# --- .pdf ------------------------------------------------------------------------------------


def _tokens(stream) -> int:
    """Whitespace-separated tokens of a content stream (an undercount of PDF's own tokens by at
    most the delimiters), after its filters are applied."""
    if stream is None:
        return 0
    data = stream.get_data()
    return len(data.split()) if isinstance(data, bytes) else 0


def _page_tokens(page, depth: int = 0) -> int:
    """A page's content tokens, and those of the form XObjects it draws (which text extraction
    reads as well), to a depth of three."""
    tokens = _tokens(page.get_contents()) if depth == 0 else _tokens(page)
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if resources is not None else None
    if xobjects is not None and depth < 3:
        for reference in xobjects.get_object().values():
            form = reference.get_object()
            if form.get("/Subtype") == "/Form":
                tokens += _page_tokens(form, depth + 1)
    return tokens


def _read_pdf(path: Path, out: _Collector) -> None:
    """Page by page. Before any text is extracted, the content tokens of the whole document are
    counted, a stream shared by several pages once for each page that uses it (extraction reads
    it once per page): three pages sharing a 1.9-million-token stream took 30 s."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    try:  # an owner password alone (no password to open) still lets anyone read the text
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("needs a password")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise Unreadable(TOO_BIG)
        tokens = 0
        for page in reader.pages:
            tokens += _page_tokens(page)
            if tokens > MAX_PDF_TOKENS:
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
