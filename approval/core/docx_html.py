"""A Word (.docx) 正文 as sanitized HTML (mammoth, then ``rich_text.sanitize``).

Runs only in the child process of platform/extraction.py (``docx_html``), under its CPU, memory
and time limits: a .docx is untrusted, and mammoth reads the whole document into memory. Before
mammoth sees the file, the package is checked as the attachment reader checks it: declared sizes
(a zip bomb is refused before anything is inflated) and no DTD in any XML part (Office never
writes one; an entity bomb or an external entity would need one). Images are left out (the 正文
holds no images; attach them instead), so their bytes are never read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from approval.core import rich_text
from approval.core.msgids import N_
from approval.core.screening import extract as limits
from approval.core.screening import office_package

NOT_DOCX = N_("文件已损坏或不是有效的 Word（.docx）文档")
HAS_DTD = N_("文件含有 DTD 声明（Word 文档不会有），不能导入")
TOO_BIG = N_("文件内容过大，不能导入正文。请精简后再导入，或作为附件上传。")
_HEAD_BYTES = 64 * 1024  # a DTD stands in the prolog, before the root element

# Word's built-in styles keep their English names in the file whatever the interface language
# (标题 1 is "heading 1"); mammoth's own map covers them. Underline is kept (mammoth drops it).
STYLE_MAP = "u => u"


class NotConverted(Exception):
    """The file could not be converted; ``reason`` is for the form, in Chinese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _check_package(path: Path) -> None:
    try:
        office_package.check_zip(path)
    except limits.Unreadable:
        raise NotConverted(TOO_BIG) from None
    with zipfile.ZipFile(path) as archive:
        if "word/document.xml" not in archive.NameToInfo:
            raise NotConverted(NOT_DOCX)
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                with archive.open(info) as part:
                    head = part.read(_HEAD_BYTES)
                if b"<!DOCTYPE" in head or "<!DOCTYPE".encode("utf-16-le") in head:
                    raise NotConverted(HAS_DTD)


def _no_image(_image) -> dict:
    return {}  # an <img> without a source, which the sanitizer drops; the bytes are never read


def convert(path: Path) -> str:
    """The sanitized HTML of the .docx at ``path``; NotConverted with the reason otherwise
    (MemoryError is left to the caller, which knows it ran out of its limit)."""
    import mammoth  # only the child imports it

    try:
        _check_package(path)
        with open(path, "rb") as handle:
            result = mammoth.convert_to_html(
                handle,
                style_map=STYLE_MAP,
                convert_image=mammoth.images.img_element(_no_image),
            )
    except NotConverted:
        raise
    except MemoryError:
        raise
    except Exception as error:  # a corrupt package makes zipfile and mammoth fail in many ways
        raise NotConverted(NOT_DOCX) from error
    if len(result.value) > rich_text.MAX_INPUT_CHARS:
        raise NotConverted(TOO_BIG)
    return rich_text.sanitize(result.value)
