"""The office's statistics on a fixture whose every number is computed by hand (below; the
``october`` fixture of conftest.py builds it with tests/helpers/statistics.py).

October 2026, Beijing time. Items walk the real chain through the services, at times set by a
clock every service reads. 财政所's 482 publications of January–September are inserted as rows
(items and their sealed revisions, no chain): building 482 items through the services would take
minutes and tell nothing more. Working days of 2026 (chinesecalendar): 国庆 1–7 October off,
Saturday 10 October a 调休 working day, 中秋 Friday 25 September off, Sunday 20 September a
working day.

    item  dept  formed   events (local time)                                         in October
    C1    民政  09-30   submit 10-09 09:00, leader 11:00 (2h), office 15:00 (4h),      submitted,
                        secrecy 10-10 09:00 (18h), publish 10-12 09:00 (48h)           published
    C2    民政  09-01   submit 10-12 10:00, leader RETURN 14:00 (4h) "请补充附件",       submitted,
                        submit 10-13 09:00, leader 10:00 (1h), office 12:00 (2h),      returned,
                        secrecy 10-14 12:00 (24h), publish 10-31 23:30 (419.5h)        published,
                        due 09-29: LATE                                                late
    C3    民政  08-03   submit 09-28 09:00 … secrecy 09-29 09:00,                      published,
                        publish 10-09 09:00 (240h): LATE                               late
    C4    民政  10-10   submit 10-15 09:00, leader 10:00 (1h),                         submitted,
                        office RETURN 13:00 (3h) "请补充附件。"                          returned
    C5    民政  10-15   submit 10-20 09:00, leader 09:30 (0.5h), office 10:30 (1h),    submitted,
                        secrecy WITHHOLD 10-21 10:30 (24h)                             withheld
    C6    民政  10-28   submit 10-29 09:00, leader 10:00 (1h), office 11:00 (1h),      submitted
                        secrecy 10-30 11:00 (24h), publish 11-01 00:10 (November)
    A0    农业  09-08   submit 09-30 23:30 (September)                                 —
    A1    农业  10-08   submit 10-10 09:00, leader RETURN 12:00 (3h) "格式不规范",        submitted,
                        submit 10-12 09:00, leader 11:00 (2h),                         returned ×2
                        office RETURN 17:00 (6h) " 请补充附件 "
    A2    农业  10-16   submit 10-16 09:00, leader 10:00 (1h), office 12:00 (2h),      submitted,
                        secrecy 16:00 (4h), publish 10-19 09:00 (65h)                  published
    A3    农业  09-20   submit 10-01 00:30                                             submitted
    财政所 482 published 2026-03-02 … 09-15 (category 0101), target 300.

October: 民政 5 submitted, 3 published (60.00%), 2 returned, 1 withheld, 2 late, target 10 → 30.00%;
农业 3, 1 (33.33%), 2 returned; 党政办 and 财政所 nothing submitted (—), 财政所 482 of 300 →
160.67%; body 8, 4 (50.00%), 4 returned, 1 withheld, 2 late, 486 of 310 → 156.77%.
Step averages in October: 分管领导 15.5h / 9, 办公室 19h / 7, 保密审查 94h / 5, 发布 772.5h / 4.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from approval import permissions
from approval.calendar import current as working_calendar
from approval.core import workdays
from approval.core.clock import local_today
from approval.core.errors import InvalidInput, PermissionDenied
from approval.core.periods import Period, parse_period
from approval.extensions import db
from approval.models import AuditEntry, Category, Department, DepartmentTarget
from approval.statistics import operations as statistics
from approval.statistics import settings as statistics_settings
from tests.helpers.pages import heading
from tests.helpers.queries import add_items, page_queries
from tests.helpers.statistics import DASHBOARD, chain, department_cells, walk

OCTOBER = Period("month", 2026, 10)


@pytest.fixture(autouse=True)
def in_a_request(app):
    """The report names periods and steps in the user's language, as a request would."""
    with app.test_request_context("/"):
        yield


def figures(report, name):
    row = next(r for r in report.rows if r.name == name)
    f = row.figures
    return (
        f.submitted,
        f.published,
        statistics.rate_text(f.adoption_rate),
        f.returned,
        f.withheld,
        f.late,
        f.target,
        f.published_in_year,
        statistics.rate_text(f.completion),
    )


# ------------------------------------------------------------------------------ the figures


