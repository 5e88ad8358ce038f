"""Moving items along the chain through the services (transitions.perform, drafts.update_draft)."""

import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from approval.audit import trail as audit
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.vocab import NON_DISCLOSURE_BASES, SECRECY_QUESTIONS
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, Decision, IndexSequence
from approval.publication.drafts import update_draft
from approval.publication.transitions import ActionInput, perform, signed_off_hash
from tests.factories import CLEAR_CHECKLIST

SIGN_OFF = {"checklist": dict(CLEAR_CHECKLIST), "opinion": "经审查，可以公开"}
REVIEWER = {
    "pending_leader": "leader",
    "pending_office": "office",
    "pending_secrecy": "secrecy",
    "approved": "publisher",
}


def count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def snapshot(item) -> dict:
    """What the database says about the item, after the request's rollback."""
    db.session.rollback()
    db.session.refresh(item)
    return {
        "state": item.state,
        "version": item.version,
        "round": item.round,
        "revision": item.current_revision_id,
        "index_number": item.index_number,
        "validity": item.validity,
        "audit_entries": count(AuditEntry),
        "decisions": count(Decision, item_id=item.id),
        "index_seq": db.session.scalar(select(func.sum(IndexSequence.last_seq))),
    }


def attempt(world, who, item, action, seen_version=None, **given):
    """Call perform as `who`, with the version they saw (default: the current one)."""
    version = item.version if seen_version is None else seen_version
    return perform(world.users[who], item, action, version, ActionInput(**given))


def refused(world, item, error, who, action, seen_version=None, **given):
    """Assert the action is refused with `error` and leaves no trace; returns the message."""
    before = snapshot(item)
    with pytest.raises(error) as caught:
        attempt(world, who, item, action, seen_version, **given)
    assert (item.state, item.version) == (before["state"], before["version"])  # not even in memory
    assert snapshot(item) == before
    return caught.value


def beijing_year(item) -> int:
    return (
        item.published_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Asia/Shanghai")).year
    )


# --- stale pages, double clicks, refused input ------------------------------------------------


def test_stale_version_is_a_conflict_and_changes_nothing(world):
    item = world.to_state(world.item(), "pending_leader")
    seen_by_leader = item.version
    world.act("officer", item, "recall")
    world.act("officer", item, "submit")  # back in pending_leader, but not what the leader saw
    assert item.state == "pending_leader" and item.version > seen_by_leader
    refused(world, item, Conflict, "leader", "approve", seen_version=seen_by_leader)
    refused(
        world,
        item,
        Conflict,
        "leader",
        "return",
        seen_version=seen_by_leader,
        opinion="过期页面上的退回",
    )
    world.act("leader", item, "approve")  # with the fresh page it works
    assert item.state == "pending_office"


def test_missing_version_is_a_conflict(world):
    item = world.to_state(world.item(), "pending_leader")
    before = snapshot(item)
    with pytest.raises(Conflict):
        perform(world.users["leader"], item, "approve", None)
    assert snapshot(item) == before


def test_double_submission_of_the_same_action(world):
    item = world.item()
    seen = item.version
    perform(world.users["officer"], item, "submit", seen)
    db.session.commit()
    after_first = snapshot(item)
    with pytest.raises(Conflict):
        perform(world.users["officer"], item, "submit", seen)
    assert snapshot(item) == after_first
    assert after_first["round"] == 1

    world.act("leader", item, "approve")
    seen = item.version
    perform(world.users["office"], item, "approve", seen)
    db.session.commit()
    after_first = snapshot(item)
    with pytest.raises(Conflict):
        perform(world.users["office"], item, "approve", seen)
    assert snapshot(item) == after_first
    assert after_first["state"] == "pending_secrecy" and after_first["decisions"] == 2


