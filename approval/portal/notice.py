"""The QR code of the 公开栏 notice, made here, never by a web service: segno (pure Python, BSD)
writes it as SVG, given to the page as a ``data:`` URI (the CSP's img-src allows ``data:``)."""

from __future__ import annotations

import segno


def qr_svg_data_uri(text: str) -> str:
    """A QR code of ``text`` (error correction M, which survives a little dirt on a board) as a
    black-on-white SVG data URI, with its quiet zone."""
    return segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=4)
