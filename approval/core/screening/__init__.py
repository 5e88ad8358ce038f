"""Secrecy screening (保密审查 pre-checks): what a reviewer must see before anything is published.

Pure Python, no Flask, no database, so the screening operations can call it when a revision is created
and store the findings with it.

    words = WordList([("某敏感词", "政治", "high"), ...])   # once per version of the word list
    findings = screen(body_text, words)                     # sorted by start
    safe_body = mask_text(body_text, findings)              # personal data → masked forms

Finding kinds: secrecy_mark (密级/restriction marks), resident_id, mobile, bank_card, email (personal
data, each with its masked form), sensitive_word (from the admin's list; detail is the category),
unreadable (an attachment whose text cannot be extracted; see ``unreadable``). The rules — notably
what makes 秘密 or 内部 a *marking* rather than prose — are in ``approval.core.screening.detectors``.

The detectors read the text after ``normalise`` (full-width folded, zero-width and other invisible
characters dropped) and report every finding at its offsets in the text as given, so
``text[f.start:f.end] == f.text`` and masking replaces exactly those characters.
"""

from __future__ import annotations

from approval.core.screening.detectors import (
    KINDS,
    PERSONAL_DATA_KINDS,
    SEVERITIES,
    Finding,
    find_marks,
    find_personal_data,
    unreadable,
)
from approval.core.screening.masking import mask_text
from approval.core.screening.normalised import normalise
from approval.core.screening.words import WordList

__all__ = [
    "Finding",
    "KINDS",
    "PERSONAL_DATA_KINDS",
    "SEVERITIES",
    "WordList",
    "mask_text",
    "screen",
    "unreadable",
]


def screen(text: str, words: WordList | None = None) -> list[Finding]:
    """Every finding in ``text``: marks, personal data and (with ``words``) listed words.

    Sorted by start (then longest first, then kind). Findings of one kind never overlap; findings
    of different kinds may (a listed word that is also a 密级 mark is reported as both)."""
    text = text or ""
    normalised = normalise(text)
    found = find_marks(text, normalised) + find_personal_data(text, normalised)
    if words is not None:
        found += words.find(text, normalised)
    return _without_overlaps(sorted(set(found), key=lambda f: (f.start, -f.end, f.kind)))


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Drop a finding that overlaps an earlier one of the same kind (a guard: detectors already
    report each kind without overlaps)."""
    last_end: dict[str, int] = {}
    kept = []
    for finding in findings:
        if finding.start >= last_end.get(finding.kind, 0):
            kept.append(finding)
            last_end[finding.kind] = finding.end
    return kept
