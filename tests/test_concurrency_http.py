"""Twenty people press the same button at the same instant: the item moves once.

Over real HTTP against the threaded server (``serving`` of tests/helpers/server.py), each session
its own cookie jar: every tab loads the item page first (so all saw the same version), then all
post at once (``run_concurrently``: behind a barrier). Exactly one request gets the 303 of a done
action, every other one the 409 page, none a 5xx; the trail holds one entry and the item one
decision for the step, and the chain still verifies. Repeated on several items, because one lucky
interleaving proves little.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from approval.audit import trail as audit
from approval.core.vocab import SECRECY_QUESTIONS
from approval.extensions import db
from approval.models import AuditEntry, Decision, Item, User
from approval.platform.guards import STALE_MESSAGE
from tests.conftest import PG_URL
from tests.factories import _with_password
from tests.helpers.concurrency import run_concurrently
from tests.helpers.server import serving
from tests.http_client import Client

pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason="PostgreSQL only: SQLite serialises every write request behind one "
    "database lock (BEGIN IMMEDIATE), so requests there cannot overlap",
)

RACERS = 20
ROUNDS = 3


def colleagues(world, role: str, count: int) -> list[User]:
    """``count`` more holders of ``role`` in the general office (the office step is body-wide)."""
    users = []
    for n in range(count):
        user = User(
            username=f"{role}_{n:02d}",
            display_name=f"同事{n:02d}",
            body=world.body,
            department=world.departments["office"],
        )
        _with_password(user)
        user.set_roles([role])
        users.append(user)
    db.session.add_all(users)
    db.session.commit()
    return users


def signed_in(base: str, username: str, password: str) -> Client:
    tab = Client(base)
    status, _ = tab.request(
        "/login", {"username": username, "password": password, **tab.form_fields("/login")}
    )
    assert status == 302, status
    return tab


TYPED = {  # what each action needs besides the page's token and version
    "approve": {"opinion": "同意"},
    "return": {"opinion": "请修改"},
    "recall": {},
    "sign_off": {**{q: "no" for q in SECRECY_QUESTIONS}, "opinion": "同意公开"},
    "withhold": {"opinion": "涉及个人隐私", "basis": "personal_privacy"},
    "publish": {},
    "unpublish": {"opinion": "内容有误"},
    "change_validity": {"validity": "repealed"},
}


def race(tabs: list[Client], item_id: int, actions: list[str]) -> list[tuple[int, str]]:
    """Every tab opens the item page, then all press their action at once: (status, page)."""
    forms = [tab.form_fields(f"/items/{item_id}") for tab in tabs]

    def press(i):
        return tabs[i].request(
            f"/items/{item_id}/act", {**forms[i], "action": actions[i], **TYPED[actions[i]]}
        )

    return run_concurrently(len(tabs), press)


def assert_one_winner(results) -> int:
    statuses = [status for status, _ in results]
    assert sorted(statuses) == [303] + [409] * (len(results) - 1), statuses
    assert all(STALE_MESSAGE in page for status, page in results if status == 409)
    return statuses.index(303)


def outcome(item_id: int, from_state: str):
    """The item, the trail's entries leaving ``from_state`` and the decisions of this round."""
    db.session.expire_all()
    item = db.session.get(Item, item_id)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.item_id == item_id, AuditEntry.from_state == from_state)
    ).all()
    decisions = db.session.scalars(
        select(Decision).where(
            Decision.item_id == item_id,
            Decision.round == item.round,
            Decision.step_key == from_state.removeprefix("pending_"),
        )
    ).all()
    return item, entries, decisions


def test_twenty_tabs_of_one_leader_approve_once(app, world):
    ids = [
        world.to_state(world.item(title=f"分管领导审批{n}"), "pending_leader").id
        for n in range(ROUNDS)
    ]
    leader_id, username = world.users["leader"].id, world.users["leader"].username
    with serving(app) as base:
        first = signed_in(base, username, world.password)
        tabs = [Client(base, first.cookies) for _ in range(RACERS)]  # the same session, 20 tabs
        for item_id in ids:
            assert_one_winner(race(tabs, item_id, ["approve"] * RACERS))

    for item_id in ids:
        item, entries, decisions = outcome(item_id, "pending_leader")
        assert item.state == "pending_office"
        assert [(e.action, e.to_state, e.actor_id) for e in entries] == [
            ("approve", "pending_office", leader_id)
        ]
        assert [(d.action, d.actor_id) for d in decisions] == [("approve", leader_id)]
    assert audit.verify().ok


