"""The admin-managed sensitive-word list, matched with one Aho-Corasick automaton (pyahocorasick).

Building the automaton is the expensive part (tens of milliseconds for 10,000 words): build one
WordList per version of the list and reuse it for every text. Matching is one pass over the text
whatever the number of words.

Matching ignores the width of ASCII characters, the case of Latin letters (ＶＰＮ, vpn and VPN
are the same word) and invisible characters (法轮功 with a zero-width space after 法 is 法轮功,
reported with the space inside; ``approval.core.screening.normalised``); Chinese text is matched
as written. Where matches overlap, the leftmost wins and, at the same start, the longest (with
国家秘密 and 秘密 both listed, "国家秘密" is one finding); a match that starts inside an earlier
one is not reported. A word listed twice keeps its highest severity.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

from approval.core.screening.detectors import SEVERITIES, Finding, make_finding
from approval.core.screening.normalised import Normalised, fold, normalise, strip_invisible

_LOWER_ASCII = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_RANK = {severity: rank for rank, severity in enumerate(reversed(SEVERITIES))}


def _key(text: str) -> str:
    return strip_invisible(fold(text)).translate(_LOWER_ASCII)


def match_key(word: str) -> str:
    """What the matcher compares a listed word by: two words with the same key are one word
    (the admin's list treats the second as already present)."""
    return _key(word.strip())


class WordList:
    """Built from (word, category, severity) triples; severity is "high", "medium" or "low"."""

    def __init__(self, entries: Iterable[tuple[str, str, str]]):
        by_key: dict[str, tuple[str, str, str]] = {}
        for word, category, severity in entries:
            if severity not in SEVERITIES:
                raise ValueError(
                    f"severity of {word!r} must be one of {SEVERITIES}, not {severity!r}"
                )
            key = _key(word.strip())
            if key and (key not in by_key or _RANK[severity] > _RANK[by_key[key][2]]):
                by_key[key] = (word.strip(), category, severity)
        self._entries = list(by_key.values())
        self._automaton = ahocorasick.Automaton()
        for index, key in enumerate(by_key):
            self._automaton.add_word(key, (index, len(key)))
        if self._entries:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<WordList of {len(self)} words>"

    def find(self, text: str, normalised: Normalised | None = None) -> list[Finding]:
        """The listed words in ``text``, by start; ``normalised`` is normalise(text) if already
        at hand. A word with invisible characters inside is found, and reported with them."""
        if not self._entries or not text:
            return []
        normalised = normalise(text) if normalised is None else normalised
        haystack = normalised.text.translate(_LOWER_ASCII)
        matches = sorted(
            (
                (end + 1 - length, end + 1, index)
                for end, (index, length) in self._automaton.iter(haystack)
            ),
            key=lambda match: (match[0], -match[1]),
        )
        found = []
        last_end = 0
        for start, end, index in matches:
            if start < last_end:  # inside or across a match already reported
                continue
            _, category, severity = self._entries[index]
            span = normalised.span(start, end)
            found.append(make_finding("sensitive_word", severity, text, *span, None, category))
            last_end = end
        return found
