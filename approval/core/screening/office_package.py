"""What the .docx and .xlsx readers share: an Office Open XML package is a zip of XML parts
linked by relationships. Every part is parsed without a DTD, entities or the network; a part that
declares a DTD is refused (Office never writes one). Limits are read from ``extract`` when used,
so that a test may change them."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from approval.core.screening import extract as base

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def check_zip(path: Path) -> None:
    """Refuse before inflating anything: zipfile never yields more than an entry's declared size."""
    with zipfile.ZipFile(path) as archive:
        sizes = [info.file_size for info in archive.infolist()]
        if sum(sizes) > base.MAX_ZIP_BYTES or max(sizes, default=0) > base.MAX_PART_BYTES:
            raise base.Unreadable(base.TOO_BIG)


def relationships(archive, part: str) -> list[tuple[str, str, str]]:
    """(id, type, part name) of a part's internal relationships."""
    folder, _, leaf = part.rpartition("/")
    rels = f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels"
    if rels not in archive.NameToInfo:
        return []
    found = []
    tree = etree.fromstring(archive.read(rels), SAFE_PARSER).getroottree()
    check_root(tree, None)
    for element in tree.iter(_RELATIONSHIP):
        if element.get("TargetMode") == "External":
            continue
        target = element.get("Target", "")
        name = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        found.append((element.get("Id"), element.get("Type", ""), posixpath.normpath(name)))
    return found


def release(element) -> None:
    """Drop a block that has been read, and whatever came before it in its parent."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def check_root(tree, root: str | None) -> None:
    if tree.docinfo.doctype:
        raise base.Unreadable(base.DOCTYPE)
    if root is not None and tree.getroot().tag != root:
        raise ValueError(f"the main part is {tree.getroot().tag}, not {root}")


MAX_SMALL_PART_BYTES = 16 * 1024 * 1024  # a workbook's sheet list, styles and relationships


def small_part(archive, name: str):
    """A part read as a whole tree: only the small ones (sheet list, styles, relationships)."""
    if archive.getinfo(name).file_size > MAX_SMALL_PART_BYTES:
        raise base.Unreadable(base.TOO_BIG)
    element = etree.fromstring(archive.read(name), SAFE_PARSER)
    check_root(element.getroottree(), None)
    return element


def streamed(archive, name: str, tag: str, out):
    """The elements with ``tag`` of a large part, each dropped once the caller has read it."""
    with archive.open(name) as stream:
        parser = etree.iterparse(
            stream, events=("end",), tag=tag, resolve_entities=False, load_dtd=False
        )
        for count, (_, element) in enumerate(parser):
            if count == 0:
                check_root(element.getroottree(), None)
            yield element
            release(element)
