"""The reply to a request walks the body's chain and is sent, not published (issue 28, "Replies"):
the assigned department's officer drafts it, the leader, the office and the secrecy reviewer
decide on it, the publisher signs and sends it (签发), and the request is answered with the
reply's type. Nothing of it reaches the portal; a reply is never published nor withheld, and a
proactive item is never "sent"."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from approval.core.errors import Conflict, PermissionDenied
from approval.core.periods import Period
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, InformationRequest, Item
from approval.publication import transitions
from approval.requests import operations as ops
from approval.requests import proactive, replies
from approval.statistics import operations as statistics
from tests.factories import CLEAR_CHECKLIST
from tests.helpers.pages import act
from tests.helpers.requests import register


@pytest.fixture
def today(moment):
    moment.at("2026-10-14 10:00")  # a Wednesday
    return moment


def handled(world, department="civil") -> InformationRequest:
    r = register(world)
    ops.assign(world.users["office"], r, r.version, world.departments[department].id)
    db.session.commit()
    return r


def drafted(world, r, reply_type="granted", body="经审查，现将你申请的信息提供如下。") -> Item:
    item = replies.start_reply(world.users["officer"], r, r.version)
    db.session.commit()
    replies.update_reply(
        world.users["officer"],
        item,
        {"reply_type": reply_type, "body": body},
        None,
        item.version,
    )
    db.session.commit()
    return item


def signed_off(world, item) -> Item:
    world.act("officer", item, Action.SUBMIT)
    world.act("leader", item, Action.APPROVE)
    world.act("office", item, Action.APPROVE)
    world.act("secrecy", item, Action.SIGN_OFF, checklist=dict(CLEAR_CHECKLIST), opinion="可以答复")
    return item


def test_the_reply_walks_the_chain_and_sending_it_answers_the_request(world, today):
    r = handled(world)
    item = signed_off(world, drafted(world, r, reply_type="partial"))
    assert item.state == "approved" and r.state == "processing"
    world.act("publisher", item, Action.SEND)
    db.session.refresh(r)
    assert item.state == "sent" and item.published_at is None and item.index_number is None
    assert (r.state, r.outcome, r.closed_on) == ("answered", "partial", date(2026, 10, 14))
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "request_answered")
    ).one()
    assert entry.actor_id == world.users["publisher"].id
    assert '"row":"2"' in entry.detail and "张三" not in entry.detail


def test_a_reply_is_never_published_withheld_or_scheduled(world, today):
    item = signed_off(world, drafted(world, handled(world)))
    for action in (Action.PUBLISH, Action.SCHEDULE):
        with pytest.raises(Conflict):
            transitions.perform(world.users["publisher"], item, action, item.version)
        db.session.rollback()
    other = drafted(world, handled(world, "civil"), reply_type="not_held")
    world.act("officer", other, Action.SUBMIT)
    world.act("leader", other, Action.APPROVE)
    world.act("office", other, Action.APPROVE)
    with pytest.raises(Conflict):
        transitions.perform(world.users["secrecy"], other, Action.WITHHOLD, other.version)


def test_a_proactive_item_is_never_sent(world, today):
    item = world.to_state(world.item(), "approved")
    with pytest.raises(Conflict):
        transitions.perform(world.users["publisher"], item, Action.SEND, item.version)


def test_only_the_assigned_departments_officer_drafts_the_reply(world, today):
    r = handled(world)
    for who in ("office", "officer_agri", "leader", "publisher"):
        with pytest.raises(PermissionDenied):
            replies.start_reply(world.users[who], r, r.version)
    unassigned = register(world)
    with pytest.raises(PermissionDenied):
        replies.start_reply(world.users["officer"], unassigned, unassigned.version)
    drafted(world, r)
    with pytest.raises(Conflict):
        replies.start_reply(world.users["officer"], r, r.version)


def test_a_reply_without_its_type_cannot_be_submitted(world, today, login_as):
    r = handled(world)
    item = replies.start_reply(world.users["officer"], r, r.version)
    db.session.commit()
    page = login_as("officer").get(f"/items/{item.id}")
    assert "请先选择答复类型" in page.text
    with pytest.raises(Exception, match="请先选择答复类型"):
        transitions.perform(world.users["officer"], item, Action.SUBMIT, item.version)


def test_sending_waits_for_the_pause_to_end(world, today):
    r = handled(world)
    item = signed_off(world, drafted(world, r))
    ops.start_pause(world.users["office"], r, r.version, "third_party", date(2026, 10, 14), "")
    db.session.commit()
    with pytest.raises(Conflict, match="暂停计时"):
        transitions.perform(world.users["publisher"], item, Action.SEND, item.version)
    db.session.rollback()
    assert db.session.get(Item, item.id).state == "approved"


def test_already_public_points_to_a_published_item_by_its_index_number(world, today, login_as):
    published = world.to_state(world.item(), "published")
    r = handled(world)
    item = replies.start_reply(world.users["officer"], r, r.version)
    db.session.commit()
    b = login_as("officer")
    url = f"/replies/{item.id}/edit"
    form = {
        "title": "关于答复",
        "reply_type": "already_public",
        "reply_public_index": "NO-SUCH-INDEX",
        "formed_on": "2026-10-14",
        "body": "该信息已主动公开。",
        "version": str(item.version),
    }
    refused = b.post(url, form, token_from=url)
    assert refused.status_code == 422
    assert "请填写本机关已发布信息的索引号" in refused.text and "该信息已主动公开。" in refused.text
    saved = b.post(url, {**form, "reply_public_index": published.index_number}, token_from=url)
    assert saved.status_code == 303
    db.session.expire_all()
    revision = db.session.get(Item, item.id).current_revision
    assert (revision.reply_type, revision.reply_public_item_id) == ("already_public", published.id)
    page = b.get(f"/items/{item.id}")
    assert published.index_number in page.text and "依申请公开答复" in page.text


def test_the_reply_type_is_part_of_the_sealed_content(world, today):
    item = drafted(world, handled(world), reply_type="granted")
    world.act("officer", item, Action.SUBMIT)
    sealed = item.current_revision
    assert sealed.content()["reply_type"] == "granted" and sealed.still_matches_seal()
    proactive = world.item()
    assert "reply_type" not in proactive.current_revision.content()  # earlier seals unchanged


def test_the_request_page_offers_the_reply_to_the_departments_officer(world, today, login_as):
    r = handled(world)
    officer_page = login_as("officer").get(f"/requests/{r.id}")
    assert "起草答复</button>" in officer_page.text
    office_page = login_as("office").get(f"/requests/{r.id}")
    assert "起草答复</button>" not in office_page.text
    assert "由承办科室的信息员起草答复" in office_page.text
    b = login_as("officer")
    started = b.post(
        f"/requests/{r.id}/reply", {"version": str(r.version)}, token_from=f"/requests/{r.id}"
    )
    assert started.status_code == 303 and "/replies/" in started.headers["Location"]
    assert b.post(f"/requests/{r.id}/reply", {"version": "1"}, token_from="/").status_code == 409
    no_csrf = login_as("officer").client.post(f"/requests/{r.id}/reply", data={"version": "1"})
    assert no_csrf.status_code == 400


def test_the_publisher_sends_the_reply_from_the_item_page(world, today, login_as):
    r = handled(world)
    item = signed_off(world, drafted(world, r))
    b = login_as("publisher")
    page = b.get(f"/items/{item.id}")
    assert "签发答复" in page.text and 'value="publish"' not in page.text
    assert "待签发" in page.text
    sent = act(b, item.id, "send")
    assert sent.status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(InformationRequest, r.id).state == "answered"
    portal = login_as("publisher").client.get(f"/portal/items/{item.id}")
    assert portal.status_code == 404


def test_art_44_a_proactive_draft_from_a_request(world, today, login_as):
    r = handled(world)
    b = login_as("officer")
    page = b.get(f"/requests/{r.id}")
    assert "据此起草主动公开信息" in page.text
    made = b.post(
        f"/requests/{r.id}/proactive", {"version": str(r.version)}, token_from=f"/requests/{r.id}"
    )
    assert made.status_code == 303 and made.headers["Location"].endswith("/edit")
    db.session.refresh(r)
    item = r.proactive_item
    assert item.state == "draft" and item.request_id is None
    assert item.title == "2026年本镇低保资金发放情况"  # the request's description
    assert item.current_revision.disclosure_mode == "proactive"
    assert item.department_id == world.departments["civil"].id
    assert "已据此申请起草主动公开信息" in b.get(f"/requests/{r.id}").text
    with pytest.raises(Conflict):
        proactive.start_proactive_item(world.users["officer"], r, r.version)


def test_art_44_is_for_officers_who_see_the_request(world, today, login_as):
    r = handled(world)
    for who in ("office", "officer_agri", "leader"):  # no officer role, or cannot see it
        with pytest.raises(PermissionDenied):
            proactive.start_proactive_item(world.users[who], r, r.version)
    assert "据此起草主动公开信息" not in login_as("office").get(f"/requests/{r.id}").text


def test_a_reply_is_not_counted_in_the_monthly_submissions(world, today, app):
    """The 通报 counts information submitted for publication; a reply to a request is not."""
    proactive_item = world.item()
    world.act("officer", proactive_item, Action.SUBMIT)
    world.act("officer", drafted(world, handled(world)), Action.SUBMIT)
    with app.test_request_context("/"):  # the report names periods in the user's language
        report = statistics.report(world.body.id, Period("month", 2026, 10))
    civil = next(row for row in report.rows if row.name == "民政办")
    assert civil.figures.submitted == 1
