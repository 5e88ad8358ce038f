"""The public disclosure portal (minimal here): published items and their 信息公开要素."""
from flask import Blueprint, abort, render_template, request, send_file

from ..extensions import db
from ..models import Item
from ..services import queries, storage
from ..workflow import PUBLISHED, UNPUBLISHED

bp = Blueprint("portal", __name__, url_prefix="/public")


@bp.route("/")
def index():
    rows, next_cursor = queries.published_items(cursor=request.args.get("after"))
    return render_template("portal/index.html", items=rows, next_cursor=next_cursor)


def _public_item(item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or item.state not in (PUBLISHED, UNPUBLISHED):
        abort(404)
    return item


@bp.route("/items/<id:item_id>")
def item(item_id):
    item = _public_item(item_id)
    return render_template("portal/item.html", item=item, revision=item.published_revision)


@bp.route("/items/<id:item_id>/attachments/<id:attachment_id>")
def download(item_id, attachment_id):
    item = _public_item(item_id)
    if item.state != PUBLISHED:
        abort(404)
    attachment = next((a for a in item.published_revision.attachments if a.id == attachment_id),
                      None)
    if attachment is None:
        abort(404)
    return send_file(storage.path_of(attachment.storage_name), as_attachment=True,
                     download_name=attachment.filename, mimetype=attachment.content_type)
