"""Loading objects for routes: anything the user may not see is a 404 (no existence leak)."""
from flask import abort
from flask_login import current_user

from . import permissions
from .extensions import db
from .models import Item


def item_or_404(item_id: int, predicate=permissions.can_view_item, *, for_update=False) -> Item:
    """``for_update`` (every route that changes the item): lock its row until the request commits,
    so a concurrent request waits and then sees the winner's version (PostgreSQL; SQLite's write
    requests already hold the database's write lock from their first statement)."""
    item = db.session.get(Item, item_id, with_for_update=for_update or None)
    if item is None or not predicate(current_user, item):
        abort(404)
    return item

