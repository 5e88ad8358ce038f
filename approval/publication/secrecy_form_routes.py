"""The 保密审查单 page and its .docx download: for whoever may read the item's history, from the
first submission on (otherwise 404, like every page the user may not see)."""

from io import BytesIO

from flask import Blueprint, render_template, send_file
from flask_login import current_user, login_required

from approval import permissions
from approval.publication import loading
from approval.publication import secrecy_form_docx as document
from approval.publication.secrecy_form import collect

bp = Blueprint("secrecy_form", __name__)


@bp.app_template_global()
def can_view_secrecy_form(item) -> bool:
    """For the item page's link to the form."""
    return permissions.can_view_secrecy_form(current_user, item)


@bp.route("/items/<id:item_id>/secrecy-form")
@login_required
def page(item_id):
    item = loading.item_or_404(item_id, permissions.can_view_secrecy_form)
    return render_template("publication/secrecy_form.html", item=item, sheet=collect(item))


@bp.route("/items/<id:item_id>/secrecy-form.docx")
@login_required
def docx(item_id):
    item = loading.item_or_404(item_id, permissions.can_view_secrecy_form)
    sheet = collect(item)
    return send_file(
        BytesIO(document.build(sheet)),
        as_attachment=True,
        download_name=sheet.filename,
        mimetype=document.MIMETYPE,
    )
