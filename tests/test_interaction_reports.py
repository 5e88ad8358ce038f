"""互动回应's figures where the office reports them (issue 25, "Statistics"): the sentence the
annual report offers for 一、总体情况 (approval/annual_reports/view.py, from
interaction/statistics.py) and the monthly 通报's table per department, on the page and in the
.xlsx and .docx (approval/statistics/interaction_part.py), from a fixture built by hand on the
test's clock: answered on time, answered late, rated, reopened, closed as invalid, open and
overdue, and one of the year before."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from approval.annual_reports import view
from approval.extensions import db
from approval.interaction import invalid, statistics
from approval.interaction.rating import rate
from tests.helpers.interaction import on, registered, walk

SENTENCE = (
    "全年共收到群众留言5件，已答复2件，其中按期答复1件，作无效留言处理1件，正在办理2件；"
    "留言人评价3次，满意率66.67%。"
)


@pytest.fixture
def fixture(world, moment):
    """March 2026 (consultations: 5 working days). 民政办: A answered on its day and rated 满意,
    B answered late and rated 基本满意, D answered on time and rated 不满意 (reopened, open); 农业
    农村办: E still open and overdue; F closed as invalid; and one message of December 2025."""
    office = world.users["office"]
    moment.at("2025-12-30 10:00")
    registered(world, subject="去年的留言", received_on=on("2025-12-30"))
    moment.at("2026-03-02 10:00")  # a Monday; due 2026-03-09
    a = walk(world, registered(world, subject="甲"), "answered")
    b = walk(world, registered(world, subject="乙"), "assigned")
    d = walk(world, registered(world, subject="丁"), "answered")
    e = registered(world, subject="戊")
    walk(world, e, "assigned", department="agri")
    f = registered(world, subject="广告")
    invalid.close_invalid(office, f, f.version, "广告")
    db.session.commit()
    moment.at("2026-03-20 10:00")
    walk_from_assigned(world, b)
    for message, rating in ((a, "satisfied"), (b, "basically"), (d, "dissatisfied")):
        rate(message, message.version, rating, None)
        db.session.commit()
    return world


def walk_from_assigned(world, message):
    from approval.interaction import operations as ops

    ops.submit_answer(world.users["officer"], message, message.version, "答复。")
    db.session.commit()
    ops.review(world.users["leader"], message, message.version, True, None)
    db.session.commit()
    ops.review(world.users["office"], message, message.version, True, None)
    db.session.commit()


def test_the_figures_of_the_hand_built_year(fixture):
    f = statistics.report(fixture.body.id, on("2026-01-01"), on("2026-12-31"), on("2026-03-20"))
    t = f.total
    assert (t.received, t.answered, t.on_time, t.late, t.invalid, t.open, t.overdue) == (
        5,
        2,
        1,
        1,
        1,
        2,
        1,  # 戊: due 03-09, open on 03-20 (丁 reopened on 03-20 has a new due day)
    )
    assert (t.rated, t.content, t.satisfaction) == (3, 2, 66.67)


def test_the_annual_report_offers_the_sentence_and_never_writes_it_in(fixture, login_as):
    built = view.build(fixture.body.id, 2026)
    assert SENTENCE in built.sentences
    assert built.texts["overview"] in ("", None)  # offered, not written into the office's text
    page = login_as("office").get("/office/annual-reports/2026")
    assert page.status_code == 200
    offered = page.text.split('id="sentences"', 1)[1].split("</details>", 1)[0]
    assert SENTENCE in offered
    last_year = view.build(fixture.body.id, 2025).sentences[-1]
    assert last_year == "全年共收到群众留言1件，已答复0件，其中按期答复0件，正在办理1件。"


def _rows(html: str) -> dict[str, list[str]]:
    table = html.split('id="interaction"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for department, cells in re.findall(
        r'<tr data-department="([^"]*)">(.*?)</tr>', table, flags=re.S
    ):
        rows[department] = re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", cells)[1:]
    return rows


def test_the_monthly_report_shows_the_figures_per_department(fixture, login_as):
    office = login_as("office")
    page = office.get("/office/statistics/?period=2026-03")
    assert page.status_code == 200 and "互动回应办理情况" in page.text
    rows = _rows(page.text)
    # received, answered, on time, late, transferred, invalid, open, overdue, 满意率
    assert rows["民政办"] == ["3", "2", "1", "1", "0", "0", "1", "0", "66.67%"]
    assert rows["农业农村办"] == ["1", "0", "0", "0", "0", "0", "1", "1", "—"]
    assert rows[""] == ["1", "0", "0", "0", "0", "1", "0", "0", "—"]  # closed before 分办
    assert rows["total"] == ["5", "2", "1", "1", "0", "1", "2", "1", "66.67%"]
    # February had none
    assert _rows(office.get("/office/statistics/?period=2026-02").text)["total"][0] == "0"

    book = load_workbook(BytesIO(office.get("/office/statistics/export.xlsx?period=2026-03").data))
    sheet = book["互动回应办理情况"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0][:4] == ["部门", "收到留言", "已答复", "按期答复"]
    civil = next(v for v in values if v[0] == "民政办")
    assert civil[1:9] == [3, 2, 1, 1, 0, 0, 1, 0] and float(civil[9]) == pytest.approx(0.6667)
    assert sheet.cell(row=values.index(civil) + 2, column=10).number_format == "0.00%"
    assert values[-1][0] == "合计" and values[-1][1:7] == [5, 2, 1, 1, 0, 1]

    doc = Document(BytesIO(office.get("/office/statistics/export.docx?period=2026-03").data))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert "四、互动回应办理情况" in paragraphs
    assert (
        "本期共收到群众留言 5 件，已答复 2 件，其中按期答复 1 件、逾期答复 1 件；作无效处理 1 件；"
        "尚在办理 2 件，其中超期 1 件。满意率 66.67%。" in paragraphs
    )
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "收到留言")
    assert [c.text for c in table.rows[-1].cells] == [
        "合计", "5", "2", "1", "1", "0", "1", "2", "1", "66.67%"
    ]  # fmt: skip
