"""Nothing typed is lost when a session ends (issue 27), for the routes of every long form.

A form posted after the session has ended (gate.py) is not carried out. When it is one of the
long forms below and its CSRF token is still good, its fields (not files, not the token; at most
MAX_BYTES) are kept in ``kept_submissions`` under a random token named in the signed session, for
the user whose session it was. The login page says so; when that same user signs in again from
this browser, they land on the page of the form with what they typed filled in and a notice to
check it and submit again. Nothing is submitted for them, and another user signing in never sees
it (the row is deleted). A kept form not taken up is deleted after KEEP_HOURS by ``jobs run``.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

from flask import flash, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict
from wtforms import ValidationError

from approval.core import clock
from approval.extensions import db
from approval.models import KeptSubmission
from approval.platform.i18n import N_

SESSION_KEY = "kept_form"
MAX_BYTES = 64 * 1024
KEEP_HOURS = 24
NOT_KEPT = ("csrf_token",)
KEPT_MESSAGE = N_("登录已超时，您填写的内容已保留，请重新登录后确认提交")
RESTORED_MESSAGE = N_("已恢复登录超时前您填写的内容，尚未提交：请检查后再次提交")
# the endpoint a form is posted to → the endpoint of the page that shows it again (same
# arguments). Its route fills the form from ``restored()`` on GET.
RETURN_TO = {
    "drafts.new": "drafts.new",
    "drafts.edit": "drafts.edit",
    "review.act": "review.item",  # 退回理由, 审核意见, 保密审查意见
    "requests.edit_reply": "requests.edit_reply",
    "requests.new": "requests.new",
    "office.page_edit": "office.page_edit",
    "calendar.add_calendar_override": "calendar.calendar_overrides",
    "calendar.add_calendar_notice": "calendar.calendar_overrides",  # the pasted 放假通知
}


def keep_posted(user) -> str | None:
    """Keep the current POST of ``user``'s ended session; the token, or None when it is not
    kept (another form, a bad CSRF token, too large)."""
    back_to = RETURN_TO.get(request.endpoint or "")
    if back_to is None or request.method != "POST":
        return None
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        return None  # a forged post plants nothing
    pairs = [
        [name, value] for name, value in request.form.items(multi=True) if name not in NOT_KEPT
    ]
    fields = json.dumps(pairs, ensure_ascii=False)
    if len(fields.encode()) > MAX_BYTES:
        return None
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(KeptSubmission).where(KeptSubmission.user_id == user.id))
    db.session.add(
        KeptSubmission(
            token=token,
            user_id=user.id,
            username=user.username,
            endpoint=request.endpoint,
            return_path=url_for(back_to, **(request.view_args or {})),
            fields=fields,
            kept_at=clock.utcnow(),
        )
    )
    db.session.commit()
    return token


def formdata(user) -> dict:
    """``Form(**formdata(user))``: the kept values on their page's GET, else the usual."""
    kept = restored(user)
    return {"formdata": kept} if kept is not None else {}


def pending_token() -> str | None:
    """The kept form named by this browser's session, read before the login clears it."""
    token = session.get(SESSION_KEY)
    return token if isinstance(token, str) else None


def resume(user, token: str | None) -> str | None:
    """When ``user`` signs in: the page to show their kept form on, or None. A form kept for
    someone else is deleted (the caller commits), never shown."""
    if not token:
        return None
    kept = db.session.scalar(select(KeptSubmission).where(KeptSubmission.token == token))
    if kept is None:
        return None
    if kept.user_id != user.id or kept.kept_at < clock.utcnow() - timedelta(hours=KEEP_HOURS):
        db.session.delete(kept)
        return None
    return kept.return_path


def remember(token: str) -> None:
    """Name the kept form in the new session (after ``gate.start_session``)."""
    session[SESSION_KEY] = token


def restored(user) -> MultiDict | None:
    """On the GET of a kept form's page, once: what its user typed, with the notice flashed.
    The row stays until ``user`` keeps another form or it is cleaned up (a GET writes nothing)."""
    token = pending_token()
    if not token or request.method != "GET":
        return None
    kept = db.session.scalar(select(KeptSubmission).where(KeptSubmission.token == token))
    if kept is None or kept.user_id != user.id or kept.return_path != request.path:
        return None
    session.pop(SESSION_KEY, None)
    flash(_(RESTORED_MESSAGE), "warning")
    return MultiDict([tuple(pair) for pair in json.loads(kept.fields)])


def delete_stale(now) -> int:
    """Forget kept forms older than KEEP_HOURS (``jobs run``); the caller commits."""
    cutoff = now - timedelta(hours=KEEP_HOURS)
    return db.session.execute(
        delete(KeptSubmission).where(KeptSubmission.kept_at < cutoff)
    ).rowcount
