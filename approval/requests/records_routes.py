"""A request's records on its page: deliveries (送达, with the proof's download) and the 复议/诉讼
cases with their results. Each POST: load (404 if not visible) and lock, validate, one operation,
commit, flash, 303; a refused form is shown again on the request's page with what was typed
(422), a stale page is a 409. The proof's download is an audited read, for those who may record
deliveries. Registered on the register's blueprint (imported at the end of ``routes.py``)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, send_file, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from approval.core.errors import InvalidInput, NotFound
from approval.core.request_vocab import CASE_RESULTS, CLOSED_STATES, DOCUMENTS
from approval.extensions import db
from approval.permissions import requests as may
from approval.platform import storage
from approval.platform.access import requires
from approval.platform.db_setup import audited_read
from approval.platform.form_choices import code_choices
from approval.platform.number_forms import field_error
from approval.requests import cases, deliveries, documents
from approval.requests.records_forms import CaseForm, CaseResultForm, DeliveryForm
from approval.requests.routes import _page, bp, request_or_404

SHOWN = "_request_record_forms"  # g: the form refused in this request, shown again


def _delivery_form(info_request, form=None) -> DeliveryForm:
    form = form or DeliveryForm(formdata=None, prefix="delivery")
    kinds = {a.kind for a in documents.available(info_request)}
    form.document.choices = [SelectChoice("", gettext("请选择"))] + [
        choice for choice in code_choices(DOCUMENTS) if choice.value in kinds
    ]
    form.version.data = str(info_request.version)
    return form


def _result_form(case, form=None) -> CaseResultForm:
    form = form or CaseResultForm(formdata=None, prefix=f"case-{case.id}")
    form.result.choices = code_choices(
        {k: v for k, v in CASE_RESULTS.items() if k in cases.DECIDED_RESULTS}, gettext("请选择")
    )
    form.version.data = str(case.version)
    return form


@bp.app_template_global()
def request_records(info_request) -> dict:
    """The record sections' forms for the current user (None where they may not act); a form
    refused in this request is the one shown, with what was typed."""
    refused = g.get(SHOWN, {})
    shown = {"delivery": None, "case": None, "results": {}}
    if may.can_record_delivery(current_user, info_request) and documents.available(info_request):
        shown["delivery"] = _delivery_form(info_request, refused.get("delivery"))
    if may.can_manage_request(current_user, info_request):
        if info_request.state in CLOSED_STATES:
            form = refused.get("case") or CaseForm(formdata=None, prefix="case")
            form.version.data = str(info_request.version)
            shown["case"] = form
        for case in info_request.cases:
            if case.result == cases.PENDING:
                shown["results"][case.id] = _result_form(case, refused.get(f"case-{case.id}"))
    shown["can_download_proofs"] = may.can_record_delivery(current_user, info_request)
    return shown


def _act(request_id: int, name: str, form, run, message: str):
    """Run one operation from ``form``: 303 to the page, or the page again with the form (422)."""
    info_request = request_or_404(request_id, for_update=True)
    if form.validate_on_submit():
        try:
            run(info_request)
        except InvalidInput as exc:
            db.session.rollback()
            field_error(form, exc)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("requests.page", request_id=request_id), 303)
        info_request = request_or_404(request_id)
    g.setdefault(SHOWN, {})[name] = form
    return _page(info_request, None, 422)


@bp.route("/requests/<id:request_id>/deliveries", methods=["POST"])
@requires(may.can_open_register)
def record_delivery(request_id):
    form = DeliveryForm(prefix="delivery")
    return _act(
        request_id,
        "delivery",
        form,
        lambda r: deliveries.record_delivery(
            current_user,
            r,
            form.version.data,
            form.document.data,
            form.method.data,
            form.delivered_on.data,
            form.note.data,
            form.proof.data,
        ),
        gettext("已登记送达"),
    )


@bp.route("/requests/<id:request_id>/deliveries/<id:delivery_id>/proof")
@audited_read
@requires(may.can_open_register)
def delivery_proof(request_id, delivery_id):
    info_request = request_or_404(request_id)
    try:
        delivery = deliveries.proof_of(current_user, info_request, delivery_id)
    except NotFound:
        abort(404)
    path = storage.path_of(delivery.proof_storage_name)
    filename, content_type = delivery.proof_filename, delivery.proof_content_type
    deliveries.record_read(
        current_user, info_request, delivery_id=delivery.id, document="delivery_proof"
    )
    db.session.commit()
    return send_file(path, as_attachment=True, download_name=filename, mimetype=content_type)


@bp.route("/requests/<id:request_id>/cases", methods=["POST"])
@requires(may.can_open_register)
def add_case(request_id):
    form = CaseForm(prefix="case")
    return _act(
        request_id,
        "case",
        form,
        lambda r: cases.add_case(
            current_user,
            r,
            form.version.data,
            form.kind.data,
            form.after_review.data,
            form.filed_on.data,
            form.authority.data,
            form.case_number.data,
            form.note.data,
        ),
        gettext("已登记案件"),
    )


@bp.route("/requests/<id:request_id>/cases/<id:case_id>/result", methods=["POST"])
@requires(may.can_open_register)
def decide_case(request_id, case_id):
    form = CaseResultForm(prefix=f"case-{case_id}")

    def run(info_request):
        case = cases.case_of(info_request, case_id)
        if case is None:
            abort(404)
        cases.decide_case(
            current_user, case, form.version.data, form.result.data, form.decided_on.data
        )

    return _act(request_id, f"case-{case_id}", form, run, gettext("已登记审理结果"))
