"""The notifications page and the bell's count. Reading is GET; marking read is POST (with the
CSRF token, like every POST): opening a notification posts, marks it read and redirects (303) to
its item. A user reaches only their own notifications (anyone else's id is a 404)."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import inspect as sa_inspect

from approval.extensions import db
from approval.notifications import messages
from approval.notifications import operations as service
from approval.permissions.annual_reports import can_write_annual_report as may_write_report
from approval.platform.routing import db_id

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def _bell():
    """``unread_notifications()`` for the header: called only where the template shows the bell
    (signed-in users), once per request (cached), one capped COUNT on an index."""

    def unread_notifications():
        if "_unread_notifications" not in g:
            count = service.unread_count(_user_id()) if current_user.is_authenticated else 0
            g._unread_notifications = SimpleNamespace(count=count, shown=service.shown_count(count))
        return g._unread_notifications

    return {"unread_notifications": unread_notifications}


def _user_id() -> int:
    """The signed-in user's id without loading the row again: a page rendered after its route
    committed (which expires every loaded object) must not re-read the user for the bell."""
    identity = sa_inspect(current_user._get_current_object()).identity
    return identity[0] if identity else current_user.id


def _before() -> int | None:
    return request.values.get("before", type=db_id)


def _back_to_list():
    before = _before()
    return redirect(
        url_for("notifications.index", before=before) if before else url_for("notifications.index"),
        303,
    )


@bp.route("")
@login_required
def index():
    before = _before()
    rows, next_before = service.page(current_user.id, before)
    return render_template(
        "notifications/list.html",
        rows=rows,
        next_before=next_before,
        before=before,
        describe=messages.describe,
        kind_label=messages.kind_label,
        actor_line=messages.actor_line,
    )


@bp.route("/<id:notification_id>/open", methods=["POST"])
@login_required
def open_one(notification_id):
    notification = service.mark_read(current_user, notification_id)  # not theirs: 404
    item_id = notification.item_id  # read before the commit expires it
    report_year = notification.data.get("annual_report_year")
    message_id = notification.data.get("message_id")  # 互动回应's reminders
    db.session.commit()
    if message_id:
        return redirect(url_for("interaction.page", message_id=message_id), 303)
    if report_year and may_write_report(current_user):
        return redirect(url_for("annual_reports.report", year=report_year), 303)
    if item_id is None:
        return _back_to_list()
    return redirect(url_for("review.item", item_id=item_id), 303)


@bp.route("/<id:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id):
    service.mark_read(current_user, notification_id)  # not theirs: 404
    db.session.commit()
    return _back_to_list()


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    count = service.mark_all_read(current_user)
    db.session.commit()
    flash(
        gettext("已将 %(n)s 条通知标为已读", n=count) if count else gettext("没有未读的通知"),
        "success",
    )
    return redirect(url_for("notifications.index"), 303)
