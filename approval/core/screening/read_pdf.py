"""Text of a PDF, page by page, after counting its content tokens (see ``extract``)."""

from __future__ import annotations

from pathlib import Path

from approval.core.screening import extract as base

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


def read(path: Path, out: base._Collector) -> None:
    """Page by page. Before any text is extracted, the content tokens of the whole document are
    counted, a stream shared by several pages once for each page that uses it (extraction reads
    it once per page): three pages sharing a 1.9-million-token stream took 30 s."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    try:  # an owner password alone (no password to open) still lets anyone read the text
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("needs a password")
        if len(reader.pages) > base.MAX_PDF_PAGES:
            raise base.Unreadable(base.TOO_BIG)
        tokens = 0
        for page in reader.pages:
            tokens += _page_tokens(page)
            if tokens > base.MAX_PDF_TOKENS:
                raise base.Unreadable(base.TOO_BIG)
        for number, page in enumerate(reader.pages, start=1):
            out.add(f"第{number}页", page.extract_text() or "")
    except Exception as error:  # e.g. AES without the cryptography package
        if reader.is_encrypted and not isinstance(error, base.Unreadable):
            raise base.Unreadable(f"PDF 已加密，无法读取，{base.MANUAL}") from error
        raise
    if not out.segments:
        raise base.Unreadable(f"PDF 没有文字层（可能是扫描件），{base.MANUAL}")