def test_editing_from_a_stale_page_is_a_conflict(world):
    item = world.item()
    seen = item.version
    update_draft(world.users["officer_b"], item, {"title": "同事先改的标题"}, seen)
    db.session.commit()
    with pytest.raises(Conflict):
        update_draft(world.users["officer"], item, {"title": "我的标题"}, seen)
    db.session.rollback()
    assert item.current_revision.title == "同事先改的标题"


def test_wrong_state_and_wrong_person_are_refused(world):
    item = world.to_state(world.item(), "pending_office")
    refused(world, item, Conflict, "secrecy", "sign_off", **SIGN_OFF)
    refused(world, item, Conflict, "officer", "recall")
    refused(world, item, PermissionDenied, "leader", "approve")
    refused(world, item, PermissionDenied, "officer_agri", "approve")
    refused(world, item, PermissionDenied, "auditor", "return", opinion="审计员不能退回")


@pytest.mark.parametrize("state", list(REVIEWER))
@pytest.mark.parametrize("reason", ["", "   "])
def test_return_requires_a_reason(world, state, reason):
    item = world.to_state(world.item(), state)
    error = refused(world, item, InvalidInput, REVIEWER[state], "return", opinion=reason)
    assert error.field == "opinion"
    world.act(REVIEWER[state], item, "return", opinion="请补充成文日期依据")
    assert item.state == "draft"
    assert item.decisions[-1].opinion == "请补充成文日期依据"


# --- the secrecy review -------------------------------------------------------------------------


def _checklist(**changes):
    answers = dict(CLEAR_CHECKLIST)
    answers.update(changes)
    return answers


FIRST_QUESTION = next(iter(SECRECY_QUESTIONS))


@pytest.mark.parametrize(
    ("given", "field"),
    [
        pytest.param({"checklist": {}, "opinion": "同意"}, "checklist", id="no-answers"),
        pytest.param(
            {"checklist": {q: False for q in list(SECRECY_QUESTIONS)[1:]}, "opinion": "同意"},
            "checklist",
            id="one-question-missing",
        ),
        pytest.param(
            {"checklist": _checklist(**{FIRST_QUESTION: None}), "opinion": "同意"},
            "checklist",
            id="one-answer-none",
        ),
        *[
            pytest.param(
                {"checklist": _checklist(**{q: True}), "opinion": "同意"},
                "checklist",
                id=f"yes-{q}",
            )
            for q in SECRECY_QUESTIONS
        ],
        pytest.param({"checklist": _checklist(), "opinion": ""}, "opinion", id="no-opinion"),
        pytest.param({"checklist": _checklist(), "opinion": "  "}, "opinion", id="blank-opinion"),
    ],
)
def test_sign_off_needs_every_answer_no_and_an_opinion(world, given, field):
    item = world.to_state(world.item(), "pending_secrecy")
    error = refused(world, item, InvalidInput, "secrecy", "sign_off", **given)
    assert error.field == field


def test_sign_off_records_the_checklist_bound_to_the_hash(world):
    item = world.to_state(world.item(), "pending_secrecy")
    world.act("secrecy", item, "sign_off", **SIGN_OFF)
    assert item.state == "approved"
    decision = item.decisions[-1]
    assert (decision.action, decision.step_key, decision.opinion) == (
        "sign_off",
        "secrecy",
        "经审查，可以公开",
    )
    assert (
        audit.detail_of(
            db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        )["checklist"]
        == CLEAR_CHECKLIST
    )
    assert decision.content_hash == item.current_revision.content_hash == signed_off_hash(item)


@pytest.mark.parametrize(
    ("basis", "opinion", "field"),
    [
        (None, "涉及国家秘密", "basis"),
        ("", "涉及国家秘密", "basis"),
        ("top_secret", "涉及国家秘密", "basis"),
        ("国家秘密（第十四条）", "涉及国家秘密", "basis"),
        ("state_secret", "", "opinion"),
        ("state_secret", "   ", "opinion"),
    ],
)
def test_withhold_needs_a_legal_basis_and_an_opinion(world, basis, opinion, field):
    item = world.to_state(world.item(), "pending_secrecy")
    error = refused(world, item, InvalidInput, "secrecy", "withhold", basis=basis, opinion=opinion)
    assert error.field == field


