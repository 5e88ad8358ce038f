"""The office's annual reports (/office/annual-reports): the years, one year's report with its
six sections, the tables as the format draws them and their checks, the forms for the texts and
the entered figures, the figures of the year before the system, and the .docx and .xlsx.

For the office (``permissions.annual_reports``: 403 for anyone
else), each of their own body. GETs change nothing and show aggregate figures only (not audited,
as the statistics). Each POST: validate → one operation → commit → flash → 303; a refused value
is shown again with what was typed and a Chinese message naming the field (422); a stale page is
a 409."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from approval.annual_reports import docx, layout, operations, queries, sending, tables, view, xlsx
from approval.annual_reports.check_texts import check_text
from approval.annual_reports.forms import BaselineForm, ReportForm, SendForm
from approval.core import clock
from approval.core.errors import InvalidInput
from approval.core.periods import FIRST_YEAR
from approval.extensions import db
from approval.models import AnnualReport
from approval.permissions import annual_reports as may
from approval.platform.access import requires
from approval.platform.number_forms import field_error

bp = Blueprint("annual_reports", __name__, url_prefix="/office/annual-reports")


@bp.app_template_global()
def published_annual_reports(body_id: int) -> list[tuple[int, int]]:
    """(year, item id) of the body's reports published on the portal, newest first."""
    return queries.published_reports(body_id)


@bp.app_template_global()
def can_write_annual_report() -> bool:
    """For the navigation's link: the office's statistics staff and the general office's 信息员."""
    return may.can_write_annual_report(current_user)


@bp.app_template_global()
def annual_report_tables(item_id: int):
    """The tables of the report ``item_id`` is, as sent (``queries.sent_tables``), for the item's
    pages (staff, preview, portal) to show under its 正文; None for any other item."""
    return queries.sent_tables(item_id)


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= clock.local_today().year:
        abort(404)
    return year


@bp.route("/")
@requires(may.can_write_annual_report)
def years():
    this_year = clock.local_today().year
    saved = dict(
        db.session.execute(
            select(AnnualReport.year, AnnualReport.updated_at).where(
                AnnualReport.body_id == current_user.body_id
            )
        ).all()
    )
    shown = sorted({this_year, this_year - 1, *saved}, reverse=True)
    return render_template("annual_reports/years.html", years=shown, saved=saved)


def _report_form(report, form=None) -> ReportForm:
    if form is None:
        form = ReportForm(formdata=None, obj=report, prefix="report")
        if report is not None:
            form.fees.data = None if report.fees is None else format(report.fees.normalize(), "f")
        form.version.data = str(report.version if report else 0)
    return form  # a refused form keeps the version its page showed


def _baseline_form(baseline, year: int, form=None) -> BaselineForm:
    if form is None:
        form = BaselineForm(formdata=None, obj=baseline, prefix="baseline")
        if baseline is None:
            form.year.data = str(year - 1)
        else:
            for column, n in baseline.carried_out.items():
                field = form._fields.get(f"carried_{column}")
                if field is not None:
                    field.data = str(n)
        form.version.data = str(baseline.version if baseline else 0)
    return form


def _page(year: int, report_form=None, baseline_form=None, status: int = 200):
    shown = view.build(current_user.body_id, year)
    return render_template(
        "annual_reports/report.html",
        v=shown,
        form=_report_form(shown.report, report_form),
        baseline_form=_baseline_form(shown.baseline, year, baseline_form),
        layout=layout,
        t=tables,
        check_text=check_text,
        send_form=SendForm(
            formdata=None, prefix="send", version=str(shown.report.version if shown.report else 0)
        ),
        can_send=may.can_send_annual_report(current_user, current_user.body_id),
    ), status


@bp.route("/<int:year>")
@requires(may.can_write_annual_report)
def report(year):
    return _page(_year_or_404(year))


@bp.route("/<int:year>", methods=["POST"])
@requires(may.can_write_annual_report)
def save(year):
    _year_or_404(year)
    form = ReportForm(prefix="report")
    if form.validate_on_submit():
        given = operations.ReportInput(
            **{name: form[name].data or "" for name in operations.ReportInput.__annotations__}
        )
        try:
            operations.save_report(
                current_user,
                current_user.body_id,
                year,
                queries.report_of(current_user.body_id, year),
                form.version.data,
                given,
            )
        except InvalidInput as exc:
            db.session.rollback()
            field_error(form, exc)
        else:
            db.session.commit()
            flash(gettext("已保存%(year)s年度报告", year=year), "success")
            return redirect(url_for("annual_reports.report", year=year), 303)
    return _page(year, report_form=form, status=422)


@bp.route("/<int:year>/baseline", methods=["POST"])
@requires(may.can_write_annual_report)
def save_baseline(year):
    _year_or_404(year)
    form = BaselineForm(prefix="baseline")
    if form.validate_on_submit():
        carried = {c: form[f"carried_{c}"].data for c in tables.APPLICANT_COLUMNS}
        given = operations.BaselineInput(
            form.year.data or "",
            form.regulation_current.data or "",
            form.normative_current.data or "",
            carried,
        )
        try:
            operations.save_baseline(
                current_user,
                current_user.body_id,
                queries.baseline_of(current_user.body_id),
                form.version.data,
                given,
            )
        except InvalidInput as exc:
            db.session.rollback()
            field_error(form, exc)
        else:
            db.session.commit()
            flash(gettext("已保存系统启用前一年度的数据"), "success")
            return redirect(url_for("annual_reports.report", year=year), 303)
    return _page(year, baseline_form=form, status=422)


def _download(year: int, build, mimetype: str, extension: str):
    shown = view.build(current_user.body_id, _year_or_404(year))
    name = layout.TITLE % {"body": shown.body_name, "year": year}
    return send_file(
        BytesIO(build(shown)),
        as_attachment=True,
        mimetype=mimetype,
        download_name=f"{name}.{extension}",
    )


@bp.route("/<int:year>/report.docx")
@requires(may.can_write_annual_report)
def report_docx(year):
    return _download(year, docx.build, docx.MIMETYPE, "docx")


@bp.route("/<int:year>/tables.xlsx")
@requires(may.can_write_annual_report)
def tables_xlsx(year):
    return _download(year, xlsx.build, xlsx.MIMETYPE, "xlsx")


@bp.route("/<int:year>/send", methods=["POST"])
@requires(may.can_send_annual_report)
def send(year):
    """送审: the .docx is made and stored first, with no write open; then the draft is written."""
    _year_or_404(year)
    form = SendForm(prefix="send")
    if not form.validate_on_submit():
        abort(400)
    stored = sending.prepare(current_user, current_user.body_id, year)
    db.session.commit()  # end the read: nothing is held while the file is stored
    report = queries.report_of(current_user.body_id, year)
    item = sending.send(current_user, current_user.body_id, year, report, form.version.data, stored)
    db.session.commit()
    flash(gettext("年度报告已生成待提交的信息，请核对后提交审批"), "success")
    return redirect(url_for("review.item", item_id=item.id), 303)
