"""Where the query's words are in a result's title and text, for <mark> highlighting.

Matching follows the index: NFKC and lower case, CJK runs as substrings, other words whole.
Spans are in the original text's coordinates; templates wrap them with ``highlight``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from approval.search.tokens import is_cjk

SNIPPET_CHARS = 120  # the window around the first match
CONTEXT_BEFORE = 30  # of which before the match
_SPACES = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: list[tuple[int, int]]


@lru_cache(maxsize=8192)
def _normalize_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).lower()


class _View:
    """The text as it is searched, and the way back to the original positions."""

    def __init__(self, text: str, exact: bool = False):
        self.origin = None
        lowered = text.lower()
        if not exact and len(lowered) == len(text):
            self.normalized = lowered  # positions unchanged; full-width forms are not folded
            return
        pieces, origin = [], []
        for i, ch in enumerate(text):
            folded = _normalize_char(ch)
            pieces.append(folded)
            origin += [i] * len(folded)
        self.normalized, self.origin = "".join(pieces), origin

    def original(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and not is_cjk(ch)


def _occurrences(view: _View, needle: str):
    text, whole_word = view.normalized, not is_cjk(needle[0])
    at = text.find(needle)
    while at >= 0:
        end = at + len(needle)
        if not whole_word or not (
            (at and _is_word_char(text[at - 1])) or (end < len(text) and _is_word_char(text[end]))
        ):
            yield view.original(at, end)
        at = text.find(needle, end)


def find_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of every needle in ``text``, in order."""
    if not text or not needles:
        return []
    fast, exact = _View(text), None
    spans = []
    for needle in needles:
        found = list(_occurrences(fast, needle))
        if not found:  # e.g. full-width ２０２６ in the text for 2026 in the query
            exact = exact or _View(text, exact=True)
            found = list(_occurrences(exact, needle))
        spans += found
    kept, reach = [], 0
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start >= reach:
            kept.append((start, end))
            reach = end
    return kept


def snippet(text: str, needles: list[str]) -> Snippet:
    """A window of the text around the first match (the text's start without one)."""
    spans = find_spans(text, needles)
    start = max(0, spans[0][0] - CONTEXT_BEFORE) if spans else 0
    end = min(len(text), start + SNIPPET_CHARS)
    window = text[start:end].translate(_SPACES)
    lead = "…" if start else ""
    inside = [
        (s - start + len(lead), e - start + len(lead)) for s, e in spans if s >= start and e <= end
    ]
    return Snippet(lead + window + ("…" if end < len(text) else ""), inside)
