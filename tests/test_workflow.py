"""The approval chain as data (approval.core.workflow): pure Python, no app, no database.

The expected tables below are written out by hand from DESIGN.md §1, not derived from the code.
"""

import pytest

from approval.core.workflow import (
    DEFAULT_STEPS,
    Action,
    Chain,
    ChainError,
    IllegalTransition,
    Scope,
    Step,
    StepKind,
)

DEFAULT_STATES = [
    "draft",
    "pending_leader",
    "pending_office",
    "pending_secrecy",
    "approved",
    "withheld",
    "published",
    "unpublished",
    "sent",
    "applied",
    "abandoned",
]

# (state, action) → target state; every pair missing here must raise IllegalTransition.
DEFAULT_LEGAL = {
    ("draft", "submit"): "pending_leader",
    ("pending_leader", "recall"): "draft",
    ("pending_leader", "approve"): "pending_office",
    ("pending_leader", "return"): "draft",
    ("pending_office", "approve"): "pending_secrecy",
    ("pending_office", "return"): "draft",
    ("pending_secrecy", "sign_off"): "approved",
    ("pending_secrecy", "withhold"): "withheld",
    ("pending_secrecy", "return"): "draft",
    ("approved", "publish"): "published",
    ("approved", "return"): "draft",
    ("approved", "schedule"): "approved",
    ("approved", "unschedule"): "approved",
    ("published", "unpublish"): "unpublished",
    ("published", "change_validity"): "published",
}

ALL_ACTIONS = [
    "submit",
    "recall",
    "approve",
    "return",
    "sign_off",
    "withhold",
    "publish",
    "schedule",
    "unschedule",
    "unpublish",
    "change_validity",
    "send",
    "abandon",
]

# A reply to a request (依申请公开) walks the same steps, is sent (签发) instead of published, and
# is never withheld (its reply type says what is not provided and why).
REPLY_LEGAL = {
    ("draft", "submit"): "pending_leader",
    ("pending_leader", "recall"): "draft",
    ("pending_leader", "approve"): "pending_office",
    ("pending_leader", "return"): "draft",
    ("pending_office", "approve"): "pending_secrecy",
    ("pending_office", "return"): "draft",
    ("pending_secrecy", "sign_off"): "approved",
    ("pending_secrecy", "return"): "draft",
    ("approved", "send"): "sent",
    ("approved", "return"): "draft",
}

# A 修订 (amendment) of a published item walks the same steps; publishing it puts its content
# online as the item it amends (applied), and its department may give it up as a draft.
AMENDMENT_LEGAL = {
    **{k: v for k, v in DEFAULT_LEGAL.items() if k != ("approved", "publish")},
    ("approved", "publish"): "applied",
    ("draft", "abandon"): "abandoned",
}

OFFICE_HEAD = Step("office_head", "办公室分管负责人审批", "leader", StepKind.APPROVE, Scope.BODY)
EXTENDED_STEPS = (DEFAULT_STEPS[0], DEFAULT_STEPS[1], OFFICE_HEAD, DEFAULT_STEPS[2])

# The same chain with 办公室分管负责人审批 between the office audit and the secrecy review.
EXTENDED_LEGAL = {
    ("draft", "submit"): "pending_leader",
    ("pending_leader", "recall"): "draft",
    ("pending_leader", "approve"): "pending_office",
    ("pending_leader", "return"): "draft",
    ("pending_office", "approve"): "pending_office_head",
    ("pending_office", "return"): "draft",
    ("pending_office_head", "approve"): "pending_secrecy",
    ("pending_office_head", "return"): "draft",
    ("pending_secrecy", "sign_off"): "approved",
    ("pending_secrecy", "withhold"): "withheld",
    ("pending_secrecy", "return"): "draft",
    ("approved", "publish"): "published",
    ("approved", "return"): "draft",
    ("approved", "schedule"): "approved",
    ("approved", "unschedule"): "approved",
    ("published", "unpublish"): "unpublished",
    ("published", "change_validity"): "published",
}
EXTENDED_STATES = [
    "draft",
    "pending_leader",
    "pending_office",
    "pending_office_head",
    "pending_secrecy",
    "approved",
    "withheld",
    "published",
    "unpublished",
    "sent",
    "applied",
    "abandoned",
]


