"""Tokens for Chinese full-text search: overlapping character bigrams (as Lucene's CJK analyzer).
Pure Python: no Flask, no database.

Indexing (``index_tokens``): the text is NFKC-normalised and lower-cased, then cut into runs:
- a run of CJK characters gives its overlapping bigrams, then its last character alone (the
  run's *tail*): 城乡低保 → 城乡 乡低 低保 保; a one-character run gives that character;
- a run of other letters and digits is one word: GB 11643 → gb 11643; 2026年 → 2026 年.
Everything else (punctuation, spaces, symbols) only separates runs.

The tail keeps runs apart: two bigrams stand next to each other in the token stream only when
they come from the same run, so a phrase of bigrams never matches across punctuation or a
script change (低。保 has no token 低保). It also lets a one-character query find a character at
the end of a run (by prefix: 保* matches 保标 and the tail 保).

Queries (``parse_query``): whitespace separates terms, and every term must match (AND). A term
is one phrase (consecutive tokens) built from its runs the same way, except that the last run
keeps no tail (the text may go on: 低保 finds 低保标准) and a final one-character CJK run is a
prefix (第1号 finds 第1号楼 as well as 第1号). A term of one CJK character is a prefix query
on its own. Only tokens made here ever reach the database, so no user input can form search
syntax (quotes, *, OR, NEAR, parentheses, -, ^, :).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

MAX_WORD = 64  # longer words are cut (PostgreSQL refuses lexemes over 2047 bytes)
MAX_QUERY = 100  # characters of a query that are searched
MAX_CLAUSES = 10  # terms of a query that are searched

_CJK_RANGES = (
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B-G
)


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def normalize(text: str) -> str:
    """NFKC (full-width ２０２６ → 2026, ＧＢ → GB), then lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[tuple[bool, str]]:
    """(is_cjk, run) pairs of an already normalised text, in order."""
    out: list[tuple[bool, str]] = []
    kind, start = None, 0
    for i, ch in enumerate(text):
        now = True if is_cjk(ch) else (False if ch.isalnum() else None)
        if now != kind:
            if kind is not None:
                out.append((kind, text[start:i]))
            kind, start = now, i
    if kind is not None:
        out.append((kind, text[start:]))
    return out


def _run_tokens(is_cjk_run: bool, run: str, tail: bool = True) -> list[str]:
    if not is_cjk_run:
        return [run[:MAX_WORD]]
    if len(run) == 1:
        return [run]
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    return bigrams + [run[-1]] if tail else bigrams


def index_tokens(text: str) -> list[str]:
    """The token stream of a text, in order (positions matter for phrases)."""
    tokens: list[str] = []
    for is_cjk_run, run in runs(normalize(text)):
        tokens += _run_tokens(is_cjk_run, run)
    return tokens


@dataclass(frozen=True)
class Clause:
    """Consecutive tokens; ``prefix``: the last token is a prefix (any token starting with it)."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    needles: list[str] = field(default_factory=list)  # normalised runs, for highlighting
    truncated: bool = False  # the query was longer than MAX_QUERY or had too many terms

    def __bool__(self) -> bool:
        return bool(self.clauses)


def _clause(term_runs: list[tuple[bool, str]]) -> Clause:
    tokens: list[str] = []
    last = len(term_runs) - 1
    for i, (is_cjk_run, run) in enumerate(term_runs):
        if i == last and is_cjk_run and len(run) == 1:
            return Clause((*tokens, run), prefix=True)
        tokens += _run_tokens(is_cjk_run, run, tail=i < last)
    return Clause(tuple(tokens))


def parse_query(query: str) -> ParsedQuery:
    """A user's query as clauses that must all match; never raises."""
    text = normalize(query).strip()
    parsed = ParsedQuery(truncated=len(text) > MAX_QUERY)
    for term in text[:MAX_QUERY].split():
        term_runs = runs(term)
        if not term_runs:
            continue  # only punctuation or symbols
        clause = _clause(term_runs)
        if clause in parsed.clauses:
            continue
        if len(parsed.clauses) == MAX_CLAUSES:
            parsed.truncated = True
            break
        parsed.clauses.append(clause)
        parsed.needles += [run for _, run in term_runs if run not in parsed.needles]
    return parsed
