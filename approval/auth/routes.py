"""Login, logout and the language switch."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..i18n import N_
from ..models import User
from ..models.users import verify_dummy_password
from ..db_setup import reads_before_writing
from ..text import strip_invisible
from ..services import audit
from .forms import LoginForm

bp = Blueprint("auth", __name__)
FAILED = N_("用户名或密码错误")


def _safe_next(target: str | None) -> str:
    """A path on this site, or the inbox. Refuses //host, /\\host, schemes, and anything with
    whitespace or control characters (browsers drop a tab in "/\t/evil.example")."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target)):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("review.inbox")


@bp.route("/login", methods=["GET", "POST"])
@reads_before_writing
def login():
    if current_user.is_authenticated:
        return redirect(url_for("review.inbox"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        username = strip_invisible(form.username.data).strip()[:64]
        user = db.session.scalar(select(User).where(User.username == username))
        # the same work whether the name is unknown, the account disabled or the password wrong
        if user is None:
            verify_dummy_password(form.password.data)
            accepted = False
        else:
            accepted = user.check_password(form.password.data) and user.is_enabled
        db.session.commit()  # end the read (argon2 ran without any lock); writing starts anew
        if accepted:
            lang = session.get("lang")
            session.clear()  # a fresh session on login (no fixation); keep the chosen language
            if lang:
                session["lang"] = lang
            login_user(user)
            audit.record("login", actor=user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        audit.record("login_failed", actor=None, actor_username=username,
                     body_id=user.body_id if user else None)
        db.session.commit()
        error = _(FAILED)
    return render_template("auth/login.html", form=form, error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    user = current_user._get_current_object()
    user.end_all_sessions()  # every copy of every session cookie of this user stops working
    audit.record("logout", actor=user)
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