def test_october_per_department_and_for_the_body(october):
    report = statistics.report(october.world.body.id, OCTOBER)
    #         submitted, published, adoption, returned, withheld, late, target, in year, completion
    assert figures(report, "民政办") == (5, 3, "60.00%", 2, 1, 2, 10, 3, "30.00%")
    assert figures(report, "农业农村办") == (3, 1, "33.33%", 2, 0, 0, None, 1, "—")
    assert figures(report, "党政办公室") == (0, 0, "—", 0, 0, 0, None, 0, "—")
    assert figures(report, "财政所") == (0, 0, "—", 0, 0, 0, 300, 482, "160.67%")
    t = report.total
    assert (t.submitted, t.published, t.returned, t.withheld, t.late) == (8, 4, 4, 1, 2)
    assert statistics.rate_text(t.adoption_rate) == "50.00%"
    assert (t.published_in_year, t.target, statistics.rate_text(t.completion)) == (
        486,
        310,
        "156.77%",
    )


def test_a_department_that_exceeded_its_target(october):
    """482 of 300 → 160.67%: two decimals, rounded half up, from the year's first day."""
    report = statistics.report(october.world.body.id, OCTOBER)
    finance = next(r for r in report.rows if r.name == "财政所").figures
    assert finance.completion == Decimal("1.6067")
    assert statistics.rate_text(finance.completion) == "160.67%"
    assert statistics.rate(482, 300) == Decimal("1.6067")
    assert statistics.rate_text(statistics.rate(1, 3)) == "33.33%"
    assert statistics.rate_text(statistics.rate(2, 3)) == "66.67%"
    assert statistics.rate(5, 0) is None and statistics.rate_text(None) == "—"


def test_ranking_by_published_then_adoption_rate_with_shared_places(october):
    report = statistics.report(october.world.body.id, OCTOBER)
    assert [(r.rank, r.name) for r in report.rows] == [
        (1, "民政办"),
        (2, "农业农村办"),
        (3, "党政办公室"),
        (3, "财政所"),
    ]


def test_a_tie_on_published_goes_to_the_higher_adoption_rate():
    rows = [
        statistics.DepartmentRow(1, "甲", 0, statistics.Figures(submitted=4, published=2)),
        statistics.DepartmentRow(2, "乙", 0, statistics.Figures(submitted=2, published=2)),
        statistics.DepartmentRow(3, "丙", 0, statistics.Figures(submitted=0, published=2)),
        statistics.DepartmentRow(4, "丁", 0, statistics.Figures(submitted=2, published=2)),
    ]
    ranked = statistics._ranked(rows)
    assert [(r.rank, r.name) for r in ranked] == [(1, "乙"), (1, "丁"), (3, "甲"), (4, "丙")]


def test_return_reasons_are_ranked_and_merged_across_spaces_and_full_stops(october):
    report = statistics.report(october.world.body.id, OCTOBER)
    assert [(r.text, r.count) for r in report.reasons] == [("请补充附件", 3), ("格式不规范", 1)]
    agri = statistics.report(october.world.body.id, OCTOBER, october.world.departments["agri"].id)
    assert [(r.text, r.count) for r in agri.reasons] == [("格式不规范", 1), ("请补充附件", 1)]


def test_average_time_at_each_step(october):
    report = statistics.report(october.world.body.id, OCTOBER)
    steps = {s.state: s for s in report.step_times}
    assert [s.name for s in report.step_times] == ["分管领导审批", "办公室审核", "保密审查", "发布"]
    expected = {
        "pending_leader": (9, 15.5),
        "pending_office": (7, 19),
        "pending_secrecy": (5, 94),
        "approved": (4, 772.5),
    }
    for state, (decisions, hours) in expected.items():
        assert steps[state].decisions == decisions, state
        assert steps[state].average_seconds == pytest.approx(hours * 3600 / decisions, abs=1)
    assert [s.hours_text for s in report.step_times] == ["1.7", "2.7", "18.8", "193.1"]
    civil = statistics.report(october.world.body.id, OCTOBER, october.world.departments["civil"].id)
    leader = next(s for s in civil.step_times if s.state == "pending_leader")
    assert (leader.decisions, leader.average_hours) == (6, pytest.approx(9.5 / 6))


def test_a_step_without_decisions_in_the_period_says_so(october):
    report = statistics.report(october.world.body.id, Period("month", 2026, 12))
    assert all(s.decisions == 0 and s.hours_text == "—" for s in report.step_times)


