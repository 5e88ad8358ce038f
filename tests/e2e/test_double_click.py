"""A double click is two real, simultaneous HTTP requests: exactly one may win.

No browser here: two independent HTTP clients (cookie jars) post the same action with the same
page version at the same instant against the live threaded server. One gets the redirect of a
successful action, the other the 409 page; the item moves once and the audit trail says so once.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from approval.demo import DEMO_PASSWORD
from approval.extensions import db
from approval.models import AuditEntry, Decision, Item
from tests.helpers.concurrency import run_concurrently
from tests.http_client import Client as HttpClient

pytestmark = pytest.mark.e2e


class Client(HttpClient):
    def login(self, username: str) -> None:
        status, _ = self.request(
            "/login",
            {"username": username, "password": DEMO_PASSWORD, **self.form_fields("/login")},
        )
        assert status == 302


def _post_together(clients, path, payloads) -> list[int]:
    """Each client posts its payload to ``path`` at the same instant: the statuses, sorted."""
    statuses = run_concurrently(
        len(clients), lambda i: clients[i].request(path, payloads[i])[0], timeout=60
    )
    return sorted(statuses)


def _counts(item_id: int) -> tuple[str, int, int]:
    db.session.rollback()  # a fresh view of what the server committed
    item = db.session.get(Item, item_id)
    approvals = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.item_id == item_id, AuditEntry.action == "approve")
    )
    decisions = db.session.scalar(
        select(func.count())
        .select_from(Decision)
        .where(Decision.item_id == item_id, Decision.round == item.round)
    )
    state = item.state
    db.session.remove()
    return state, approvals, decisions


@pytest.mark.parametrize("attempt", range(3))
def test_double_clicked_approve_moves_the_item_once(live_server, attempt):
    item_id = live_server.item_ids["pending_leader"]
    browser = Client(live_server.url)  # one session clicking twice: same cookie, same version
    browser.login("leader")
    fields = browser.form_fields(f"/items/{item_id}")
    payload = {**fields, "action": "approve", "opinion": "同意"}
    statuses = _post_together([browser, browser], f"/items/{item_id}/act", [payload, payload])
    assert statuses == [303, 409]
    assert _counts(item_id) == ("pending_office", 1, 1)


def test_approve_racing_return_one_wins_and_the_trail_agrees(live_server):
    item_id = live_server.item_ids["pending_leader"]
    leader = Client(live_server.url)
    leader.login("leader")
    fields = leader.form_fields(f"/items/{item_id}")
    approve = {**fields, "action": "approve", "opinion": "同意"}
    send_back = {**fields, "action": "return", "opinion": "数据需要核实"}
    statuses = _post_together([leader, leader], f"/items/{item_id}/act", [approve, send_back])
    assert statuses == [303, 409]
    db.session.rollback()
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.item_id == item_id, AuditEntry.action.in_(["approve", "return"])
        )
    ).all()
    item = db.session.get(Item, item_id)
    assert len(entries) == 1
    assert item.state == entries[0].to_state  # the winner in the trail is the state of the item
    db.session.remove()
