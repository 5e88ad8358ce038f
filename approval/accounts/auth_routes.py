"""Login, logout, the change-password page and the language switch."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from approval.accounts import gate, logins, policy
from approval.accounts import password_change as accounts
from approval.accounts.auth_forms import ChangePasswordForm, LoginForm
from approval.audit import trail as audit
from approval.core import clock
from approval.core.passwords import POLICY
from approval.core.text import login_name
from approval.extensions import db
from approval.models import User
from approval.platform import kept_forms
from approval.platform.db_setup import reads_before_writing, write_transactions
from approval.platform.i18n import N_

bp = Blueprint("auth", __name__)
FAILED = N_("用户名或密码错误")


def _safe_next(target: str | None) -> str:
    """A path on this site, or the inbox. Refuses //host, /\\host, schemes, and anything with
    whitespace or control characters (browsers drop a tab in "/\t/evil.example")."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target)
    ):
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
    kept_token = kept_forms.pending_token()  # what a timed-out session kept (kept_forms.py)
    if form.validate_on_submit():
        username = login_name(form.username.data)  # as the rate limit reads it too
        user = db.session.scalar(select(User).where(User.username == username))
        # one message whether the name is unknown, the account disabled or locked, or the
        # password wrong; the same argon2 work for each
        attempt = logins.check(user, username, form.password.data)
        db.session.commit()  # end the read (argon2 ran without any lock); writing starts anew
        with write_transactions():
            user = logins.record(attempt)  # None: refused, perhaps only now (locked meanwhile)
            kept_page = kept_forms.resume(user, kept_token) if user is not None else None
            db.session.commit()
        if user is not None:
            gate.start_session(user)
            if kept_page:
                kept_forms.remember(kept_token)
                return redirect(kept_page)
            return redirect(_safe_next(request.args.get("next")))
        error = _(FAILED)
    return render_template("accounts/login.html", form=form, error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    user = current_user._get_current_object()
    user.end_all_sessions()  # every copy of every session cookie of this user stops working
    audit.record("logout", actor=user)
    db.session.commit()
    gate.end_session()
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@reads_before_writing
def change_password():
    """For every signed-in user; the only page open while a change is due (first login,
    expired password). A change ends the user's other sessions and keeps this one. Wrong
    current passwords count towards the login lockout; the one that locks the account ends
    this session too."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        change = accounts.check_change(
            user, form.current_password.data, form.new_password.data, form.repeat_password.data
        )
        db.session.commit()  # end the read (argon2 ran without any lock); writing starts anew
        if change.needs_writing:
            with write_transactions():
                change = accounts.record_change(user, change)
                db.session.commit()
        if change.locked_now:
            gate.end_session()
            flash(_(accounts.LOCKED), "error")
            return redirect(url_for("auth.login"))
        if change.ok:
            gate.renew_login(user)
            flash(_("密码已修改，您在其他设备或浏览器上的登录已全部退出"), "success")
            return redirect(url_for("review.inbox"))
        for name, messages in change.errors.items():
            form[name].errors.extend(_(m, **POLICY) for m in messages)
    return render_template(
        "accounts/change_password.html",
        form=form,
        policy=POLICY,
        due=accounts.change_due(user),
        max_age_days=policy.for_user(user).password_max_age_days,
    ), (422 if form.errors else 200)


@bp.route("/session/keep-alive", methods=["POST"])
@login_required
def keep_alive():
    """继续工作 on the warning before the idle limit (static/session_warning.js): the gate has
    counted this request as activity; nothing else changes."""
    return "", 204


@bp.app_context_processor
def session_limits_helper():
    def session_limits():
        """What the warning before the idle limit needs: the limit, the last activity and the
        server's time, in seconds (the server's clock: core.clock)."""
        seen_at = datetime.fromisoformat(session.get(gate.SEEN_AT) or clock.utcnow().isoformat())
        idle = policy.for_user(current_user).session_idle_minutes * 60
        return {
            "idle_seconds": idle,
            "seen_at": int(seen_at.replace(tzinfo=UTC).timestamp()),
            "now": int(clock.utcnow().replace(tzinfo=UTC).timestamp()),
        }

    return {"session_limits": session_limits}


@bp.route("/language", methods=["POST"])
def language():
    lang = request.form.get("lang")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")))
