"""The office's pages of 互动回应 (/interaction/…, on the staff blueprint of ``routes``): the time
limits, the 政务公开日 events, the statistics, and the 常见问题 (list, edit, move up and down,
delete). Each page asks ``can_keep_interaction`` (403 for anyone else); an entry of another body
is a 404. An edit carries the version the form showed: a stale one is a 409 that shows the form
again with what was typed and what the other editor saved, and saving again is a deliberate
choice (the form then carries the current version)."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from approval.core import clock, interaction_vocab
from approval.core.errors import Conflict, InvalidInput
from approval.extensions import db
from approval.interaction import faq as faq_ops
from approval.interaction import operations as ops
from approval.interaction import queries, statistics
from approval.interaction.clock import limits_of
from approval.interaction.forms import (
    EmptyForm,
    EventForm,
    FaqEditForm,
    FaqMoveForm,
    LimitsForm,
    whole_number,
)
from approval.interaction.routes import bp
from approval.models import InteractionEvent, InteractionFaq
from approval.permissions import interaction as may
from approval.platform.access import requires
from approval.platform.number_forms import field_error


@bp.route("/limits", methods=["GET", "POST"])
@requires(may.can_keep_interaction)
def limits():
    body_id = current_user.body_id
    if request.method == "GET":
        form = LimitsForm(formdata=None)
        for category, days in limits_of(body_id).items():
            form[f"days_{category}"].data = str(days)
        return render_template("interaction/limits.html", form=form)
    form = LimitsForm()
    if not form.validate_on_submit():
        return render_template("interaction/limits.html", form=form), 422
    days = {c: whole_number(form[f"days_{c}"].data) for c in interaction_vocab.CATEGORIES}
    try:
        ops.set_limits(current_user, body_id, days)
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        return render_template("interaction/limits.html", form=form), 422
    db.session.commit()
    flash(gettext("已保存互动回应办理时限，新收到的留言按新时限计算"), "success")
    return redirect(url_for(".limits"), 303)


def _event_form(formdata=True) -> EventForm:
    form = EventForm() if formdata else EventForm(formdata=None)
    form.department_ids.choices = [
        SelectChoice(d.id, d.name) for d in ops.departments_of(current_user.body_id)
    ]
    return form


@bp.route("/events", methods=["GET", "POST"])
@requires(may.can_keep_interaction)
def events():
    listed = db.session.scalars(
        db.select(InteractionEvent)
        .where(InteractionEvent.body_id == current_user.body_id)
        .order_by(InteractionEvent.held_on.desc(), InteractionEvent.id.desc())
    ).all()
    if request.method == "GET":
        return render_template("interaction/events.html", events=listed, form=_event_form(False))
    form = _event_form()
    if not form.validate_on_submit():
        return render_template("interaction/events.html", events=listed, form=form), 422
    try:
        made = ops.create_event(
            current_user,
            form.held_on.data,
            form.place.data,
            form.department_ids.data or [],
            whole_number(form.people_received.data),
            form.note.data,
        )
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        return render_template("interaction/events.html", events=listed, form=form), 422
    event_id = made.id
    db.session.commit()
    flash(gettext("已登记政务公开日活动"), "success")
    return redirect(url_for(".event", event_id=event_id), 303)


@bp.route("/events/<id:event_id>")
@requires(may.can_keep_interaction)
def event(event_id):
    found = db.session.get(InteractionEvent, event_id)
    if found is None or found.body_id != current_user.body_id:
        abort(404)
    return render_template("interaction/event.html", event=found)


@bp.route("/statistics")
@requires(may.can_keep_interaction)
def statistics_page():
    today = clock.local_today()
    start, end = _period(request.args.get("from"), request.args.get("to"), today)
    return render_template(
        "interaction/statistics.html",
        report=statistics.report(current_user.body_id, start, end, today),
    )


def _period(start: str | None, end: str | None, today: date) -> tuple[date, date]:
    """The dates asked for (年-月-日), else this year up to today."""
    try:
        first = date.fromisoformat(start) if start else date(today.year, 1, 1)
        last = date.fromisoformat(end) if end else today
    except ValueError:
        first, last = date(today.year, 1, 1), today
    return (first, last) if first <= last else (last, first)


@bp.route("/faq")
@requires(may.can_keep_interaction)
def faq():
    entries = queries.faqs(current_user.body_id)
    moves = {}
    for entry in entries:
        form = FaqMoveForm(formdata=None)
        form.version.data = str(entry.version)
        moves[entry.id] = form
    return render_template("interaction/faq.html", faqs=entries, moves=moves, form=EmptyForm())


def _faq_or_404(faq_id: int, *, for_update: bool = False) -> InteractionFaq:
    lock = {"of": InteractionFaq} if for_update else None
    found = db.session.get(InteractionFaq, faq_id, with_for_update=lock)
    if found is None or found.body_id != current_user.body_id:
        abort(404)
    return found


@bp.route("/faq/<id:faq_id>/edit", methods=["GET", "POST"])
@requires(may.can_keep_interaction)
def edit_faq(faq_id):
    entry = _faq_or_404(faq_id, for_update=request.method == "POST")
    if request.method == "GET":
        form = FaqEditForm(formdata=None)
        form.question.data, form.answer.data = entry.question, entry.answer
        form.version.data = str(entry.version)
        return render_template("interaction/faq_edit.html", faq=entry, form=form, conflict=None)
    form = FaqEditForm()
    if not form.validate_on_submit():
        return render_template(
            "interaction/faq_edit.html", faq=entry, form=form, conflict=None
        ), 422
    try:
        changed = faq_ops.edit_faq(
            current_user, entry, form.version.data, form.question.data, form.answer.data
        )
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        return render_template(
            "interaction/faq_edit.html", faq=_faq_or_404(faq_id), form=form, conflict=None
        ), 422
    except Conflict as exc:
        db.session.rollback()
        saved = _faq_or_404(faq_id)
        form.version.data = str(saved.version)  # saving again is a deliberate choice
        return render_template(
            "interaction/faq_edit.html", faq=saved, form=form, conflict=exc.message
        ), exc.status
    db.session.commit()
    flash(gettext("已保存常见问题") if changed else gettext("常见问题没有变化"), "success")
    return redirect(url_for(".faq", _anchor=f"faq-{faq_id}"), 303)


@bp.route("/faq/<id:faq_id>/move", methods=["POST"])
@requires(may.can_keep_interaction)
def move_faq(faq_id):
    entry = _faq_or_404(faq_id, for_update=True)
    form = FaqMoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        faq_ops.move_faq(current_user, entry, form.version.data, form.direction.data)
    except InvalidInput:
        abort(400)
    db.session.commit()
    flash(gettext("已调整常见问题顺序"), "success")
    return redirect(url_for(".faq", _anchor=f"faq-{faq_id}"), 303)


@bp.route("/faq/<id:faq_id>/delete", methods=["POST"])
@requires(may.can_keep_interaction)
def delete_faq(faq_id):
    found = _faq_or_404(faq_id, for_update=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    faq_ops.remove_faq(current_user, found)
    db.session.commit()
    flash(gettext("已删除常见问题"), "success")
    return redirect(url_for(".faq"), 303)
