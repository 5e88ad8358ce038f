"""The rich 正文: sanitized HTML, its text rendering, and changing its text (masking).

Pure Python (nh3 and the standard library; no Flask, no database). docs/rich-text.md says why.

- ``sanitize``: the one allow-list every HTML 正文 passes, on save and again on output —
  paragraphs, headings, lists, tables with integer ``colspan``/``rowspan``, bold, italic,
  underline, sub/superscript, line breaks and links to http, https or mailto (with
  ``rel="noopener noreferrer"``). Everything else goes: the *content* of script and style
  elements, every other element (its text kept), every other attribute (style, class, id, on*),
  comments, and links to any other scheme (javascript:, data:, vbscript:, relative). The text
  passes the fields' cleaning rule (``core.text.clean``) first.
- ``text_of``: the text rendering kept in ``Revision.body``: one line per paragraph, heading and
  list item; one line per table row, its cells joined by " | " (a cell's own paragraphs joined
  by a space); a link's address in brackets after its text, unless the text is the address. Screening, masking, search and the comparison read this text.
- ``change_text``: the HTML with a function applied to each block's text (a paragraph, a cell),
  keeping the markup where the function keeps the length (the masking of IDs and names does).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser

import nh3

from approval.core.errors import InvalidInput
from approval.core.msgids import N_
from approval.core.text import clean

MAX_INPUT_CHARS = 5_000_000  # what is read at all (Word's pasted HTML is bulky)
MAX_HTML_CHARS = 1_000_000  # the sanitized 正文
MAX_COLSPAN, MAX_ROWSPAN = 100, 1000
CELL_SEPARATOR = " | "
LINK_REL = "noopener noreferrer"

TOO_LONG = N_("正文过长（排版后超过100万字符）。请精简正文，或将大表格作为附件上传。")

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CELLS = {"td", "th"}
TABLE_PARTS = {"table", "caption", "thead", "tbody", "tfoot", "tr"}
BLOCKS = {"p", "li", "ul", "ol", *HEADINGS, *TABLE_PARTS, *CELLS}
INLINE = {"strong", "b", "em", "i", "u", "sub", "sup", "a"}
TAGS = BLOCKS | INLINE | {"br"}
VOID = {"br"}
_SPANS = {"colspan": MAX_COLSPAN, "rowspan": MAX_ROWSPAN}
_SCHEMES = ("http://", "https://", "mailto:")
_WHITESPACE = re.compile(r"\s+")


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Integers in bounds for the spans; an absolute http(s) or mailto link for href."""
    if name in _SPANS:
        value = value.strip()
        if value.isascii() and value.isdigit() and 1 <= int(value) <= _SPANS[name]:
            return str(int(value))
        return None
    if name == "href":
        return value if value.strip().lower().startswith(_SCHEMES) else None
    if name == "rel" and tag == "a":  # the one nh3 sets (link_rel); a document's own is dropped
        return LINK_REL
    return None


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags={"script", "style"},
    attributes={
        "a": {"href"},
        "td": {"colspan", "rowspan"},
        "th": {"colspan", "rowspan"},
    },
    attribute_filter=_attribute,
    url_schemes={"http", "https", "mailto"},
    link_rel=LINK_REL,
    strip_comments=True,
)


def sanitize(html: str | None) -> str:
    """``html`` reduced to the allow-list (see the module's docstring); "" for nothing."""
    if not html:
        return ""
    # clean() again on the output: a character reference (&#1;) passes the first clean() as text
    return clean(_CLEANER.clean(clean(html))).strip()


def from_input(html: str | None) -> str | None:
    """What is stored from an editor's or an import's HTML: the sanitized HTML, or None when it
    holds no text (an empty editor, a document of empty paragraphs). Refuses a 正文 too long to
    keep, with a message for the form (InvalidInput on ``body``)."""
    if not html:
        return None
    if len(html) > MAX_INPUT_CHARS:
        raise InvalidInput(TOO_LONG, "body")
    safe = sanitize(html)
    if len(safe) > MAX_HTML_CHARS:
        raise InvalidInput(TOO_LONG, "body")
    return safe if text_of(safe) else None