def test_period_boundaries_are_local_midnight(october):
    """C2 published 31 October 23:30 Beijing (15:30 UTC) is October's; C6 published 1 November
    00:10 (31 October 16:10 UTC) is November's; A3 submitted 1 October 00:30 is October's, A0
    submitted 30 September 23:30 is September's."""
    c2, c6 = october.items["C2"], october.items["C6"]
    assert c2.published_at == datetime(2026, 10, 31, 15, 30)
    assert c6.published_at == datetime(2026, 10, 31, 16, 10)
    body_id = october.world.body.id
    november = statistics.report(body_id, Period("month", 2026, 11))
    assert (november.total.published, november.total.submitted) == (1, 0)
    assert figures(november, "民政办")[:3] == (0, 1, "—")
    september = statistics.report(body_id, Period("month", 2026, 9))
    assert figures(september, "民政办")[:2] == (1, 0)  # C3 submitted
    assert figures(september, "农业农村办")[:2] == (1, 0)  # A0 submitted
    assert figures(september, "财政所")[:2] == (0, 1)  # the last bulk item


def test_quarter_and_year(october):
    body_id = october.world.body.id
    q4 = statistics.report(body_id, Period("quarter", 2026, 4))
    assert (q4.total.submitted, q4.total.published, q4.total.late) == (8, 5, 2)
    assert statistics.rate_text(q4.total.adoption_rate) == "62.50%"
    year = statistics.report(body_id, Period("year", 2026))
    assert (
        year.total.submitted,
        year.total.published,
        year.total.returned,
        year.total.withheld,
        year.total.late,
    ) == (10, 487, 4, 1, 2)
    assert figures(year, "财政所")[-2:] == (482, "160.67%")
    assert figures(year, "民政办")[-3:] == (10, 4, "40.00%")  # C1, C2, C3, C6


def test_monthly_trend_of_the_twelve_months_up_to_the_period(october):
    report = statistics.report(october.world.body.id, OCTOBER)
    assert [(m.year, m.month) for m in report.trend][0] == (2025, 11)
    assert [(m.year, m.month) for m in report.trend][-1] == (2026, 10)
    by_month = {(m.year, m.month): (m.submitted, m.published) for m in report.trend}
    assert by_month[(2026, 3)] == (0, 481)
    assert by_month[(2026, 9)] == (2, 1)
    assert by_month[(2026, 10)] == (8, 4)
    assert sum(s for s, _ in by_month.values()) == 10
    assert sum(p for _, p in by_month.values()) == 486


def test_stale_categories_as_of_today(october, moment):
    body_id = october.world.body.id
    report = statistics.report(body_id, OCTOBER)
    assert report.as_of == date(2026, 11, 5)
    # 02 never published; 0101 last published 09-15, 51 days > its own 30; 01 (its parent)
    # counts 0101's publication, 51 ≤ 90; 06 last published 11-01 (C6)
    assert [(s.code, s.days_since, s.limit_days) for s in report.stale] == [
        ("02", None, 90),
        ("0101", 51, 30),
    ]
    assert report.stale[1].name == "机构职能 / 机构设置"
    moment.at("2026-12-15 10:00")  # 06: 44 days; 01: 91 days > 90
    assert [(s.code, s.days_since) for s in statistics.stale_categories(body_id)] == [
        ("02", None),
        ("01", 91),
        ("0101", 91),
    ]


def test_the_default_limit_is_configurable(october, app):
    app.config["CATALOG_STALE_AFTER_DAYS"] = 30
    stale = statistics.stale_categories(october.world.body.id)
    # 01 and 0101: 51 days > 30
    assert [(s.code, s.limit_days) for s in stale] == [("02", 30), ("01", 30), ("0101", 30)]


# ------------------------------------------------------------------------------ late publication


def test_published_on_the_20th_working_day_is_on_time_the_day_after_is_late(world, moment):
    """Formed Wednesday 30 September 2026: 国庆 1–7 October is off, Saturday 10 October works
    (调休); the 20th working day after is Tuesday 3 November. Formed Tuesday 29 September: due
    Monday 2 November."""
    calendar = working_calendar.current_calendar()
    assert calendar.add_working_days(date(2026, 9, 30), 20).due == date(2026, 11, 3)
    assert calendar.add_working_days(date(2026, 9, 29), 20).due == date(2026, 11, 2)
    on_time = world.item(title="按期", formed_on=date(2026, 9, 30))
    late = world.item(title="超期", formed_on=date(2026, 9, 29))
    for item, published in ((on_time, "2026-11-03 23:30"), (late, "2026-11-03 08:00")):
        walk(world, moment, item, chain("officer", "leader", ["2026-10-30 09:00"] * 4, published))
    moment.at("2026-11-20 10:00")
    report = statistics.report(world.body.id, Period("month", 2026, 11))
    assert figures(report, "民政办")[:6] == (0, 2, "—", 0, 0, 1)


