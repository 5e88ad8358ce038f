"""依申请公开 (/requests): the register (申请登记簿), the staff entry of a request, and a
request's page with its clock, timeline and actions.

The register lists the requests the user may see (the office: all of its body's; a department:
those assigned to it); 403 for anyone else. A request the user may not see is a 404. Every read
of a request's page is an audit entry (``db_setup.audited_read``: the GET runs in a write
transaction and commits the entry). Each action is a POST with CSRF and the version the page
showed: a refused form is shown again with what was typed (422), a stale page is a 409.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from approval.core import clock, request_outcomes, request_vocab
from approval.core.errors import InvalidInput
from approval.core.request_vocab import REQUEST_STATES
from approval.extensions import db
from approval.models import InformationRequest
from approval.permissions import requests as may
from approval.platform import kept_forms
from approval.platform.access import requires
from approval.platform.db_setup import audited_read
from approval.platform.number_forms import field_error
from approval.requests import operations as ops
from approval.requests import proactive, queries
from approval.requests.forms import (
    AssignForm,
    CloseForm,
    CorrectedForm,
    CorrectionForm,
    EndPauseForm,
    ExtensionForm,
    PauseForm,
    RequestForm,
)

bp = Blueprint("requests", __name__)

FORMS = {
    "assign": AssignForm,
    "correction": CorrectionForm,
    "corrected": CorrectedForm,
    "pause": PauseForm,
    "end_pause": EndPauseForm,
    "extension": ExtensionForm,
    "close_lapsed": CloseForm,
    "close_fee_unpaid": CloseForm,
}


@bp.context_processor
def _codes():
    """The register's code lists, for its own pages' labels."""
    return {"request_vocab": request_vocab}


@bp.app_template_global()
def can_open_register() -> bool:
    """For the navigation's link."""
    return may.can_open_register(current_user)


@bp.app_template_global()
def can_view_request(info_request) -> bool:
    """For the item page of a reply: a link to the request for those who may see it."""
    return may.can_view_request(current_user, info_request)


@bp.app_context_processor
def _outcomes():
    """The reply types (the item page of a reply shows its type and legal basis)."""
    return {"request_outcomes": request_outcomes}


def request_or_404(request_id: int, *, for_update: bool = False) -> InformationRequest:
    lock = {"of": InformationRequest} if for_update else None
    info_request = db.session.get(InformationRequest, request_id, with_for_update=lock)
    if info_request is None or not may.can_view_request(current_user, info_request):
        abort(404)
    return info_request


@bp.route("/requests")
@requires(may.can_open_register)
def register():
    page = queries.register_page(
        current_user, request.args.get("state"), request.args.get("cursor"), clock.local_today()
    )
    return render_template(
        "requests/register.html",
        page=page,
        states=REQUEST_STATES,
        can_register=may.can_register_requests(current_user),
    )


@bp.route("/requests/new", methods=["GET", "POST"])
@requires(may.can_register_requests)
def new():
    kept = kept_forms.formdata(current_user)  # typed before a session timed out
    form = RequestForm(**(kept or {"formdata": None})) if request.method == "GET" else RequestForm()
    if request.method == "GET":
        return render_template("requests/new.html", form=form)
    if not form.validate_on_submit():
        return render_template("requests/new.html", form=form), 422
    given = ops.NewRequest(**{name: form[name].data for name in ops.NewRequest.__annotations__})
    try:
        made = ops.register(current_user, given)
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        return render_template("requests/new.html", form=form), 422
    request_id, number = made.id, made.number
    db.session.commit()
    flash(gettext("已登记申请 %(number)s", number=number), "success")
    return redirect(url_for("requests.page", request_id=request_id), 303)


def _page(info_request: InformationRequest, forms: dict | None = None, status: int = 200):
    """The request's page; the read is audited, after the page is rendered (the audit trail's
    head row stays locked from the entry to the commit), and committed."""
    today = clock.local_today()
    reply = queries.standing(info_request, today)
    actions = queries.offered(current_user, info_request, reply.clock)
    shown = {}
    for name in actions:
        form = (forms or {}).get(name) or FORMS[name](formdata=None)
        form.version.data = str(info_request.version)
        shown[name] = form
    if "assign" in shown:
        shown["assign"].department_id.choices = [SelectChoice("", gettext("请选择"))] + [
            SelectChoice(d.id, d.name) for d in ops.departments_of(info_request.body_id)
        ]
    body = render_template(
        "requests/page.html",
        r=info_request,
        reply=reply,
        forms=shown,
        today=today,
        can_draft_reply=may.can_draft_reply(current_user, info_request),
        fee_pay_by=ops.fee_due(info_request),
        can_start_proactive=proactive.can_start(current_user, info_request),
    )
    ops.record_view(current_user, info_request)
    db.session.commit()
    return body, status


