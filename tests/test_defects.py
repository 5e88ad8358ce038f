"""Issue 27, "Smaller defects seen": each defect as a user met it, and what they see now.

In the world, ``officer`` writes for 民政办 (civil), ``leader`` leads it, ``leader_agri`` leads
农业农村办, ``office`` audits for the body, ``auditor`` reads the audit trail. The browser half
(the sidebar's numbers, the phone's menu, the English tables) is tests/e2e/test_defects_browser.py.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from approval.core import clock
from approval.delegations import operations as delegations
from approval.extensions import db
from approval.models import AuditEntry
from approval.publication import drafts
from approval.statistics import charts
from tests.helpers.deadlines import BOARD, TODAY, draft, item_row

ROOT = Path(__file__).resolve().parents[1]
RESIDENT_ID = "11010519491231002X"


def english(browser):
    """Switch the signed-in browser to English, as the footer's button does."""
    response = browser.post("/language", {"lang": "en", "next": "/"}, token_from="/")
    assert response.status_code == 302


# ---------------------------------------------------------------- the 审批流程 sidebar


def test_the_progress_list_numbers_only_its_own_steps_not_the_checklist_answers():
    """The five 保密审查单 answers are a list inside the sign-off step: a rule for every ``li``
    under .progress numbered them 4–8 and made 发布 step 9."""
    css = (ROOT / "static/app.css").read_text(encoding="utf-8")
    numbered = [
        rule.split("{")[0].strip()
        for rule in re.findall(r"[^{}]+\{[^}]*counter-increment:\s*step[^}]*\}", css)
    ]
    assert numbered == [".progress > li::before"]
    assert not re.search(r"\.progress li\b", css)  # no rule reaches a nested list's items


def test_the_signed_off_items_page_lists_the_answers_inside_its_step(world, login_as):
    item = world.to_state(world.item(), "approved")
    page = login_as("publisher").get(f"/items/{item.id}").text
    start = page.index('<ol class="progress">')
    progress = page[start : page.index("</ol>", start)]
    assert progress.count('<ul class="checklist-answers"') == 1  # inside the sign-off step


# ---------------------------------------------------------------- the phone's header


def test_every_staff_page_has_the_menu_that_folds_the_navigation(world, login_as):
    page = login_as("office").get("/").text
    header = page[page.index("<header") : page.index("</header>")]
    menu = header.index('<details class="menu"><summary>菜单')
    body = header.index('<div class="menu-body">')
    assert menu < body < header.index('<nav class="nav"') < header.index('class="who"')
    css = (ROOT / "static/app.css").read_text(encoding="utf-8")
    assert ".menu[open] + .menu-body { display: block; }" in css  # opens without script


# ---------------------------------------------------------------- the history page


def test_the_history_names_fields_says_one_click_masking_and_returned(world, login_as):
    item = world.item(body=f"申请人张某某，身份证号{RESIDENT_ID}，住城关镇。")
    edited = dict(_form_of(item), summary="新的内容概述")
    drafts.update_draft(world.users["officer"], item, edited, item.version)  # a plain edit
    db.session.commit()
    officer = login_as("officer")
    db.session.refresh(item)
    masked = officer.post(
        f"/items/{item.id}/mask", {"version": str(item.version)}, token_from=f"/items/{item.id}"
    )
    assert masked.status_code == 303
    entry = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.item_id == item.id, AuditEntry.action == "edit")
        .order_by(AuditEntry.id.desc())
    ).first()
    from approval.audit.trail import detail_of

    assert detail_of(entry)["masked"] == 1 and detail_of(entry)["fields"] == ["body"]

    world.act("officer", item, "submit")
    world.act("leader", item, "return", opinion="请补充依据")
    page = officer.get(f"/items/{item.id}/history").text
    rows = re.findall(r'<tr data-action="(\w+)">(.*?)</tr>', page, re.S)
    by_action = {}
    for action, row in rows:
        by_action.setdefault(action, []).append(row)
    plain_edit, masking = by_action["edit"]
    assert "内容概述" in plain_edit and "修改" in plain_edit and "一键脱敏" not in plain_edit
    assert 'data-masked="1"' in masking and "一键脱敏" in masking and "正文" in masking
    assert "已脱敏 1 处个人信息" in masking
    assert ">body<" not in page and ">summary<" not in page
    (returned,) = by_action["return"]
    assert "已退回" in returned and "→ 草稿" not in returned


def _form_of(item) -> dict:
    revision = item.current_revision
    return {f: getattr(revision, f) for f in revision.EDITABLE_FIELDS}


# ---------------------------------------------------------------- the 期限看板


def test_the_board_names_the_author_of_a_draft_the_office_may_not_open(world, moment, login_as):
    moment.at("2026-10-09 09:00")
    secret = draft(world, "2026-09-01", title="未报送的内部草稿")
    moment.at(TODAY)
    page = login_as("office").get(BOARD).text
    row = re.search(rf'<tr data-item="{secret.id}"[^>]*>(.*?)</tr>', page, re.S).group(1)
    assert "未报送的内部草稿" not in row and "（未报送的草稿）" in row
    assert f"起草人：{world.users['officer'].display_name}" in row
    assert world.departments["civil"].name in row  # and the department, to chase them


