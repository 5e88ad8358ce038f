"""Atom feeds of a body's published items: the whole body, and one catalog category (主题分类).

Public, read-only, no login. Each feed holds the newest FEED_SIZE published items (withdrawn ones
are gone from it; their portal page keeps the notice). Readers follow the entries' links.
"""

from flask import Blueprint, Response, abort
from flask_babel import gettext
from sqlalchemy import select

from approval.core import rich_text
from approval.extensions import db
from approval.models import Body, Category, Item
from approval.platform.urls import external_url
from approval.portal import atom, public

bp = Blueprint("feeds", __name__, url_prefix="/public")

FEED_SIZE = 20
CACHE_CONTROL = "public, max-age=60"


def _entry(body: Body, item: Item, category: Category | None) -> atom.Entry:
    revision = item.published_revision
    return atom.Entry(
        id=atom.urn(body.credit_code, "item", item.index_number),
        title=revision.title,
        published=item.published_at,
        # a validity change (废止/失效) and a published 修订 are changes readers should see
        updated=max(item.published_at, item.updated_at, item.revised_at or item.published_at),
        url=external_url("portal.item", item_id=item.id),
        author=item.department.name,
        summary=revision.summary,
        content_html=rich_text.sanitize(revision.body_html),
        category_term=category.code if category else None,
        category_label=category.name if category else None,
    )


def _response(feed: atom.Feed) -> Response:
    response = Response(atom.render(feed), content_type=atom.CONTENT_TYPE)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


@bp.route("/<id:body_id>/feed.atom")
def body_feed(body_id):
    body = db.get_or_404(Body, body_id)
    items = public.newest_changes(body.id, None, FEED_SIZE)
    categories = {
        c.id: c for c in db.session.scalars(select(Category).where(Category.body_id == body.id))
    }
    return _response(
        atom.Feed(
            id=atom.urn(body.credit_code, "feed"),
            title=gettext("%(body)s · 政府信息公开", body=body.name),
            author=body.name,
            self_url=external_url("feeds.body_feed", body_id=body.id),
            alternate_url=external_url("portal.home", body_id=body.id),
            entries=[_entry(body, item, categories.get(item.category_id)) for item in items],
        )
    )


@bp.route("/<id:body_id>/catalog/<code>/feed.atom")
def category_feed(body_id, code):
    body = db.get_or_404(Body, body_id)
    category = public.category_by_code(body.id, code) or abort(404)
    items = public.newest_changes(body.id, category.id, FEED_SIZE)
    return _response(
        atom.Feed(
            id=atom.urn(body.credit_code, "catalog", category.code),
            title=f"{body.name} · {category.full_name}",
            author=body.name,
            self_url=external_url("feeds.category_feed", body_id=body.id, code=category.code),
            alternate_url=external_url("portal.category", body_id=body.id, code=category.code),
            entries=[_entry(body, item, category) for item in items],
        )
    )