def test_twenty_office_auditors_approve_once(app, world):
    ids = [
        world.to_state(world.item(title=f"办公室审核{n}"), "pending_office").id
        for n in range(ROUNDS)
    ]
    auditors = colleagues(world, "office_auditor", RACERS)
    accounts = [(u.id, u.username) for u in auditors]
    winners = []
    with serving(app) as base:
        tabs = [signed_in(base, username, world.password) for _, username in accounts]
        for item_id in ids:
            winners.append(assert_one_winner(race(tabs, item_id, ["approve"] * RACERS)))

    for item_id, winner in zip(ids, winners):
        item, entries, decisions = outcome(item_id, "pending_office")
        winner_id = accounts[winner][0]  # the one told "done" is the one on record
        assert item.state == "pending_secrecy"
        assert [(e.action, e.to_state, e.actor_id) for e in entries] == [
            ("approve", "pending_secrecy", winner_id)
        ]
        assert [(d.action, d.actor_id) for d in decisions] == [("approve", winner_id)]
    assert audit.verify().ok


def test_approve_racing_return_one_wins_and_the_trail_agrees(app, world):
    ids = [
        world.to_state(world.item(title=f"同意还是退回{n}"), "pending_office").id
        for n in range(ROUNDS)
    ]
    auditors = colleagues(world, "office_auditor", RACERS)
    accounts = [(u.id, u.username) for u in auditors]
    actions = ["approve", "return"] * (RACERS // 2)
    winners = []
    with serving(app) as base:
        tabs = [signed_in(base, username, world.password) for _, username in accounts]
        for item_id in ids:
            winners.append(assert_one_winner(race(tabs, item_id, actions)))

    expected_state = {"approve": "pending_secrecy", "return": "draft"}
    for item_id, winner in zip(ids, winners):
        item, entries, decisions = outcome(item_id, "pending_office")
        action, winner_id = actions[winner], accounts[winner][0]
        assert [(e.action, e.actor_id) for e in entries] == [(action, winner_id)]
        assert item.state == entries[0].to_state == expected_state[action]
        assert [(d.action, d.actor_id) for d in decisions] == [(action, winner_id)]
    assert audit.verify().ok


@pytest.mark.parametrize(
    "state, one, other",
    [
        ("pending_leader", ("officer", "recall"), ("leader", "approve")),
        ("pending_secrecy", ("secrecy", "sign_off"), ("secrecy", "withhold")),
        ("approved", ("publisher", "publish"), ("publisher", "return")),
        ("published", ("publisher", "unpublish"), ("publisher", "change_validity")),
    ],
)
def test_two_different_actions_at_once_one_wins(app, world, state, one, other):
    """Ten tabs of one person press one button, ten tabs of (maybe) another person another."""
    ids = [world.to_state(world.item(title=f"{state}{n}"), state).id for n in range(ROUNDS)]
    people = {who: (world.users[who].id, world.users[who].username) for who in (one[0], other[0])}
    tab_owner = [one[0], other[0]] * (RACERS // 2)
    actions = [one[1], other[1]] * (RACERS // 2)
    winners = []
    with serving(app) as base:
        sessions = {who: signed_in(base, name, world.password) for who, (_, name) in people.items()}
        tabs = [Client(base, sessions[who].cookies) for who in tab_owner]
        for item_id in ids:
            winners.append(assert_one_winner(race(tabs, item_id, actions)))

    for item_id, winner in zip(ids, winners):
        item, entries, _ = outcome(item_id, state)
        assert [(e.action, e.actor_id) for e in entries] == [
            (actions[winner], people[tab_owner[winner]][0])
        ]
        assert item.state == entries[0].to_state
    assert audit.verify().ok
