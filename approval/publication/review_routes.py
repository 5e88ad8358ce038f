"""Inbox, item page, workflow actions, history and attachment downloads for signed-in staff."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from approval import permissions
from approval.audit.trail import detail_of
from approval.core.errors import InvalidInput
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Attachment, AuditEntry, chain_for, chain_of, chains_for
from approval.platform import kept_forms
from approval.publication import (
    action_ui,
    amendments,
    attachment_files,
    compare,
    draft_screening,
    drafts,
    finished,
    loading,
    queries,
    transitions,
)
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
    return render_template(
        "publication/inbox.html",
        sections=sections,
        deputising=queries.deputising(current_user, chain),
        upcoming=queries.upcoming_delegations(current_user),
    )


def item_page(item, form=None, status=200, amendment_form=None):
    """The staff's item page; ``form``/``amendment_form``: a refused form, shown again as typed."""
    chain = chain_of(item)
    actions = permissions.actions_for(current_user, item, chain)
    problem = (
        transitions.submission_problem(item.current_revision) if Action.SUBMIT in actions else None
    )  # a msgid
    blank = ActionForm(formdata=None)
    kept = kept_forms.restored(current_user)  # an opinion typed before a session timed out
    if form is None and kept is not None:
        form = ActionForm(formdata=kept)
        form.failed_action = kept.get("action")  # its panel open again, nothing submitted
    can_edit = permissions.can_edit(current_user, item)
    # the pre-check of the draft as it is now, for its writers (sealing keeps its own)
    found = (
        draft_screening.findings(item.current_revision)
        if can_edit and not item.current_revision.is_sealed
        else None
    )
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
        signed_hash=amendments.signed_hash(item) if item.round else None,
        submit_problem=gettext(problem) if problem else None,
        can_edit=can_edit,
        maskable=draft_screening.maskable(found)
        if found is not None
        else (drafts.maskable(item.current_revision) if can_edit else 0),
        draft_findings=found,
        findings=item.current_revision.findings_by_severity,
        body_spans=[(f.start, f.end) for f in item.current_revision.findings if f.field == "body"],
        changes=compare.changes_for_page(item),
        amendment_form=amendment_form,
    ), status


@bp.route("/items/<id:item_id>")
@login_required
def item(item_id):
    return item_page(loading.item_or_404(item_id))


@bp.route("/items/<id:item_id>/act", methods=["POST"])
@login_required
def act(item_id):
    item = loading.item_or_404(item_id, for_update=True)
    form = ActionForm()
    action = form.action_value()
    if action is None:
        abort(400)
    if request.form.get("use_saved_opinion") is not None:  # 使用此意见 without script
        return _with_saved_opinion(item, form, action)
    if not form.validate_on_submit():  # e.g. an opinion over the limit: keep what was typed
        return item_page(item, form=_keep(form, action), status=422)
    given = transitions.ActionInput(
        opinion=form.opinion.data or "",
        checklist=form.checklist(),
        basis=form.basis.data or None,
        validity=form.validity.data or None,
        override_reason=form.override_reason.data or "",
        publish_at=form.publish_at_utc(),
    )
    waited_in = finished.section_before(item)  # for the next item of that section (issue 27)
    try:
        transitions.perform(current_user, item, action, form.version.data, given)
    except InvalidInput as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return item_page(loading.item_or_404(item_id), form=_keep(form, action), status=422)
    # asked before the commit, which expires every loaded object: afterwards reading them would
    # reload the user and the item graph in a second transaction (a second write lock on SQLite)
    still_visible = permissions.can_view_item(current_user, item)
    upcoming = finished.next_item(current_user, item, action, waited_in)
    db.session.commit()
    flash(action_ui.translated(action).done, "success")
    if upcoming:
        flash(upcoming, "next_item")  # base.html links it
    if still_visible:
        return redirect(url_for("review.item", item_id=item_id), 303)
    return redirect(url_for("review.inbox"), 303)


def _keep(form: ActionForm, action) -> ActionForm:
    form.failed_action = action.value  # the template reopens this action's panel
    return form


def _with_saved_opinion(item, form: ActionForm, action):
    """The no-script way to use a 常用意见: the panel again, everything typed kept, the chosen
    text in the opinion field. Nothing is decided (CSRFProtect checked the token, as for any
    POST)."""
    chosen = request.form.get("saved_opinion", "")[:2000]
    if chosen:  # none chosen: what was typed stays
        form.opinion.data = chosen
    return item_page(item, form=_keep(form, action))


@bp.route("/items/<id:item_id>/preview")
@login_required
def preview(item_id):
    """The public page as the portal would show it, from the current revision, for whoever may
    see the item: a banner says it is not public; never indexed, never stored."""
    item = loading.item_or_404(item_id)
    if item.request_id is not None:  # a reply to a request is sent, never published
        abort(404)
    response = make_response(
        render_template(
            "portal/preview.html",
            item=item,
            body=item.department.body,
            revision=item.current_revision,
            download_endpoint="review.download",
            preview_endpoint="review.preview_attachment",
        )
    )
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


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


def _of_item(attachment, item) -> bool:
    """An attachment of one of the item's revisions, or of the revision it shows now: once a 修订
    was published, that one belongs to the amendment (publication/amendments.py)."""
    return attachment.revision.item_id == item.id or attachment.revision_id in (
        item.current_revision_id,
        item.published_revision_id,
    )


@bp.route("/items/<id:item_id>/attachments/<id:attachment_id>")
@login_required
def download(item_id, attachment_id):
    item = loading.item_or_404(item_id)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not _of_item(attachment, item):
        abort(404)
    return attachment_files.send_attachment(attachment)


@bp.route("/items/<id:item_id>/attachments/<id:attachment_id>/view")
@login_required
def preview_attachment(item_id, attachment_id):
    """A PDF or an image shown in the browser, to whoever may see the item (issue 24)."""
    item = loading.item_or_404(item_id)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not _of_item(attachment, item):
        abort(404)
    if not attachment_files.can_preview(attachment):
        abort(404)
    return attachment_files.send_attachment(attachment, inline=True)