def _cross(states):
    return [(s, a) for s in states for a in ALL_ACTIONS]


def _check_pair(chain, legal, state, action, reply=False, amendment=False):
    expected = legal.get((state, action))
    kind = {"reply": reply, "amendment": amendment}
    if expected is None:
        with pytest.raises(IllegalTransition) as caught:
            chain.next_state(state, action, **kind)
        assert (caught.value.state, caught.value.action) == (state, action)
    else:
        assert chain.next_state(state, action, **kind) == expected
        # enum and string alike
        assert chain.next_state(state, Action(action), **kind) == expected


def test_the_cross_product_is_complete():
    assert len(_cross(DEFAULT_STATES)) == 143
    assert sorted(ALL_ACTIONS) == sorted(a.value for a in Action)


@pytest.mark.parametrize(("state", "action"), _cross(DEFAULT_STATES))
def test_default_chain_every_state_and_action(state, action):
    _check_pair(Chain(), DEFAULT_LEGAL, state, action)


@pytest.mark.parametrize(("state", "action"), _cross(DEFAULT_STATES))
def test_a_reply_every_state_and_action(state, action):
    _check_pair(Chain(), REPLY_LEGAL, state, action, reply=True)


@pytest.mark.parametrize(("state", "action"), _cross(DEFAULT_STATES))
def test_an_amendment_every_state_and_action(state, action):
    _check_pair(Chain(), AMENDMENT_LEGAL, state, action, amendment=True)


def test_a_reply_is_offered_send_not_publish_once_approved():
    assert {a.value for a in Chain().allowed_actions("approved", reply=True)} == {"send", "return"}
    assert "send" not in {a.value for a in Chain().allowed_actions("approved")}
    assert "withhold" not in {
        a.value for a in Chain().allowed_actions("pending_secrecy", reply=True)
    }


@pytest.mark.parametrize(("state", "action"), _cross(EXTENDED_STATES))
def test_extended_chain_every_state_and_action(state, action):
    _check_pair(Chain(EXTENDED_STEPS), EXTENDED_LEGAL, state, action)


@pytest.mark.parametrize("state", DEFAULT_STATES)
def test_allowed_actions_offer_exactly_the_legal_ones(state):
    expected = {a for (s, a) in DEFAULT_LEGAL if s == state}
    assert {a.value for a in Chain().allowed_actions(state)} == expected


def test_terminal_states_allow_nothing():
    chain = Chain()
    assert chain.allowed_actions("withheld") == []
    assert chain.allowed_actions("unpublished") == []
    assert chain.allowed_actions("sent", reply=True) == []


def test_default_states_in_chain_order():
    chain = Chain()
    assert chain.states() == DEFAULT_STATES
    assert [chain.is_pending(s) for s in DEFAULT_STATES] == [
        False,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
        False,
        False,
        False,
    ]
    assert chain.first.key == "leader"


def test_default_steps_roles_and_scopes():
    chain = Chain()
    assert chain.step_for("pending_leader").role == "leader"
    assert chain.step_for("pending_leader").scope is Scope.DEPARTMENT
    assert chain.step_for("pending_office").role == "office_auditor"
    assert chain.step_for("pending_office").scope is Scope.BODY
    assert chain.step_for("pending_secrecy").role == "secrecy_reviewer"
    assert chain.step_for("pending_secrecy").kind is StepKind.SECRECY_REVIEW
    for outside in ("draft", "approved", "withheld", "published", "unpublished"):
        assert chain.step_for(outside) is None


