"""Inbox, item page, workflow actions, history and attachment downloads for signed-in staff."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from approval import permissions
from approval.audit.trail import detail_of
from approval.core.errors import InvalidInput
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Attachment, AuditEntry, chain_for, chain_of, chains_for
from approval.platform import storage
from approval.publication import action_ui, compare, drafts, loading, queries, transitions
from approval.publication.review_forms import ActionForm

bp = Blueprint("review", __name__)


@bp.route("/")
@login_required
def inbox():
    if permissions.is_admin_only(current_user):
        return render_template("publication/admin_home.html")
    chain = chain_for(current_user.body_id)
    cursors = {k[len("after_") :]: v for k, v in request.args.items() if k.startswith("after_")}
    sections = queries.inbox_sections(current_user, chain, cursors=cursors)
    return render_template("publication/inbox.html", sections=sections)


def _item_page(item, form=None, status=200):
    chain = chain_of(item)
    actions = permissions.actions_for(current_user, item, chain)
    problem = (
        transitions.submission_problem(item.current_revision) if Action.SUBMIT in actions else None
    )  # a msgid
    blank = ActionForm(formdata=None)
    return render_template(
        "publication/item.html",
        item=item,
        revision=item.current_revision,
        chain=chain,
        actions=actions,
        action_ui=action_ui.for_page(actions),
        form=form or blank,
        blank=blank,
        step=chain.step_for(item.state),
        signed_hash=transitions.signed_off_hash(item) if item.round else None,
        submit_problem=gettext(problem) if problem else None,
        can_edit=permissions.can_edit(current_user, item),
        maskable=drafts.maskable(item.current_revision)
        if permissions.can_edit(current_user, item)
        else 0,
        findings=item.current_revision.findings_by_severity,
        body_spans=[(f.start, f.end) for f in item.current_revision.findings if f.field == "body"],
        changes=compare.changes_since_return(item),
    ), status


@bp.route("/items/<id:item_id>")
@login_required
def item(item_id):
    return _item_page(loading.item_or_404(item_id))


@bp.route("/items/<id:item_id>/act", methods=["POST"])
@login_required
def act(item_id):
    item = loading.item_or_404(item_id, for_update=True)
    form = ActionForm()
    action = form.action_value()
    if action is None:
        abort(400)
    if not form.validate_on_submit():  # e.g. an opinion over the limit: keep what was typed
        return _item_page(item, form=_keep(form, action), status=422)
    given = transitions.ActionInput(
        opinion=form.opinion.data or "",
        checklist=form.checklist(),
        basis=form.basis.data or None,
        validity=form.validity.data or None,
        override_reason=form.override_reason.data or "",
        publish_at=form.publish_at_utc(),
    )
    try:
        transitions.perform(current_user, item, action, form.version.data, given)
    except InvalidInput as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return _item_page(loading.item_or_404(item_id), form=_keep(form, action), status=422)
    # asked before the commit, which expires every loaded object: afterwards reading them would
    # reload the user and the item graph in a second transaction (a second write lock on SQLite)
    still_visible = permissions.can_view_item(current_user, item)
    db.session.commit()
    flash(action_ui.translated(action).done, "success")
    if still_visible:
        return redirect(url_for("review.item", item_id=item_id), 303)
    return redirect(url_for("review.inbox"), 303)


def _keep(form: ActionForm, action) -> ActionForm:
    form.failed_action = action.value  # the template reopens this action's panel
    return form


@bp.route("/items/<id:item_id>/history")
@login_required
def history(item_id):
    item = loading.item_or_404(item_id, permissions.can_view_history)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.item_id == item.id).order_by(AuditEntry.id)
    ).all()
    rows = [(e, detail_of(e)) for e in entries]
    return render_template(
        "publication/history.html",
        item=item,
        rows=rows,
        revision_numbers={r.id: r.number for r in item.revisions},
        chain=chains_for(item.body_id),  # names the states of every round
    )


@bp.route("/items/<id:item_id>/attachments/<id:attachment_id>")
@login_required
def download(item_id, attachment_id):
    item = loading.item_or_404(item_id)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.revision.item_id != item.id:
        abort(404)
    return send_file(
        storage.path_of(attachment.storage_name),
        as_attachment=True,
        download_name=attachment.filename,
        mimetype=attachment.content_type,
    )