def test_a_year_without_the_holiday_notice_is_named(world, moment):
    """2027 is not in chinesecalendar 1.11: deadlines there follow weekends and overrides, and
    the report says so (shown on the page)."""
    if workdays.package_covers(2027):
        pytest.skip("the installed chinesecalendar covers 2027")
    moment.at("2027-01-20 10:00")
    report = statistics.report(world.body.id, Period("month", 2027, 1))
    assert 2027 in report.uncovered_years
    assert statistics.report(world.body.id, Period("month", 2026, 10)).uncovered_years == ()


# ------------------------------------------------------------------------------ periods


@pytest.mark.parametrize(
    "text,period",
    [
        ("2026-10", Period("month", 2026, 10)),
        ("2026-1", Period("month", 2026, 1)),
        ("2026-Q4", Period("quarter", 2026, 4)),
        ("2026-q1", Period("quarter", 2026, 1)),
        ("2026", Period("year", 2026)),
    ],
)
def test_periods_are_parsed(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize(
    "text", ["", "2026-13", "2026-0", "2026-Q5", "26-10", "1999", "2026-10-01", "abc", None]
)
def test_bad_periods_are_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_a_period_is_a_range_of_stored_utc_times(app):
    assert Period("month", 2026, 10).utc_range == (
        datetime(2026, 9, 30, 16),
        datetime(2026, 10, 31, 16),
    )
    assert Period("quarter", 2026, 4).utc_range == (
        datetime(2026, 9, 30, 16),
        datetime(2026, 12, 31, 16),
    )
    assert Period("year", 2026).last_day == date(2026, 12, 31)
    assert Period("month", 2026, 10).label == "2026年10月"
    assert Period("quarter", 2026, 4).label == "2026年第四季度"
    assert Period("year", 2026).label == "2026年"


# ------------------------------------------------------------------------------ who sees it


@pytest.mark.parametrize(
    "name,view,targets",
    [
        ("office", True, True),
        ("publisher", True, True),
        ("office_head", True, False),
        ("office_and_secrecy", True, True),
        ("secrecy", False, False),
        ("leader", False, False),
        ("officer", False, False),
        ("sysadmin", False, False),
        ("auditor", False, False),
        ("secadmin", False, False),
    ],
)
def test_only_the_general_office_sees_the_statistics(world, login_as, name, view, targets):
    browser = login_as(name)
    pages = {"": view, "export.xlsx": view, "targets": targets, "stale-limits": targets}
    for suffix, allowed in pages.items():
        response = browser.get(DASHBOARD + suffix)
        assert response.status_code == (200 if allowed else 403), suffix
        if not allowed:
            continue
        if suffix == "export.xlsx":
            assert load_workbook(BytesIO(response.data)).sheetnames[0] == "通报"
        else:
            titles = {
                "": "信息统计",
                "targets": f"{local_today().year} 年度目标",
                "stale-limits": "栏目更新要求",
            }
            assert heading(response.text) == titles[suffix]


def test_a_visitor_is_sent_to_log_in(client):
    assert client.get(DASHBOARD).status_code == 302


def test_the_predicates_are_for_the_own_body_and_active_users(world):
    office = world.users["office"]
    assert permissions.can_view_statistics(office, world.body.id)
    assert not permissions.can_view_statistics(office, world.body.id + 1)
    assert not permissions.can_set_targets(office, world.body.id + 1)
    office.is_enabled = False
    assert not permissions.can_view_statistics(office)
    assert not permissions.can_view_statistics(None)


def test_another_body_sees_only_its_own_figures(october, app):
    from tests.conftest import Browser
    from tests.factories import World

    other = World.build(credit_code="11000000MB0000002B")
    b = Browser(app.test_client())
    assert b.login(other.users["office"].username, other.password).status_code == 302
    page = b.get(DASHBOARD + "?period=2026-10").text
    assert "财政所" not in page and "民政办" in page
    assert _card(page, "published") == "0" and _card(page, "submitted") == "0"
    # and the department filter cannot reach into the first body
    refused = b.get(f"{DASHBOARD}?period=2026-10&department={october.finance.id}")
    assert refused.status_code == 422


# ------------------------------------------------------------------------------ the page


def _card(page: str, figure: str) -> str:
    return re.search(
        rf'data-figure="{figure}"><span>[^<]*</span><strong>([^<]*)</strong>', page
    ).group(1)


def test_the_dashboard_shows_the_figures_and_the_charts(october, login_as):
    page = login_as("office").get(DASHBOARD + "?period=2026-10")
    assert page.status_code == 200
    text = page.text
    assert [
        _card(text, k)
        for k in (
            "submitted",
            "published",
            "adoption",
            "returned",
            "withheld",
            "late",
            "completion",
        )
    ] == ["8", "4", "50.00%", "4", "1", "2", "156.77%"]
    civil, finance = october.world.departments["civil"].id, october.finance.id
    assert department_cells(text, civil) == [
        "1",
        "民政办",
        "5",
        "3",
        "60.00%",
        "2",
        "1",
        "2",
        "10",
        "3",
        "30.00%",
    ]
    assert department_cells(text, finance) == [
        "3",
        "财政所",
        "0",
        "0",
        "—",
        "0",
        "0",
        "0",
        "300",
        "482",
        "160.67%",
    ]
    assert department_cells(text, "total") == [
        "",
        "合计",
        "8",
        "4",
        "50.00%",
        "4",
        "1",
        "2",
        "310",
        "486",
        "156.77%",
    ]
    assert text.count('<svg class="chart"') == 2 and '<title id="chart-trend-title">' in text
    assert "482 / 300（160.67%）" in text  # the bar's label
    assert "请补充附件" in text and "3 次" in text
    assert "口径说明" in text and "首次提交审批" in text
    assert 'data-code="0101"' in text and "51 天未更新" in text


def test_the_department_filter_narrows_the_cards(october, login_as):
    civil = october.world.departments["civil"].id
    text = login_as("publisher").get(f"{DASHBOARD}?period=2026-10&department={civil}").text
    assert [_card(text, k) for k in ("submitted", "published", "adoption", "completion")] == [
        "5",
        "3",
        "60.00%",
        "30.00%",
    ]
    assert 'class="selected" aria-current="true"' in text


@pytest.mark.parametrize(
    "query,message",
    [
        ("period=2026-13", "统计期间无效"),
        ("period=abc", "统计期间无效"),
        ("period=2026-10&department=99999", "所选部门不存在"),
        ("period=2026-10&department=x", "所选部门不存在"),
    ],
)
def test_a_bad_filter_is_refused_in_chinese(world, login_as, query, message):
    page = login_as("office").get(f"{DASHBOARD}?{query}")
    assert page.status_code == 422 and message in page.text
    assert login_as("office").get(f"{DASHBOARD}export.xlsx?{query}").status_code == 400


def test_the_default_period_is_this_month(world, login_as, moment):
    moment.at("2026-10-20 10:00")
    page = login_as("office").get(DASHBOARD).text
    assert '<option selected value="2026-10">2026年10月</option>' in page


# ------------------------------------------------------------------------------ settings pages

TARGETS = DASHBOARD + "targets?year=2026"


def _typed(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def test_the_office_sets_targets_and_each_save_is_audited(world, login_as):
    b = login_as("office")
    civil, agri = world.departments["civil"].id, world.departments["agri"].id
    done = b.post(TARGETS, {f"target_{civil}": "300", f"target_{agri}": " 12 "}, token_from=TARGETS)
    assert done.status_code == 303
    saved = dict(
        db.session.execute(select(DepartmentTarget.department_id, DepartmentTarget.target)).all()
    )
    assert saved == {civil: 300, agri: 12}
    assert "2 处修改" in b.get(TARGETS).text
    again = b.post(TARGETS, {f"target_{civil}": "320", f"target_{agri}": ""}, token_from=TARGETS)
    assert again.status_code == 303
    db.session.expire_all()
    assert dict(
        db.session.execute(select(DepartmentTarget.department_id, DepartmentTarget.target)).all()
    ) == {civil: 320}
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "set_targets").order_by(AuditEntry.id)
    ).all()
    assert len(entries) == 2
    assert '"before":300' in entries[1].detail and '"after":320' in entries[1].detail
    assert '"after":null' in entries[1].detail and '"year":2026' in entries[1].detail
    unchanged = b.post(TARGETS, {f"target_{civil}": "320"}, token_from=TARGETS)
    assert unchanged.status_code == 303
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "set_targets")
        )
        == 2
    )