def body_from_form(text: str | None, html: str | None, from_editor: bool) -> tuple[str, str | None]:
    """(body, body_html) to store from the draft form. From the editor (JavaScript on): its
    HTML, sanitized, and the text rendering of it; no HTML when it holds nothing but paragraphs
    and line breaks (``_unless_plain``). Without JavaScript the text area is what the
    officer edited: the HTML the page carried is kept only while its text rendering is still the
    text submitted (nothing was changed); otherwise the typed text is the 正文 and there is no
    HTML."""
    safe = from_input(html)
    if from_editor:
        return (text_of(safe), _unless_plain(safe)) if safe else ("", None)
    text = text or ""
    if safe and _lines_of(text) == _lines_of(text_of(safe)):
        return text_of(safe), _unless_plain(safe)
    return text, None


_NOT_PLAIN = re.compile(r"<(?!/?p>|br>)")


def _unless_plain(safe: str) -> str | None:
    """The HTML, or None when it is nothing but paragraphs and line breaks: its text rendering
    says the same (the pages show a plain 正文 line by line), and a plain 正文 stays plain."""
    return safe if _NOT_PLAIN.search(safe) else None


def _lines_of(text: str) -> list[str]:
    return [_squash(line) for line in text.splitlines() if line.strip()]


def wrap_tables(safe_html: str) -> str:
    """Sanitized HTML with each table in ``<div class="table-scroll">`` (scrolls sideways on a
    phone). Safe on sanitized HTML only: there, "<table>" is markup, never text or a value."""
    return safe_html.replace("<table>", '<div class="table-scroll" tabindex="0"><table>').replace(
        "</table>", "</table></div>"
    )


# ---------------------------------------------------------------- the tree


class _Element:
    __slots__ = ("tag", "attributes", "children")

    def __init__(self, tag: str, attributes: list[tuple[str, str | None]]):
        self.tag, self.attributes, self.children = tag, attributes, []


class _TreeBuilder(HTMLParser):
    """A tree of sanitized HTML (well formed: every element closed, br the only void one)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, attrs)
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Element(tag, attrs))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _tree(html: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _serialise(node, out: list[str]) -> None:
    if isinstance(node, str):
        out.append(escape(node, quote=False))
        return
    if node.tag:
        attributes = "".join(
            f' {name}="{escape(value or "", quote=True)}"' for name, value in node.attributes
        )
        out.append(f"<{node.tag}{attributes}>")
    for child in node.children:
        _serialise(child, out)
    if node.tag and node.tag not in VOID:
        out.append(f"</{node.tag}>")


# ---------------------------------------------------------------- the text rendering


def _address(link: _Element) -> str:
    """What the text rendering adds after a link's text: its address, unless the text says it
    (screening must read an ID or a mail address that only the address holds)."""
    href = next((v for n, v in link.attributes if n == "href" and v), "")
    shown = _squash(_plain(link))
    if not href or href in (shown, f"mailto:{shown}"):
        return ""
    return f"（{href}）"


def _inline_text(node, out: list[str]) -> None:
    """The text of an element's inline content; a nested block adds a space."""
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        elif child.tag == "br" or child.tag in BLOCKS:
            out.append(" ")
            if child.tag != "br":
                _cell_text(child, out)
                out.append(" ")
        else:
            _inline_text(child, out)
            if child.tag == "a":
                out.append(_address(child))


def _cell_text(node, out: list[str]) -> None:
    if node.tag == "tr":
        out.append(CELL_SEPARATOR.join(_squash(_joined(c)) for c in _cells(node)))
    else:
        _inline_text(node, out)


def _joined(node) -> str:
    out: list[str] = []
    _cell_text(node, out)
    return "".join(out)


def _cells(row: _Element) -> list[_Element]:
    return [c for c in row.children if isinstance(c, _Element) and c.tag in CELLS]


