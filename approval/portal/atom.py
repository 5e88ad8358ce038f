"""Atom 1.0 (RFC 4287) documents of published items, built with lxml (never by concatenation).

Ids are ``urn:uuid:`` names derived (UUID version 5) from what identifies the thing for good: the
body's 统一社会信用代码 and, for an entry, its 索引号 (unique, never reused). They do not depend on
the host name a reader happened to use, so a feed reader that reaches the portal by another name or
address (intranets often have both) still sees the same entries and never shows them twice.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from approval.core.clock import to_local

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# the namespace of every id this application mints; a constant, so ids never change
ID_NAMESPACE = uuid.UUID("6f1d5c8e-3b1a-5e2f-9a43-2c7e0d9b8a61")
EPOCH = datetime(1970, 1, 1)  # <updated> of a feed with no entries (naive UTC, as stored)
# characters XML 1.0 cannot carry (text pasted from office documents sometimes has them)
NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def urn(*parts: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(ID_NAMESPACE, "\x1f".join(parts)))


def rfc3339(value: datetime) -> str:
    """A stored naive-UTC time as RFC 3339 with the local offset (+08:00 for Asia/Shanghai)."""
    return to_local(value).isoformat(timespec="seconds")


@dataclass
class Entry:
    id: str
    title: str
    published: datetime
    updated: datetime
    url: str
    author: str
    summary: str = ""
    content_html: str = ""  # a rich 正文, sanitized (core/rich_text.py); sent escaped, type="html"
    category_term: str | None = None
    category_label: str | None = None


@dataclass
class Feed:
    id: str
    title: str
    author: str
    self_url: str
    alternate_url: str
    entries: list[Entry]


def _add(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(
        parent,
        f"{{{ATOM_NS}}}{tag}",
        {k: NOT_XML.sub("", v) for k, v in attributes.items() if v is not None},
    )
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def _author(parent, name: str) -> None:
    author = _add(parent, "author")
    _add(author, "name", name)


def render(feed: Feed) -> bytes:
    """The feed as UTF-8 XML. <updated> is the newest entry's, else a fixed epoch."""
    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    root.set(XML_LANG, "zh-CN")
    _add(root, "id", feed.id)
    _add(root, "title", feed.title, type="text")
    updated = max((e.updated for e in feed.entries), default=EPOCH)
    _add(root, "updated", rfc3339(updated))
    _author(root, feed.author)
    _add(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    _add(root, "link", rel="alternate", type="text/html", href=feed.alternate_url)
    for entry in feed.entries:
        element = _add(root, "entry")
        _add(element, "id", entry.id)
        _add(element, "title", entry.title, type="text")
        _add(element, "published", rfc3339(entry.published))
        _add(element, "updated", rfc3339(entry.updated))
        _author(element, entry.author)
        _add(element, "link", rel="alternate", type="text/html", href=entry.url)
        if entry.category_term:
            _add(element, "category", term=entry.category_term, label=entry.category_label)
        if entry.summary:
            _add(element, "summary", entry.summary, type="text")
        if entry.content_html:
            _add(element, "content", entry.content_html, type="html")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
