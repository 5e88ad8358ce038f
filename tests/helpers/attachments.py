"""Attachments as a person adds them: a file chosen in the item page's upload form."""

from __future__ import annotations

import io

from tests.conftest import Browser, csrf_from
from tests.helpers.pages import VERSION_RE

# A small valid PDF (with a line of UTF-8 in a comment).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% \xe4\xbd\xa0\xe5\xa5\xbd\ntrailer\n%%EOF\n"


def upload(b: Browser, item_id: int, filename: str, data: bytes):
    """Choose a file in the item page's upload form and send it; returns the page shown after."""
    page = b.get(f"/items/{item_id}")
    assert 'enctype="multipart/form-data"' in page.text, "no upload form offered"
    form = {
        "file": (io.BytesIO(data), filename),
        "csrf_token": csrf_from(page.text),
        "version": VERSION_RE.search(page.text).group(1),
    }
    response = b.client.post(
        f"/items/{item_id}/attachments", data=form, content_type="multipart/form-data"
    )
    assert response.status_code == 303
    return b.get(response.headers["Location"])
