"""SQLite: an FTS5 table of the bigram tokens, one row per document (rowid = ordinal).

The table is contentless (``content=''``): only the index is stored, not a second copy of the
tokens. Removing a row therefore needs the tokens it was added with; they are recomputed from
the document's stored title and text with the same tokenizer (after a tokenizer change, run
``reindex_all``). ``tokenize='ascii'`` splits only on ASCII spaces and punctuation, so each
token made by ``tokens.py`` (CJK characters, letters, digits) stays exactly one FTS5 token.
Phrases need positions (``detail=full``, the default); ``columnsize=0`` drops the per-row sizes
that only bm25 would read (results are ordered by title match, then publication time).

``ORDER BY rowid DESC`` is served by FTS5 itself: a page of results stops after its rows.

The ``text`` column holds the title's tokens, a separator, then the text's: every match is a
match in ``text``. The ``title`` column holds the title's tokens again, each marked with
``TITLE_MARK``, so the title tier (every term in the title) reads the short doclists of marked
tokens; with plain tokens a term common in bodies but absent from titles made FTS5 scan its whole
doclist for a title match (61 ms at 1,000,000 documents).
"""

from __future__ import annotations

from sqlalchemy import bindparam, literal_column, text

from approval.search.schema import documents, fts
from approval.search.tokens import ParsedQuery, index_tokens

CREATE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, text, content='', "
    "columnsize=0, tokenize='ascii')"
)


# Private-use characters: the tokenizer never makes them, so no query can produce them itself.
TITLE_MARK = "\ue000"
SEPARATOR = "\ue001"  # between title and text: a phrase never runs from one into the other


def _fts_values(ordinal: int, title: str, body_text: str) -> dict:
    title_tokens = index_tokens(title)
    return {
        "rowid": ordinal,
        "title": " ".join(TITLE_MARK + t for t in title_tokens),
        "text": " ".join([*title_tokens, SEPARATOR, *index_tokens(body_text)]),
    }


def insert(session, doc: dict) -> None:
    insert_many(session, [doc])


def insert_many(session, docs: list[dict]) -> None:
    session.execute(documents.insert(), docs)
    session.execute(
        text("INSERT INTO search_fts (rowid, title, text) VALUES (:rowid, :title, :text)"),
        [_fts_values(d["ordinal"], d["title"], d["text"]) for d in docs],
    )


def delete(session, rows) -> None:
    """Remove documents; ``rows`` have item_id, ordinal, title and text as stored."""
    for row in rows:
        session.execute(
            text(
                "INSERT INTO search_fts (search_fts, rowid, title, text) "
                "VALUES ('delete', :rowid, :title, :text)"
            ),
            _fts_values(row.ordinal, row.title, row.text),
        )
    if rows:
        ids = [row.item_id for row in rows]
        session.execute(documents.delete().where(documents.c.item_id.in_(ids)))


def delete_all(session) -> None:
    session.execute(text("INSERT INTO search_fts (search_fts) VALUES ('delete-all')"))
    session.execute(documents.delete())


def _phrase(clause, mark: str = "") -> str:
    # tokens hold only CJK characters, letters and digits: nothing in them needs escaping
    return '"' + " ".join(mark + t for t in clause.tokens) + '"' + (" *" if clause.prefix else "")


def match_expression(parsed: ParsedQuery, tier: int | None) -> str:
    """tier 1: every clause matches in the title; tier 0: all match, but not all in the title;
    None: all match."""
    every = "text : (" + " AND ".join(_phrase(c) for c in parsed.clauses) + ")"
    if tier is None:
        return every
    in_title = "title : (" + " AND ".join(_phrase(c, TITLE_MARK) for c in parsed.clauses) + ")"
    return in_title if tier == 1 else f"{every} NOT {in_title}"


# FTS5 returns matches in rowid (= ordinal) order and a page stops after its rows: one window.
WINDOWS = (None,)
SAMPLES_TERMS = False  # the one window already stops after a page: every term is read one way


def order_for_page(order, walk: bool = False):
    return order


def unindexed(column):
    """A filter column the planner must not start from. Without statistics SQLite would walk
    ``search_documents`` by its body_id index and run the MATCH once per row (65 ms for 2,000
    documents); ``+column`` is SQLite's documented way to keep an index out of a plan, so the
    FTS5 table drives every query and the filters are checked on its matches."""
    return literal_column(f"+{column.table.name}.{column.name}", type_=column.type)


def plan(parsed: ParsedQuery, tier: int | None, walk: bool = False):
    """(from clause, match condition, order column) for the shared query (one way: ``walk``
    is PostgreSQL's)."""
    source = fts.join(documents, documents.c.ordinal == fts.c.rowid)
    condition = literal_column("search_fts").bool_op("MATCH")(
        bindparam("match", match_expression(parsed, tier))
    )
    return source, condition, fts.c.rowid
