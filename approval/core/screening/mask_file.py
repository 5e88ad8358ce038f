"""A masked copy of an attachment: the one-click masking of a file (publication/drafts.py,
``mask_attachment``), as ``masking.mask_text`` is for the title, summary and body. Pure Python:
no Flask, no database. It parses an untrusted file, so it runs in the extraction's child process
under the same limits (platform/extraction.py, ``mask``), never in the web worker.

What is masked, each text with the same ``screen`` and ``mask_text`` as the text masking:

- .docx: every text node (``w:t``, and ``w:delText``: tracked deletions are still in the file) of
  the main document, its headers, footers, footnotes, endnotes and comments, text boxes and their
  fallback copies included;
- .xlsx: the shared strings (every ``<t>`` of sharedStrings.xml) and every sheet's inline strings;
  a number cell without a formula that reads as personal data (a mobile typed as a number)
  becomes an inline string holding the masked form;
- .txt/.csv: every line, the file decoded as the reader decodes it and written back in the same
  encoding (its byte order mark kept; bytes GB 18030 cannot decode kept as they were).

Every other part of a package is copied unchanged: the same names in the same order, each with
its compression method, its date and its bytes (inflated and deflated again). A part with a
change is parsed and written again by lxml (same elements, attributes and namespaces; the XML
declaration quoted differently).

Limits (the readers' own, ``extract``): the zip's declared sizes before anything is inflated; no
DTD, no entities, no network, lxml's huge-tree protections on; each part first read as a stream
(paragraphs, tables, rows and shared strings dropped once read), its elements counted against
MAX_XML_ELEMENTS, its text against MAX_CHARS and a sheet's cells against MAX_CELLS and
MAX_SCANNED_CELLS; only a part with something to mask is then parsed as a tree, to be written
back. A text file against MAX_TEXT_BYTES and MAX_CHARS. A file over one is ``Unreadable``, with
the reason the reader gives.

Not masked by this pass: a number split across two text nodes (Word splits a run where the
formatting, a spelling mark or an edit session changes: "138" in one run and "12345678" in the
next) or across cells, and personal data where screening does not look either (document
properties, embedded objects, charts, images). The masked file's text is read and screened again
as an upload's is, so what is left is still flagged; the officer is told to check the file.
"""

from __future__ import annotations

import codecs
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from approval.core.screening import extract as base
from approval.core.screening import mask_text, screen
from approval.core.screening import office_package as package

FORMATS = ("docx", "xlsx", "txt", "csv")
NOT_MASKABLE = "该格式不支持一键脱敏"
# a text that cannot hold personal data is not screened (a cell's number, a page number): every
# ID, mobile and bank card has 11 digits or more (any decimal digits: screening folds them),
# every e-mail an @ (or a full-width ＠)
_DIGIT = re.compile(r"\d")
_FEWEST_DIGITS = 11

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOCX_TEXT = frozenset({_W + "t", _W + "delText"})
_CELL = _S + "c"
_DOCX_PARTS = ("/header", "/footer", "/footnotes", "/endnotes", "/comments")


@dataclass(frozen=True)
class Masked:
    """``count`` personal-data findings masked; ``path`` the masked copy, None when there was
    nothing to mask (then nothing was written)."""

    count: int
    path: Path | None


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def supports(filename: str) -> bool:
    return extension_of(filename) in FORMATS


def mask(path: Path, extension: str, out: Path) -> Masked:
    """Write a masked copy of the file at ``path`` to ``out`` if it holds personal data that
    can be masked. Raises ``Unreadable`` (never another exception for the file's content) with
    the reason it could not be read, as ``extract`` does."""
    extension = extension.lower().lstrip(".")
    writer = _WRITERS.get(extension)
    if writer is None:
        raise base.Unreadable(NOT_MASKABLE)
    budget = _Budget()
    try:
        count = writer(Path(path), Path(out), budget)
    except base.Unreadable:
        raise
    except MemoryError:  # the child's RLIMIT_AS
        raise base.Unreadable(base.OVER_MEMORY) from None
    except Exception as error:  # corrupt files make the libraries fail in many ways
        raise base.Unreadable(base._CORRUPT[extension]) from error
    return Masked(count, Path(out) if count else None)