@pytest.mark.parametrize(
    "value,message",
    [
        ("abc", "请填写正整数"),
        ("-5", "请填写正整数"),
        ("0", "请填写 1 到 1000000 之间的整数"),
        ("12.5", "请填写正整数"),
        ("9999999", "请填写 1 到 1000000 之间的整数"),
    ],
)
def test_bad_targets_are_refused_with_what_was_typed(world, login_as, value, message):
    b = login_as("publisher")
    civil, agri = world.departments["civil"].id, world.departments["agri"].id
    page = b.post(TARGETS, {f"target_{civil}": value, f"target_{agri}": "40"}, token_from=TARGETS)
    assert page.status_code == 422
    assert message in page.text and "请修正标红的项目" in page.text
    assert _typed(page.text, f"target_{civil}") == value
    assert _typed(page.text, f"target_{agri}") == "40"
    assert db.session.scalar(select(func.count()).select_from(DepartmentTarget)) == 0


@pytest.mark.parametrize("url", [TARGETS, DASHBOARD + "stale-limits"])
def test_the_settings_forms_need_their_csrf_token(world, login_as, url):
    """(tests/test_csrf_walk.py proves it for every POST route once the lead lists these.)"""
    b = login_as("office")
    civil, category = world.departments["civil"].id, world.category.id
    data = {f"target_{civil}": "5", f"days_{category}": "5"}
    someone_elses = login_as("publisher").token(url)
    for token in (None, "forged-token", someone_elses):
        response = b.client.post(url, data=data | ({"csrf_token": token} if token else {}))
        assert response.status_code == 400 and "CSRF" in response.text, token
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(DepartmentTarget)) == 0
    assert db.session.get(Category, category).stale_after_days is None