@pytest.mark.parametrize("basis", sorted(NON_DISCLOSURE_BASES))
def test_withhold_records_the_basis_and_ends_the_item(world, basis):
    item = world.to_state(world.item(), "pending_secrecy")
    world.act("secrecy", item, "withhold", basis=basis, opinion="依法不予公开")
    assert (item.state, item.withheld_basis) == ("withheld", basis)
    assert (item.decisions[-1].action, item.decisions[-1].basis) == ("withhold", basis)
    refused(world, item, Conflict, "publisher", "publish")


# --- return, new revision, new round ----------------------------------------------------------


def test_return_edit_and_resubmit_starts_a_new_round(world):
    item = world.to_state(world.item(), "pending_office")
    world.act("office", item, "return", opinion="正文中有错别字")
    first = item.current_revision
    round_one = [(d.round, d.step_key, d.action, d.content_hash) for d in item.decisions]
    assert round_one == [
        (1, "leader", "approve", first.content_hash),
        (1, "office", "return", first.content_hash),
    ]

    update_draft(world.users["officer"], item, {"body": "更正后的正文。"}, item.version)
    db.session.commit()
    second = item.current_revision
    assert (first.number, second.number) == (1, 2)
    assert not second.is_sealed and first.body != second.body

    world.act("officer", item, "submit")
    assert (item.state, item.round) == ("pending_leader", 2)
    assert second.is_sealed and second.content_hash != first.content_hash
    world.act("leader", item, "approve")  # the same leader and office decide again in round 2
    world.act("office", item, "approve")
    world.act("secrecy", item, "sign_off", **SIGN_OFF)
    world.act("publisher", item, "publish")
    assert [
        (d.round, d.step_key, d.action, d.content_hash) for d in item.decisions[:2]
    ] == round_one
    assert [(d.round, d.step_key) for d in item.decisions[2:]] == [
        (2, "leader"),
        (2, "office"),
        (2, "secrecy"),
    ]
    assert item.published_revision.number == 2


def test_recall_then_edit_opens_revision_two(world):
    item = world.to_state(world.item(), "pending_leader")
    world.act("officer", item, "recall")
    assert (item.state, item.decisions) == ("draft", [])
    update_draft(world.users["officer"], item, {"title": "撤回后修改的标题"}, item.version)
    db.session.commit()
    assert [r.number for r in item.revisions] == [1, 2]


# --- the audit trail ----------------------------------------------------------------------------


def acted(world, who, item, action, **given):
    """Perform the action; assert it wrote exactly one audit entry and return that entry."""
    before, from_state = count(AuditEntry), item.state
    world.act(who, item, action, **given)
    assert count(AuditEntry) == before + 1
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    user = world.users[who]
    assert (entry.action, entry.item_id, entry.from_state, entry.to_state) == (
        action,
        item.id,
        from_state,
        item.state,
    )
    assert (entry.actor_id, entry.actor_username) == (user.id, user.username)
    assert entry.revision_hash == item.current_revision.content_hash is not None
    assert entry.round == item.round
    return entry


def test_every_action_writes_exactly_one_complete_audit_entry(world):
    item = world.item()
    assert count(AuditEntry, item_id=item.id) == 1  # create
    acted(world, "officer", item, "submit")
    acted(world, "leader", item, "return", opinion="请补充")
    before = count(AuditEntry)
    update_draft(world.users["officer"], item, {"summary": "补充后的概述"}, item.version)
    db.session.commit()
    assert count(AuditEntry) == before + 1
    acted(world, "officer", item, "submit")
    acted(world, "officer", item, "recall")
    acted(world, "officer", item, "submit")
    acted(world, "leader", item, "approve")
    acted(world, "office", item, "approve")
    acted(world, "secrecy", item, "sign_off", **SIGN_OFF)
    entry = acted(world, "publisher", item, "publish")
    assert audit.detail_of(entry)["index_number"] == item.index_number
    acted(world, "publisher", item, "change_validity", validity="repealed")
    acted(world, "publisher", item, "unpublish", opinion="政策已调整")
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.item_id == item.id).order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "create",
        "submit",
        "return",
        "edit",
        "submit",
        "recall",
        "submit",
        "approve",
        "approve",
        "sign_off",
        "publish",
        "change_validity",
        "unpublish",
    ]
    assert audit.verify().ok