# ---------------------------------------------------------------- the "*" of an uncovered year


def test_the_star_of_next_years_deadline_is_explained_in_words(world, moment, login_as):
    from approval.core import workdays

    if workdays.package_covers(2027):
        pytest.skip("the installed chinesecalendar covers 2027")
    moment.at("2026-12-31 10:00")
    item = draft(world, "2026-12-08", title="跨年的草稿")  # due in January: on the board too
    row = item_row(login_as("officer").get("/department").text, "跨年的草稿")
    assert re.search(r"（剩 \d+ 个工作日）\*</span>", row)
    assert (
        '<span class="footnote" data-footnote>*（2027 年已计入法定节假日，调休安排尚未录入）' in row
    )
    page = login_as("officer").get(f"/items/{item.id}").text
    assert "data-footnote>*（2027 年已计入法定节假日" in page
    board = login_as("office").get(BOARD).text
    assert '<a href="#uncovered-note" class="footnote-mark"' in board
    assert 'id="uncovered-note">* 2027 年的国务院调休安排尚未录入' in board


# ---------------------------------------------------------------- a deputy's empty step


@pytest.fixture
def day(monkeypatch):
    class Day:
        value = clock.local_today()

    current = Day()
    monkeypatch.setattr(clock, "local_today", lambda: current.value)
    return current


def _delegate(world, start: int, days: int = 3):
    starts_on = clock.local_today() + timedelta(days=start)
    made = delegations.create(
        world.users["leader"],
        "leader",
        world.users["leader_agri"].id,
        starts_on,
        starts_on + timedelta(days=days - 1),
        "出差",
    )
    db.session.commit()
    return made


def test_a_deputy_is_told_whose_items_a_step_holds_and_that_there_are_none(world, login_as, day):
    current = _delegate(world, start=0)
    page = login_as("leader_agri").get("/").text
    leader = world.users["leader"].username
    note = re.search(rf'<p class="hint" data-deputising="{leader}">(.*?)</p>', page, re.S)
    assert note, "the step says whose items it also lists"
    principal = world.users["leader"].display_name
    assert f"本环节也列出您代理的 {principal} 的待办" in note.group(1)
    assert f"{current.starts_on} 至 {current.ends_on}" in note.group(1)
    assert f"{principal} 在本环节目前没有待办。" in note.group(1)

    item = world.item()
    world.act("officer", item, "submit")  # now the leader has one waiting
    page = login_as("leader_agri").get("/").text
    note = re.search(rf'data-deputising="{leader}">(.*?)</p>', page, re.S).group(1)
    assert "目前没有待办" not in note and item.current_revision.title in page


def test_a_deputy_is_told_when_a_future_delegation_starts(world, login_as, day):
    future = _delegate(world, start=5)
    page = login_as("leader_agri").get("/").text
    note = re.search(rf'data-upcoming-delegation="{future.id}">(.*?)</p>', page, re.S)
    assert note and f"您将于 {future.starts_on} 至 {future.ends_on} 代理" in note.group(1)
    assert "data-deputising" not in page  # nothing of the leader's is listed yet
    assert "data-upcoming-delegation" not in login_as("leader").get("/").text


# ---------------------------------------------------------------- the audit page's filters


def test_the_audit_page_filters_by_dates_and_by_index_number(world, moment, login_as):
    moment.at("2026-10-12 10:00")
    early = world.item(title="十月十二日的信息")
    moment.at("2026-10-14 23:30")  # Beijing time: still the 14th
    late = world.to_state(world.item(title="十月十四日的信息"), "published")
    db.session.refresh(late)
    moment.at("2026-10-20 10:00")
    auditor = login_as("auditor")

    def items_listed(**args):
        page = auditor.get("/admin/audit", query_string=args)
        assert page.status_code == 200, page.text
        return set(re.findall(r'href="/items/(\d+)/history"', page.text)), page.text

    listed, _ = items_listed(**{"from": "2026-10-13"})
    assert str(late.id) in listed and str(early.id) not in listed
    listed, _ = items_listed(**{"from": "2026-10-12", "to": "2026-10-12"})
    assert listed == {str(early.id)}
    listed, page = items_listed(item=late.index_number)
    assert listed == {str(late.id)}
    assert f'value="{late.index_number}"' in page  # the 索引号 stays in the box
    listed, _ = items_listed(item=str(early.id))
    assert listed == {str(early.id)}

    exported = auditor.post(
        "/admin/audit/export/csv",
        {"from": "2026-10-12", "to": "2026-10-12"},
        token_from="/admin/audit",
    )
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    items = {row[9] for row in rows[1:]}
    assert items == {str(early.id)}


