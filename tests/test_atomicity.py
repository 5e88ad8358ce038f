"""A transition and its audit entry land together or not at all.

The one patch here is an injected fault: ``audit.record`` first flushes what the action changed so
far (the item's new state, its decision, the 索引号 taken, the search document) into the open
transaction, then raises instead of writing the entry. Whatever the action, the database must
afterwards hold exactly what it held before: no state change without its audit entry, no audit
entry, no used-up number. The same action, tried again on the same page, then goes through.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from approval.audit import trail as audit
from approval.core.clock import utcnow
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, Item
from approval.publication import transitions
from approval.publication.transitions import ActionInput
from tests.db_snapshot import changed_tables, snapshot
from tests.factories import CLEAR_CHECKLIST

TOMORROW = object()  # a publish_at one day ahead, computed when the case runs

# (start, who, action, input): every workflow action, from a state where it is allowed
CASES = [
    ("draft", "officer", Action.SUBMIT, {}),
    ("pending_leader", "officer", Action.RECALL, {}),
    ("pending_leader", "leader", Action.APPROVE, {"opinion": "同意"}),
    ("pending_office", "office", Action.RETURN, {"opinion": "数据需要核实"}),
    (
        "pending_secrecy",
        "secrecy",
        Action.SIGN_OFF,
        {"checklist": CLEAR_CHECKLIST, "opinion": "同意公开"},
    ),
    (
        "pending_secrecy",
        "secrecy",
        Action.WITHHOLD,
        {"opinion": "涉及个人隐私", "basis": "personal_privacy"},
    ),
    ("approved", "publisher", Action.PUBLISH, {}),
    ("approved", "publisher", Action.SCHEDULE, {"publish_at": TOMORROW}),
    ("scheduled", "publisher", Action.UNSCHEDULE, {}),
    ("published", "publisher", Action.UNPUBLISH, {"opinion": "内容有误，撤下"}),
    ("published", "publisher", Action.CHANGE_VALIDITY, {"validity": "repealed"}),
]


class InjectedFault(RuntimeError):
    pass


def break_audit_trail(monkeypatch) -> None:
    def record_fails(*args, **kwargs):
        db.session.flush()  # the state change has reached the database's transaction
        raise InjectedFault("the audit entry could not be written")

    monkeypatch.setattr(audit, "record", record_fails)


def item_in(world, start: str) -> Item:
    if start == "scheduled":
        item = world.to_state(world.item(), "approved")
        return world.act(
            "publisher", item, Action.SCHEDULE, publish_at=utcnow() + timedelta(days=1)
        )
    return world.to_state(world.item(), start)


def given(values: dict) -> ActionInput:
    values = {k: (utcnow() + timedelta(days=1) if v is TOMORROW else v) for k, v in values.items()}
    if "checklist" in values:
        values["checklist"] = dict(values["checklist"])
    return ActionInput(**values)


def trail_of(item_id: int) -> list[tuple[str, str | None, str | None]]:
    return [
        (e.action, e.from_state, e.to_state)
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.item_id == item_id).order_by(AuditEntry.id)
        )
    ]


@pytest.mark.parametrize(
    "start, who, action, values", CASES, ids=[f"{c[2].value}-from-{c[0]}" for c in CASES]
)
def test_a_fault_before_the_audit_entry_leaves_no_trace(
    world, monkeypatch, start, who, action, values
):
    item = item_in(world, start)
    item_id, version, state = item.id, item.version, item.state
    trail = trail_of(item_id)
    before = snapshot()

    break_audit_trail(monkeypatch)
    with pytest.raises(InjectedFault):
        transitions.perform(world.users[who], item, action, version, given(values))
    db.session.rollback()  # what the route's error handler does

    assert changed_tables(before, snapshot()) == {}
    item = db.session.get(Item, item_id)
    assert (item.state, item.version) == (state, version)

    monkeypatch.undo()  # the fault is gone: the same page, the same action, goes through
    transitions.perform(world.users[who], item, action, version, given(values))
    db.session.commit()
    to_state = item.state
    assert trail_of(item_id) == [*trail, (action.value, state, to_state)]
    assert audit.verify().ok


@pytest.mark.parametrize(
    "start, who, action, fields",
    [
        ("pending_leader", "leader", "approve", {"opinion": "同意"}),
        ("approved", "publisher", "publish", {}),
    ],
)
def test_over_http_the_user_sees_an_error_and_nothing_changed(
    app, world, login_as, monkeypatch, start, who, action, fields
):
    """Through the real route and error handler (as in production, where an unexpected error is
    a 500 page, not an exception in the test)."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    item = world.to_state(world.item(), start)
    item_id, version = item.id, str(item.version)
    user = login_as(who)
    before = snapshot()

    break_audit_trail(monkeypatch)
    response = user.post(
        f"/items/{item_id}/act",
        {"action": action, "version": version, **fields},
        token_from=f"/items/{item_id}",
    )
    assert response.status_code == 500
    assert "系统内部错误" in response.text
    assert changed_tables(before, snapshot()) == {}

    monkeypatch.undo()
    response = user.post(
        f"/items/{item_id}/act",
        {"action": action, "version": version, **fields},
        token_from=f"/items/{item_id}",
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Item, item_id).state != start
    assert audit.verify().ok
