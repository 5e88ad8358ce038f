"""The audit trail: hash-chained, append-only, names as they were, and `flask audit verify`.

Tampering is done the way an attacker with DBA rights would: the append-only triggers are switched
off for one transaction (PostgreSQL: session_replication_role = replica; SQLite: the triggers are
dropped from this test's own database copy), then rows are edited, deleted or swapped directly
(tests/helpers/audit.py).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from approval.extensions import db
from approval.models import AuditEntry, Decision
from tests.helpers.audit import (
    GENESIS,
    assert_broken_at,
    entry_id,
    independent_hash,
    past_the_triggers,
    rows,
    verify,
    write_row,
)

# ---------------------------------------------------------------- an intact chain


def test_verify_accepts_an_intact_chain(runner, published):
    count = len(rows())
    assert count == 6  # create, submit, approve, approve, sign_off, publish
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert f"OK: {count} entries" in result.output


def test_entries_form_one_chain_from_genesis_in_the_recorded_algorithm(published):
    previous = GENESIS
    for position, row in enumerate(rows(), start=1):
        assert row.id == position
        assert row.prev_hash == previous
        assert row.hash_alg == "sm3"
        assert row.entry_hash == independent_hash(row, "sm3")
        previous = row.entry_hash


def test_verify_uses_each_entrys_recorded_algorithm(runner, published):
    """Older entries written on a platform without SM3 (SHA-256) must still verify."""
    with past_the_triggers():
        previous = GENESIS
        for row in rows():
            values = row._asdict()
            values.update(prev_hash=previous, hash_alg="sha256" if row.id <= 3 else "sm3")
            values["entry_hash"] = independent_hash(SimpleNamespace(**values), values["hash_alg"])
            write_row(row.id, values)
            previous = values["entry_hash"]
        db.session.execute(
            text("UPDATE audit_head SET last_hash = :h WHERE id = 1"), {"h": previous}
        )
    assert [r.hash_alg for r in rows()] == ["sha256"] * 3 + ["sm3"] * 3
    result = verify(runner)
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- tampering is found


def test_an_edited_entry_is_named(runner, published):
    target = entry_id("sign_off")
    with past_the_triggers():
        write_row(target, {"detail": json.dumps({"opinion": "不同意公开"}, ensure_ascii=False)})
    output = assert_broken_at(runner, target)
    assert "content does not match its hash" in output


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link(runner, published):
    target = entry_id("approve")  # the leader's approval
    with past_the_triggers():
        row = next(r for r in rows() if r.id == target)
        values = {**row._asdict(), "actor_name": "别人"}
        values["entry_hash"] = independent_hash(SimpleNamespace(**values), row.hash_alg)
        write_row(target, values)
    output = assert_broken_at(runner, target + 1)
    assert "link to the previous entry is broken" in output


@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_a_deleted_entry_is_named(runner, published, which):
    ids = [r.id for r in rows()]
    target = {"first": ids[0], "middle": ids[len(ids) // 2], "last": ids[-1]}[which]
    with past_the_triggers():
        db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": target})
    assert target not in [r.id for r in rows()]
    assert_broken_at(runner, target)


@pytest.mark.parametrize("pair", [(2, 3), (2, 5)], ids=["adjacent", "apart"])
def test_reordered_entries_are_found_at_the_first_of_them(runner, published, pair):
    first, second = pair
    with past_the_triggers():
        by_id = {r.id: r._asdict() for r in rows()}
        write_row(first, by_id[second])
        write_row(second, by_id[first])
    assert [r.action for r in rows()][first - 1] == by_id[second]["action"]
    assert_broken_at(runner, first)


# ---------------------------------------------------------------- the triggers


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET action = 'approve' WHERE id = 1",
        "UPDATE audit_entries SET actor_name = '别人'",
        "DELETE FROM audit_entries WHERE id = 1",
        "DELETE FROM audit_entries",
        "UPDATE decisions SET opinion = '改过的意见'",
        "DELETE FROM decisions",
    ],
)
def test_update_and_delete_are_refused_by_the_database(runner, published, statement):
    before_entries = [tuple(r) for r in rows()]
    before_decisions = db.session.execute(
        select(Decision.id, Decision.opinion).order_by(Decision.id)
    ).all()
    assert before_decisions
    db.session.commit()
    with pytest.raises(DBAPIError, match=r"append-only|immutable"):
        db.session.execute(text(statement))
        db.session.flush()
    db.session.rollback()
    assert [tuple(r) for r in rows()] == before_entries
    assert (
        db.session.execute(select(Decision.id, Decision.opinion).order_by(Decision.id)).all()
        == before_decisions
    )
    assert verify(runner).exit_code == 0


# ---------------------------------------------------------------- names as they were


def test_history_keeps_the_name_the_actor_had_at_the_time(runner, world, login_as):
    item = world.to_state(world.item(), "pending_office")
    leader = world.users["leader"]
    old_username, old_name = leader.username, leader.display_name
    leader.username, leader.display_name = "renamed_leader", "改名后的领导"
    db.session.commit()

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "approve"))
    assert (entry.actor_username, entry.actor_name) == (old_username, old_name)
    page = login_as("auditor").get(f"/items/{item.id}/history")
    assert page.status_code == 200
    assert old_name in page.text and old_username in page.text
    assert "改名后的领导" not in page.text and "renamed_leader" not in page.text
    assert verify(runner).exit_code == 0


def test_an_entrys_body_is_hashed_so_moving_it_to_another_body_is_caught(runner, published):
    assert all(r.body_id == published.body_id for r in rows())
    with past_the_triggers():
        db.session.execute(text("UPDATE audit_entries SET body_id = NULL WHERE id = 2"))
    result = verify(runner)
    assert result.exit_code == 1 and "entry 2" in result.output
