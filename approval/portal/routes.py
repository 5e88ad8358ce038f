"""The public disclosure portal (政府信息公开专栏): no login, one portal per body.

Home (latest items and the catalog), catalog pages, the office's 指南/制度 pages, item pages with
the 信息公开要素 and attachments; an unpublished item keeps a page with the public notice.
"""

from flask import Blueprint, abort, redirect, render_template, request, url_for

from approval.extensions import db
from approval.models import PAGE_TITLES, Body
from approval.portal import public
from approval.publication import amendments, attachment_files, categories

bp = Blueprint("portal", __name__, url_prefix="/public")


@bp.route("/")
def index():
    bodies = public.bodies()
    if len(bodies) == 1:
        return redirect(url_for(".home", body_id=bodies[0].id))
    return render_template("portal/bodies.html", bodies=bodies)


@bp.route("/<id:body_id>/")
def home(body_id):
    body = db.get_or_404(Body, body_id)
    items, next_cursor = public.latest(body.id, request.args.get("after"))
    return render_template(
        "portal/home.html",
        body=body,
        tree=categories.category_tree(body.id),
        items=items,
        next_cursor=next_cursor,
    )


@bp.route("/<id:body_id>/catalog/<code>")
def category(body_id, code):
    body = db.get_or_404(Body, body_id)
    tree = categories.category_tree(body.id)
    node, path = public.find_node(tree, code)
    if node is None:
        abort(404)
    items, next_cursor = public.in_category(body.id, node.category.id, request.args.get("after"))
    return render_template(
        "portal/category.html",
        body=body,
        tree=tree,
        node=node,
        path=path,
        items=items,
        next_cursor=next_cursor,
    )


@bp.route("/<id:body_id>/<any(guide, rules):slug>")
def page(body_id, slug):
    body = db.get_or_404(Body, body_id)
    saved = public.portal_page(body.id, slug)
    return render_template(
        "portal/page.html",
        body=body,
        slug=slug,
        page=saved,
        title=saved.title if saved else PAGE_TITLES[slug],
    )


@bp.route("/items/<id:item_id>")
def item(item_id):
    item = public.public_item(item_id) or abort(404)
    return _item_page(item, item.published_revision)


@bp.route("/items/<id:item_id>/versions/<id:number>")
def version(item_id, number):
    """An earlier public version (修订记录), marked as such; the current one is the item page."""
    item = public.public_item(item_id) or abort(404)
    shown = amendments.public_version(item, number) or abort(404)
    if shown.revision_id == item.published_revision_id:
        return redirect(url_for("portal.item", item_id=item.id), 301)
    return _item_page(item, shown.revision, shown)


def _item_page(item, revision, shown_version=None):
    versions = amendments.versions(item)
    return render_template(
        "portal/item.html",
        item=item,
        body=item.department.body,
        revision=revision,
        versions=versions,
        shown_numbers=amendments.shown_numbers(item, versions),
        shown_version=shown_version,
    )


@bp.route("/items/<id:item_id>/attachments/<id:attachment_id>")
def download(item_id, attachment_id):
    """Under its public name (publication/attachment_files.py), never the storage name."""
    attachment = public.published_attachment(item_id, attachment_id) or abort(404)
    return attachment_files.send_attachment(attachment)


@bp.route("/items/<id:item_id>/attachments/<id:attachment_id>/view")
def preview(item_id, attachment_id):
    """A PDF or an image shown in the browser; other formats are downloads only (404 here)."""
    attachment = public.published_attachment(item_id, attachment_id) or abort(404)
    if not attachment_files.can_preview(attachment):
        abort(404)
    return attachment_files.send_attachment(attachment, inline=True)
