"""Text of a .docx, read as a stream (see ``extract``)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from approval.core.screening import extract as base
from approval.core.screening import office_package as package

# --- .docx -----------------------------------------------------------------------------------
# Read as a stream (lxml iterparse), never as a whole tree: each paragraph or table at the top of
# the body is read at its end tag and then dropped, so memory follows the largest table, not the
# document. Every XML element counts against base.MAX_XML_ELEMENTS and every character of run text
# against base.MAX_CHARS while the stream is read, before any paragraph is complete.

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


def _docx_table(tbl, name: str, out: base._Collector) -> None:
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


def _elements(archive: zipfile.ZipFile, name: str, out: base._Collector, root: str | None = None):
    """(tag, element) at each end tag of one XML part, counted against MAX_XML_ELEMENTS, with
    run text counted against MAX_CHARS. A part with a DTD is refused (no entities), and so is a
    part whose root element is not ``root`` (a workbook named .docx, a Strict-format file)."""
    with archive.open(name) as stream:
        parser = etree.iterparse(stream, events=("end",), resolve_entities=False, load_dtd=False)
        first = True
        for _, element in parser:
            if first:
                package.check_root(element.getroottree(), root)
                first = False
            out.elements += 1
            if out.elements > base.MAX_XML_ELEMENTS:
                raise base.Unreadable(base.TOO_BIG)
            tag = element.tag
            if tag in _TEXT_TAGS and element.text:
                out.read(len(element.text))
            yield tag, element


def _is_block(element) -> bool:
    """A paragraph or table of the body, a header or a footer (not one inside a table cell or a
    text box), looking through content controls."""
    parent = element.getparent()
    while parent is not None and parent.tag in _WRAPPERS:
        parent = parent.getparent()
    return parent is not None and parent.tag in _CONTAINERS


def _docx_part(archive, name: str, prefix: str, out: base._Collector, sections=None) -> None:
    """Paragraphs and tables of a body, header or footer in document order; prefix names the
    container ("正文", "页眉", ...), and tables are numbered in it from 1. ``sections`` collects
    the header and footer references of each section (w:sectPr) as the body goes by."""
    paragraphs = tables = 0
    root = _W + "document" if sections is not None else None
    for tag, element in _elements(archive, name, out, root):
        if tag == _SECTION and sections is not None and element.getparent().tag != _SECTION_CHANGE:
            sections.append(
                {
                    (ref.tag, ref.get(_W + "type", "default")): ref.get(package.R + "id")
                    for ref in element
                }
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
            package.release(element)


def _docx_notes(archive, name: str, label: str, out: base._Collector) -> None:
    n = 0
    for tag, element in _elements(archive, name, out):
        if tag == _PARAGRAPH:
            text = _paragraph_text(element)
            if text.strip():
                n += 1
                out.add(f"{label}第{n}段", text)
            package.release(element)


_VARIANTS = (("default", ""), ("first", "首页"), ("even", "偶数页"))
_KINDS = ((_W + "headerReference", "页眉"), (_W + "footerReference", "页脚"))
_NOTES = (("/footnotes", "脚注"), ("/endnotes", "尾注"), ("/comments", "批注"))


def read(path: Path, out: base._Collector) -> None:
    package.check_zip(path)
    with zipfile.ZipFile(path) as archive:
        main = next(
            n for _, t, n in package.relationships(archive, "") if t.endswith("/officeDocument")
        )
        related = package.relationships(archive, main)
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
