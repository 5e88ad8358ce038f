"""Loading objects for routes: anything the user may not see is a 404 (no existence leak)."""
from flask import abort
from flask_login import current_user

from . import permissions
from .extensions import db
from .models import Item


def item_or_404(item_id: int, predicate=permissions.can_view_item) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or not predicate(current_user, item):
        abort(404)
    return item

