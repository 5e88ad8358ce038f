"""互动回应 on the public portal (/public/<body>/…, no login): the 留言 form, the 留言查询 tracker
with the rating, and the public 问答 list with the 常见问题.

- ``leave``: the form; a refused form comes back with what was typed and a Chinese message at
  the field (422); personal data in the text is refused or warned about (``intake``); a filed
  message goes POST → 303 → ``left``, which shows the 查询码 once (a one-time session key, never
  in a URL).
- ``track``: the 查询码 (POST); a match puts the message id in the session (the requests
  tracker's ``remember``/``is_tracked``, under its own key) and goes 303 to ``tracked``, a GET
  that shows the message only while the session holds its id (404 otherwise); ``rate`` is the
  rating form on that page.
- ``questions``: answered messages whose sender allowed it, masked, without name or contact.

Rate limits (platform/ratelimit.py): ``RATELIMIT_REQUEST_FORM`` counts filed messages,
``RATELIMIT_TRACKER`` every lookup and rating. Pages holding a message or a code are no-store.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext

from approval.core.errors import InvalidInput
from approval.extensions import db
from approval.interaction import intake, queries, tracking
from approval.interaction import operations as ops
from approval.interaction.forms import LeaveForm, RateForm, TrackForm
from approval.models import Body, InteractionMessage
from approval.platform.db_setup import reads_before_writing
from approval.platform.i18n import N_
from approval.platform.number_forms import field_error
from approval.platform.tracked import Tracked

bp = Blueprint("portal_interaction", __name__, url_prefix="/public")

LEFT = "portal_message_left"  # one-time: {"body_id", "code"} for the page after the form
TRACKED = "portal_messages_tracked"  # [[message id, verified at (UTC, ISO)], …]
TRACKED_KEEP, TRACKED_MINUTES = 5, 30
_tracker = Tracked(TRACKED, TRACKED_KEEP, TRACKED_MINUTES)
remember, is_tracked = _tracker.remember, _tracker.has
NO_MATCH = N_("查询码不正确")


@bp.after_request
def _no_store(response):
    if request.endpoint != "portal_interaction.questions":
        response.headers["Cache-Control"] = "no-store"
    return response


def _body(body_id: int) -> Body:
    return db.get_or_404(Body, body_id)


@bp.route("/<id:body_id>/messages/new", methods=["GET", "POST"])
def leave(body_id):
    body = _body(body_id)
    if request.method == "GET":
        return render_template(
            "interaction/portal_leave.html", body=body, form=LeaveForm(formdata=None), warned=False
        )
    form = LeaveForm()
    if not form.validate_on_submit():
        return render_template(
            "interaction/portal_leave.html", body=body, form=form, warned=False
        ), 422
    given = ops.NewMessage(**{name: form[name].data for name in LeaveForm.FIELDS})
    try:
        _, code = intake.file_online(body, given, bool(form.confirm_personal_data.data))
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        warned = isinstance(exc, intake.PersonalDataWarning)
        return render_template(
            "interaction/portal_leave.html", body=body, form=form, warned=warned
        ), 422
    db.session.commit()
    session[LEFT] = {"body_id": body.id, "code": code}
    return redirect(url_for(".left", body_id=body.id), 303)


@bp.route("/<id:body_id>/messages/left")
def left(body_id):
    """The 查询码, once: a reload (or anyone later) is sent to the tracker."""
    body = _body(body_id)
    shown = session.get(LEFT)
    if not isinstance(shown, dict) or shown.get("body_id") != body.id:
        return redirect(url_for(".track", body_id=body.id))
    session.pop(LEFT)
    return render_template("interaction/portal_left.html", body=body, code=shown["code"])


@bp.route("/<id:body_id>/messages/track", methods=["GET", "POST"])
@reads_before_writing
def track(body_id):
    body = _body(body_id)
    if request.method == "GET":
        return render_template(
            "interaction/portal_track.html", body=body, form=TrackForm(formdata=None)
        )
    form = TrackForm()
    if not form.validate_on_submit():
        return render_template("interaction/portal_track.html", body=body, form=form), 422
    found = tracking.find(body.id, form.code.data)
    if found is None:
        form.form_errors.append(gettext(NO_MATCH))
        return render_template("interaction/portal_track.html", body=body, form=form), 422
    remember(found.id)
    return redirect(url_for(".tracked", body_id=body.id, message_id=found.id), 303)


def _tracked(body_id: int, message_id: int) -> tuple[Body, InteractionMessage]:
    body = _body(body_id)
    found = db.session.get(InteractionMessage, message_id) if is_tracked(message_id) else None
    if found is None or found.body_id != body.id:
        abort(404)
    return body, found


def _tracked_page(body, message, form=None, status=200):
    view = tracking.public_view(message)
    form = form or RateForm(formdata=None)
    form.version.data = str(view.version)
    return render_template(
        "interaction/portal_tracked.html", body=body, view=view, form=form, message_id=message.id
    ), status


@bp.route("/<id:body_id>/messages/<id:message_id>")
def tracked(body_id, message_id):
    body, found = _tracked(body_id, message_id)
    return _tracked_page(body, found)


@bp.route("/<id:body_id>/messages/<id:message_id>/rate", methods=["POST"])
def rate(body_id, message_id):
    body, found = _tracked(body_id, message_id)
    form = RateForm()
    if not form.validate_on_submit():
        return _tracked_page(body, found, form, 422)
    try:
        reopened = ops.rate(found, form.version.data, form.rating.data, form.comment.data)
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        return _tracked_page(body, found, form, 422)
    db.session.commit()
    if reopened:
        flash(gettext("感谢您的评价。您对答复不满意，本机关将重新办理并再次答复您。"), "success")
    else:
        flash(gettext("感谢您的评价。"), "success")
    return redirect(url_for(".tracked", body_id=body.id, message_id=message_id), 303)


@bp.route("/<id:body_id>/questions")
def questions(body_id):
    body = _body(body_id)
    return render_template(
        "interaction/portal_questions.html",
        body=body,
        questions=queries.public_questions(body.id),
        faqs=queries.faqs(body.id),
    )
