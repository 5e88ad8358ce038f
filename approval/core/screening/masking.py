"""The masked forms an office publishes instead of personal data, and applying them to a text.

One strict default for each kind (no options, so every office publishes the same shape):

    resident ID, 18 digits   110105********002X      first 6 + 8 '*' + last 4
    resident ID, 15 digits   110105*****1002         first 6 + 5 '*' + last 4
    mobile                   138****5678             first 3 + 4 '*' + last 4 (a +86 prefix is kept)
    bank card                622202*********0128     first 6 + '*' for the middle + last 4
    e-mail                   z***@example.gov.cn     first character + '***' + '@' + domain

The functions take the number as found (half- or full-width digits, spaces or dashes between groups)
and return the masked form in half-width characters without separators. None of the masked forms
is itself a finding, so screening a masked text finds no personal data.
"""

from __future__ import annotations

import re

_FULL_TO_HALF = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_NOT_ID_CHAR = re.compile(r"[^0-9X]")


def _compact(number: str) -> str:
    """Half-width, upper X, no separators: "１１０１０５ 19491231-002x" → "11010519491231002X"."""
    return _NOT_ID_CHAR.sub("", number.translate(_FULL_TO_HALF).upper())


def mask_resident_id(number: str) -> str:
    digits = _compact(number)
    hidden = 8 if len(digits) == 18 else 5
    return digits[:6] + "*" * hidden + digits[-4:]


def mask_mobile(number: str, prefix: str = "") -> str:
    """``prefix`` is the country prefix as written ("+86", "0086", "86"), kept so the reader sees
    the same kind of number; it is followed by one space."""
    digits = _compact(number)
    head = prefix.translate(_FULL_TO_HALF).strip(" \t-")
    return (head + " " if head else "") + digits[:3] + "****" + digits[-4:]


def mask_bank_card(number: str) -> str:
    digits = _compact(number)
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def mask_email(address: str) -> str:
    local, _, domain = address.translate(_FULL_TO_HALF).rpartition("@")
    return local[:1] + "***@" + domain


def mask_text(text: str, findings) -> str:
    """``text`` with every finding that has a masked form (personal data) replaced by that form.

    ``findings`` must come from screening this very text: a finding whose ``text`` is not found at
    its offsets raises ValueError rather than masking the wrong characters. Findings without a
    masked form (密级 marks, sensitive words) are left for a person to rewrite. Should two masked
    findings overlap, the one starting first (the longer at the same start) is applied.
    """
    chosen = []
    last_end = 0
    maskable = (f for f in findings if f.masked is not None)
    for finding in sorted(maskable, key=lambda f: (f.start, -f.end)):
        if text[finding.start : finding.end] != finding.text:
            raise ValueError(
                f"finding {finding.text!r} at {finding.start}:{finding.end} "
                "does not match the text; screen the text again"
            )
        if finding.start >= last_end:
            chosen.append(finding)
            last_end = finding.end
    parts = []
    position = 0
    for finding in chosen:
        parts.append(text[position : finding.start])
        parts.append(finding.masked)
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)
