"""Loading objects for routes: anything the user may not see is a 404 (no existence leak)."""

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from approval import permissions
from approval.extensions import db
from approval.models import Category, Decision, Item, Revision, ScreeningFinding
from approval.platform.db_setup import PREPARED

# what the item page, its permission checks and its write routes read, loaded in a fixed few
# queries; the older revisions (with their text) only where they are shown, the history and the
# 保密审查单, which load them as one collection when they first ask
ITEM_PAGE = [
    joinedload(Item.department),
    joinedload(Item.author),
    joinedload(Item.current_revision).options(
        joinedload(Revision.category).joinedload(Category.parent),
        selectinload(Revision.attachments),
        selectinload(Revision.findings).joinedload(ScreeningFinding.attachment),
    ),
    selectinload(Item.decisions).joinedload(Decision.actor),
    selectinload(Item.contributors),
]


def item_or_404(item_id: int, predicate=permissions.can_view_item, *, for_update=False) -> Item:
    """``for_update`` (every route that changes the item): lock its row until the request commits,
    so a concurrent request waits and then sees the winner's version (PostgreSQL; SQLite's write
    requests already hold the database's write lock from their first statement)."""
    lock = {"of": Item} if for_update else None  # the item's row only, not the joined ones
    item = db.session.get(
        Item, item_id, with_for_update=lock, options=ITEM_PAGE, execution_options=PREPARED
    )  # and its collections, loaded after it
    if item is None or not predicate(current_user, item):
        abort(404)
    return item
