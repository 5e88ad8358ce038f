"""The security admin's 审批流程 page: the chain configured without SQL.

Steps are added, removed and reordered on the page and saved at once; the same ``Chain`` rules
refuse a chain without its one, last secrecy review (in Chinese, with what was typed kept); every
save is one audit entry with the steps before and after; and a save starts a new version of the
chain: items already in a round finish on the version they started on, while rounds that start
afterwards walk the new one."""

import json
import re

import pytest
from sqlalchemy import select

from approval.accounts import chain_admin
from approval.core.errors import Conflict, InvalidInput
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, ChainStep, Item, chain_for, chain_of, chains_for
from approval.publication import queries
from tests.factories import CLEAR_CHECKLIST

SIGN_OFF = {"checklist": dict(CLEAR_CHECKLIST), "opinion": "同意公开"}
OFFICE_HEAD = ("办公室分管负责人审批", "leader", "general_office")


def default_fields(**extra) -> dict:
    """The page's fields for the default chain, as the page shows them."""
    fields = {"version": "0"}
    steps = [
        ("leader", "分管领导审批", "leader", "department"),
        ("office", "办公室审核", "office_auditor", "body"),
        ("secrecy", "保密审查", "secrecy_reviewer", "body"),
    ]
    for i, (key, name, role, scope) in enumerate(steps):
        fields |= {
            f"steps-{i}-key": key,
            f"steps-{i}-name": name,
            f"steps-{i}-role": role,
            f"steps-{i}-scope": scope,
        }
    return fields | extra


def with_office_head(**extra) -> dict:
    """The default chain with 办公室分管负责人审批 before the secrecy review (a new step: no key)."""
    name, role, scope = OFFICE_HEAD
    fields = default_fields()
    fields |= {
        "steps-2-key": "",
        "steps-2-name": name,
        "steps-2-role": role,
        "steps-2-scope": scope,
        "steps-3-key": "secrecy",
        "steps-3-name": "保密审查",
        "steps-3-role": "secrecy_reviewer",
        "steps-3-scope": "body",
    }
    return fields | extra


def save(secadmin, fields):
    return secadmin.post("/admin/chain", {**fields, "op": "save"}, token_from="/admin/chain")


