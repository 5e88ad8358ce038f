"""Writing the index: one search document per published item, kept in step with the portal.

``sync_item`` runs inside the transition's transaction (publish, unpublish, validity change),
so the index never shows what the portal does not. It is idempotent: a published item that is
already indexed only gets its filter columns updated (a published revision never changes, and
published → unpublished is final), anything else is removed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from approval.core.clock import to_local
from approval.core.screening.extract import Unreadable
from approval.core.workflow import PUBLISHED
from approval.extensions import db
from approval.models import Item, Revision
from approval.platform.extraction import segments as read_segments
from approval.platform.storage import path_of
from approval.search import postgres_backend, sqlite_backend
from approval.search.schema import documents, ordinal_of

# Characters of summary, body and attachment text that are indexed (and kept for snippets):
# PostgreSQL's tsvector positions end at 16,383, and phrases need exact positions.
TEXT_LIMIT = 16_000
REINDEX_BATCH = 1000


def backend(session=None):
    """The implementation for the database in use (same interface: insert, delete, delete_all,
    plan)."""
    name = (session or db.session).get_bind().dialect.name
    return postgres_backend if name == "postgresql" else sqlite_backend


def attachment_text(attachment) -> str:
    """The attachment's text as read at upload, or "" when it could not be read (a scan, an old
    .doc, a broken file, a file that hit a limit)."""
    extension = attachment.filename.rsplit(".", 1)[-1] if "." in attachment.filename else ""
    try:
        segments = read_segments(path_of(attachment.storage_name), extension)
    except Unreadable:
        return ""
    return "\n".join(segment.text for segment in segments)


def document_text(revision: Revision, limit: int = TEXT_LIMIT) -> str:
    """Summary, body, then each attachment's name and text, cut at ``limit`` characters."""
    parts, size = [], 0
    for part in _text_parts(revision):
        if size >= limit:
            break
        parts.append(part)
        size += len(part) + 1
    return "\n".join(p for p in parts if p)[:limit]


def _text_parts(revision: Revision):
    summary, body = (revision.summary or "").strip(), revision.body or ""
    if summary.rstrip("…").rstrip(".") not in body[: len(summary) + 10]:
        yield summary  # a summary that only repeats the body's opening is left out
    yield body
    for attachment in revision.attachments:
        yield attachment.filename.rsplit(".", 1)[0]
        yield attachment_text(attachment)  # read only while the limit is not reached


def _filter_columns(item: Item) -> dict:
    return {
        "body_id": item.body_id,
        "category_id": item.category_id,
        "department_id": item.department_id,
        "validity": item.validity,
    }


def build_document(item: Item) -> dict:
    revision = item.published_revision
    return {
        "item_id": item.id,
        "ordinal": ordinal_of(item.published_at, item.id),
        "year": to_local(item.published_at).year,
        "published_at": item.published_at,
        "title": revision.title,
        "text": document_text(revision),
        **_filter_columns(item),
    }


def _stored(where, session=None) -> list:
    columns = (documents.c.item_id, documents.c.ordinal, documents.c.title, documents.c.text)
    return (session or db.session).execute(select(*columns).where(where)).all()


def sync_item(item: Item) -> None:
    """Index a published item, or drop an item that is no longer published. Never commits."""
    stored = _stored(documents.c.item_id == item.id)
    if item.state != PUBLISHED or item.published_revision is None or item.published_at is None:
        backend().delete(db.session, stored)
    elif stored:
        db.session.execute(
            documents.update().where(documents.c.item_id == item.id).values(**_filter_columns(item))
        )
    else:
        backend().insert(db.session, build_document(item))


def replace_item(item: Item) -> None:
    """Index a published item anew after its published revision was replaced (a 公示 whose
    personal data came down, approval/notices): its old text must no longer be found. Never
    commits."""
    backend().delete(db.session, _stored(documents.c.item_id == item.id))
    sync_item(item)


def reindex_all(body_id: int | None = None, session=None) -> int:
    """Rebuild the index from the items (one body, or all); returns the number of documents.
    Runs in the caller's transaction (``session``, by default the app's) and does not commit."""
    session = session or db.session
    chosen = backend(session)
    if body_id is None:
        chosen.delete_all(session)
    else:
        chosen.delete(session, _stored(documents.c.body_id == body_id, session))
    query = select(Item.id).where(Item.state == PUBLISHED).order_by(Item.id)
    if body_id is not None:
        query = query.where(Item.body_id == body_id)
    ids = session.scalars(query).all()
    for start in range(0, len(ids), REINDEX_BATCH):
        batch = session.scalars(
            select(Item)
            .where(Item.id.in_(ids[start : start + REINDEX_BATCH]))
            .options(joinedload(Item.published_revision).selectinload(Revision.attachments))
        ).all()
        chosen.insert_many(session, [build_document(item) for item in batch])
    return len(ids)
