"""互动回应 for staff (/interaction): the register of messages (filters, amber and red badges), the
overdue board, the staff entry of offline messages, a message's page with its actions (分办,
转办, the answer, its two reviews, into the FAQ), the time limits, the 政务公开日 events and the
statistics.

A message the user may not see is a 404; a page the user may not open is a 403. Each action is a
POST with CSRF and the version the page showed: a refused form comes back with what was typed
(422), a stale page is a 409 (``core.errors.Conflict``, shown by the error pages).
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from approval.core import clock, interaction_vocab
from approval.core.errors import InvalidInput
from approval.extensions import db
from approval.interaction import operations as ops
from approval.interaction import queries, statistics
from approval.interaction.clock import limits_of, standing
from approval.interaction.forms import (
    AnswerForm,
    AssignForm,
    EmptyForm,
    EventForm,
    FaqForm,
    LimitsForm,
    MessageForm,
    ReviewForm,
    TransferForm,
    whole_number,
)
from approval.models import InteractionEvent, InteractionFaq, InteractionMessage
from approval.permissions import interaction as may
from approval.platform.access import requires
from approval.platform.form_choices import id_or_none
from approval.platform.number_forms import field_error

bp = Blueprint("interaction", __name__, url_prefix="/interaction")

FORMS = {
    "assign": AssignForm,
    "transfer": TransferForm,
    "answer": AnswerForm,
    "review": ReviewForm,
    "faq": FaqForm,
}


@bp.app_context_processor
def _codes():
    return {"interaction_vocab": interaction_vocab}


@bp.app_template_global()
def can_open_messages() -> bool:
    """For the navigation's link."""
    return may.can_open_messages(current_user)


def message_or_404(message_id: int, *, for_update: bool = False) -> InteractionMessage:
    lock = {"of": InteractionMessage} if for_update else None
    message = db.session.get(InteractionMessage, message_id, with_for_update=lock)
    if message is None or not may.can_view_message(current_user, message):
        abort(404)
    return message


def _department_choices(body_id: int, blank) -> list[SelectChoice]:
    return [SelectChoice("", blank)] + [
        SelectChoice(d.id, d.name) for d in ops.departments_of(body_id)
    ]


@bp.route("")
@requires(may.can_open_messages)
def register():
    today = clock.local_today()
    args = request.args
    listed = queries.register(
        current_user,
        today,
        state=args.get("state"),
        category=args.get("category"),
        department_id=id_or_none(args.get("department")),
        level=args.get("level"),
    )
    office = may.is_interaction_office(current_user)
    return render_template(
        "interaction/register.html",
        page=listed,
        departments=ops.departments_of(current_user.body_id),
        stale=queries.stale_count(current_user.body_id, today) if office else None,
        can_register=may.can_register_messages(current_user),
        can_keep=may.can_keep_interaction(current_user),
        list_size=queries.LIST_SIZE,
    )


@bp.route("/overdue")
@requires(may.can_open_messages)
def overdue():
    return render_template(
        "interaction/overdue.html", board=queries.overdue_board(current_user, clock.local_today())
    )


def _message_form(formdata=True) -> MessageForm:
    form = MessageForm() if formdata else MessageForm(formdata=None)
    events = db.session.scalars(
        db.select(InteractionEvent)
        .where(InteractionEvent.body_id == current_user.body_id)
        .order_by(InteractionEvent.held_on.desc())
    )
    form.event_id.choices = [SelectChoice("", gettext("不是在政务公开日收到的"))] + [
        SelectChoice(e.id, f"{e.held_on} {e.place}") for e in events
    ]
    return form


@bp.route("/new", methods=["GET", "POST"])
@requires(may.can_register_messages)
def new():
    if request.method == "GET":
        return render_template("interaction/new.html", form=_message_form(False))
    form = _message_form()
    if not form.validate_on_submit():
        return render_template("interaction/new.html", form=form), 422
    given = ops.NewMessage(**{name: form[name].data for name in MessageForm.FIELDS})
    try:
        made = ops.register(current_user, given)
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        return render_template("interaction/new.html", form=_keep(form)), 422
    message_id = made.id
    db.session.commit()
    flash(gettext("已登记留言"), "success")
    return redirect(url_for(".page", message_id=message_id), 303)


def _keep(form: MessageForm) -> MessageForm:
    """After a rollback the event choices are read again (the form keeps what was typed)."""
    fresh = _message_form()
    for name, field in form._fields.items():
        fresh[name].errors = field.errors
    fresh.form_errors = form.form_errors
    return fresh


