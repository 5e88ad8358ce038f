"""Deadlines of open items: the 公开期限 (成文日期 + 20 working days), the steps' time limits, the
flags in lists, the 期限看板, its settings page, and the reminders ``flask jobs run`` sends.

Hand-computed on the 2026 arrangement (chinesecalendar): 09-20 (Sun) is a make-up working day,
09-25 (Fri, 中秋) is off, 10-01..10-07 (国庆) are off, 10-10 (Sat) is a make-up working day.
"Today" is Monday 2026-10-12 unless a test says otherwise. The day of the event is not counted.

    formed 09-10 (Thu): 09-11 =1, 09-14..18 =2–6, 09-20 =7, 09-21..24 =8–11, 09-28..30 =12–14,
                        10-08 =15, 10-09 =16, 10-10 =17, 10-12 =18, 10-13 =19, 10-14 =20
                        → due 10-14, 2 working days left (10-13, 10-14): due soon
    formed 09-08 (Tue): two working days more (09-09, 09-10) → due 10-12: due today (0 left)
    formed 09-01 (Tue): 09-02..04 =1–3, 09-07..11 =4–8, 09-14..18 =9–13, 09-20 =14,
                        09-21..24 =15–18, 09-28 =19, 09-29 =20 → due 09-29; late by the
                        working days in (09-29, 10-12]: 09-30, 10-08, 10-09, 10-10, 10-12 = 5
    formed 10-09 (Fri): 10-10 =1, 10-12..16 =2–6, 10-19..23 =7–11, 10-26..30 =12–16,
                        11-02..05 =17–20 → due 11-05, 18 working days left: on time
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from approval import jobs  # imported before Moment patches the modules' utcnow
from approval.core.errors import InvalidInput, PermissionDenied
from approval.core.workflow import Action
from approval.deadlines import limits as step_limits
from approval.deadlines import operations as deadlines
from approval.deadlines.operations import Level
from approval.extensions import db
from approval.models import AuditEntry, Item, Notification, StepTimeLimit
from approval.models.notifications import Kind
from tests.helpers.deadlines import BOARD, LIMITS, TODAY, draft, item_row
from tests.helpers.mail import mail_on, with_addresses
from tests.helpers.pages import heading
from tests.helpers.queries import page_queries


@pytest.fixture(autouse=True)
def in_a_request(app):
    with app.test_request_context("/"):
        yield


def submitted(world, moment, formed: str, at: str, title: str | None = None) -> Item:
    """A draft formed on ``formed`` and submitted (entering 分管领导审批) at ``at`` (Beijing)."""
    moment.at(at)
    item = draft(world, formed, title=title)
    world.act("officer", item, Action.SUBMIT)
    return item


def limit_leader_step(world, days: int = 2) -> None:
    step_limits.set_step_limits(world.users["office"], world.body.id, {"leader": days})
    db.session.commit()
    deadlines.forget_step_limits()


# ---------------------------------------------------------------- the arithmetic


@pytest.mark.parametrize(
    "formed, due, left, level",
    [
        ("2026-09-10", date(2026, 10, 14), 2, Level.DUE_SOON),
        ("2026-09-08", date(2026, 10, 12), 0, Level.DUE_SOON),
        ("2026-09-01", date(2026, 9, 29), -5, Level.OVERDUE),
        ("2026-10-09", date(2026, 11, 5), 18, Level.ON_TIME),
    ],
)
def test_publication_deadline_of_hand_computed_items(world, moment, formed, due, left, level):
    moment.at("2026-10-09 17:00")
    item = draft(world, formed)
    moment.at(TODAY)
    publication = deadlines.of_item(item).publication
    assert (publication.due, publication.left, publication.level) == (due, left, level)
    assert publication.uncovered_years == ()


def test_step_deadline_counts_from_the_day_the_item_entered_the_step(world, moment):
    """Limit 2 working days at 分管领导审批. Entered 10-08 (Thu) 15:00 → due 10-10 (the make-up
    Saturday), one working day late on 10-12; entered 10-09 → due 10-12, due today; entered
    10-12 → due 10-14, on time (a step is flagged at 1 working day left)."""
    limit_leader_step(world, 2)
    late = submitted(world, moment, "2026-10-08", "2026-10-08 15:00")
    today = submitted(world, moment, "2026-10-08", "2026-10-09 23:30")  # still 10-09 in Beijing
    fresh = submitted(world, moment, "2026-10-08", "2026-10-12 09:00")
    moment.at(TODAY)
    steps = {i.id: deadlines.of_item(i).step for i in (late, today, fresh)}
    assert (steps[late.id].due, steps[late.id].left, steps[late.id].level) == (
        date(2026, 10, 10),
        -1,
        Level.OVERDUE,
    )
    assert (steps[today.id].due, steps[today.id].left, steps[today.id].level) == (
        date(2026, 10, 12),
        0,
        Level.DUE_SOON,
    )
    assert (steps[fresh.id].due, steps[fresh.id].left, steps[fresh.id].level) == (
        date(2026, 10, 14),
        2,
        Level.ON_TIME,
    )
    assert steps[late.id].step_name == "分管领导审批"


def test_no_deadline_once_published_or_without_a_limit(world, moment):
    moment.at("2026-10-09 09:00")
    item = draft(world, "2026-09-01")
    world.to_state(item, "pending_office")
    moment.at(TODAY)
    due = deadlines.of_item(item)
    assert due.step is None  # no limit set for 办公室审核
    assert due.publication.level is Level.OVERDUE
    published = draft(world, "2026-09-01")
    world.to_state(published, "published")
    assert deadlines.of_item(published) is None


def test_an_uncovered_year_is_named(world, moment):
    """2027 is not in chinesecalendar 1.11: a deadline running into it says so."""
    from approval.core import workdays

    if workdays.package_covers(2027):
        pytest.skip("the installed chinesecalendar covers 2027")
    moment.at("2026-12-20 10:00")
    item = draft(world, "2026-12-18")
    assert deadlines.of_item(item).publication.uncovered_years == (2027,)


# ---------------------------------------------------------------- the board (SQL) agrees


@pytest.mark.parametrize("today", ["2026-10-03", "2026-10-11", "2026-10-12"])
def test_the_boards_sql_flags_exactly_what_the_calendar_says_for_every_formed_day(
    world, moment, today
):
    """A draft formed on each day from 08-20 to 10-03 (weekends, 中秋 and 国庆 included), seen
    on a day of 国庆, on a Sunday and on a Monday: the board lists as flagged exactly those whose
    deadline (computed in Python, row by row) is overdue or due soon, and counts each in the
    bucket of its level."""
    moment.at("2026-10-03 10:00")
    items, day = [], date(2026, 8, 20)
    while day <= date(2026, 10, 3):
        items.append(draft(world, day.isoformat()))
        day += timedelta(days=1)
    moment.at(f"{today} 10:00")
    expected = {i.id: deadlines.of_item(i).publication.level for i in items}
    board = deadlines.board(world.body.id, rows=1000)
    listed = {item.id: due.publication.level for item, due in board.publication}
    assert listed == {k: v for k, v in expected.items() if v is not Level.ON_TIME}
    assert board.totals.publication_overdue == sum(v is Level.OVERDUE for v in expected.values())
    assert board.totals.publication_due_soon == sum(v is Level.DUE_SOON for v in expected.values())
    assert board.totals.publication_due_soon > 0 and board.totals.publication_overdue > 0


def test_a_deadline_passed_on_the_holiday_after_it_is_overdue(world, moment):
    """Formed 09-02: due 09-30 (Wed), the last working day before 国庆. On 10-03 the day has
    passed but no working day has been missed yet (10-01..07 are off): overdue all the same, late
    by 0 working days, in the list and on the board alike."""
    moment.at("2026-10-03 10:00")
    item = draft(world, "2026-09-02", title="国庆前到期")
    due = deadlines.of_item(item).publication
    assert (due.due, due.left, due.level, due.late_by) == (date(2026, 9, 30), 0, Level.OVERDUE, 0)
    assert deadlines.board(world.body.id).totals.publication_overdue == 1


def test_a_record_that_is_never_published_has_no_deadline(world, moment):
    """依申请公开 and 不予公开 drafts are records, not publications: no 公开期限, no flag, no
    reminder."""
    moment.at(TODAY)
    on_request = world.item(formed_on=date(2026, 9, 1), disclosure_mode="on_request")
    assert deadlines.of_item(on_request) is None
    assert deadlines.board(world.body.id).totals.publication_overdue == 0
    assert deadlines.flagged_item_ids() == []


def test_a_formed_date_decades_ago_is_overdue_without_a_count(world, moment, login_as):
    moment.at(TODAY)
    item = draft(world, "1926-05-01", title="旧文件")
    due = deadlines.of_item(item).publication
    assert (due.level, due.left, due.late_by) == (Level.OVERDUE, None, None)
    row = item_row(login_as("officer").get("/department").text, "旧文件")
    assert "公开期限已过" in row and "已超期" in row


def test_the_board_counts_per_department_and_lists_the_most_urgent_first(world, moment):
    limit_leader_step(world, 2)
    moment.at("2026-10-09 09:00")
    overdue = draft(world, "2026-09-01")
    soon = draft(world, "2026-09-10")
    agri = draft(world, "2026-08-31", author="officer_agri")
    gone = draft(world, "2026-08-01")
    world.to_state(gone, "published")  # published: no longer open
    late_step = submitted(world, moment, "2026-10-08", "2026-10-08 15:00")
    moment.at(TODAY)
    board = deadlines.board(world.body.id)
    counts = {
        c.name: (c.publication_overdue, c.publication_due_soon, c.step_overdue, c.step_due_soon)
        for c in board.departments
    }
    assert counts == {"民政办": (1, 1, 1, 0), "农业农村办": (1, 0, 0, 0)}
    assert [i.id for i, _ in board.publication] == [agri.id, overdue.id, soon.id]  # formed order
    assert [i.id for i, _ in board.steps] == [late_step.id]
    civil = deadlines.board(world.body.id, world.departments["civil"].id)
    assert {i.id for i, _ in civil.publication} == {overdue.id, soon.id}
    assert gone.id not in {i.id for i, _ in board.publication}


# ---------------------------------------------------------------- pages


def test_lists_and_the_item_page_flag_deadlines(world, moment, login_as):
    limit_leader_step(world, 2)
    moment.at("2026-10-09 09:00")
    draft(world, "2026-09-01", title="超期草稿")
    draft(world, "2026-10-09", title="新草稿")
    late_step = submitted(world, moment, "2026-10-08", "2026-10-08 15:00", title="领导未批")
    moment.at(TODAY)

    page = login_as("officer").get("/department").text
    row = item_row(page, "超期草稿")
    assert 'data-deadline="publication" data-level="overdue" data-left="-5"' in row
    assert "公开期限已超 5 个工作日" in row
    fresh = item_row(page, "新草稿")
    assert "data-level" not in fresh and "公开期限 2026-11-05（剩 18 个工作日）" in fresh

    inbox = login_as("leader").get("/").text
    row = item_row(inbox, "领导未批")
    assert 'data-deadline="step" data-level="overdue"' in row
    assert "分管领导审批超时 1 个工作日" in row

    item_page = login_as("leader").get(f"/items/{late_step.id}").text
    assert "分管领导审批超时 1 个工作日" in item_page
    assert "分管领导审批时限 2026-10-10" in item_page


def test_the_board_and_the_lists_do_not_query_per_flagged_item(world, moment, login_as, client):
    limit_leader_step(world, 2)

    def add(n):
        for _ in range(n):
            moment.at("2026-10-08 15:00")
            draft(world, "2026-09-01")
            submitted(world, moment, "2026-09-02", "2026-10-08 15:00")
        moment.at(TODAY)

    add(2)
    pages = [
        ("office", BOARD, 'data-level="overdue"'),  # each page shows flagged items
        ("officer", "/department", "公开期限已超"),
        ("leader", "/", "分管领导审批超时"),
    ]
    few = [page_queries(login_as, client, who, path, shows) for who, path, shows in pages]
    add(5)
    assert [page_queries(login_as, client, who, path, shows) for who, path, shows in pages] == few


def test_the_board_page_for_the_office_and_nobody_else(world, moment, login_as):
    moment.at("2026-10-09 09:00")
    secret = draft(world, "2026-09-01", title="未报送的内部草稿")
    shown = submitted(world, moment, "2026-09-02", "2026-10-09 10:00", title="已报送的逾期信息")
    moment.at(TODAY)
    page = login_as("office").get(BOARD)
    assert page.status_code == 200
    assert re.search(r'data-figure="publication_overdue"><span>[^<]+</span><strong>2<', page.text)
    assert "已报送的逾期信息" in page.text
    assert "未报送的内部草稿" not in page.text and "（未报送的草稿）" in page.text
    assert f'data-item="{secret.id}" data-level="overdue"' in page.text
    assert f'href="/items/{shown.id}"' in page.text
    for name in ("officer", "leader", "secrecy", "sysadmin", "auditor"):
        assert login_as(name).get(BOARD).status_code == 403, name
    head = login_as("office_head").get(BOARD)  # leads the general office
    assert head.status_code == 200 and heading(head.text) == "期限看板"
    assert re.search(r'data-figure="publication_overdue"><span>[^<]+</span><strong>2<', head.text)


def test_the_step_limits_page_saves_audits_and_refuses_bad_input(world, login_as):
    office = login_as("office")
    page = office.get(LIMITS)
    assert page.status_code == 200 and "分管领导审批" in page.text
    bad = office.post(
        LIMITS, {"days_leader": "61", "days_office": "2", "days_secrecy": ""}, token_from=LIMITS
    )
    assert bad.status_code == 422
    assert "请填写 1 到 60 之间的整数" in bad.text and 'value="61"' in bad.text
    assert db.session.scalar(select(func.count()).select_from(StepTimeLimit)) == 0
    words = office.post(LIMITS, {"days_leader": "三天"}, token_from=LIMITS)
    assert words.status_code == 422 and "请填写正整数（工作日）" in words.text

    saved = office.post(
        LIMITS, {"days_leader": "3", "days_office": "2", "days_secrecy": ""}, token_from=LIMITS
    )
    assert saved.status_code == 303
    assert dict(
        db.session.execute(select(StepTimeLimit.step_key, StepTimeLimit.working_days)).all()
    ) == {"leader": 3, "office": 2}
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "set_step_limits")
    ).one()
    assert {c["step"]: (c["before"], c["after"]) for c in json.loads(entry.detail)["changes"]} == {
        "分管领导审批": (None, 3),
        "办公室审核": (None, 2),
    }
    for name in ("officer", "leader", "secrecy", "office_head", "sysadmin"):
        assert login_as(name).get(LIMITS).status_code == 403, name


def test_only_the_general_office_sets_limits(world):
    with pytest.raises(PermissionDenied):
        step_limits.set_step_limits(world.users["leader"], world.body.id, {"leader": 2})
    with pytest.raises(InvalidInput):
        step_limits.set_step_limits(world.users["office"], world.body.id, {"nope": 2})


# ---------------------------------------------------------------- reminders


def test_jobs_run_twice_reminds_each_person_of_each_deadline_once(app, world, moment, runner, smtp):
    mail_on(app, smtp.port)
    with_addresses(world, officer="officer@example.gov.cn", leader="leader@example.gov.cn")
    limit_leader_step(world, 2)
    moment.at("2026-10-09 09:00")
    overdue = draft(world, "2026-09-01", title="超期草稿")
    soon = draft(world, "2026-09-10", title="临期草稿")
    draft(world, "2026-10-09", title="按期草稿")
    late_step = submitted(world, moment, "2026-10-08", "2026-10-08 15:00", title="领导未批")
    moment.at(TODAY)

    for _ in range(2):
        result = runner.invoke(args=["jobs", "run"])
        assert result.exit_code == 0, result.output
    db.session.expire_all()
    got = sorted(
        (n.user_id, n.kind, n.item_id, n.data["due_on"], n.data.get("step"))
        for n in db.session.scalars(
            select(Notification).where(Notification.kind.in_([Kind.DUE_SOON, Kind.OVERDUE]))
        )
    )
    officer, leader = world.users["officer"].id, world.users["leader"].id
    assert got == sorted(
        [
            (officer, Kind.OVERDUE, overdue.id, "2026-09-29", None),
            (officer, Kind.DUE_SOON, soon.id, "2026-10-14", None),
            (leader, Kind.OVERDUE, late_step.id, "2026-10-10", "分管领导审批"),
        ]
    )

    def mails(address):  # the reminders' e-mails (the leader was also told of the submission)
        texts = [m.get_body(("plain",)).get_content() for m in smtp.to(address)]
        return sorted(
            t.split("》", 1)[1].splitlines()[0] for t in texts if "限" in t.split("》", 1)[1]
        )

    assert mails("officer@example.gov.cn") == [
        "已超过公开期限（2026-09-29），请尽快办理",
        "的公开期限为 2026-10-14，请及时办理",
    ]
    assert mails("leader@example.gov.cn") == [
        "已超过分管领导审批环节的办理时限（2026-10-10），请尽快办理"
    ]

    # the overdue draft goes round: a new round is a new event, for the people of its new step
    world.act("officer", overdue, Action.SUBMIT)
    jobs.run_all()
    jobs.run_all()
    again = db.session.scalars(
        select(Notification).where(
            Notification.item_id == overdue.id, Notification.kind == Kind.OVERDUE
        )
    ).all()
    assert sorted(n.user_id for n in again) == [officer, leader]


def test_a_reminder_follows_the_calendar_day_by_day(world, moment):
    """Due soon on 10-12 (2 left), nothing new on 10-13, overdue on 10-15 (10-14 was the day)."""
    moment.at("2026-10-09 09:00")
    item = draft(world, "2026-09-10")
    kinds = []
    for day in ("2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15"):
        moment.at(f"{day} 08:00")
        jobs.run_reminders()
        kinds.append(
            sorted(
                n.kind
                for n in db.session.scalars(
                    select(Notification).where(Notification.item_id == item.id)
                )
            )
        )
    assert kinds == [
        [Kind.DUE_SOON],
        [Kind.DUE_SOON],
        [Kind.DUE_SOON],
        [Kind.DUE_SOON, Kind.OVERDUE],
    ]