class _Budget(base._Collector):
    """The readers' budgets (elements, characters), and the .xlsx reader's of cells."""

    def __init__(self):
        super().__init__()
        self.cells = self.filled_cells = 0

    def cell(self, cell) -> None:
        self.cells += 1
        if len(cell):  # a value or an inline string
            self.filled_cells += 1
        if self.filled_cells > base.MAX_CELLS:
            raise base.Unreadable(f"单元格过多，无法自动读取，{base.MANUAL}")
        if self.cells > base.MAX_SCANNED_CELLS:
            raise base.Unreadable(base.TOO_BIG)


def _masked(text: str | None) -> tuple[str | None, int]:
    """``text`` with its personal data masked, and how many findings that was."""
    if not text or not _may_hold_personal_data(text):
        return text, 0
    personal = [f for f in screen(text) if f.masked]
    return (mask_text(text, personal), len(personal)) if personal else (text, 0)


def _may_hold_personal_data(text: str) -> bool:
    return "@" in text or "＠" in text or len(_DIGIT.findall(text)) >= _FEWEST_DIGITS


# --- .txt / .csv -----------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")


def _mask_text_file(path: Path, out: Path, budget) -> int:
    if path.stat().st_size > base.MAX_TEXT_BYTES:
        raise base.Unreadable(base.TOO_BIG)
    data = path.read_bytes()
    bom, encoding, errors = _encoding_of(data)
    pieces = _LINE_BREAK.split(data[len(bom) :].decode(encoding, errors))
    count = 0
    for i in range(0, len(pieces), 2):  # the lines; the line breaks between them as they were
        budget.read(len(pieces[i]))
        pieces[i], found = _masked(pieces[i])
        count += found
    if count:
        out.write_bytes(bom + "".join(pieces).encode(encoding, errors))
    return count


def _encoding_of(data: bytes) -> tuple[bytes, str, str]:
    """(byte order mark, encoding, error handler): the reader's choice (``extract._decode``),
    made so that the text is encoded back to the same bytes."""
    if data.startswith(codecs.BOM_UTF16_LE):  # Excel's "Unicode text"
        return codecs.BOM_UTF16_LE, "utf-16-le", "strict"
    if data.startswith(codecs.BOM_UTF16_BE):
        return codecs.BOM_UTF16_BE, "utf-16-be", "strict"
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        data[len(bom) :].decode("utf-8")
        return bom, "utf-8", "strict"
    except UnicodeDecodeError:
        # the reader replaces what GB 18030 cannot decode; kept here, byte for byte
        return b"", "gb18030", "surrogateescape"


# --- Office packages -------------------------------------------------------------------------


def _mask_docx(path: Path, out: Path, budget) -> int:
    package.check_zip(path)
    with zipfile.ZipFile(path) as archive:
        _check_names(archive)
        main = _main_part(archive)
        parts = {main: _W + "document"}  # the part and the root element it must have
        for _, kind, name in package.relationships(archive, main):
            if kind.endswith(_DOCX_PARTS) and name in archive.NameToInfo:
                parts.setdefault(name, None)
        masked = {
            name: _masked_part(archive, name, budget, root, _DOCX_TEXT, _mask_text_node)
            for name, root in parts.items()
        }
        return _rewrite(archive, out, masked)


def _mask_xlsx(path: Path, out: Path, budget) -> int:
    package.check_zip(path)
    with zipfile.ZipFile(path) as archive:
        _check_names(archive)
        book = _main_part(archive)
        if package.small_part(archive, book).tag != _S + "workbook":  # as the reader checks
            raise ValueError("the main part is not a workbook")
        masked = {}
        for _, kind, name in package.relationships(archive, book):
            if name in masked or name not in archive.NameToInfo:
                continue
            if kind.endswith("/sharedStrings"):
                tags, mask_one = (_S + "t",), _mask_text_node
            elif kind.endswith("/worksheet"):  # inline strings, and numbers
                tags, mask_one = (_S + "t", _CELL), _mask_sheet_node
            else:
                continue
            masked[name] = _masked_part(archive, name, budget, None, tags, mask_one)
        return _rewrite(archive, out, masked)


def _main_part(archive: zipfile.ZipFile) -> str:
    return next(
        n for _, t, n in package.relationships(archive, "") if t.endswith("/officeDocument")
    )


def _check_names(archive: zipfile.ZipFile) -> None:
    """One entry per name: the reader reads the last of two, and either may be the one opened."""
    names = archive.namelist()
    if len(set(names)) != len(names):
        raise ValueError("two entries with one name")