def test_the_service_refuses_others_and_other_bodies(world):
    civil = world.departments["civil"].id
    with pytest.raises(PermissionDenied):
        statistics_settings.set_targets(world.users["leader"], world.body.id, 2026, {civil: 5})
    with pytest.raises(PermissionDenied):
        statistics_settings.set_targets(world.users["office"], world.body.id + 1, 2026, {civil: 5})
    with pytest.raises(InvalidInput):
        statistics_settings.set_targets(
            world.users["office"], world.body.id, 2026, {civil + 999: 5}
        )
    with pytest.raises(InvalidInput):
        statistics_settings.set_targets(world.users["office"], world.body.id, 1800, {civil: 5})


def test_the_office_sets_a_category_limit(october, login_as):
    url = DASHBOARD + "stale-limits"
    c02 = october.categories["02"]
    b = login_as("office")
    bad = b.post(url, {f"days_{c02.id}": "0"}, token_from=url)
    assert bad.status_code == 422 and "请填写 1 到 3650 之间的整数" in bad.text
    assert _typed(bad.text, f"days_{c02.id}") == "0"
    c0101 = october.categories["0101"]
    done = b.post(url, {f"days_{c02.id}": "365", f"days_{c0101.id}": ""}, token_from=url)
    assert done.status_code == 303
    db.session.expire_all()
    assert (
        db.session.get(Category, c02.id).stale_after_days,
        db.session.get(Category, c0101.id).stale_after_days,
    ) == (365, None)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "set_stale_limits"))
    assert '"code":"02"' in entry.detail and '"after":365' in entry.detail
    # 0101 now has the default 90 days (51 days silent): no longer stale; 02 still never published
    assert [s.code for s in statistics.stale_categories(october.world.body.id)] == ["02"]


def test_the_dashboard_costs_the_same_queries_for_more_departments_and_items(
    world, login_as, client
):
    """One GROUP BY per figure, not one query per department (tests/test_query_plans.py checks
    that each reads an index range of the period)."""
    add_items(world, 1)
    few = page_queries(login_as, client, "office", DASHBOARD)
    for i in range(4):
        db.session.add(Department(body=world.body, name=f"新部门{i}", position=10 + i))
    db.session.commit()
    add_items(world, 3)
    assert page_queries(login_as, client, "office", DASHBOARD) == few
    assert few <= 20, few
