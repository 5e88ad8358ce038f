"""Who may see and do what (approval.permissions, approval.core.roles), on real items built via `world`.

The expected tables are written by hand from DESIGN.md §1; the item belongs to the civil
department (民政办) and was written by `officer` unless a test says otherwise.
"""

import pytest

from approval import permissions
from approval.core.errors import PermissionDenied
from approval.core.roles import Role, RoleConflict, check_role_set
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import chain_for
from approval.publication.transitions import ActionInput, perform
from tests.factories import CLEAR_CHECKLIST, World
from tests.helpers.users import make_user

NOT_NOW = "当前状态下不能执行此操作"
NO_RIGHT = "您没有执行此操作的权限"
OWN_ITEM = "不能审批或发布自己撰写的信息"
TWICE = "您已在本轮审批中作出过决定，不能重复审批"
SIGN_OFF = {"checklist": dict(CLEAR_CHECKLIST), "opinion": "经审查，可以公开"}

# state → {world user: actions offered}; every user not named is offered nothing.
MATRIX = {
    "draft": {"officer": {"submit"}, "officer_b": {"submit"}},
    "pending_leader": {
        "officer": {"recall"},
        "officer_b": {"recall"},
        "leader": {"approve", "return"},
    },
    "pending_office": {
        "office": {"approve", "return"},
        "office_and_secrecy": {"approve", "return"},
    },
    "pending_secrecy": {
        "secrecy": {"sign_off", "withhold", "return"},
        "office_and_secrecy": {"sign_off", "withhold", "return"},
    },
    "approved": {"publisher": {"publish", "schedule", "return"}},  # unschedule: once scheduled
    "published": {"publisher": {"unpublish", "change_validity"}},
    "unpublished": {},
    "withheld": {},
}
EVERYONE = [
    "officer",
    "officer_b",
    "officer_agri",
    "leader",
    "leader_agri",
    "office",
    "secrecy",
    "publisher",
    "office_and_secrecy",
    "sysadmin",
    "auditor",
]


def item_in(world, state):
    if state == "withheld":
        item = world.to_state(world.item(), "pending_secrecy")
        return world.act("secrecy", item, "withhold", basis="state_secret", opinion="涉密")
    if state == "unpublished":
        item = world.to_state(world.item(), "published")
        return world.act("publisher", item, "unpublish", opinion="内容有误")
    return world.to_state(world.item(), state)


def offered(world, item, names=EVERYONE):
    chain = chain_for(item.body_id)
    return {
        n: {a.value for a in permissions.actions_for(world.users[n], item, chain)} for n in names
    }


def deny(world, who, item, action):
    return permissions.denial(world.users[who], item, action, chain_for(item.body_id))


def test_role_action_matrix(world):
    items = {state: item_in(world, state) for state in MATRIX}
    assert {s: i.state for s, i in items.items()} == {s: s for s in MATRIX}
    expected = {s: {n: MATRIX[s].get(n, set()) for n in EVERYONE} for s in MATRIX}
    assert {s: offered(world, i) for s, i in items.items()} == expected
    for state, item in items.items():  # can() and denial() agree with actions_for() everywhere
        chain = chain_for(item.body_id)
        for name in EVERYONE:
            for action in Action:
                allowed = action.value in expected[state][name]
                assert permissions.can(world.users[name], item, action, chain) is allowed
                assert (deny(world, name, item, action) is None) is allowed


def test_admin_roles_may_do_nothing_in_business(world):
    for state in MATRIX:
        item = item_in(world, state)
        for name in ("sysadmin", "auditor"):
            for action in Action:
                assert deny(world, name, item, action) in (NOT_NOW, NO_RIGHT), (state, action)
            assert not permissions.can_edit(world.users[name], item)


def test_other_department_item_swaps_officer_and_leader(world):
    item = world.item(author="officer_agri")
    assert offered(world, item, ["officer", "officer_b", "officer_agri"]) == {
        "officer": set(),
        "officer_b": set(),
        "officer_agri": {"submit"},
    }
    world.act("officer_agri", item, "submit")
    assert offered(world, item, ["officer", "officer_agri", "leader", "leader_agri"]) == {
        "officer": set(),
        "officer_agri": {"recall"},
        "leader": set(),
        "leader_agri": {"approve", "return"},
    }
    assert deny(world, "leader", item, "approve") == NO_RIGHT
    assert deny(world, "officer", item, "recall") == NO_RIGHT


