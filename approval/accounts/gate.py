"""What every request of a signed-in user passes first: the session's time limits, then a
password change that is due.

The login time and the time of the last request are kept in the (signed) session cookie and
checked against ``clock.utcnow()`` on the server at every request: after SESSION_IDLE_MINUTES
without a request, or SESSION_MAX_HOURS after logging in (or the limits of the user's body's
security policy, accounts/policy.py), the session is over. A copy of an old
cookie carries the same old times, so it cannot be replayed past them either.

The public pages (portal, feeds, the JSON API) need no login: there an expired session ends
without a word and the request goes on as a visitor's, and a due password change does not
stand in the way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from approval.accounts import password_change as accounts
from approval.accounts import policy
from approval.core import clock
from approval.platform import kept_forms
from approval.platform.i18n import N_

LOGIN_AT, SEEN_AT = "login_at", "seen_at"
KEPT_ON_LOGOUT = ("lang",)
IDLE = N_("您长时间未操作，已自动退出，请重新登录")
TOO_LONG = N_("本次登录时间已达上限，已自动退出，请重新登录")
# while a password change is due, nothing else is open
OPEN_WHILE_CHANGE_DUE = frozenset(
    {"auth.change_password", "auth.logout", "auth.language", "static"}
)
PUBLIC_BLUEPRINTS = ("portal", "search", "feeds", "api", "portal_requests")  # approval/__init__.py


def start_session(user) -> None:
    """A fresh session for ``user`` (no fixation), keeping the chosen language."""
    _clear_session()
    login_user(user)
    now = clock.utcnow().isoformat()
    session[LOGIN_AT] = session[SEEN_AT] = now


def renew_login(user) -> None:
    """Sign the current session in again after the user's session token changed (password
    change): every other session of the user has ended, this one goes on, its times unchanged."""
    login_user(user)


def end_session() -> None:
    logout_user()
    _clear_session()


def _clear_session() -> None:
    kept = {key: session[key] for key in KEPT_ON_LOGOUT if key in session}
    session.clear()
    session.update(kept)


def expiry(now: datetime) -> str | None:
    """Why the current session is over (a message), or None."""
    rules = policy.for_user(current_user)
    login_at, seen_at = _time(LOGIN_AT), _time(SEEN_AT)
    if login_at is None or seen_at is None:
        return TOO_LONG  # a session from before these limits, or a tampered one
    if now - login_at >= timedelta(hours=rules.session_max_hours):
        return TOO_LONG
    if now - seen_at >= timedelta(minutes=rules.session_idle_minutes):
        return IDLE
    return None


def _time(key: str) -> datetime | None:
    try:
        return datetime.fromisoformat(session[key])
    except (KeyError, TypeError, ValueError):
        return None


def check_request():
    """The before-request hook: end an expired session, or send a user whose password change is
    due to the change page. Returns a redirect, or None to go on."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = clock.utcnow()
    reason = expiry(now)
    public = is_public_request()
    if reason:
        kept = None if public else kept_forms.keep_posted(current_user._get_current_object())
        end_session()
        if public:
            return None  # on as a visitor
        if kept:
            kept_forms.remember(kept)
        flash(_(kept_forms.KEPT_MESSAGE if kept else reason), "info")
        back = request.full_path if request.query_string else request.path
        return redirect(url_for("auth.login", next=back if request.method == "GET" else None))
    session[SEEN_AT] = now.isoformat()
    if (
        not public
        and request.endpoint not in OPEN_WHILE_CHANGE_DUE
        and accounts.change_due(current_user)
    ):
        return redirect(url_for("auth.change_password"))
    return None


def is_public_request() -> bool:
    """For a page of a public blueprint, or a URL under one's prefix that matches no route (its
    404 is the blueprint's own: JSON under /api/v1)."""
    if request.blueprint is not None:
        return request.blueprint in PUBLIC_BLUEPRINTS
    prefixes = (current_app.blueprints[name].url_prefix for name in PUBLIC_BLUEPRINTS)
    return any(
        request.path == prefix or request.path.startswith(prefix + "/")
        for prefix in prefixes
        if prefix
    )