# --- a configured extra step ----------------------------------------------------------------------


def test_extra_step_is_required_before_the_secrecy_review(world):
    world.add_step("office_head", "办公室分管负责人审批", "leader", position=2)
    item = world.to_state(world.item(), "pending_office")
    world.act("office", item, "approve")
    assert item.state == "pending_office_head"
    refused(world, item, Conflict, "secrecy", "sign_off", **SIGN_OFF)  # cannot skip
    refused(world, item, PermissionDenied, "office", "approve")  # not this step's role
    refused(world, item, PermissionDenied, "leader", "approve")  # decided in this round already
    world.act("leader_agri", item, "approve")
    assert item.state == "pending_secrecy"
    assert [d.step_name for d in item.decisions] == [
        "分管领导审批",
        "办公室审核",
        "办公室分管负责人审批",
    ]
    world.act("secrecy", item, "sign_off", **SIGN_OFF)
    world.act("publisher", item, "publish")
    assert item.state == "published"


# --- publishing ---------------------------------------------------------------------------------


def test_what_is_published_is_what_the_secrecy_reviewer_signed(world):
    item = world.to_state(world.item(), "approved")
    signed = signed_off_hash(item)
    assert signed == item.current_revision.content_hash
    world.act("publisher", item, "publish")
    assert item.published_revision.content_hash == signed
    assert item.published_revision.compute_hash() == signed


def test_content_changed_after_sign_off_is_not_published(world):
    item = world.to_state(world.item(), "approved")
    item.department_id = world.departments["agri"].id  # 发布机构 is part of the signed content
    db.session.commit()
    error = refused(world, item, Conflict, "publisher", "publish")
    assert "不一致" in error.message
    assert item.index_number is None


def test_index_numbers_count_up_and_are_never_reused(world):
    items = [world.to_state(world.item(title=f"第{n}条"), "published") for n in (1, 2, 3)]
    year = beijing_year(items[0])
    code = world.body.credit_code
    assert [i.index_number for i in items] == [f"{code}/{year}-{n:05d}" for n in (1, 2, 3)]
    assert re.fullmatch(r"11000000MB0000001D/\d{4}-00001", items[0].index_number)
    world.act("publisher", items[1], "unpublish", opinion="重复发布")
    fourth = world.to_state(world.item(title="第4条"), "published")
    assert fourth.index_number == f"{code}/{year}-00004"
    assert items[1].index_number == f"{code}/{year}-00002"


def test_unpublish_needs_a_reason_and_keeps_the_index_number(world):
    item = world.to_state(world.item(), "published")
    number, published_at = item.index_number, item.published_at
    error = refused(world, item, InvalidInput, "publisher", "unpublish", opinion=" ")
    assert error.field == "opinion"
    world.act("publisher", item, "unpublish", opinion="所涉政策已废止，撤回原文")
    assert (item.state, item.unpublish_reason) == ("unpublished", "所涉政策已废止，撤回原文")
    assert item.unpublished_at is not None
    assert (item.index_number, item.published_at) == (number, published_at)
    refused(world, item, Conflict, "publisher", "publish")


def test_change_validity(world):
    item = world.to_state(world.item(), "published")
    assert item.validity == "valid"
    world.act("publisher", item, "change_validity", validity="repealed")
    assert (item.state, item.validity) == ("published", "repealed")
    world.act("publisher", item, "change_validity", validity="expired")
    assert (item.state, item.validity) == ("published", "expired")
    for bad in ("expired", "abolished", None):
        error = refused(world, item, InvalidInput, "publisher", "change_validity", validity=bad)
        assert error.field == "validity"