def test_denial_says_why(world):
    item = world.to_state(world.item(), "pending_leader")
    assert deny(world, "leader", item, "sign_off") == NOT_NOW
    assert deny(world, "leader_agri", item, "approve") == NO_RIGHT
    assert deny(world, "office", item, "return") == NO_RIGHT
    assert deny(world, "leader", item, "approve") is None


def test_edit_only_by_own_department_officer_in_draft(world):
    item = world.item()
    editors = {n for n in EVERYONE if permissions.can_edit(world.users[n], item)}
    assert editors == {"officer", "officer_b"}
    world.act("officer", item, "submit")
    assert not any(permissions.can_edit(world.users[n], item) for n in EVERYONE)


def test_disabled_user_may_do_nothing(world):
    item = world.to_state(world.item(), "pending_leader")
    world.users["leader"].is_enabled = False
    db.session.commit()
    assert offered(world, item, ["leader"]) == {"leader": set()}
    assert not permissions.can_view_item(world.users["leader"], item)


def test_reviewers_of_another_body_may_do_nothing(world):
    other = World.build(credit_code="11000000MB0000002X")
    item = world.to_state(world.item(), "pending_office")
    chain = chain_for(item.body_id)
    for name in EVERYONE:
        assert permissions.actions_for(other.users[name], item, chain) == []
        assert not permissions.can_view_item(other.users[name], item)
        assert not permissions.can_view_history(other.users[name], item)


# --- visibility ---------------------------------------------------------------------------------


def viewers(world, item):
    return {n for n in EVERYONE if permissions.can_view_item(world.users[n], item)}


def test_never_submitted_draft_is_private_to_its_department(world):
    item = world.item()
    assert viewers(world, item) == {"officer", "officer_b"}


def test_submitted_item_is_visible_to_the_chain_but_not_other_departments(world):
    item = world.to_state(world.item(), "pending_leader")
    assert viewers(world, item) == {
        "officer",
        "officer_b",
        "leader",
        "office",
        "secrecy",
        "publisher",
        "office_and_secrecy",
    }
    assert not permissions.can_view_item(world.users["officer_agri"], item)
    assert not permissions.can_view_item(world.users["leader_agri"], item)


def test_returned_draft_stays_visible_to_reviewers(world):
    item = world.to_state(world.item(), "pending_leader")
    world.act("leader", item, "return", opinion="请补充依据")
    assert item.state == "draft"
    assert permissions.can_view_item(world.users["leader"], item)
    assert permissions.can_view_item(world.users["office"], item)


def test_holder_of_a_configured_step_can_view_the_item(world):
    world.add_step("office_head", "办公室分管负责人审批", "leader", position=2)  # any leader
    item = world.to_state(world.item(), "pending_office")
    assert not permissions.can_view_item(world.users["leader_agri"], world.item())  # draft
    world.act("office", item, "approve")
    assert item.state == "pending_office_head"
    assert offered(world, item, ["leader_agri"]) == {"leader_agri": {"approve", "return"}}
    assert permissions.can_view_item(world.users["leader_agri"], item)  # may open what it decides
    assert not permissions.can_view_item(world.users["officer_agri"], item)


def test_audit_admin_sees_history_but_not_the_item(world):
    for item in (world.item(), world.to_state(world.item(), "published")):
        auditor = world.users["auditor"]
        assert permissions.can_view_history(auditor, item)
        assert not permissions.can_view_item(auditor, item)
        assert not permissions.can_view_history(world.users["sysadmin"], item)
        assert not permissions.can_view_history(world.users["officer_agri"], item)
        assert permissions.can_view_history(world.users["officer"], item)


# --- separation of duties -----------------------------------------------------------------------


def test_author_who_leads_the_department_cannot_approve_own_item(world):
    make_user(world, "officer_leader", "civil", ["officer", "leader"], led=["civil"])
    item = world.item(author="officer_leader")
    world.act("officer_leader", item, "submit")
    assert deny(world, "officer_leader", item, "approve") == OWN_ITEM
    assert deny(world, "officer_leader", item, "return") == OWN_ITEM
    assert offered(world, item, ["officer_leader"]) == {"officer_leader": {"recall"}}
    with pytest.raises(PermissionDenied):
        perform(world.users["officer_leader"], item, "approve", item.version)
    world.act("leader", item, "approve")  # someone else may
    assert item.state == "pending_office"


