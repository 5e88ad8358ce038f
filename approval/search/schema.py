"""The search index's tables, as SQLAlchemy Core (migration 0005 creates them).

``search_documents`` holds one row per published item: what the filters, the ordering and the
result list need, and the text that snippets are cut from. The words themselves are indexed per
database: an FTS5 table ``search_fts`` on SQLite (rowid = ordinal), the ``tsv``/``title_tsv``
columns with a GIN index on PostgreSQL (those two columns exist only there).

The tables live in their own MetaData: the index is derived data, rebuilt from the items by
``reindex_all``, and its DDL differs per database.
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR

metadata = sa.MetaData()

documents = sa.Table(
    "search_documents",
    metadata,
    sa.Column("item_id", sa.Integer, primary_key=True, autoincrement=False),
    # publication order, unique: microseconds of published_at, then the item id's last 3 digits
    sa.Column("ordinal", sa.BigInteger, nullable=False, unique=True),
    sa.Column("body_id", sa.Integer, nullable=False),
    sa.Column("category_id", sa.Integer),
    sa.Column("department_id", sa.Integer, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),  # local (Asia/Shanghai) year of publication
    sa.Column("validity", sa.String(16), nullable=False),
    sa.Column("published_at", sa.DateTime, nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # summary, body, attachments: capped, for snippets
    sa.Column("tsv", TSVECTOR),  # PostgreSQL only: title (weight A) and text
    sa.Column("title_tsv", TSVECTOR),  # PostgreSQL only: the title alone (the first results)
)

# SQLite: the FTS5 table; its rowid is the document's ordinal
fts = sa.table("search_fts", sa.column("rowid", sa.BigInteger))

_EPOCH = datetime(1970, 1, 1)


def ordinal_of(published_at: datetime, item_id: int) -> int:
    """Sorting by ordinal is sorting by publication time (newest = largest). Stable for an item:
    an item is published once, so re-indexing gives it the same ordinal."""
    if published_at.tzinfo is not None:
        published_at = published_at.astimezone(UTC).replace(tzinfo=None)
    micros = (published_at - _EPOCH) // timedelta(microseconds=1)
    return micros * 1000 + item_id % 1000