def _squash(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _lines(node, lines: list[str], current: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            current.append(child)
        elif child.tag == "br":
            _flush(lines, current)
        elif child.tag == "tr":
            _flush(lines, current)
            lines.append(CELL_SEPARATOR.join(_squash(_joined(c)) for c in _cells(child)))
        elif child.tag in BLOCKS:
            _flush(lines, current)
            _lines(child, lines, current)
            _flush(lines, current)
        else:
            _lines(child, lines, current)
            if child.tag == "a":
                current.append(_address(child))


def _flush(lines: list[str], current: list[str]) -> None:
    text = _squash("".join(current))
    current.clear()
    if text:
        lines.append(text)


def text_of(html: str | None) -> str:
    """The text rendering of sanitized HTML (the module's docstring); "" for none."""
    if not html:
        return ""
    lines: list[str] = []
    current: list[str] = []
    _lines(_tree(html), lines, current)
    _flush(lines, current)
    return "\n".join(line for line in lines if line.strip(" |"))


# ---------------------------------------------------------------- changing the text


def _text_runs(node, runs: list[list[tuple[_Element, int]]]) -> None:
    """(parent, index) of each text node of a block's own inline content (not nested blocks), in
    runs that a line break ends."""
    for index, child in enumerate(node.children):
        if isinstance(child, str):
            runs[-1].append((node, index))
        elif child.tag == "br":
            runs.append([])
        elif child.tag not in BLOCKS:
            _text_runs(child, runs)


def _change_run(block: _Element, nodes, change: Callable[[str], str]) -> bool:
    """Change one run of text; False when the change could not keep the markup."""
    for parent, index in nodes:  # as the text rendering reads it
        parent.children[index] = _WHITESPACE.sub(" ", parent.children[index])
    texts = [parent.children[index] for parent, index in nodes]
    before = "".join(texts)
    after = change(before)
    if after == before:
        return True
    if len(after) != len(before):
        return False
    position = 0  # same length: each text node keeps its share (and so its markup)
    for (parent, index), text in zip(nodes, texts, strict=True):
        parent.children[index] = after[position : position + len(text)]
        position += len(text)
    return True


def _change_block(block: _Element, change: Callable[[str], str]) -> None:
    runs: list[list[tuple[_Element, int]]] = [[]]
    _text_runs(block, runs)
    if all(_change_run(block, nodes, change) for nodes in runs if nodes):
        return
    # a change of length: the block's own text, changed, replaces its inline markup (its line
    # breaks and nested blocks kept)
    texts = ["".join(parent.children[index] for parent, index in nodes) for nodes in runs]
    children: list = []
    for number, text in enumerate(texts):
        if number:
            children.append(_Element("br", []))
        children.append(change(text))
    block.children = children + [
        c for c in block.children if isinstance(c, _Element) and c.tag in BLOCKS
    ]


def _walk_blocks(node, change: Callable[[str], str]) -> None:
    for child in node.children:
        if isinstance(child, _Element) and child.tag in BLOCKS:
            _walk_blocks(child, change)
    if node.tag == "" or node.tag in BLOCKS:
        _change_block(node, change)


def _links(node) -> list[_Element]:
    found = []
    for child in node.children:
        if isinstance(child, _Element):
            found += [child] if child.tag == "a" else []
            found += _links(child)
    return found


def _plain(node) -> str:
    return "".join(c if isinstance(c, str) else _plain(c) for c in node.children)


def change_text(html: str, change: Callable[[str], str]) -> str:
    """Sanitized HTML with ``change`` applied to the text of each block (a paragraph, a heading,
    a list item, a table cell; the loose text at the top level as one block). Where ``change``
    keeps a block's length (masking: 110105********002X, 张*), every bit of text keeps its
    markup; otherwise the block's text replaces its inline markup. The result is sanitized."""
    root = _tree(html)
    links = [(a, _plain(a)) for a in _links(root)]
    _walk_blocks(root, change)
    for link, before in links:  # a link whose text or address the change touches loses its href
        if _plain(link) != before or any(
            name == "href" and change(value or "") != value for name, value in link.attributes
        ):
            link.attributes = [(n, v) for n, v in link.attributes if n != "href"]
    out: list[str] = []
    _serialise(root, out)
    return sanitize("".join(out))


def change_body(
    body: str, body_html: str | None, change: Callable[[str], str], left: Callable[[str], bool]
) -> tuple[str, str | None]:
    """(body, body_html) with ``change`` applied (the masking of personal data): to each block of
    the HTML, the text rendering made again from the result; where ``left`` still finds
    something in that text (a number spread over two blocks), the plain text changed as a whole
    and no HTML, so that nothing is left behind for the sake of the layout."""
    if not body_html:
        return change(body), None
    html = change_text(body_html, change)
    text = text_of(html)
    if left(text):
        return change(body), None
    return text, html