@pytest.mark.parametrize(
    "args, field, message",
    [
        ({"from": "2026-13-01"}, "from", "开始日期请按“年-月-日”填写"),
        ({"to": "昨天"}, "to", "结束日期请按“年-月-日”填写"),
        ({"from": "2026-10-14", "to": "2026-10-12"}, "to", "结束日期不能早于开始日期"),
        (
            {"item": "11000000MB0000001D/2026-99999"},
            "item",
            "没有索引号为 11000000MB0000001D/2026-99999 的信息",
        ),
        ({"item": "99999999999999999999"}, "item", "没有编号为 99999999999999999999 的信息"),
    ],
)
def test_the_audit_page_refuses_a_bad_filter_naming_the_field(
    world, login_as, args, field, message
):
    page = login_as("auditor").get("/admin/audit", query_string=args)
    assert page.status_code == 422
    assert f'<p class="field-error" id="f-{field}-error" role="alert">{message}' in page.text
    for value in args.values():
        assert f'value="{value}"' in page.text  # what was typed is kept
    assert 'href="/items/' not in page.text  # and nothing is listed as if it matched


def test_another_bodys_index_number_finds_nothing(world, login_as):
    from tests.factories import World

    other = World.build(credit_code="11000000MB0000002B")
    theirs = other.to_state(other.item(), "published")
    page = login_as("auditor").get("/admin/audit", query_string={"item": theirs.index_number})
    assert page.status_code == 422 and "没有索引号为" in page.text


# ---------------------------------------------------------------- English


def test_the_trend_legend_leaves_room_for_a_long_first_entry():
    drawn = str(charts.monthly_trend([("10", 3, 2)], "t", "d", ("Submitted", "Published")))
    rects = re.findall(r'<rect class="chart-bar[^"]*" x="([\d.]+)" y="4"', drawn)
    first_text_end = 28 + 14 + charts.text_width("Submitted")
    assert float(rects[1]) > first_text_end
    chinese = str(charts.monthly_trend([("10", 3, 2)], "t", "d", ("报送", "发布")))
    assert float(re.findall(r'<rect class="chart-bar" x="([\d.]+)" y="4"', chinese)[0]) < 100


def test_the_legend_says_published_and_the_days_have_plural_forms(world, moment, login_as):
    moment.at("2026-10-09 09:00")
    draft(world, "2026-09-09", title="还剩一天")  # due 2026-10-13: 1 working day left
    draft(world, "2026-09-01", title="超期好久")
    moment.at(TODAY)
    office = login_as("office")
    english(office)
    board = office.get(BOARD).text
    assert "1 working day left" in board and "working day(s)" not in board
    assert re.search(r"\d+ working days late", board)
    dashboard = office.get("/office/statistics/").text
    assert re.search(r'class="chart-label"[^>]*>Published</text>', dashboard)
    assert '<tr data-series="published"><th scope="row">Published</th>' in dashboard


# ---------------------------------------------------------------- the portal's 404, the icon


def test_the_public_404_page_names_no_internal_system(world, client):
    for path in ("/public/no-such-page", f"/public/{world.body.id}/no-such-page", "/nothing-here"):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "政务公开审批" not in page.text, path
        assert "政府信息公开专栏" in page.text and "页面不存在" in page.text


def test_portal_pages_title_has_no_internal_name(world, client):
    page = client.get(f"/public/{world.body.id}/")
    assert page.status_code == 200
    title = re.search(r"<title>(.*?)</title>", page.text, re.S).group(1)
    assert "政务公开审批" not in title and world.body.name in title


def test_a_staff_404_keeps_the_staff_frame(world, login_as):
    page = login_as("office").get("/items/999999")
    assert page.status_code == 404 and "<title>404 · 政务公开审批</title>" in page.text


def test_the_favicon_is_served(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/login").text
    assert '<link rel="icon" href="/static/favicon.ico">' in page


# ---------------------------------------------------------------- the README


def test_the_readme_says_what_a_new_user_and_an_operator_need():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headings = [line for line in readme.splitlines() if line.startswith("#")]

    def at(words):
        return next(i for i, h in enumerate(headings) if words in h)

    assert at("## Two commands") < at("## Demo accounts") < at("## Walking an item")
    for operations in ("In production", "Rate limits", "Backup", "Audit anchors"):
        assert at("## Walking an item") < at(operations)  # the demo first, then operations
    assert "`HOST` (default `127.0.0.1`" in readme
    scheduled = readme[readme.index("### Scheduled work") :]
    assert re.search(
        r"^[*\d/,-]+( [*\d/,-]+){4}\s+cd \S+ && \.venv/bin/flask --app approval jobs run",
        scheduled,
        re.M,
    )  # a crontab line
    assert "定时发布" in scheduled[:600] and "cron" in scheduled[:900]
    assert not re.findall(r"(?<![\w/.-])flask (?:--app|jobs|audit|init-db)", readme)
    assert "bash scripts/run.sh" in readme and "bash scripts/test.sh" in readme
