"""/api/v1: published items as JSON (keyset pages) and the OpenAPI document that describes them.

Read-only and public: GET only, no session needed, so no CSRF token either. Every answer is JSON,
errors included ({"error": "…"}), also for URLs under /api/v1 that match no route.
"""

import re

from flask import Blueprint, current_app, request
from flask_babel import gettext
from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed, NotFound

from approval.api import openapi, serialise
from approval.core.workflow import UNPUBLISHED
from approval.extensions import db
from approval.models import Body, Category
from approval.platform.paging import parse_cursor
from approval.platform.urls import external_url
from approval.portal import public

bp = Blueprint("api", __name__, url_prefix="/api/v1")

CACHE_CONTROL = "public, max-age=60"
DIGITS = re.compile(r"[0-9]{1,3}")


def _json(data, status: int = 200):
    response = current_app.response_class(
        current_app.json.dumps(data, ensure_ascii=False, sort_keys=False),
        status=status,
        mimetype="application/json",
    )
    response.headers["Cache-Control"] = CACHE_CONTROL if status < 500 else "no-store"
    return response


def _error(status: int, message: str):
    return _json({"error": message}, status)


@bp.before_app_request
def _routing_errors_as_json():
    """A URL under /api/v1 that matches no route (or not with this method) answers in JSON too;
    routing fails before the blueprint is known, so its error handlers would not see it."""
    failure = request.routing_exception
    if not isinstance(failure, NotFound | MethodNotAllowed):
        return None
    if request.path != bp.url_prefix and not request.path.startswith(bp.url_prefix + "/"):
        return None
    if isinstance(failure, MethodNotAllowed):
        response = _error(405, gettext("接口只支持 GET 请求"))
        response.headers["Allow"] = ", ".join(sorted(failure.valid_methods or ["GET"]))
        return response
    return _error(404, gettext("接口地址不存在"))


@bp.errorhandler(500)
def _internal(_exc):
    db.session.rollback()
    return _error(500, gettext("系统内部错误，请稍后重试"))


def _limit(raw: str | None) -> int | None:
    if raw is None:
        return openapi.DEFAULT_LIMIT
    if DIGITS.fullmatch(raw) and 1 <= int(raw) <= openapi.MAX_LIMIT:
        return int(raw)
    return None


def _cursor_is_valid(raw: str | None) -> bool:
    if not raw:
        return True
    return parse_cursor(raw) is not None


@bp.route("/bodies/<id:body_id>/items")
def items(body_id):
    body = db.session.get(Body, body_id)
    if body is None:
        return _error(404, gettext("公开主体不存在"))
    limit = _limit(request.args.get("limit"))
    if limit is None:
        return _error(400, gettext("limit 必须是 1 到 %(max)d 之间的整数", max=openapi.MAX_LIMIT))
    after = request.args.get("after")
    if not _cursor_is_valid(after):
        return _error(400, gettext("after 不是有效的翻页位置，请使用上一页返回的 next"))
    code = request.args.get("category") or None
    categories = {
        c.id: c for c in db.session.scalars(select(Category).where(Category.body_id == body.id))
    }
    if code is None:
        rows, next_cursor = public.latest(body.id, after, size=limit)
    else:
        category = next((c for c in categories.values() if c.code == code), None)
        if category is None:
            return _error(404, gettext("主题分类不存在"))
        rows, next_cursor = public.in_category(body.id, category.id, after, size=limit)
    next_url = None
    if next_cursor:
        query = {k: v for k, v in (("limit", request.args.get("limit")), ("category", code)) if v}
        next_url = external_url("api.items", body_id=body.id, after=next_cursor, **query)
    return _json(
        {
            "items": [
                serialise.item_summary(item, categories.get(item.category_id)) for item in rows
            ],
            "next": next_cursor,
            "next_url": next_url,
        }
    )


@bp.route("/items/<id:item_id>")
def item(item_id):
    found = public.public_item(item_id)
    if found is None:
        return _error(404, gettext("信息不存在或未公开"))
    if found.state == UNPUBLISHED:
        return _json(serialise.withdrawal(found, gettext("该信息已撤稿")), 410)
    return _json(serialise.item_detail(found, db.session.get(Body, found.body_id)))


@bp.route("/openapi.json")
def openapi_document():
    server = external_url("api.openapi_document").rsplit("/", 1)[0]
    return _json(openapi.document(server))
