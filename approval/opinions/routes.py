"""常用意见 (/account/opinions): the reviewer's own list, to add to, remove from and reorder, and
what the item page's decision panels offer (``my_saved_opinions``).

Only reviewers have the page (403 otherwise); another user's entry is a 404. A refused text is
shown again as typed (422) with the reason."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.core.errors import InvalidInput
from approval.extensions import db
from approval.opinions import operations as opinions
from approval.opinions.forms import OpinionForm
from approval.platform.access import requires

bp = Blueprint("opinions", __name__)


@bp.app_template_global()
def my_saved_opinions() -> list:
    """The signed-in user's 常用意见, for the decision panels (none for anyone else); read once
    per request however many panels ask."""
    if "saved_opinions" not in g:
        g.saved_opinions = opinions.mine(current_user) if current_user.is_authenticated else []
    return g.saved_opinions


def _page(form=None, status=200):
    return render_template(
        "opinions/index.html",
        form=form or OpinionForm(formdata=None),
        rows=opinions.mine(current_user),
    ), status


@bp.route("/account/opinions")
@requires(permissions.can_keep_opinions)
def index():
    return _page()


@bp.route("/account/opinions", methods=["POST"])
@requires(permissions.can_keep_opinions)
def add():
    form = OpinionForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        opinions.add(current_user, form.text.data)
    except InvalidInput as exc:
        db.session.rollback()
        form.text.errors = [*form.text.errors, exc.message]
        return _page(form, 422)
    db.session.commit()
    flash(gettext("常用意见已添加"), "success")
    return redirect(url_for(".index"), 303)


@bp.route("/account/opinions/<id:opinion_id>/delete", methods=["POST"])
@requires(permissions.can_keep_opinions)
def remove(opinion_id):
    opinions.remove(current_user, opinion_id)
    db.session.commit()
    flash(gettext("常用意见已删除"), "success")
    return redirect(url_for(".index"), 303)


@bp.route("/account/opinions/<id:opinion_id>/move", methods=["POST"])
@requires(permissions.can_keep_opinions)
def move(opinion_id):
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    opinions.move(current_user, opinion_id, direction)
    db.session.commit()
    return redirect(url_for(".index"), 303)
