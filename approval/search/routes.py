"""The portal's search page: GET only, public, 200 for any input (bad filters are ignored with a
notice; an empty query shows the form)."""

from flask import Blueprint, render_template, request

from approval.extensions import db
from approval.models import Body
from approval.search import form as search_form
from approval.search import query as search_query

bp = Blueprint("search", __name__, url_prefix="/public")


@bp.route("/<id:body_id>/search")
def search(body_id):
    body = db.get_or_404(Body, body_id)
    offered = search_form.options(body.id)
    form = search_form.read_form(body.id, request.args, offered)
    page = search_query.search(body.id, form.query, form.filters, request.args.get("after"))
    return render_template(
        "search/search.html",
        body=body,
        form=form,
        offered=offered,
        page=page,
        searched=bool(form.query),
    )