@bp.route("/requests/<id:request_id>")
@audited_read
@requires(may.can_open_register)
def page(request_id):
    return _page(request_or_404(request_id))


def _act(request_id: int, name: str, run, done):
    """Load (404 if not visible) and lock, validate, run one operation, commit, flash, 303."""
    info_request = request_or_404(request_id, for_update=True)
    form = FORMS[name]()
    if not form.validate_on_submit():
        return _page(info_request, {name: form}, 422)
    try:
        outcome = run(info_request, form)
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        return _page(request_or_404(request_id), {name: form}, 422)
    message = done(info_request, outcome)
    db.session.commit()
    flash(*message) if isinstance(message, tuple) else flash(message, "success")
    return redirect(url_for("requests.page", request_id=request_id), 303)


@bp.route("/requests/<id:request_id>/assign", methods=["POST"])
@requires(may.can_open_register)
def assign(request_id):
    return _act(
        request_id,
        "assign",
        lambda r, f: ops.assign(current_user, r, f.version.data, f.department_id.data),
        lambda r, _: gettext("已交由 %(department)s 办理", department=r.department.name),
    )


@bp.route("/requests/<id:request_id>/correction", methods=["POST"])
@requires(may.can_open_register)
def correction(request_id):
    def done(r, late):
        if late:
            return (
                gettext(
                    "已登记补正告知。注意：告知日期晚于收到申请后第7个工作日（%(due)s）",
                    due=ops.clock_of(r).correction_notice_due.isoformat(),
                ),
                "warning",
            )
        return gettext("已登记补正告知")

    return _act(
        request_id,
        "correction",
        lambda r, f: ops.request_correction(
            current_user, r, f.version.data, f.requested_on.data, f.missing.data, f.deadline.data
        ),
        done,
    )


@bp.route("/requests/<id:request_id>/corrected", methods=["POST"])
@requires(may.can_open_register)
def corrected(request_id):
    return _act(
        request_id,
        "corrected",
        lambda r, f: ops.record_correction(current_user, r, f.version.data, f.received_on.data),
        lambda r, _: gettext("已登记补正材料，答复期限自收到之日起重新计算"),
    )


@bp.route("/requests/<id:request_id>/pauses", methods=["POST"])
@requires(may.can_open_register)
def pause(request_id):
    return _act(
        request_id,
        "pause",
        lambda r, f: ops.start_pause(
            current_user,
            r,
            f.version.data,
            f.kind.data,
            f.starts_on.data,
            f.note.data,
            f.party.data,
            f.amount.data,
        ),
        lambda r, _: gettext("已暂停计时"),
    )


@bp.route("/requests/<id:request_id>/pauses/end", methods=["POST"])
@requires(may.can_open_register)
def end_pause(request_id):
    return _act(
        request_id,
        "end_pause",
        lambda r, f: ops.end_pause(current_user, r, f.version.data, f.ends_on.data),
        lambda r, _: gettext("已结束暂停，恢复计时"),
    )


@bp.route("/requests/<id:request_id>/extension", methods=["POST"])
@requires(may.can_open_register)
def extension(request_id):
    return _act(
        request_id,
        "extension",
        lambda r, f: ops.approve_extension(
            current_user, r, f.version.data, f.day_count, f.reason.data
        ),
        lambda r, _: gettext("已批准延期 %(n)s 个工作日", n=r.extension_days),
    )


@bp.route("/requests/<id:request_id>/close-lapsed", methods=["POST"])
@requires(may.can_open_register)
def close_lapsed(request_id):
    return _act(
        request_id,
        "close_lapsed",
        lambda r, f: ops.close_lapsed(current_user, r, f.version.data),
        lambda r, _: gettext("已按逾期不补正结案"),
    )


@bp.route("/requests/<id:request_id>/close-fee-unpaid", methods=["POST"])
@requires(may.can_open_register)
def close_fee_unpaid(request_id):
    return _act(
        request_id,
        "close_fee_unpaid",
        lambda r, f: ops.close_fee_unpaid(current_user, r, f.version.data),
        lambda r, _: gettext("已按逾期未缴费结案"),
    )


# the reply's pages register on this blueprint
from approval.requests import reply_routes  # noqa: E402, F401

# isort: split
# so do the statistics page and the inbox panel
from approval.requests import inbox, statistics_routes  # noqa: E402, F401

# isort: split
# and confirming receipt of a request filed on the portal
from approval.requests import receipt_routes  # noqa: E402, F401

# isort: split
# and a request's documents, deliveries and 复议/诉讼 cases
from approval.requests import documents_routes, records_routes  # noqa: E402, F401
