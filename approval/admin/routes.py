"""The admin area (三员分立). Here: the audit admin reads the audit trail."""
from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from .. import permissions
from ..routing import db_id
from ..services import queries
from ..services.audit import detail_of
from ..template_helpers import current_chain

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/audit")
@login_required
def audit_trail():
    if not permissions.can_read_audit_trail(current_user):
        abort(403)
    filters = {"item_id": request.args.get("item", type=db_id),
               "username": (request.args.get("user") or "").strip() or None,
               "action": request.args.get("action") or None}
    entries, next_before = queries.audit_page(
        current_user.body_id, before_id=request.args.get("before", type=db_id), **filters)
    return render_template("admin/audit.html", rows=[(e, detail_of(e)) for e in entries],
                           next_before=next_before, filters=filters,
                           chain=current_chain(current_user.body_id))
