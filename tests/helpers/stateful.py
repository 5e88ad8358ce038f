"""The random walk of tests/test_stateful.py as a Hypothesis state machine, ``ChainMachine``:
random users of a world of their own (every role, two departments) take random workflow actions
on random items, and the trail must tell exactly what happened (tests/test_delegations.py runs it
with deputies at every step)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import timedelta

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from sqlalchemy import select

from approval import permissions
from approval.audit import trail as audit
from approval.core.clock import utcnow
from approval.core.errors import ServiceError
from approval.core.vocab import SECRECY_QUESTIONS, VALIDITY
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, Item, chain_for
from approval.publication import transitions
from tests.db_snapshot import changed_tables, snapshot
from tests.factories import World

PEOPLE = [
    "officer",
    "officer_b",
    "officer_agri",
    "leader",
    "leader_agri",
    "office_head",
    "office",
    "secrecy",
    "publisher",
    "office_and_secrecy",
    "sysadmin",
    "auditor",
    "secadmin",
]
CLEAR = {q: False for q in SECRECY_QUESTIONS}
ONE_YES = {**CLEAR, "involves_personal_privacy": True}
ONWARD = {
    Action.SUBMIT,
    Action.APPROVE,
    Action.SIGN_OFF,
    Action.PUBLISH,
    Action.SCHEDULE,
    Action.UNPUBLISH,
    Action.CHANGE_VALIDITY,
}
MAX_ITEMS = 4  # few items, so each one gets far along the chain
_bodies = itertools.count(1)

# what a user may type with an action: right, missing or wrong (resolved when the step runs)
TYPED = st.fixed_dictionaries(
    {
        "opinion": st.sampled_from(["", "   ", "同意"]),
        "checklist": st.sampled_from([{}, CLEAR, ONE_YES]),
        "basis": st.sampled_from([None, "personal_privacy", "no_such_basis"]),
        "validity": st.sampled_from([None, *VALIDITY]),
        "publish_at": st.sampled_from([None, "yesterday", "tomorrow"]),
    }
)
PROPER = {
    "opinion": "同意",
    "checklist": CLEAR,
    "basis": "personal_privacy",
    "validity": "another",
    "publish_at": "tomorrow",
}


def action_input(item: Item, typed: dict) -> transitions.ActionInput:
    when = {
        None: None,
        "yesterday": utcnow() - timedelta(days=1),
        "tomorrow": utcnow() + timedelta(days=1),
    }[typed["publish_at"]]
    validity = typed["validity"]
    if validity == "another":
        validity = next(v for v in VALIDITY if v != item.validity)
    return transitions.ActionInput(
        opinion=typed["opinion"],
        checklist=dict(typed["checklist"]),
        basis=typed["basis"],
        validity=validity,
        publish_at=when,
    )


class ChainMachine(RuleBasedStateMachine):
    items = Bundle("items")

    @initialize()
    def a_new_body(self):
        n = next(_bodies)
        self.world = World.build(credit_code=f"1100000000{n:07d}X")
        self.chain = chain_for(self.world.body.id)
        self.expected: dict[int, list[tuple]] = {}  # item id: its trail as it must be

    @precondition(lambda self: len(self.expected) < MAX_ITEMS)
    @rule(target=items, author=st.sampled_from(["officer", "officer_b", "officer_agri"]))
    def write_a_draft(self, author):
        item = self.world.item(author)
        self.expected[item.id] = [("create", None, "draft")]
        return item.id

    @rule(
        item_id=items,
        who=st.sampled_from(PEOPLE),
        action=st.sampled_from(list(Action)),
        typed=TYPED,
        stale=st.booleans(),
    )
    def anyone_tries_anything(self, item_id, who, action, typed, stale):
        item = db.session.get(Item, item_id)
        self.attempt(item, who, action, typed, item.version - 1 if stale else item.version)

    @rule(item_id=items, data=st.data(), onward=st.integers(0, 3).map(bool))
    def someone_takes_an_offered_action(self, item_id, data, onward):
        """A button the item page shows someone; ``onward``: one that moves the item along the
        chain if there is one (so random walks get past the first step)."""
        item = db.session.get(Item, item_id)
        offers = [
            (who, action)
            for who in PEOPLE
            for action in permissions.actions_for(self.world.users[who], item, self.chain)
        ]
        forward = [(who, action) for who, action in offers if action in ONWARD]
        if onward and forward:
            offers = forward
        if not offers:
            return
        who, action = data.draw(st.sampled_from(offers))
        assert self.attempt(item, who, action, PROPER, item.version), (who, action, item.state)

    def attempt(self, item: Item, who: str, action: Action, typed: dict, seen) -> bool:
        """Take the action as a route would (commit, or roll back on refusal); True if done."""
        state, before = item.state, snapshot()
        try:
            transitions.perform(
                self.world.users[who], item, action, seen, action_input(item, typed), self.chain
            )
        except ServiceError:
            db.session.rollback()
            assert changed_tables(before, snapshot()) == {}, (who, action, state)
            return False
        db.session.commit()
        assert item.state == self.chain.next_state(state, action)
        self.expected[item.id].append((action.value, state, item.state))
        return True

    @invariant()
    def every_item_is_in_a_valid_state_and_its_trail_matches(self):
        if not getattr(self, "expected", None):
            return
        states = set(self.chain.states())
        trails = defaultdict(list)
        for entry in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.body_id == self.world.body.id, AuditEntry.item_id.is_not(None))
            .order_by(AuditEntry.id)
        ):
            trails[entry.item_id].append((entry.action, entry.from_state, entry.to_state))
        for item_id, expected in self.expected.items():
            assert db.session.get(Item, item_id).state in states
            assert trails[item_id] == expected, item_id

    def teardown(self):
        db.session.rollback()
        assert audit.verify().ok