def test_author_who_publishes_cannot_publish_own_item(world):
    make_user(world, "officer_publisher", "civil", ["officer", "publisher"])
    item = world.item(author="officer_publisher")
    world.act("officer_publisher", item, "submit")
    world.act("leader", item, "approve")
    world.act("office", item, "approve")
    world.act("secrecy", item, "sign_off", **SIGN_OFF)
    assert deny(world, "officer_publisher", item, "publish") == OWN_ITEM
    assert deny(world, "publisher", item, "publish") is None


def test_whoever_edited_a_revision_counts_as_author(world):
    make_user(world, "officer_auditor", "civil", ["officer", "office_auditor"])
    item = world.to_state(world.item(), "pending_leader")
    world.act("leader", item, "return", opinion="标题有误")
    from approval.publication.drafts import update_draft

    update_draft(world.users["officer_auditor"], item, {"title": "更正后的标题"}, item.version)
    db.session.commit()
    world.act("officer", item, "submit")
    world.act("leader", item, "approve")
    assert deny(world, "officer_auditor", item, "approve") == OWN_ITEM
    assert deny(world, "office", item, "approve") is None


def test_office_and_secrecy_holder_decides_once_per_round(world):
    item = world.to_state(world.item(), "pending_office")
    world.act("office_and_secrecy", item, "approve")
    assert item.state == "pending_secrecy"
    assert deny(world, "office_and_secrecy", item, "sign_off") == TWICE
    assert deny(world, "office_and_secrecy", item, "withhold") == TWICE
    assert deny(world, "office_and_secrecy", item, "return") == TWICE
    with pytest.raises(PermissionDenied):
        perform(
            world.users["office_and_secrecy"],
            item,
            "sign_off",
            item.version,
            ActionInput(**SIGN_OFF),
        )
    assert item.state == "pending_secrecy"

    world.act("secrecy", item, "return", opinion="附件含身份证号")
    world.act("officer", item, "submit")  # round 2
    world.act("leader", item, "approve")
    world.act("office", item, "approve")
    assert item.round == 2
    assert deny(world, "office_and_secrecy", item, "sign_off") is None
    world.act("office_and_secrecy", item, "sign_off", **SIGN_OFF)
    assert item.state == "approved"


def test_reviewer_who_also_publishes_cannot_return_twice_in_a_round(world):
    make_user(world, "office_publisher", "office", ["office_auditor", "publisher"])
    item = world.to_state(world.item(), "pending_office")
    world.act("office_publisher", item, "approve")
    world.act("secrecy", item, "sign_off", **SIGN_OFF)
    assert item.state == "approved"
    # a return is a decision of the round; this person already decided in it
    assert deny(world, "office_publisher", item, "return") == TWICE
    assert deny(world, "publisher", item, "return") is None


# --- role sets (三员分立) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "roles",
    [
        ["sysadmin", "officer"],
        ["audit_admin", "secrecy_reviewer"],
        ["security_admin", "publisher"],
        ["sysadmin", "audit_admin"],
        ["security_admin", "audit_admin"],
        ["sysadmin", "security_admin", "audit_admin"],
    ],
)
def test_forbidden_role_mixes(roles):
    with pytest.raises(RoleConflict):
        check_role_set(roles)
    assert issubclass(RoleConflict, ValueError)


@pytest.mark.parametrize(
    "roles",
    [
        ["officer", "leader", "office_auditor", "secrecy_reviewer", "publisher"],
        ["sysadmin"],
        ["security_admin"],
        ["audit_admin"],
        [],
    ],
)
def test_allowed_role_sets(roles):
    assert check_role_set(roles) == {Role(r) for r in roles}


@pytest.mark.parametrize("roles", [["admin"], ["officer", "reviewer"], ["Officer"]])
def test_unknown_role_names_raise(roles):
    with pytest.raises(ValueError) as caught:
        check_role_set(roles)
    assert not isinstance(caught.value, RoleConflict)


def test_user_cannot_be_given_a_forbidden_role_mix(world):
    user = world.users["office"]
    with pytest.raises(RoleConflict):
        user.set_roles(["office_auditor", "audit_admin"])
    assert user.roles == {Role.OFFICE_AUDITOR}
    with pytest.raises(ValueError):
        user.has_role("superuser")