def entries(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def step_names(chain):
    return [s.name for s in chain.steps]


# ------------------------------------------------------------------ the page


def test_only_the_security_admin_reaches_the_chain_page(world, login_as, app):
    page = login_as("secadmin").get("/admin/chain")
    assert page.status_code == 200
    assert "分管领导审批" in page.text and "保密审查" in page.text
    assert 'href="/admin/chain"' in page.text  # in the navigation
    for name in ("sysadmin", "auditor", "office", "leader", "officer"):
        assert login_as(name).get("/admin/chain").status_code == 403, name
    assert app.test_client().get("/admin/chain").status_code in (302, 303)  # sign in first


def test_adding_office_head_on_the_page_and_walking_an_item_through_it(world, login_as):
    secadmin = login_as("secadmin")
    name, role, scope = OFFICE_HEAD
    # 添加 puts the step into the page's copy, before the secrecy review; nothing is saved yet
    added = secadmin.post(
        "/admin/chain",
        default_fields(
            op="add",
            **{"new-name": name, "new-role": role, "new-scope": scope, "new-position": "2"},
        ),
        token_from="/admin/chain",
    )
    assert added.status_code == 200 and "修改尚未保存" in added.text
    assert re.search(r'name="steps-2-name" value="办公室分管负责人审批"', added.text)
    assert db.session.scalars(select(ChainStep)).all() == []
    response = save(secadmin, with_office_head())
    assert response.status_code == 303
    db.session.expire_all()
    chain = chain_for(world.body.id)
    assert step_names(chain) == ["分管领导审批", "办公室审核", name, "保密审查"]
    assert chain.steps[2].key == "office_head" and chain.steps[2].scope == "general_office"

    item = world.to_state(world.item(), "pending_office")
    world.act("office", item, Action.APPROVE)
    assert item.state == "pending_office_head"
    head = world.users["office_head"]
    inbox = {s.key: s for s in queries.inbox_sections(head, chain)}
    assert [i.id for i in inbox["office_head"].items] == [item.id]
    world.act("office_head", item, Action.APPROVE)
    world.act("secrecy", item, Action.SIGN_OFF, **SIGN_OFF)
    assert item.state == "approved"


def test_the_change_is_audited_before_and_after(world, login_as):
    secadmin = login_as("secadmin")
    assert save(secadmin, with_office_head()).status_code == 303
    (entry,) = entries("chain_changed")
    detail = json.loads(entry.detail)
    assert entry.actor_id == world.users["secadmin"].id
    assert detail["version"] == {"from": 0, "to": 1}
    assert [s["key"] for s in detail["steps"]["from"]] == ["leader", "office", "secrecy"]
    assert [s["key"] for s in detail["steps"]["to"]] == [
        "leader",
        "office",
        "office_head",
        "secrecy",
    ]
    assert detail["steps"]["to"][2] == {
        "key": "office_head",
        "name": "办公室分管负责人审批",
        "role": "leader",
        "scope": "general_office",
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        # the secrecy review moved up: it must be last
        (
            default_fields(
                **{
                    "steps-1-key": "secrecy",
                    "steps-1-name": "保密审查",
                    "steps-1-role": "secrecy_reviewer",
                    "steps-2-key": "office",
                    "steps-2-name": "办公室审核",
                    "steps-2-role": "office_auditor",
                }
            ),
            "审批流程必须有且只有一个保密审查步骤",
        ),
        # a second secrecy review
        (
            default_fields(**{"steps-0-role": "secrecy_reviewer", "steps-0-scope": "body"}),
            "审批流程必须有且只有一个保密审查步骤",
        ),
    ],
)
def test_the_chain_rules_refuse_in_chinese_and_nothing_changes(world, login_as, fields, message):
    secadmin = login_as("secadmin")
    response = save(secadmin, fields)
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalars(select(ChainStep)).all() == [] and entries("chain_changed") == []


def test_removing_the_secrecy_review_is_refused(world, login_as):
    secadmin = login_as("secadmin")
    page = secadmin.post("/admin/chain", default_fields(op="remove-2"), token_from="/admin/chain")
    assert page.status_code == 200 and 'name="steps-2-name"' not in page.text
    fields = {k: v for k, v in default_fields().items() if not k.startswith("steps-2-")}
    response = save(secadmin, fields)
    assert response.status_code == 422 and "审批流程必须有且只有一个保密审查步骤" in response.text


def test_a_wrong_field_is_marked_and_what_was_typed_is_kept(world, login_as):
    secadmin = login_as("secadmin")
    response = save(
        secadmin,
        with_office_head(**{"steps-2-name": "", "steps-1-scope": "department"}),
    )
    assert response.status_code == 422
    assert "请填写步骤名称" in response.text
    assert "只有“分管领导”角色能按所属科室或党政办（办公室）确定审批人" in response.text
    # the typed chain comes back as typed (four steps, the new one still there)
    assert 'name="steps-3-name" value="保密审查"' in response.text
    typed_scope = re.search(r'name="steps-1-scope".*?</select>', response.text, re.S)
    assert typed_scope and '<option value="department" selected>' in typed_scope.group(0)
    # adding a step with no name: the new step's fields are kept and marked
    added = secadmin.post(
        "/admin/chain",
        default_fields(
            op="add", **{"new-name": "", "new-role": "leader", "new-scope": "general_office"}
        ),
        token_from="/admin/chain",
    )
    assert added.status_code == 422 and "请填写步骤名称" in added.text
    assert re.search(
        r'id="new-scope"[^>]*>.*?<option value="general_office" selected>', added.text, re.S
    )


