"""The register's statistics (/requests/statistics), for the office: the annual report's table 三 for
a year or any range of days, its cross-checks, the requests by state and the late replies
(``requests.statistics``). A GET that changes nothing and shows figures only, no request's data:
not audited, as the office's other statistics (信息统计). 403 for anyone but the office; a period
that cannot be read is shown again with a Chinese message naming the field (422)."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectField
from wtforms.validators import Optional, ValidationError

from approval.calendar.forms import LocalDateField
from approval.core import clock, request_outcomes
from approval.core.periods import FIRST_YEAR, LAST_YEAR
from approval.extensions import db
from approval.models import InformationRequest
from approval.permissions import requests as may
from approval.platform.access import requires
from approval.platform.forms import Form
from approval.requests import statistics as stats
from approval.requests.routes import bp


class PeriodForm(Form):
    """A year (default: this one), or a range of days (both ends given: it wins)."""

    class Meta:
        csrf = False  # a GET that changes nothing

    year = SelectField(_l("统计年度"), validate_choice=False)
    start = LocalDateField(_l("开始日期"), validators=[Optional()])
    end = LocalDateField(_l("结束日期"), validators=[Optional()])

    def validate_year(self, field):
        try:
            year = int(field.data)
        except (TypeError, ValueError):
            year = None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(_l("统计年度无效，请从列表中选择"))

    def validate_end(self, field):
        if self.start.data is not None and field.data < self.start.data:
            raise ValidationError(_l("结束日期不能早于开始日期"))

    def validate(self, extra_validators=None) -> bool:
        """A range needs both ends: the one left blank says so."""
        valid = super().validate(extra_validators)
        blank = [f for f in (self.start, self.end) if f.data is None and not f.errors]
        if valid and len(blank) == 1:
            message = _l("请填写开始日期") if blank[0] is self.start else _l("请填写结束日期")
            blank[0].errors.append(message)
            return False
        return valid

    @property
    def is_range(self) -> bool:
        return self.start.data is not None and self.end.data is not None

    def period(self) -> tuple[date, date]:
        if self.is_range:
            return self.start.data, self.end.data
        year = int(self.year.data)
        return date(year, 1, 1), date(year, 12, 31)


def _years(body_id: int, this_year: int) -> list[int]:
    """This year back to the year of the body's first request received, newest first."""
    first = db.session.scalar(
        select(func.min(InformationRequest.received_on)).where(
            InformationRequest.body_id == body_id
        )
    )
    first_year = min(first.year if first else this_year, this_year)
    return list(range(this_year, first_year - 1, -1))


@bp.app_template_global()
def can_view_request_statistics() -> bool:
    """For the register's link."""
    return may.can_view_request_statistics(current_user)


@bp.route("/requests/statistics")
@requires(may.can_view_request_statistics)
def statistics():
    today = clock.local_today()
    body_id = current_user.body_id
    form = PeriodForm(formdata=request.args)
    if not form.year.data:
        form.year.data = str(today.year)
    years = _years(body_id, today.year)
    if form.year.data.isdigit() and int(form.year.data) not in years:
        years.append(int(form.year.data))  # an older year asked for in the address
    form.year.choices = [(str(y), _l("%(year)s年", year=y)) for y in years]
    if not form.validate():
        return render_template("requests/statistics.html", form=form, table=None), 422
    start, end = form.period()
    table = stats.table_three(body_id, start, end)
    return render_template(
        "requests/statistics.html",
        form=form,
        table=table,
        failures=table.checks(),
        figures=stats.figures(body_id, start, end, today),
        s=stats,
        outcomes=request_outcomes,
    )
