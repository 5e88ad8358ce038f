"""The office's statistics (信息统计), the monthly 通报 downloads, and the settings they use:
each department's annual target and each catalog category's staleness limit.

Every route first asks ``permissions.can_view_statistics`` (or ``can_set_targets`` for the
settings): 403 for anyone else. Everything is of the user's own body. The dashboard and the
downloads are GETs that change nothing; the downloads are not audited (aggregate figures: no
content, no personal data — unlike the audit trail's export). A refused settings form is shown
again with what was typed (422), a lost race on the same year's first targets is a 409.
"""

from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.accounts.departments import departments_of
from approval.core.msgids import NP_
from approval.core.periods import FIRST_YEAR, LAST_YEAR, current_month, today
from approval.platform.access import requires
from approval.platform.i18n import label_text
from approval.platform.number_forms import numbers_form, save_numbers
from approval.statistics import charts, export, interaction_part, report_docx
from approval.statistics import operations as statistics
from approval.statistics import settings as statistics_settings
from approval.statistics.definitions import DEFINITIONS
from approval.statistics.forms import DAYS_FORMAT, TARGET_FORMAT, filter_form

PUBLISHED_LEGEND = NP_(
    "chart legend", "发布"
)  # the bars of published items: Published, not Publish

bp = Blueprint("statistics", __name__, url_prefix="/office/statistics")


@bp.app_template_global()
def can_view_statistics() -> bool:
    """For the navigation's link (the lead adds it to base.html)."""
    return permissions.can_view_statistics(current_user)


def _chosen():
    """The filter form and, when its period and department are valid, the report they ask for
    (a 文号 that is too long leaves the report, and the form's error says why)."""
    form = filter_form(request.args, departments_of(current_user.body_id), current_month())
    form.validate()
    if form.period.errors or form.department.errors:
        return form, None
    return form, statistics.report(current_user.body_id, form.chosen_period(), form.department.data)


@bp.route("/")
@requires(permissions.can_view_statistics)
def dashboard():
    form, report = _chosen()
    return _dashboard(form, report)


def _dashboard(form, report):
    if report is None:
        return render_template(
            "statistics/dashboard.html", form=form, report=None, definitions=DEFINITIONS
        ), 422
    return render_template(
        "statistics/dashboard.html",
        form=form,
        report=report,
        definitions=DEFINITIONS,
        rate_text=statistics.rate_text,
        charts=_charts(report),
        can_set_targets=permissions.can_set_targets(current_user, current_user.body_id),
        export_args={"period": report.period.key, "department": report.department_id or ""},
        interaction_header=interaction_part.header(),
    ), 422 if form.errors else 200


def _charts(report) -> dict:
    def value_text(published, target):
        if not target:
            return str(published)
        return (
            f"{published} / {target}（{statistics.rate_text(statistics.rate(published, target))}）"
        )

    rows = [(r.name, r.figures.published_in_year, r.figures.target) for r in report.rows]
    months = [
        (gettext("%(month)s月", month=m.month), m.submitted, m.published) for m in report.trend
    ]
    first, last = report.trend[0], report.trend[-1]
    return {
        "departments": charts.department_bars(
            rows,
            gettext("各部门年内累计发布与年度目标"),
            gettext(
                "%(span)s各部门发布条数（横条）与年度目标（竖线），按排名排列；数字见下方排名表。",
                span=report.year_to_date_label,
            ),
            value_text,
        ),
        "trend": charts.monthly_trend(
            months,
            gettext("近12个月报送和发布"),
            gettext(
                "%(first)s至%(last)s每月报送（浅色）和发布（深色）的条数；数字见下方表格。",
                first=f"{first.year}-{first.month:02d}",
                last=f"{last.year}-{last.month:02d}",
            ),
            (gettext("报送"), label_text(PUBLISHED_LEGEND, "chart legend")),
        ),
    }


def _download(kind: str):
    form, report = _chosen()
    if report is None:
        abort(400)
    if form.errors:  # the 文号: the page again, with the error
        return _dashboard(form, report)
    data = (
        export.build_xlsx(report)
        if kind == "xlsx"
        else report_docx.build_docx(report, form.number.data or "")
    )
    mimetype = export.XLSX_MIMETYPE if kind == "xlsx" else report_docx.DOCX_MIMETYPE
    return send_file(
        BytesIO(data),
        as_attachment=True,
        mimetype=mimetype,
        download_name=export.filename(report, kind),
    )


@bp.route("/export.xlsx")
@requires(permissions.can_view_statistics)
def export_xlsx():
    return _download("xlsx")


@bp.route("/export.docx")
@requires(permissions.can_view_statistics)
def export_docx():
    return _download("docx")


# ------------------------------------------------------------------ settings


def _year() -> int:
    try:
        year = int(request.values.get("year", ""))
    except ValueError:
        return today().year
    return year if FIRST_YEAR <= year <= LAST_YEAR else today().year


@bp.route("/targets", methods=["GET", "POST"])
@requires(permissions.can_set_targets)
def targets():
    body_id, year = current_user.body_id, _year()
    rows = statistics_settings.targets(body_id, year)
    form = numbers_form(
        [(r.department_id, r.name) for r in rows],
        "target",
        TARGET_FORMAT,
        data={f"target_{r.department_id}": r.target for r in rows if r.target},
    )
    status, conflict = 200, None
    if request.method == "POST":
        outcome = save_numbers(
            form,
            lambda: statistics_settings.set_targets(
                current_user, body_id, year, form.numbers("target")
            ),
            lambda n: gettext("已保存 %(year)s 年度目标（%(n)s 处修改）", year=year, n=n),
            gettext("年度目标没有变化"),
            url_for("statistics.targets", year=year),
        )
        if outcome.response:
            return outcome.response
        status, conflict = outcome.status, outcome.conflict
    return render_template(
        "statistics/targets.html",
        form=form,
        rows=rows,
        year=year,
        years=range(today().year + 1, today().year - 5, -1),
        conflict=conflict,
    ), status


@bp.route("/stale-limits", methods=["GET", "POST"])
@requires(permissions.can_set_targets)
def stale_limits():
    body_id = current_user.body_id
    rows = statistics_settings.category_limits(body_id)
    form = numbers_form(
        [(r.category_id, f"{r.code}　{r.name}") for r in rows],
        "days",
        DAYS_FORMAT,
        data={f"days_{r.category_id}": r.limit for r in rows if r.limit},
    )
    status, conflict = 200, None
    if request.method == "POST":
        outcome = save_numbers(
            form,
            lambda: statistics_settings.set_stale_limits(
                current_user, body_id, form.numbers("days")
            ),
            lambda n: gettext("已保存栏目更新要求（%(n)s 处修改）", n=n),
            gettext("栏目更新要求没有变化"),
            url_for("statistics.stale_limits"),
        )
        if outcome.response:
            return outcome.response
        status, conflict = outcome.status, outcome.conflict
    return render_template(
        "statistics/stale_limits.html",
        form=form,
        rows=rows,
        default_days=statistics.stale_default(),
        conflict=conflict,
    ), status