def test_reordering_and_unchanged(world, login_as):
    secadmin = login_as("secadmin")
    moved = secadmin.post("/admin/chain", default_fields(op="down-0"), token_from="/admin/chain")
    assert moved.status_code == 200
    assert moved.text.index('value="办公室审核"') < moved.text.index('value="分管领导审批"')
    up = secadmin.post("/admin/chain", default_fields(op="up-1"), token_from="/admin/chain")
    assert up.text.index('value="办公室审核"') < up.text.index('value="分管领导审批"')
    # saving the order swapped
    swapped = default_fields(
        **{
            "steps-0-key": "office",
            "steps-0-name": "办公室审核",
            "steps-0-role": "office_auditor",
            "steps-0-scope": "body",
            "steps-1-key": "leader",
            "steps-1-name": "分管领导审批",
            "steps-1-role": "leader",
            "steps-1-scope": "department",
        }
    )
    assert save(secadmin, swapped).status_code == 303
    db.session.expire_all()
    assert [s.key for s in chain_for(world.body.id).steps] == ["office", "leader", "secrecy"]
    # the same chain again: nothing to save, said so
    again = save(secadmin, swapped | {"version": "1"})
    assert again.status_code == 303
    assert "审批流程没有变化" in secadmin.get("/admin/chain").text
    assert len(entries("chain_changed")) == 1


def test_a_page_opened_before_another_save_is_refused(world):
    secadmin = world.users["secadmin"]
    rows = chain_admin.rows_of(chain_for(world.body.id))
    added = [*rows[:2], chain_admin.Row("", *OFFICE_HEAD), rows[2]]
    chain_admin.save(secadmin, world.body, added, 0)
    db.session.commit()
    with pytest.raises(Conflict):  # opened on version 0, saved on top of version 1
        chain_admin.save(secadmin, world.body, rows[:1] + rows[2:], 0)
    db.session.rollback()
    chain_admin.save(secadmin, world.body, rows, 1)  # back to the three steps: version 2
    db.session.commit()
    assert chains_for(world.body.id).current_version == 2
    with pytest.raises(InvalidInput):
        chain_admin.save(secadmin, world.body, rows, 2)  # unchanged
    db.session.rollback()


# ------------------------------------------------------------------ rounds keep their chain


def test_items_in_a_round_finish_on_the_chain_they_started_with(world, login_as):
    at_office = world.to_state(world.item(title="已在办公室审核"), "pending_office")
    at_leader = world.to_state(world.item(title="已在分管领导审批"), "pending_leader")
    secadmin = login_as("secadmin")
    page = secadmin.get("/admin/chain")
    assert "目前有 2 条信息正在审批中" in page.text
    assert save(secadmin, with_office_head()).status_code == 303
    page = secadmin.get("/admin/chain")
    assert "目前有 2 条信息正在审批中" in page.text and "其中 2 条按此前的流程办理" in page.text
    db.session.expire_all()

    # the item at 办公室审核 goes on to the secrecy review, as its round's chain says
    assert step_names(chain_of(at_office)) == ["分管领导审批", "办公室审核", "保密审查"]
    world.act("office", at_office, Action.APPROVE)
    assert at_office.state == "pending_secrecy"
    # and is in the secrecy reviewer's inbox
    secrecy = world.users["secrecy"]
    inbox = {s.key: s for s in queries.inbox_sections(secrecy, chain_for(world.body.id))}
    assert at_office.id in [i.id for i in inbox["secrecy"].items]
    world.act("secrecy", at_office, Action.SIGN_OFF, **SIGN_OFF)
    assert at_office.state == "approved"

    # the other one too, from the first step
    world.act("leader", at_leader, Action.APPROVE)
    world.act("office", at_leader, Action.APPROVE)
    assert at_leader.state == "pending_secrecy"
    # returned and submitted again, it starts a round on the new chain
    world.act("secrecy", at_leader, Action.RETURN, opinion="请补充说明")
    world.act("officer", at_leader, Action.SUBMIT)
    assert at_leader.chain_version == 1
    world.act("leader", at_leader, Action.APPROVE)
    world.act("office", at_leader, Action.APPROVE)
    assert at_leader.state == "pending_office_head"

    # a new item walks the new chain
    new = world.to_state(world.item(title="新提交"), "pending_office")
    world.act("office", new, Action.APPROVE)
    assert new.state == "pending_office_head"