def _mask_text_node(element) -> int:
    element.text, found = _masked(element.text)
    return found


def _mask_sheet_node(element) -> int:
    return _mask_cell(element) if element.tag == _CELL else _mask_text_node(element)


def _mask_cell(cell) -> int:
    """A number without a formula that reads as personal data (13812345678 typed as a number)
    becomes an inline string holding its masked form; the cell keeps its style."""
    value = cell.find(_S + "v")
    if cell.get("t", "n") != "n" or value is None or cell.find(_S + "f") is not None:
        return 0
    masked, found = _masked(_number_as_shown(value.text))
    if not found:
        return 0
    cell.remove(value)
    cell.set("t", "inlineStr")
    inline = etree.Element(_S + "is")
    etree.SubElement(inline, _S + "t").text = masked
    extensions = cell.find(_S + "extLst")  # CT_Cell: f, v, is, extLst
    if extensions is not None:
        extensions.addprevious(inline)
    else:
        cell.append(inline)
    return found


def _number_as_shown(raw: str | None) -> str | None:
    """A whole number in full, as the reader shows it in a General cell (no 1.3812345678E+10)."""
    try:
        number = float(raw or "")
    except ValueError:
        return None
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    return None


# a paragraph, a table, a row, a shared string: dropped once read in the first pass, as the
# readers drop them, so that its memory follows the largest of them, not the part
_BLOCKS = frozenset({_W + "p", _W + "tbl", _S + "row", _S + "si"})


def _masked_part(archive, name: str, budget, root: str | None, tags: tuple, mask_one):
    """(tree, findings masked) of one part; no tree when it has nothing to mask.

    First read as a stream: every element counts against MAX_XML_ELEMENTS and the text of those
    with ``tags`` against MAX_CHARS as it is read, a DTD is refused and so is a root element
    other than ``root`` (when given), and blocks are dropped once read. Only a part with
    something to mask is then parsed again, as a tree (within the budgets now known to hold),
    to be masked and written back."""
    anything = False
    with archive.open(name) as stream:
        parser = etree.iterparse(
            stream,
            events=("end",),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
        )
        for count, (_, element) in enumerate(parser):
            if count == 0:
                package.check_root(element.getroottree(), root)
            budget.elements += 1
            if budget.elements > base.MAX_XML_ELEMENTS:
                raise base.Unreadable(base.TOO_BIG)
            if element.tag in tags:
                if element.tag == _CELL:
                    budget.cell(element)
                elif element.text:
                    budget.read(len(element.text))
                # masks this throwaway copy; the tree below is the one written back
                anything = anything or mask_one(element) > 0
            if element.tag in _BLOCKS:
                package.release(element)
    if not anything:
        return None, 0
    with archive.open(name) as stream:
        tree = etree.parse(stream, package.SAFE_PARSER)
    package.check_root(tree, root)
    return tree, sum(mask_one(element) for element in tree.iter(*tags))


def _rewrite(archive: zipfile.ZipFile, out: Path, parts: dict) -> int:
    """Write the package again to ``out``, entry by entry in its order, the parts with masked
    text (``parts``: name → (tree, findings masked)) serialised anew, every other entry copied;
    returns how many findings were masked (none: nothing is written)."""
    replaced = {name: tree for name, (tree, found) in parts.items() if tree is not None}
    if not replaced:
        return 0
    with zipfile.ZipFile(out, "w") as target:
        target.comment = archive.comment
        for info in archive.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = info.compress_type
            copy.create_system, copy.external_attr = info.create_system, info.external_attr
            copy.comment = info.comment
            if info.filename in replaced:
                target.writestr(copy, _serialised(replaced[info.filename]))
            elif info.is_dir():
                target.writestr(copy, b"")
            else:
                copy.file_size = info.file_size
                with archive.open(info) as source, target.open(copy, "w") as sink:
                    shutil.copyfileobj(source, sink, 1024 * 1024)
    return sum(found for _, found in parts.values())


def _serialised(tree) -> bytes:
    info = tree.docinfo
    return etree.tostring(
        tree, xml_declaration=True, encoding=info.encoding or "UTF-8", standalone=info.standalone
    )


_WRITERS = {
    "docx": _mask_docx,
    "xlsx": _mask_xlsx,
    "txt": _mask_text_file,
    "csv": _mask_text_file,
}
