"""Text of an attachment, cut into segments that say where in the file each piece is, for the
screening of attachments. Pure Python: no Flask, no database.

Every failure - an unsupported format, a corrupt or encrypted file, a file too big to read - is
an ``Unreadable`` with a reason for the reviewer, never another exception: an attachment that
cannot be read is itself a finding ("needs manual review").

This module holds the entry point, the limits, the segments and the plain-text reader; the
formats that need a parser have a module each (``read_docx``, ``read_xlsx``, ``read_pdf``, with
``office_package`` for what the two Office formats share), imported when a file of theirs is
read. They read the limits from here at that time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


def _read_docx(path: Path, out: _Collector) -> None:
    from approval.core.screening import read_docx  # the readers import this module's limits

    read_docx.read(path, out)


def _read_xlsx(path: Path, out: _Collector) -> None:
    from approval.core.screening import read_xlsx

    read_xlsx.read(path, out)


def _read_pdf(path: Path, out: _Collector) -> None:
    from approval.core.screening import read_pdf

    read_pdf.read(path, out)


_READERS = {
    "docx": _read_docx,
    "xlsx": _read_xlsx,
    "pdf": _read_pdf,
    "txt": _read_text,
    "csv": _read_text,
}
