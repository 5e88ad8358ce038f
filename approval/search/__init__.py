"""Public full-text search over published items (Chinese: overlapping character bigrams).

One small interface, one implementation per database:
- ``tokens``: the tokenizer and query parser (pure Python, shared);
- ``schema``: ``search_documents`` (one row per published item: filters, order, snippet text);
- ``sqlite_backend`` (FTS5) and ``postgres_backend`` (tsvector + GIN): ``insert``, ``delete``,
  ``delete_all`` and ``plan`` (the match condition and the order column of a query);
- ``documents``: ``sync_item`` / ``reindex_all`` (attachment text via approval.screening);
- ``form``: the search form read from the URL (the query, the filters a body offers);
- ``query``: the portal's search (tiers, windows, keyset pages, counts, snippets).

``sync_item(item)`` keeps an item's search document in step with its public state; it is called
by the transition service in the same transaction as publish, unpublish and validity changes.
"""
from __future__ import annotations


def sync_item(item) -> None:
    """Index a published item, or drop an item that is no longer published."""
    from .documents import sync_item as sync
    sync(item)


def ensure_indexed() -> int:
    """After an upgrade: build the index when it is empty but items are published (a database
    that had items before the search index existed); returns the number of items indexed."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Item
    from ..workflow import PUBLISHED
    from .schema import documents
    if db.session.scalar(select(documents.c.item_id).limit(1)) is not None:
        return 0
    if db.session.scalar(select(Item.id).where(Item.state == PUBLISHED).limit(1)) is None:
        return 0
    return reindex_all()


def reindex_all(body_id: int | None = None, session=None) -> int:
    """Rebuild the index from the items (one body or all); does not commit."""
    from .documents import reindex_all as rebuild
    return rebuild(body_id, session)
