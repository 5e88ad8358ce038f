"""依申请公开 on the public portal (/public/<body>/…, no login): the request form
(申请政府信息公开) and the tracker (申请查询).

- ``apply``: the form (a 自然人 or a 法人或其他组织, what is sought, how to provide it); a refused
  form comes back with what was typed and a Chinese message at the field (422); a filed request
  goes POST → 303 → ``filed``, which shows the 申请编号 and the 查询码 once: the code travels in a
  one-time session key, never in a URL, and the page takes it out of the session as it shows it.
- ``track``: 查询码 and applicant name (POST); a wrong code and a wrong name get one message. A
  match puts the request's id in the session (``remember``; the last ``TRACKED_KEEP``, each for
  ``TRACKED_MINUTES``) and goes 303 to ``tracked``, a GET that shows the request only while the
  session holds its id (404 otherwise). Other pages about the applicant's own request (the reply,
  the 答复书) ask ``is_tracked`` the same way.

Both forms carry CSRF tokens and are rate-limited per client address (platform/ratelimit.py:
``RATELIMIT_REQUEST_FORM`` counts filed requests, ``RATELIMIT_TRACKER`` every lookup). Every
page here is ``Cache-Control: no-store``: they hold an applicant's personal data or their code.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext

from approval.calendar import current as working_calendar
from approval.core import clock
from approval.core.errors import InvalidInput
from approval.extensions import db
from approval.models import Body, InformationRequest
from approval.platform import storage
from approval.platform.db_setup import reads_before_writing
from approval.platform.i18n import N_
from approval.platform.number_forms import field_error
from approval.platform.tracked import Tracked
from approval.platform.urls import external_url
from approval.requests import documents, intake, tracking
from approval.requests.intake_forms import ApplyForm, TrackForm
from approval.requests.operations import NewRequest

bp = Blueprint("portal_requests", __name__, url_prefix="/public")

FILED = "portal_request_filed"  # one-time: {"body_id", "number", "code"} for the page after
TRACKED = "portal_requests_tracked"  # [[request id, verified at (UTC, ISO)], …], newest last
TRACKED_KEEP, TRACKED_MINUTES = 5, 30
_tracker = Tracked(TRACKED, TRACKED_KEEP, TRACKED_MINUTES)
remember, is_tracked = _tracker.remember, _tracker.has
NO_MATCH = N_("查询码或申请人姓名不正确")
APPLICANT_LETTERS = ("correction", "extension", "reply")  # never the third party's letter


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _body(body_id: int) -> Body:
    return db.get_or_404(Body, body_id)


@bp.route("/<id:body_id>/apply", methods=["GET", "POST"])
def apply(body_id):
    body = _body(body_id)
    form = ApplyForm() if request.method == "POST" else ApplyForm(formdata=None)
    if request.method == "GET":
        return render_template("requests/portal_apply.html", body=body, form=form)
    if not form.validate_on_submit():
        return render_template("requests/portal_apply.html", body=body, form=form), 422
    given = NewRequest(**{name: form[name].data for name in ApplyForm.FIELDS})
    try:
        made, code = intake.file_online(body, given)
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        return render_template("requests/portal_apply.html", body=body, form=form), 422
    number = made.number
    db.session.commit()
    session[FILED] = {"body_id": body.id, "number": number, "code": code}
    return redirect(url_for(".filed", body_id=body.id), 303)


@bp.route("/<id:body_id>/apply/filed")
def filed(body_id):
    """The 查询码, once: a reload (or anyone later) is sent to the tracker."""
    body = _body(body_id)
    shown = session.get(FILED)
    if not isinstance(shown, dict) or shown.get("body_id") != body.id:
        return redirect(url_for(".track", body_id=body.id))
    session.pop(FILED)
    return render_template(
        "requests/portal_filed.html", body=body, number=shown["number"], code=shown["code"]
    )


@bp.route("/<id:body_id>/track", methods=["GET", "POST"])
@reads_before_writing  # it only reads: no need for SQLite's write lock
def track(body_id):
    body = _body(body_id)
    form = TrackForm() if request.method == "POST" else TrackForm(formdata=None)
    if request.method == "GET":
        return render_template("requests/portal_track.html", body=body, form=form)
    if not form.validate_on_submit():
        return render_template("requests/portal_track.html", body=body, form=form), 422
    found = tracking.find(body.id, form.code.data, form.applicant_name.data)
    if found is None:
        form.form_errors.append(gettext(NO_MATCH))
        return render_template("requests/portal_track.html", body=body, form=form), 422
    remember(found.id)
    return redirect(url_for(".tracked", body_id=body.id, request_id=found.id), 303)


@bp.route("/<id:body_id>/track/<id:request_id>")
def tracked(body_id, request_id):
    body, found = _tracked_request(body_id, request_id)
    status = tracking.public_status(found, clock.local_today())
    letters = [(a.kind, a.title) for a in documents.available(found) if a.kind in APPLICANT_LETTERS]
    return render_template(
        "requests/portal_tracked.html",
        body=body,
        status=status,
        letters=letters,
        request_id=found.id,
    )


def _tracked_request(body_id: int, request_id: int) -> tuple[Body, InformationRequest]:
    """The body and the request this session has proved it may track (404 otherwise)."""
    body = _body(body_id)
    found = db.session.get(InformationRequest, request_id) if is_tracked(request_id) else None
    if found is None or found.body_id != body.id:
        abort(404)
    return body, found


@bp.route(
    f"/<id:body_id>/track/<id:request_id>/documents/<any({', '.join(APPLICANT_LETTERS)}):kind>"
)
def tracked_document(body_id, request_id, kind):
    """A letter sent to the applicant, as a printable page (never the third party's letter)."""
    body, found = _tracked_request(body_id, request_id)
    notice = documents.document_of(
        found,
        kind,
        today=clock.local_today(),
        calendar=working_calendar.current_calendar(),
        portal_url=lambda item_id: external_url("portal.item", item_id=item_id),
    )
    if notice is None:
        abort(404)
    downloads = []
    if kind == "reply":
        downloads = [
            (
                a.filename,
                url_for(
                    ".reply_attachment", body_id=body.id, request_id=found.id, attachment_id=a.id
                ),
            )
            for a in documents.sent_reply_attachments(found)
        ]
    return render_template(
        f"requests/documents/{kind}.html",
        layout="portal/_layout.html",
        public=True,
        body=body,
        r=found,
        notice=notice,
        letter=notice.letter(),
        downloads=downloads,
    )


@bp.route("/<id:body_id>/track/<id:request_id>/reply/attachments/<id:attachment_id>")
def reply_attachment(body_id, request_id, attachment_id):
    """An attachment of the reply as it was signed and sent (the masked copy, where masked)."""
    _, found = _tracked_request(body_id, request_id)
    attachment = next(
        (a for a in documents.sent_reply_attachments(found) if a.id == attachment_id), None
    )
    if attachment is None:
        abort(404)
    return send_file(
        storage.path_of(attachment.storage_name),
        as_attachment=True,
        download_name=attachment.filename,
        mimetype=attachment.content_type,
    )
