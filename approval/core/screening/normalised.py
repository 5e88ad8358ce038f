"""The text the detectors read, and the way back from its offsets to the text as written.

Text can be made to slip past screening without changing what a reader sees: a zero-width space
inside 11010519491231002X or between 秘 and 密, full-width digits mixed with half-width ones. One
step undoes this before any detector runs:

1. ``fold``, one character for one: full-width ASCII (０-９, Ｘ, ｘ, －, ．, ＠, ：, （）…) to
   half-width, every other decimal digit (𝟏, ١) to 0-9, and every space that is not a tab or line break (ideographic U+3000, no-break
   U+00A0, the typographic spaces U+2000-U+200A, U+202F, U+205F) to " ";
2. invisible characters are dropped: soft hyphen U+00AD, combining grapheme joiner U+034F, Arabic
   letter mark U+061C, Mongolian vowel separator U+180E, zero-width space, non-joiner and joiner
   U+200B-U+200D, the direction marks and embeddings U+200E-U+200F and U+202A-U+202E, word joiner
   and invisible operators U+2060-U+2064, the direction isolates U+2066-U+2069, and the
   zero-width no-break space (byte order mark) U+FEFF.

``normalise(text).text`` is what the detectors match; ``span(start, end)`` turns a stretch of it
back into offsets in ``text`` that cover the same characters and every invisible character
between them, so that ``text[start:end]`` is what a finding reports and what masking replaces.

Spaces, dashes and dots between the digits of a number are not dropped here: whether a separator
is inside a number depends on the number, so the personal-data detectors decide it
(``detectors``, "Numbers written apart").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

_SPACES = [0x3000, 0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F]
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {c: 0x20 for c in _SPACES}
INVISIBLE = "\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]+")
_OTHER_DIGIT_RE = re.compile(r"(?![0-9])\d")  # 𝟏, ١, ๑: any decimal digit but 0-9


def fold(text: str) -> str:
    """Full-width ASCII, other decimal digits and odd spaces to half-width, one character for one
    (offsets unchanged)."""
    folded = text.translate(_FOLD)
    if _OTHER_DIGIT_RE.search(folded) is None:
        return folded
    return _OTHER_DIGIT_RE.sub(lambda m: str(unicodedata.decimal(m.group())), folded)


def strip_invisible(text: str) -> str:
    return _INVISIBLE_RE.sub("", text)


class Normalised:
    """``text`` folded and without invisible characters; ``span`` maps its offsets back."""

    __slots__ = ("text", "_at", "_shift", "_length")

    def __init__(self, original: str):
        folded = fold(original)
        self._length = len(original)
        self._at: list[int] = []  # from this offset in self.text on ...
        self._shift: list[int] = []  # ... add this many to get the original offset
        parts, position, dropped = [], 0, 0
        for match in _INVISIBLE_RE.finditer(folded):
            parts.append(folded[position : match.start()])
            self._at.append(match.start() - dropped)  # where the next kept character lands
            dropped += match.end() - match.start()
            self._shift.append(dropped)
            position = match.end()
        self.text = "".join(parts) + folded[position:] if parts else folded

    def offset(self, position: int) -> int:
        """The original offset of the character at ``position`` of the normalised text."""
        index = bisect_right(self._at, position)
        return position + (self._shift[index - 1] if index else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the normalised stretch start:end (end exclusive): from its
        first character to just after its last, invisible characters between them included."""
        if not self._at:
            return start, end
        if end <= start:
            position = self.offset(start) if start < len(self.text) else self._length
            return position, position
        return self.offset(start), self.offset(end - 1) + 1


def normalise(text: str) -> Normalised:
    return Normalised(text)
