"""The working-day calendar (工作日历) page of the system admin (系统管理员): a year's overrides,
whether the chinesecalendar package covers that year, add and remove. Registered on the admin
blueprint (imported at the end of admin/routes.py)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import permissions
from ..clock import local_today
from ..extensions import db
from ..services import calendar as calendar_service
from ..services.errors import InvalidInput
from .calendar_forms import OverrideForm
from .routes import bp

LISTED_IN_FLASH = 10  # dates quoted in a message; the rest are counted


def _require_calendar_admin() -> None:
    if not permissions.can_manage_calendar(current_user):
        abort(403)


def _year(value) -> int:
    """The year asked for, if the page can show it; else this year."""
    this_year = local_today().year
    try:
        year = int(value) if value is not None else this_year
    except ValueError:
        return this_year
    first, last = calendar_service.FIRST_YEAR, calendar_service.last_year()
    return year if first <= year <= last else this_year


def _calendar_page(year: int, form=None, status=200):
    return render_template(
        "admin/calendar.html", view=calendar_service.year_view(year),
        form=form or OverrideForm(formdata=None), this_year=local_today().year,
        uncovered_ahead=calendar_service.uncovered_years_ahead()), status


def _dates(days) -> str:
    shown = "、".join(d.isoformat() for d in days[:LISTED_IN_FLASH])
    return shown + (gettext("等") if len(days) > LISTED_IN_FLASH else "")


@bp.route("/calendar")
@login_required
def calendar_overrides():
    _require_calendar_admin()
    return _calendar_page(_year(request.args.get("year")))


@bp.route("/calendar", methods=["POST"])
@login_required
def add_calendar_override():
    _require_calendar_admin()
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            change = calendar_service.add_overrides(current_user, form.day.data, form.until.data,
                                            form.is_working_day, form.note.data)
        except InvalidInput as exc:
            db.session.rollback()
            (getattr(form, exc.field or "day", None) or form.day).errors.append(exc.message)
        else:
            db.session.commit()
            flash(gettext("已录入 %(n)s 天的调整：", n=len(change.added))
                  + _dates([o.day for o in change.added]), "success")
            if change.unchanged:
                message = (gettext("%(n)s 天本来就是工作日，未录入：", n=len(change.unchanged))
                           if form.is_working_day else
                           gettext("%(n)s 天本来就是休息日，未录入：", n=len(change.unchanged)))
                flash(message + _dates(change.unchanged), "info")
            return redirect(url_for("admin.calendar_overrides", year=form.day.data.year), 303)
    year = form.day.data.year if form.day.data else _year(request.args.get("year"))
    return _calendar_page(_year(year), form=form, status=422)


@bp.route("/calendar/<id:override_id>/delete", methods=["POST"])
@login_required
def delete_calendar_override(override_id):
    _require_calendar_admin()
    removed = calendar_service.remove_override(current_user, override_id)  # gone already: 404
    db.session.commit()
    flash(gettext("已删除调整：") + f"{removed.day.isoformat()} {removed.note}", "success")
    return redirect(url_for("admin.calendar_overrides", year=removed.day.year), 303)
