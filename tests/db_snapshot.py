"""What the database holds, table by table: to show that a request or a failed action changed
nothing at all. Read through a connection of its own, so nothing the test's session holds in its
identity map (or in an unfinished transaction) can hide a change."""

from __future__ import annotations

import hashlib

from sqlalchemy import inspect, text

from approval.extensions import db

_TABLES: dict[str, list[str]] = {}  # per database URL: the schema is migrated once per session


def _tables(conn) -> list[str]:
    url = str(conn.engine.url)
    if url not in _TABLES:
        virtual = set()
        if conn.dialect.name == "sqlite":
            virtual = set(
                conn.execute(
                    text("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
                ).scalars()
            )
        _TABLES[url] = sorted(set(inspect(conn).get_table_names()) - virtual)
    return _TABLES[url]


def snapshot() -> dict[str, tuple[int, str]]:
    """{table: (row count, digest of its rows)} for every table of the database, including
    the ones no model maps (the search index, the sequences). A SQLite FTS5 table cannot be
    scanned; its shadow tables (``search_fts_data``, ``_idx``, ``_docsize``) hold what it holds."""
    state = {}
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # one round trip: PostgreSQL digests each table
            query = " UNION ALL ".join(
                f"SELECT '{table}', count(*), md5(coalesce(string_agg(x::text, chr(10) "
                f"ORDER BY x::text), '')) FROM \"{table}\" x"
                for table in _tables(conn)
            )
            state = {name: (count, digest) for name, count, digest in conn.execute(text(query))}
        else:
            for table in _tables(conn):
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
                lines = sorted(repr(tuple(row)) for row in rows)
                state[table] = (len(rows), hashlib.sha256("\n".join(lines).encode()).hexdigest())
        conn.rollback()
    return state


def changed_tables(before: dict, after: dict) -> dict[str, tuple]:
    """The tables whose rows differ: {table: ((count, digest) before, (count, digest) after)}."""
    return {
        t: (before.get(t), after.get(t))
        for t in sorted(set(before) | set(after))
        if before.get(t) != after.get(t)
    }
