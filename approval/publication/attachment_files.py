"""Sending a stored attachment: as a download under its public name, or, for a PDF or an image,
shown in the browser (issue 24).

- The name in ``Content-Disposition`` is the attachment's public name, cleaned again here (no
  control characters, quotes, backslashes or semicolons reach the header, whatever is stored), as
  an ASCII ``filename`` fallback and an RFC 5987 / RFC 6266 ``filename*=UTF-8''…`` with every
  other byte percent-encoded. The header is built here, not by Werkzeug, so that nothing typed
  can end or extend it.
- A preview (``inline``) is offered only for PDF, PNG and JPEG: the three formats whose content
  the upload checked by its magic bytes (platform/storage.py) and that browsers show without
  running anything of the file's. Its Content-Type comes from the extension's fixed type, never
  from what was uploaded; ``nosniff`` stops a browser guessing another. An image is answered with
  a CSP ``sandbox`` and a policy that loads nothing. A PDF gets the same policy without
  ``sandbox``: Chrome refuses to start its PDF viewer in a sandboxed document ("This page has been
  blocked by Chrome") and Safari shows an empty window, while Chrome's viewer runs the file's
  script, if any, in its own process with no access to the app's origin. Every other format
  (Word, Excel, WPS, OFD, ZIP, text) is a download only.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import send_file

from approval.platform import storage
from approval.publication.attachment_names import download_name

PREVIEW_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
PREVIEW_TYPES["jpeg"] = "image/jpeg"

# both keep every directive the app's own policy has (security_headers.CSP: no inline script,
# object-src, base-uri and frame-ancestors 'none'); the document may load nothing else
_PREVIEW_BASE = (
    "default-src 'none'; script-src 'self'; img-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
)
PDF_CSP = _PREVIEW_BASE
IMAGE_CSP = _PREVIEW_BASE + "; sandbox"

_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._ ()\[\]-]")


def can_preview(attachment) -> bool:
    return attachment.extension in PREVIEW_TYPES and attachment.content_type in set(
        PREVIEW_TYPES.values()
    )


def content_disposition(kind: str, name: str) -> str:
    """``attachment`` or ``inline``, with the name as a plain-ASCII fallback and as UTF-8."""
    name = "".join(c for c in name if c.isprintable() and c not in '"\\;\r\n') or "attachment"
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    fallback = _ASCII_SAFE.sub("", name).strip(" .")
    if not fallback.strip("()[]-_ ") or fallback.lower() == extension.lower():
        fallback = "attachment" + (f".{_ASCII_SAFE.sub('', extension)}" if extension else "")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def send_attachment(attachment, *, inline: bool = False):
    """The response for a stored attachment; ``inline`` only for a previewable one (the caller
    answers 404 otherwise: see ``can_preview``)."""
    if inline and not can_preview(attachment):
        raise ValueError("not a previewable attachment")
    mimetype = PREVIEW_TYPES[attachment.extension] if inline else attachment.content_type
    response = send_file(
        storage.path_of(attachment.storage_name), mimetype=mimetype, conditional=True
    )
    response.headers["Content-Disposition"] = content_disposition(
        "inline" if inline else "attachment", download_name(attachment)
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if inline:
        pdf = attachment.extension == "pdf"
        response.headers["Content-Security-Policy"] = PDF_CSP if pdf else IMAGE_CSP
    return response