def _page(message: InteractionMessage, forms: dict | None = None, status: int = 200):
    shown = {}
    for name in queries.offered(current_user, message):
        form = (forms or {}).get(name) or FORMS[name](formdata=None)
        if hasattr(form, "version"):
            form.version.data = str(message.version)
        shown[name] = form
    if "assign" in shown:
        shown["assign"].department_id.choices = _department_choices(
            message.body_id, gettext("请选择")
        )
        if message.department_id and not (forms or {}).get("assign"):
            shown["assign"].department_id.data = message.department_id
    if "answer" in shown and not (forms or {}).get("answer") and message.current_reply:
        shown["answer"].text.data = message.current_reply.text
    if "faq" in shown and not (forms or {}).get("faq"):  # offered only when publishable
        answered = message.answer.text if message.answer else ""
        shown["faq"].question.data = queries.masked(message.text, message)
        shown["faq"].answer.data = queries.masked(answered, message)
    reply = message.current_reply
    return render_template(
        "interaction/page.html",
        m=message,
        s=standing(message, clock.local_today()),
        forms=shown,
        names_sender="review" in shown
        and message.review_step == interaction_vocab.OFFICE_STEP
        and queries.names_sender(message, reply.text if reply else ""),
    ), status


@bp.route("/<id:message_id>")
@requires(may.can_open_messages)
def page(message_id):
    return _page(message_or_404(message_id))


def _act(message_id: int, name: str, run, done):
    """Load (404 if not visible) and lock, validate, run one operation, commit, flash, 303."""
    message = message_or_404(message_id, for_update=True)
    form = FORMS[name]()
    if name == "assign":
        form.department_id.choices = _department_choices(message.body_id, gettext("请选择"))
    if not form.validate_on_submit():
        return _page(message, {name: form}, 422)
    try:
        run(message, form)
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        return _page(message_or_404(message_id), {name: form}, 422)
    text = done(message)
    db.session.commit()
    flash(text, "success")
    return redirect(url_for(".page", message_id=message_id), 303)


@bp.route("/<id:message_id>/assign", methods=["POST"])
@requires(may.can_open_messages)
def assign(message_id):
    return _act(
        message_id,
        "assign",
        lambda m, f: ops.assign(current_user, m, f.version.data, f.department_id.data),
        lambda m: gettext("已分办至 %(department)s", department=m.department.name),
    )


@bp.route("/<id:message_id>/transfer", methods=["POST"])
@requires(may.can_open_messages)
def transfer(message_id):
    return _act(
        message_id,
        "transfer",
        lambda m, f: ops.transfer(current_user, m, f.version.data, f.to_body.data, f.note.data),
        lambda m: gettext("已转办至 %(body)s", body=m.transferred_to),
    )


@bp.route("/<id:message_id>/answer", methods=["POST"])
@requires(may.can_open_messages)
def answer(message_id):
    return _act(
        message_id,
        "answer",
        lambda m, f: ops.submit_answer(current_user, m, f.version.data, f.text.data),
        lambda m: gettext("答复已提交部门负责人审核"),
    )


@bp.route("/<id:message_id>/review", methods=["POST"])
@requires(may.can_open_messages)
def review(message_id):
    def done(m):
        if m.state == interaction_vocab.ANSWERED:
            return gettext("已审核通过，留言已答复")
        if m.state == interaction_vocab.REVIEWING:
            return gettext("已审核通过，答复已送办公室审核")
        return gettext("已退回答复")

    return _act(
        message_id,
        "review",
        lambda m, f: ops.review(
            current_user, m, f.version.data, f.decision.data != "return", f.reason.data
        ),
        done,
    )


@bp.route("/<id:message_id>/faq", methods=["POST"])
@requires(may.can_open_messages)
def add_faq(message_id):
    return _act(
        message_id,
        "faq",
        lambda m, f: ops.add_faq(current_user, m, f.question.data, f.answer.data),
        lambda m: gettext("已加入常见问题"),
    )


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
    return render_template(
        "interaction/faq.html", faqs=queries.faqs(current_user.body_id), form=EmptyForm()
    )


@bp.route("/faq/<id:faq_id>/delete", methods=["POST"])
@requires(may.can_keep_interaction)
def delete_faq(faq_id):
    found = db.session.get(InteractionFaq, faq_id)
    if found is None or found.body_id != current_user.body_id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.remove_faq(current_user, found)
    db.session.commit()
    flash(gettext("已删除常见问题"), "success")
    return redirect(url_for(".faq"), 303)


# the staff home's panel registers its template global on this blueprint
from approval.interaction import inbox  # noqa: E402, F401
