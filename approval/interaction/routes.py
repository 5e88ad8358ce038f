"""互动回应 for staff (/interaction): the register of messages (filters, amber and red badges), the
overdue board, the staff entry of offline messages, a message's page with its actions (分办,
转办, the answer, its two reviews, into the FAQ), the time limits, the 政务公开日 events and the
statistics (the office's pages are in ``office_routes``).

A message the user may not see is a 404; a page the user may not open is a 403. Every staff read
of a message's page is an audit entry, as a request's (``db_setup.audited_read``: the GET runs in
a write transaction and commits the entry; ``operations.record_view``). Each action is a
POST with CSRF and the version the page showed: a refused form comes back with what was typed
(422), a stale page is a 409 (``core.errors.Conflict``, shown by the error pages).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from approval.core import clock, interaction_vocab
from approval.core.errors import InvalidInput
from approval.extensions import db
from approval.interaction import invalid, queries
from approval.interaction import operations as ops
from approval.interaction.clock import standing
from approval.interaction.forms import (
    AnswerForm,
    AssignForm,
    FaqForm,
    InvalidForm,
    MessageForm,
    ReviewForm,
    TransferForm,
    VersionForm,
)
from approval.models import InteractionEvent, InteractionMessage
from approval.permissions import interaction as may
from approval.platform.access import requires
from approval.platform.db_setup import audited_read
from approval.platform.form_choices import id_or_none
from approval.platform.number_forms import field_error

bp = Blueprint("interaction", __name__, url_prefix="/interaction")

FORMS = {
    "assign": AssignForm,
    "transfer": TransferForm,
    "answer": AnswerForm,
    "review": ReviewForm,
    "faq": FaqForm,
    "invalid": InvalidForm,
    "reopen_invalid": VersionForm,
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
        after=args.get("after"),
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
    page_html = render_template(
        "interaction/page.html",
        m=message,
        s=standing(message, clock.local_today()),
        forms=shown,
        names_sender="review" in shown
        and message.review_step == interaction_vocab.OFFICE_STEP
        and queries.names_sender(message, reply.text if reply else ""),
    )
    # the read is audited after the page is rendered (the audit head stays locked from the
    # entry to the commit), and committed, as a request's page does
    ops.record_view(current_user, message)
    db.session.commit()
    return page_html, status


@bp.route("/<id:message_id>")
@audited_read
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


@bp.route("/<id:message_id>/invalid", methods=["POST"])
@requires(may.can_open_messages)
def close_invalid(message_id):
    return _act(
        message_id,
        "invalid",
        lambda m, f: invalid.close_invalid(current_user, m, f.version.data, f.reason.data),
        lambda m: gettext("留言已作无效处理，不再计入答复期限"),
    )


@bp.route("/<id:message_id>/reopen-invalid", methods=["POST"])
@requires(may.can_open_messages)
def reopen_invalid(message_id):
    return _act(
        message_id,
        "reopen_invalid",
        lambda m, f: invalid.reopen_invalid(current_user, m, f.version.data),
        lambda m: gettext("已撤销无效处理，留言恢复办理"),
    )


# the office's pages (limits, events, statistics, the FAQ) and the staff home's panel register
# their routes and template global on this blueprint
from approval.interaction import inbox, office_routes  # noqa: E402, F401
