"""The working-day calendar (工作日历) page of the system admin (系统管理员): a year's overrides,
whether the chinesecalendar package covers that year, add and remove."""

import hashlib

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.calendar import operations as calendar_service
from approval.calendar.forms import NoticeForm, OverrideForm
from approval.core.clock import local_today
from approval.core.errors import InvalidInput
from approval.extensions import db
from approval.platform import kept_forms
from approval.platform.access import requires

bp = Blueprint("calendar", __name__, url_prefix="/admin")

LISTED_IN_FLASH = 10  # dates quoted in a message; the rest are counted


def _year(value) -> int:
    """The year asked for, if the page can show it; else this year."""
    this_year = local_today().year
    try:
        year = int(value) if value is not None else this_year
    except ValueError:
        return this_year
    first, last = calendar_service.FIRST_YEAR, calendar_service.last_year()
    return year if first <= year <= last else this_year


def _calendar_page(year: int, form=None, status=200, notice_form=None, plan=None):
    kept = kept_forms.formdata(current_user) or {"formdata": None}  # typed before a timeout
    return render_template(
        "calendar/overrides.html",
        view=calendar_service.year_view(year),
        form=form or OverrideForm(**kept),
        notice_form=notice_form or NoticeForm(**kept),
        plan=plan,
        previewed=_fingerprint(notice_form.notice.data) if plan else "",
        this_year=local_today().year,
        uncovered_ahead=calendar_service.uncovered_years_ahead(),
    ), status


def _fingerprint(text: str) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def _dates(days) -> str:
    shown = gettext("、").join(d.isoformat() for d in days[:LISTED_IN_FLASH])
    return shown + (gettext("等") if len(days) > LISTED_IN_FLASH else "")


@bp.route("/calendar")
@requires(permissions.can_manage_calendar)
def calendar_overrides():
    return _calendar_page(_year(request.args.get("year")))


@bp.route("/calendar", methods=["POST"])
@requires(permissions.can_manage_calendar)
def add_calendar_override():
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            change = calendar_service.add_overrides(
                current_user, form.day.data, form.until.data, form.is_working_day, form.note.data
            )
        except InvalidInput as exc:
            db.session.rollback()
            (getattr(form, exc.field or "day", None) or form.day).errors.append(exc.message)
        else:
            db.session.commit()
            flash(
                gettext("已录入 %(n)s 天的调整：", n=len(change.added))
                + _dates([o.day for o in change.added]),
                "success",
            )
            if change.unchanged:
                message = (
                    gettext("%(n)s 天本来就是工作日，未录入：", n=len(change.unchanged))
                    if form.is_working_day
                    else gettext("%(n)s 天本来就是休息日，未录入：", n=len(change.unchanged))
                )
                flash(message + _dates(change.unchanged), "info")
            return redirect(url_for("calendar.calendar_overrides", year=form.day.data.year), 303)
    year = form.day.data.year if form.day.data else _year(request.args.get("year"))
    return _calendar_page(_year(year), form=form, status=422)


@bp.route("/calendar/<id:override_id>/delete", methods=["POST"])
@requires(permissions.can_manage_calendar)
def delete_calendar_override(override_id):
    removed = calendar_service.remove_override(current_user, override_id)  # gone already: 404
    db.session.commit()
    flash(gettext("已删除调整：") + f"{removed.day.isoformat()} {removed.note}", "success")
    return redirect(url_for("calendar.calendar_overrides", year=removed.day.year), 303)


@bp.route("/calendar/notice", methods=["POST"])
@requires(permissions.can_manage_calendar)
def add_calendar_notice():
    """The pasted notice: read and shown for confirmation ("识别"), or saved ("确认录入")."""
    year = _year(request.args.get("year"))
    form = NoticeForm()
    if form.validate_on_submit():
        # confirming saves exactly the text shown: edited since "识别", it is shown again
        confirmed = request.form.get("step") == "confirm" and request.form.get(
            "previewed"
        ) == _fingerprint(form.notice.data)
        try:
            if not confirmed:
                plan = calendar_service.plan_notice(current_user, year, form.notice.data)
                return _calendar_page(year, notice_form=form, plan=plan)
            plan = calendar_service.add_notice(current_user, year, form.notice.data)
        except InvalidInput as exc:
            db.session.rollback()
            form.notice.errors.append(exc.message)
        else:
            db.session.commit()
            flash(
                gettext("已按通知录入 %(n)s 天的调整：", n=len(plan.to_add))
                + _dates([r.day for r in plan.to_add]),
                "success",
            )
            return redirect(url_for("calendar.calendar_overrides", year=year), 303)
    return _calendar_page(year, notice_form=form, status=422)
