"""Public full-text search over published items (Chinese: overlapping character bigrams).

One small interface, one implementation per database:
- ``tokens``: the tokenizer and query parser (pure Python, shared);
- ``schema``: ``search_documents`` (one row per published item: filters, order, snippet text);
- ``sqlite_backend`` (FTS5) and ``postgres_backend`` (tsvector + GIN): ``insert``, ``delete``,
  ``delete_all`` and ``plan`` (the match condition and the order column of a query);
- ``documents``: ``sync_item`` / ``reindex_all`` (attachment text via approval.core.screening);
- ``form``: the search form read from the URL (the query, the filters a body offers);
- ``query``: the portal's search (tiers, windows, keyset pages, counts, snippets).

``sync_item(item)`` keeps an item's search document in step with its public state; ``subscribe``
has it run on every portal action of the chain (publish, unpublish, a validity change), in the
transaction of that action (publication/events.py).
"""

from __future__ import annotations


def subscribe() -> None:
    from approval.publication import events

    events.item_moved.connect(_on_item_moved, weak=False)


def _on_item_moved(item, *, action, **_) -> None:
    from approval.core.workflow import PORTAL_ACTIONS, Action

    if action is Action.PUBLISH and item.amends_id is not None:
        # a 修订 published: the item it amends is found by its new text only
        from approval.search.documents import replace_item

        replace_item(item.amends)
    elif action in PORTAL_ACTIONS:
        sync_item(item)


def sync_item(item) -> None:
    """Index a published item, or drop an item that is no longer published."""
    from approval.search.documents import sync_item as sync

    sync(item)


def ensure_indexed() -> int:
    """After an upgrade: build the index when it is empty but items are published (a database
    that had items before the search index existed); returns the number of items indexed."""
    from sqlalchemy import select

    from approval.core.workflow import PUBLISHED
    from approval.extensions import db
    from approval.models import Item
    from approval.search.schema import documents

    if db.session.scalar(select(documents.c.item_id).limit(1)) is not None:
        return 0
    if db.session.scalar(select(Item.id).where(Item.state == PUBLISHED).limit(1)) is None:
        return 0
    return reindex_all()


def reindex_all(body_id: int | None = None, session=None) -> int:
    """Rebuild the index from the items (one body or all); does not commit."""
    from approval.search.documents import reindex_all as rebuild

    return rebuild(body_id, session)
