"""The staff page of a 公示 (/items/<id>/notice): its 公示期, the objections (异议) logged against
it with their handling, and, after the take-down, the original as it was published.

Logging and handling are POSTs with CSRF (Flask-WTF), each one operation and one commit; a form
with errors is shown again with what was typed (422); a stale page is a 409 (the app's handler).
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from approval.core import notices
from approval.core.clock import local_today
from approval.core.errors import InvalidInput
from approval.extensions import db
from approval.models import NoticeObjection
from approval.notices import operations, queries
from approval.notices.forms import HandlingForm, ObjectionForm
from approval.permissions import notices as notice_permissions
from approval.publication import loading

bp = Blueprint("notices", __name__)


@bp.app_template_global()
def notice_status(revision):
    """UPCOMING, RUNNING or ENDED today for a revision with a 公示期, else None."""
    if revision is None:
        return None
    return notices.status(revision.notice_starts_on, revision.notice_ends_on, local_today())


@bp.app_template_global()
def notice_status_label(status):
    return gettext(notices.STATUS_LABELS[status]) if status else ""


@bp.app_template_global()
def objection_channel_label(code):
    return gettext(notices.OBJECTION_CHANNELS[code]) if code in notices.OBJECTION_CHANNELS else code


@bp.app_template_global()
def can_view_notice(item) -> bool:
    """For the 公示 card on the staff item page."""
    return notice_permissions.can_view_notice(current_user, item)


def _handling_form(objection, formdata=None) -> HandlingForm:
    form = HandlingForm(formdata=formdata, prefix=f"o{objection.id}")
    if formdata is None:
        form.handling.data, form.handled_on.data = objection.handling, objection.handled_on
        form.version.data = objection.version
    return form


def _page(item, form=None, failed=None, status=200):
    objections = queries.objections_of(item)
    if form is None:
        form = ObjectionForm(formdata=None)
        form.received_on.data = local_today()
    form.seen.data = len(objections)
    handling_forms = {
        o.id: failed if failed is not None and failed.objection_id == o.id else _handling_form(o)
        for o in objections
    }
    original = item.notice_original_revision
    return render_template(
        "notices/page.html",
        item=item,
        revision=original or item.published_revision,
        public=item.published_revision,
        original=original,
        objections=objections,
        form=form,
        handling_forms=handling_forms,
        can_log=notice_permissions.can_log_objection(current_user, item),
        can_handle=any(
            notice_permissions.can_handle_objection(current_user, o) for o in objections
        ),
        takedown_on=notices.take_down_on(
            (original or item.published_revision).notice_ends_on,
            int(current_app.config.get("NOTICE_RETENTION_DAYS") or 0),
        ),
    ), status


@bp.route("/items/<id:item_id>/notice")
@login_required
def page(item_id):
    return _page(loading.item_or_404(item_id, notice_permissions.can_view_notice))


@bp.route("/items/<id:item_id>/notice/objections", methods=["POST"])
@login_required
def log_objection(item_id):
    item = loading.item_or_404(item_id, notice_permissions.can_view_notice, for_update=True)
    if not notice_permissions.can_log_objection(current_user, item):
        abort(403)
    form = ObjectionForm()
    if not form.validate_on_submit():
        return _page(item, form, status=422)
    try:
        operations.log_objection(
            current_user,
            item,
            form.received_on.data,
            form.channel.data,
            form.summary.data,
            form.seen.data,
        )
    except InvalidInput as exc:
        db.session.rollback()
        getattr(form, exc.field or "summary", form.summary).errors.append(exc.message)
        return _page(item, form, status=422)
    db.session.commit()
    flash(gettext("已登记异议"), "success")
    return redirect(url_for(".page", item_id=item.id), 303)


@bp.route("/items/<id:item_id>/notice/objections/<id:objection_id>", methods=["POST"])
@login_required
def record_handling(item_id, objection_id):
    item = loading.item_or_404(item_id, notice_permissions.can_view_notice, for_update=True)
    objection = db.session.get(NoticeObjection, objection_id)
    if objection is None or objection.item_id != item.id:
        abort(404)
    if not notice_permissions.can_handle_objection(current_user, objection):
        abort(403)
    form = HandlingForm(prefix=f"o{objection.id}")
    form.objection_id = objection.id
    if not form.validate_on_submit():
        return _page(item, failed=form, status=422)
    try:
        operations.record_handling(
            current_user, objection, form.handling.data, form.handled_on.data, form.version.data
        )
    except InvalidInput as exc:
        db.session.rollback()
        getattr(form, exc.field or "handling", form.handling).errors.append(exc.message)
        return _page(item, failed=form, status=422)
    db.session.commit()
    flash(gettext("已登记处理情况"), "success")
    return redirect(url_for(".page", item_id=item.id, _anchor=f"objection-{objection.id}"), 303)