def test_change_validity_only_once_published(world):
    item = world.to_state(world.item(), "approved")
    refused(world, item, Conflict, "publisher", "change_validity", validity="repealed")


@pytest.mark.parametrize("mode", ["on_request", "not_disclosed"])
def test_only_proactive_items_enter_the_chain_that_ends_on_the_portal(world, mode):
    basis = "internal_affairs" if mode == "not_disclosed" else None
    item = world.item(disclosure_mode=mode, non_disclosure_basis=basis)
    error = refused(world, item, InvalidInput, "officer", "submit")
    assert "主动公开" in error.message and error.field == "disclosure_mode"
    assert item.state == "draft" and item.round == 0


# --- sealed revisions are immutable in the database ---------------------------------------------


def test_sealed_revision_cannot_be_changed_in_the_database(world):
    item = world.to_state(world.item(), "pending_leader")
    revision_id, title = item.current_revision.id, item.current_revision.title
    for statement in (
        "UPDATE revisions SET title = '篡改后的标题' WHERE id = :id",
        "UPDATE revisions SET sealed_at = NULL WHERE id = :id",
        "DELETE FROM revisions WHERE id = :id",
    ):
        with pytest.raises(DBAPIError):
            db.session.execute(text(statement), {"id": revision_id})
            db.session.flush()
        db.session.rollback()
    assert (
        db.session.scalar(text("SELECT title FROM revisions WHERE id = :id"), {"id": revision_id})
        == title
    )


def test_unsealed_revision_can_still_be_changed(world):
    item = world.item()
    db.session.execute(
        text("UPDATE revisions SET title = '草稿标题' WHERE id = :id"),
        {"id": item.current_revision.id},
    )
    db.session.commit()
    db.session.refresh(item.current_revision)
    assert item.current_revision.title == "草稿标题"


@pytest.mark.parametrize(
    "pattern",
    [
        "{credit_code}-{seq:05d}",
        "{credit_code}/{year}",
        "{year}-{seq}",
        "{credit_code}{year}-{nope}{seq}",
    ],
)
def test_an_index_pattern_that_could_repeat_or_break_is_refused(world, pattern):
    with pytest.raises(ValueError):
        world.body.index_pattern = pattern


def test_a_custom_index_pattern_is_used_at_publication(world):
    world.body.index_pattern = "{credit_code}-{year}-{seq:04d}"
    db.session.commit()
    item = world.to_state(world.item(), "published")
    assert item.index_number.startswith(
        f"{world.body.credit_code}-"
    ) and item.index_number.endswith("-0001")


def test_a_step_for_the_general_offices_leader_waits_for_exactly_that_leader(world):
    """办公室分管负责人审批: the leader who leads the general office, not any leader."""
    from approval import permissions
    from approval.models import chain_for
    from approval.publication import queries

    world.add_step(
        "office_head", "办公室分管负责人审批", "leader", position=2, scope="general_office"
    )
    item = world.item()
    for who, action in (
        ("officer", Action.SUBMIT),
        ("leader", Action.APPROVE),
        ("office", Action.APPROVE),
    ):
        world.act(who, item, action)
    assert item.state == "pending_office_head"
    chain = chain_for(world.body.id)
    head, other = world.users["office_head"], world.users["leader_agri"]
    assert permissions.can(head, item, Action.APPROVE, chain)
    assert permissions.denial(other, item, Action.APPROVE, chain) == "您没有执行此操作的权限"
    assert permissions.can_view_item(head, item) and not permissions.can_view_item(other, item)
    inbox = {s.key: s for s in queries.inbox_sections(head, chain)}
    assert [i.id for i in inbox["office_head"].items] == [item.id]
    assert "office_head" not in {s.key for s in queries.inbox_sections(other, chain)}
    world.act("office_head", item, Action.APPROVE)
    assert item.state == "pending_secrecy"
