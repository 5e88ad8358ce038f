"""互动回应, the rest of issue 25 (approval/interaction/invalid.py, faq.py, routes.py,
office_routes.py): closing a message as invalid (it leaves the overdue board and the
three-month count, never reaches the portal, the sender's tracker shows the reason; reopened by
the office), the FAQ's edit (a stale version is refused and loses nothing) and order (the portal
follows it), every staff read of a message audited, and the register's keyset paging with its
filters kept, on the test's clock."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.extensions import db
from approval.interaction import faq, invalid, queries
from approval.models import AuditEntry, InteractionFaq, InteractionMessage
from tests.conftest import Browser
from tests.helpers.interaction import on, online, registered, walk

VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d+)"')


@pytest.fixture
def app_config():
    return {"RATELIMIT_TRACKER": "1000 per minute"}


@pytest.fixture
def today(moment):
    moment.at("2026-10-14 10:00")  # a Wednesday
    return moment


def entries(action: str) -> list[AuditEntry]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def press(b: Browser, url: str, action: str, **fields):
    page = b.get(url)
    assert f'id="form-{action}"' in page.text, action
    version = VERSION_RE.search(page.text.split(f'id="form-{action}"', 1)[1]).group(1)
    return b.post(f"{url}/{action}", {"version": version, **fields}, token_from=url)


# ---------------------------------------------------------------- invalid messages


def test_an_invalid_message_leaves_the_board_and_the_portal_and_its_sender_reads_why(
    world, moment, login_as, app
):
    moment.at("2026-06-01 10:00")  # the portal files a message on the day it arrives
    spam, code = online(world, subject="代开发票请联系")
    moment.at("2026-10-14 10:00")
    other = registered(world, subject="真实的咨询", received_on=on("2026-06-02"))
    office = login_as("office")
    assert queries.stale_count(world.body.id, on("2026-10-14")) == 2
    register = office.get("/interaction")
    assert 'data-stale="2"' in register.text
    url = f"/interaction/{spam.id}"
    # the reason is required (the sender reads it); the refused form keeps the page
    refused = press(office, url, "invalid", reason="  ")
    assert refused.status_code == 422 and "请填写作无效处理的理由" in refused.text
    # the department cannot close it
    walk(world, other, "assigned")
    assert login_as("officer").post(
        f"/interaction/{other.id}/invalid",
        {"version": "2", "reason": "x"},
        token_from="/interaction",
    ).status_code in (403, 404)
    done = press(office, url, "invalid", reason="广告信息，与政务无关")
    assert done.status_code == 303
    db.session.rollback()
    closed = db.session.get(InteractionMessage, spam.id)
    assert (closed.state, closed.invalid_from, closed.invalid_on) == (
        "invalid",
        "registered",
        on("2026-10-14"),
    )
    (entry,) = entries("message_closed_invalid")
    detail = json.loads(entry.detail)
    assert entry.actor_username == world.users["office"].username
    assert detail["message_id"] == spam.id and detail["reason"] == "广告信息，与政务无关"
    assert "13900001111" not in entry.detail and "王五" not in entry.detail
    # the veto count and the board: only the valid message is left
    assert queries.stale_count(world.body.id, on("2026-10-14")) == 1
    board = office.get("/interaction/overdue")
    assert "真实的咨询" in board.text and "代开发票请联系" not in board.text
    assert 'data-stale="1"' in office.get("/interaction").text
    # the portal's 问答 list never shows it, and the sender's tracker says why
    public = Browser(app.test_client())
    assert "代开发票" not in public.get(f"/public/{world.body.id}/questions").text
    track = f"/public/{world.body.id}/messages/track"
    found = public.post(track, {"code": code}, token_from=track)
    shown = public.get(found.headers["Location"])
    assert "已作无效处理" in shown.text
    assert "广告信息，与政务无关" in shown.text and "data-invalid-reason" in shown.text
    # reopened by the office (closed by mistake): back where it was, counted again
    again = press_reopen(office, url)
    assert again.status_code == 303
    db.session.rollback()
    back = db.session.get(InteractionMessage, spam.id)
    assert (back.state, back.invalid_reason, back.due_on) == ("registered", None, spam.due_on)
    assert len(entries("message_invalid_reopened")) == 1
    assert queries.stale_count(world.body.id, on("2026-10-14")) == 2


def press_reopen(b: Browser, url: str):
    page = b.get(url)
    assert 'id="form-reopen_invalid"' in page.text
    version = VERSION_RE.search(page.text.split('id="form-reopen_invalid"', 1)[1]).group(1)
    return b.post(f"{url}/reopen-invalid", {"version": version}, token_from=url)


def test_closing_keeps_the_review_step_and_refuses_closed_or_stale_messages(world, today):
    office = world.users["office"]
    message = walk(world, registered(world), "reviewing")
    with pytest.raises(PermissionDenied):
        invalid.close_invalid(world.users["leader"], message, message.version, "重复留言")
    with pytest.raises(Conflict):  # a stale page
        invalid.close_invalid(office, message, message.version - 1, "重复留言")
    db.session.rollback()
    invalid.close_invalid(office, message, message.version, "重复留言")
    db.session.commit()
    assert queries.offered(world.users["leader"], message) == set()
    assert invalid.reopen_invalid(office, message, message.version) == "reviewing"
    db.session.commit()
    assert message.review_step == "leader" and "review" in queries.offered(
        world.users["leader"], message
    )
    answered = walk(world, registered(world), "answered")
    with pytest.raises(Conflict):
        invalid.close_invalid(office, answered, answered.version, "重复留言")
    with pytest.raises(Conflict):
        invalid.reopen_invalid(office, answered, answered.version)


# ---------------------------------------------------------------- staff reads


def test_every_staff_read_of_a_message_is_an_audit_entry_naming_who_and_which(
    world, today, login_as
):
    message = registered(world, subject="低保咨询")
    url = f"/interaction/{message.id}"
    office = login_as("office")
    assert office.get(url).status_code == 200
    assert office.get(url).status_code == 200
    walk(world, message, "assigned")
    assert login_as("officer").get(url).status_code == 200
    assert login_as("officer_agri").get(url).status_code == 404  # not theirs: no read, no entry
    reads = entries("message_viewed")
    assert [e.actor_username for e in reads] == [
        world.users["office"].username,
        world.users["office"].username,
        world.users["officer"].username,
    ]
    for e in reads:
        detail = json.loads(e.detail)
        assert detail["message_id"] == message.id and "王五" not in e.detail
    assert json.loads(reads[-1].detail)["state"] == "assigned"


# ---------------------------------------------------------------- the register's pages


def test_message_101_is_on_page_two_with_the_filter_kept(world, today, login_as):
    for n in range(1, 102):
        registered(
            world, subject=f"咨询第{n}条", category="consultation", received_on=on("2026-10-01")
        )
    registered(world, subject="一条投诉", category="complaint", received_on=on("2026-09-01"))
    office = login_as("office")
    first = office.get("/interaction?category=consultation")
    rows = re.findall(r'data-message="(\d+)"', first.text)
    assert len(rows) == 100 and "咨询第101条" in first.text and "咨询第1条<" not in first.text
    link = re.search(r'rel="next" href="([^"]+)"', first.text).group(1).replace("&amp;", "&")
    assert "category=consultation" in link and "after=2026-10-01_" in link
    second = office.get(link)
    assert re.findall(r'data-message="(\d+)"', second.text) == [
        str(
            db.session.scalar(
                select(InteractionMessage.id).where(InteractionMessage.subject == "咨询第1条")
            )
        )
    ]
    assert "一条投诉" not in second.text and 'rel="next"' not in second.text
    assert '<option value="consultation" selected' in second.text  # the filter is shown kept
    # no filter: the complaint (received earliest) is on page two
    unfiltered = office.get("/interaction")
    nxt = re.search(r'rel="next" href="([^"]+)"', unfiltered.text).group(1).replace("&amp;", "&")
    assert "一条投诉" in office.get(nxt).text
    assert office.get("/interaction?after=nonsense").status_code == 200  # a bad cursor: page one


# ---------------------------------------------------------------- the FAQ


def faq_entries(world, *questions):
    message = walk(world, registered(world, subject="低保"), "answered")
    made = [faq.add_faq(world.users["office"], message, q, f"{q}的解答") for q in questions]
    db.session.commit()
    return made


def portal_order(app, world) -> list[str]:
    text = Browser(app.test_client()).get(f"/public/{world.body.id}/questions").text
    return re.findall(r"<dt>([^<]+)</dt>", text.split('id="faqs"', 1)[1])


def test_moving_an_entry_changes_the_portal_order_and_is_audited(world, today, login_as, app):
    a, b, c = faq_entries(world, "甲问题", "乙问题", "丙问题")
    assert portal_order(app, world) == ["甲问题", "乙问题", "丙问题"]
    office = login_as("office")
    page = office.get("/interaction/faq")
    assert 'data-move="up"' in page.text
    version = str(c.version)
    moved = office.post(
        f"/interaction/faq/{c.id}/move",
        {"version": version, "direction": "up"},
        token_from="/interaction/faq",
    )
    assert moved.status_code == 303
    assert portal_order(app, world) == ["甲问题", "丙问题", "乙问题"]
    (entry,) = entries("interaction_faq_moved")
    assert json.loads(entry.detail) == {"faq_id": c.id, "from": 3, "to": 2}
    # a stale page's button is a 409 and moves nothing
    stale = office.post(
        f"/interaction/faq/{c.id}/move",
        {"version": version, "direction": "up"},
        token_from="/interaction/faq",
    )
    assert stale.status_code == 409
    assert portal_order(app, world) == ["甲问题", "丙问题", "乙问题"]
    # the first cannot move up: nothing changes, nothing audited
    db.session.rollback()
    a = db.session.get(InteractionFaq, a.id)
    assert faq.move_faq(world.users["office"], a, a.version, "up") is False
    assert (
        login_as("officer")
        .post(
            f"/interaction/faq/{a.id}/move", {"version": "1", "direction": "down"}, token_from="/"
        )
        .status_code
        == 403
    )


def test_an_edit_with_a_stale_version_is_refused_and_loses_nothing(world, today, login_as, app):
    (entry,) = faq_entries(world, "低保标准是多少？")
    url = f"/interaction/faq/{entry.id}/edit"
    first, second = login_as("office"), login_as("publisher")
    seen = VERSION_RE.search(first.get(url).text).group(1)
    saved = second.post(
        url,
        {"version": seen, "question": "低保标准是多少？", "answer": "每人每月950元。"},
        token_from=url,
    )
    assert saved.status_code == 303
    late = first.post(
        url,
        {"version": seen, "question": "2026年低保标准？", "answer": "每人每月1000元。"},
        token_from=url,
    )
    assert late.status_code == 409 and "data-conflict" in late.text
    assert "每人每月1000元。" in late.text  # what the late editor typed is still in the form
    assert "每人每月950元。" in late.text  # beside what the other saved
    db.session.rollback()
    kept = db.session.get(InteractionFaq, entry.id)
    assert (kept.question, kept.answer) == ("低保标准是多少？", "每人每月950元。")
    # saving again from the 409 page is a deliberate choice: it carries the current version
    again = VERSION_RE.search(late.text).group(1)
    assert again == str(kept.version)
    done = first.post(
        url,
        {"version": again, "question": "2026年低保标准？", "answer": "每人每月1000元。"},
        token_from=url,
    )
    assert done.status_code == 303
    assert portal_order(app, world) == ["2026年低保标准？"]
    edits = entries("interaction_faq_edited")
    assert [json.loads(e.detail)["changed"] for e in edits] == [["answer"], ["question", "answer"]]
    assert edits[0].actor_username == world.users["publisher"].username
    refused = first.post(
        url, {"version": str(kept.version + 1), "question": "", "answer": "x"}, token_from=url
    )
    assert refused.status_code == 422 and "请填写问题" in refused.text
    assert login_as("officer").get(url).status_code == 403


def test_faq_operations_refuse_outsiders_and_empty_text(world, today):
    (entry,) = faq_entries(world, "问题")
    with pytest.raises(InvalidInput):
        faq.edit_faq(world.users["office"], entry, entry.version, "问题", " ")
    db.session.rollback()
    assert faq.edit_faq(world.users["office"], entry, entry.version, "问题", "问题的解答") is False
    with pytest.raises(Exception) as refused:
        faq.move_faq(world.users["officer"], entry, entry.version, "down")
    assert refused.type.__name__ == "NotFound"
