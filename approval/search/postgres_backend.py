"""PostgreSQL: a tsvector of the bigram tokens with a GIN index.

The tsvector is built from the tokens of ``tokens.py`` as a literal with positions (title tokens
first, weight A, then the text), not by ``to_tsvector``: the same tokens as on SQLite, whatever
the server's parser or locale. Queries are tsquery literals: ``'低保' <-> '保标' <-> '标准'`` for
a phrase, ``'低':*`` for a prefix, ``&`` between terms.

``title_tsv`` (the title alone, small and stored inline) says whether every term is in the
title, which puts an item among the first results, without reading the large ``tsv`` again.

Limits of tsvector: positions go up to 16,383 and a lexeme keeps at most 256 of them. The text
is capped below that (``documents.TEXT_LIMIT``); a bigram occurring more than 256 times keeps its
first 256 positions, so a phrase starting only after those occurrences is not found.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, cast, func, not_
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR

from approval.search.schema import documents
from approval.search.tokens import ParsedQuery, index_tokens

MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(tokens_with_weights: list[tuple[str | None, str]]) -> str:
    """'低保':1A,5 '保标':2A ... from (token, weight) pairs in order (a None token only takes up
    a position); '' for no tokens."""
    positions: dict[str, list[str]] = {}
    for position, (token, weight) in enumerate(tokens_with_weights, start=1):
        if position > MAX_POSITION:
            break
        if token is None:
            continue
        kept = positions.setdefault(token, [])
        if len(kept) < MAX_POSITIONS_PER_LEXEME:
            kept.append(f"{position}{weight}")
    return " ".join(f"{_quote(token)}:{','.join(p)}" for token, p in positions.items())


def _vectors(title: str, body_text: str) -> tuple[str, str]:
    title_tokens = index_tokens(title)
    # one unused position between title and text: a phrase never runs from one into the other
    stream = [(t, "A") for t in title_tokens] + [(None, "")]
    stream += [(t, "") for t in index_tokens(body_text)]
    return tsvector_literal(stream), tsvector_literal([(t, "") for t in title_tokens])


def insert(session, doc: dict) -> None:
    insert_many(session, [doc])


def insert_many(session, docs: list[dict]) -> None:
    rows = []
    for doc in docs:
        whole, title_only = _vectors(doc["title"], doc["text"])
        rows.append({**doc, "tsv_literal": whole, "title_literal": title_only})
    session.execute(
        documents.insert().values(
            {
                **{c: bindparam(c) for c in docs[0]},
                "tsv": cast(bindparam("tsv_literal"), TSVECTOR),
                "title_tsv": cast(bindparam("title_literal"), TSVECTOR),
            }
        ),
        rows,
    )


def delete(session, rows) -> None:
    if rows:
        ids = [row.item_id for row in rows]
        session.execute(documents.delete().where(documents.c.item_id.in_(ids)))


def delete_all(session) -> None:
    session.execute(documents.delete())


def tsquery_literal(parsed: ParsedQuery) -> str:
    phrases = []
    for clause in parsed.clauses:
        quoted = [_quote(t) for t in clause.tokens]
        if clause.prefix:
            quoted[-1] += ":*"
        phrases.append("(" + " <-> ".join(quoted) + ")")
    return " & ".join(phrases)


# A GIN index yields matches unordered, and PostgreSQL's estimate for a bigram is coarse: for a
# rare term it would walk the ordinal index backwards testing every row (600 ms at 100,000
# documents). So a page is read in windows of publication time, newest first, each fetched
# through the GIN index and sorted: a common term fills its page from the first day's documents,
# a rare one costs a few cheap index probes. The last window (None) is unbounded.
# Windows count back from the body's newest document (a township may publish weekly), growing
# five-fold: a window's matches are found through the (body_id, ordinal) index while it is small;
# the last, open window goes through the GIN index alone (a 625-day window cost a rare term 17 ms).
WINDOWS = tuple(timedelta(days=d) for d in (1, 5, 25, 125)) + (None,)
# The body's newest documents are sampled for each term (query._ways): a rare term is read whole
# through the GIN index instead (query._every_match: ``matches`` and ``in_title`` below), a dense
# one walks the ordinal index through each bounded window (``plan(..., walk=True)``).
SAMPLES_TERMS = True


def order_for_page(order, walk: bool = False):
    """``ordinal + 0``: the planner may not walk the ordinal index in order; it fetches the
    window's matches through the GIN index and sorts them. A walked window is read in order
    and stops at its LIMIT."""
    return order if walk else order + 0


def unindexed(column):
    """PostgreSQL plans from statistics (ANALYZE); its filter columns stay as they are."""
    return column


def _tsquery(parsed: ParsedQuery):
    # one bind parameter, however often a statement uses it (same name, same value)
    return cast(bindparam("tsquery", tsquery_literal(parsed)), TSQUERY)


def matches(tsv, parsed: ParsedQuery):
    """``tsv`` (a tsvector column) holds every term."""
    return tsv.bool_op("@@")(_tsquery(parsed))


def _walked(tsv, parsed: ParsedQuery):
    """``matches`` as a call of the operator's function, which no index serves: the planner
    walks the window through the ordinal index, newest first, testing each row, and stops at
    the LIMIT. For a page of a term in 2% of the documents that reads about a thousand rows
    (fewer the denser it is), where the GIN index would read every match in the table (its
    estimate of a phrase of overlapping bigrams multiplies their frequencies: 90 rows expected
    at a million documents, 42,687 title matches of 防汛抗旱 read, 13.5 ms a window)."""
    return func.ts_match_vq(tsv, _tsquery(parsed))


def in_title(parsed: ParsedQuery):
    """Whether every term is in the title (tier 1), as a column: both tiers read at once."""
    return matches(documents.c.title_tsv, parsed)


def plan(parsed: ParsedQuery, tier: int | None, walk: bool = False):
    """(from clause, match condition, order column) for the shared query; ``walk``: through the
    ordinal index (``_walked``) instead of the GIN indexes. Tier 1 (every term in the title)
    tests ``title_tsv`` alone: the title's tokens open ``tsv`` at the same positions, so a title
    match is a match of the whole, and reading the large, out-of-line ``tsv`` of each candidate
    as well cost a common phrase 20 ms (防汛抗旱: 4,209 title candidates)."""
    match = _walked if walk else matches
    if tier == 1:
        return documents, match(documents.c.title_tsv, parsed), documents.c.ordinal
    condition = match(documents.c.tsv, parsed)
    if tier == 0:  # the inline title first: the large text is stored apart
        condition = not_(match(documents.c.title_tsv, parsed)) & condition
    return documents, condition, documents.c.ordinal