def test_a_removed_step_stays_in_the_inbox_until_its_items_have_left_it(world, login_as):
    """Removing 办公室审核: an item already there is still decided there, and is still listed."""
    waiting = world.to_state(world.item(title="等待办公室审核"), "pending_office")
    secadmin = login_as("secadmin")
    fields = {
        "version": "0",
        "steps-0-key": "leader",
        "steps-0-name": "分管领导审批",
        "steps-0-role": "leader",
        "steps-0-scope": "department",
        "steps-1-key": "secrecy",
        "steps-1-name": "保密审查",
        "steps-1-role": "secrecy_reviewer",
        "steps-1-scope": "body",
    }
    assert save(secadmin, fields).status_code == 303
    db.session.expire_all()
    assert [s.key for s in chain_for(world.body.id).steps] == ["leader", "secrecy"]
    office = world.users["office"]
    inbox = {s.key: s for s in queries.inbox_sections(office, chain_for(world.body.id))}
    assert [i.id for i in inbox["office"].items] == [waiting.id]
    assert "等待办公室审核" in login_as("office").get("/").text
    world.act("office", waiting, Action.APPROVE)
    assert waiting.state == "pending_secrecy"
    # gone from the inbox once nothing waits there
    inbox = {s.key for s in queries.inbox_sections(office, chain_for(world.body.id))}
    assert "office" not in inbox
    # new rounds skip it
    new = world.to_state(world.item(title="新一轮"), "pending_leader")
    world.act("leader", new, Action.APPROVE)
    assert new.state == "pending_secrecy"


def test_a_step_whose_people_changed_follows_each_version(world, login_as):
    """办公室审核 given to the 办公室分管负责人 (a leader) instead: an item already at the step is
    still the office auditor's; a new round's is the leader's."""
    before = world.to_state(world.item(title="按原流程"), "pending_office")
    secadmin = login_as("secadmin")
    assert (
        save(
            secadmin,
            default_fields(**{"steps-1-role": "leader", "steps-1-scope": "general_office"}),
        ).status_code
        == 303
    )
    after = world.to_state(world.item(title="按新流程"), "pending_leader")
    world.act("leader", after, Action.APPROVE)
    assert after.state == "pending_office" and before.state == "pending_office"
    chain = chain_for(world.body.id)
    office, head = world.users["office"], world.users["office_head"]
    listed = {s.key: [i.id for i in s.items] for s in queries.inbox_sections(office, chain)}
    assert listed["office"] == [before.id]
    listed = {s.key: [i.id for i in s.items] for s in queries.inbox_sections(head, chain)}
    assert listed["office"] == [after.id]
    from approval.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        world.act("office_head", before, Action.APPROVE)
    with pytest.raises(PermissionDenied):
        world.act("office", after, Action.APPROVE)
    world.act("office", before, Action.APPROVE)
    world.act("office_head", after, Action.APPROVE)
    assert before.state == after.state == "pending_secrecy"


def test_workers_see_the_new_chain(world, login_as):
    """Saving bumps the body's settings version, so every worker's copy is read again."""
    from approval.models import Body

    version = db.session.get(Body, world.body.id).settings_version
    assert save(login_as("secadmin"), with_office_head()).status_code == 303
    db.session.expire_all()
    assert db.session.get(Body, world.body.id).settings_version > version
    assert chains_for(world.body.id).current_version == 1
    item = world.to_state(world.item(), "pending_leader")
    assert db.session.get(Item, item.id).chain_version == 1
