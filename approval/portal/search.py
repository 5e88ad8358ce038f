"""The portal's search page: GET only, public, 200 for any input (bad filters are ignored with a
notice; an empty query shows the form)."""
from flask import render_template, request

from ..extensions import db
from ..models import Body
from ..search import form as search_form
from ..search import query as search_query
from .routes import bp


@bp.route("/<id:body_id>/search")
def search(body_id):
    body = db.get_or_404(Body, body_id)
    offered = search_form.options(body.id)
    form = search_form.read_form(body.id, request.args, offered)
    page = search_query.search(body.id, form.query, form.filters, request.args.get("after"))
    return render_template("portal/search.html", body=body, form=form, offered=offered,
                           page=page, searched=bool(form.query))
