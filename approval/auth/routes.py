"""Login, logout and the language switch."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..i18n import N_
from ..models import User
from ..models.users import verify_dummy_password
from ..services import audit
from .forms import LoginForm

bp = Blueprint("auth", __name__)
FAILED = N_("用户名或密码错误")


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("review.inbox")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("review.inbox"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if user is None:
            verify_dummy_password(form.password.data)
        if user is not None and user.is_enabled and user.check_password(form.password.data):
            session.clear()  # a fresh session on login (no fixation)
            login_user(user)
            audit.record("login", actor=user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        audit.record("login_failed", actor=None, actor_username=form.username.data.strip()[:64])
        db.session.commit()
        error = _(FAILED)
    return render_template("auth/login.html", form=form, error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    audit.record("logout", actor=current_user)
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language():
    lang = request.form.get("lang")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")))