def test_unknown_state_is_illegal_for_every_action():
    chain = Chain()
    for action in ALL_ACTIONS:
        with pytest.raises(IllegalTransition):
            chain.next_state("pending_office_head", action)  # not a step of the default chain
        with pytest.raises(IllegalTransition):
            chain.next_state("archived", action)


def test_unknown_action_name_is_rejected():
    with pytest.raises(ValueError):
        Chain().next_state("draft", "delete")


# --- chain validation -------------------------------------------------------------------------


def _approve_step(key, role="leader"):
    return Step(key, key, role, StepKind.APPROVE, Scope.BODY)


def _secrecy_step(key="secrecy"):
    return Step(key, "保密审查", "secrecy_reviewer", StepKind.SECRECY_REVIEW, Scope.BODY)


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([], id="empty"),
        pytest.param(
            [_approve_step("a"), _approve_step("a"), _secrecy_step()], id="duplicate-keys"
        ),
        pytest.param([_approve_step("a"), _secrecy_step("a")], id="duplicate-key-with-secrecy"),
        pytest.param([_secrecy_step(), _approve_step("office")], id="secrecy-not-last"),
        pytest.param(
            [_approve_step("a"), _secrecy_step("s1"), _secrecy_step("s2")], id="two-secrecy-steps"
        ),
        pytest.param([_approve_step("a"), _approve_step("b")], id="no-secrecy-step"),
    ],
)
def test_invalid_chains_are_refused(steps):
    with pytest.raises(ChainError):
        Chain(steps)


def test_chain_error_is_a_value_error():
    assert issubclass(ChainError, ValueError)


def test_a_chain_of_only_the_secrecy_review_is_valid():
    chain = Chain([_secrecy_step()])
    assert chain.next_state("draft", "submit") == "pending_secrecy"
    assert chain.next_state("pending_secrecy", "sign_off") == "approved"
    assert chain.next_state("pending_secrecy", "recall") == "draft"  # it is the first step
    with pytest.raises(IllegalTransition):
        chain.next_state("pending_secrecy", "approve")


def test_steps_given_as_a_list_or_tuple_behave_the_same():
    assert Chain(list(DEFAULT_STEPS)).states() == Chain(tuple(DEFAULT_STEPS)).states()


# --- the extra step -----------------------------------------------------------------------------


def test_extended_chain_has_the_extra_pending_state_in_order():
    chain = Chain(EXTENDED_STEPS)
    assert chain.states() == EXTENDED_STATES
    step = chain.step_for("pending_office_head")
    assert (step.name, step.role, step.kind) == ("办公室分管负责人审批", "leader", StepKind.APPROVE)
    assert chain.is_pending("pending_office_head")


def test_extended_chain_cannot_skip_the_extra_step():
    chain = Chain(EXTENDED_STEPS)
    assert chain.next_state("pending_office", "approve") != "pending_secrecy"
    for action in ("sign_off", "withhold", "publish"):
        with pytest.raises(IllegalTransition):
            chain.next_state("pending_office_head", action)


def test_walking_the_extended_chain_visits_every_step():
    chain, state, visited = Chain(EXTENDED_STEPS), "draft", []
    state = chain.next_state(state, "submit")
    while chain.step_for(state).kind is StepKind.APPROVE:
        visited.append(state)
        state = chain.next_state(state, "approve")
    visited.append(state)
    assert visited == ["pending_leader", "pending_office", "pending_office_head", "pending_secrecy"]
    assert chain.next_state(state, "sign_off") == "approved"


# --- recall ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "first"),
    [
        (DEFAULT_STEPS, "pending_leader"),
        (EXTENDED_STEPS, "pending_leader"),
        ((OFFICE_HEAD, DEFAULT_STEPS[2]), "pending_office_head"),
    ],
)
def test_recall_only_from_the_first_step(steps, first):
    chain = Chain(steps)
    for state in chain.states():
        if state == first:
            assert chain.next_state(state, "recall") == "draft"
        else:
            with pytest.raises(IllegalTransition):
                chain.next_state(state, "recall")
