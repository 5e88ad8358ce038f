"""Anchoring the audit chain outside the database, what the anchors catch that the chain alone
cannot, insertions, and the retention floor.

Tampering is done as in tests/test_audit.py (with tests/helpers/audit.py): past the append-only
triggers, like someone with database-owner rights (who can also move the chain head row to match
what they did).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from datetime import datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from approval import create_app
from approval.audit.retention import RetentionSettingError
from approval.extensions import db
from tests.helpers.audit import (
    assert_broken_at,
    independent_hash,
    past_the_triggers,
    rows,
    verify,
    write_row,
)


@pytest.fixture
def anchors_file(app):
    from pathlib import Path

    return Path(app.instance_path) / "audit-anchors.jsonl"


def anchor(runner) -> dict:
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def set_head(seq: int, last_hash: str) -> None:
    db.session.execute(
        text("UPDATE audit_head SET seq = :s, last_hash = :h WHERE id = 1"),
        {"s": seq, "h": last_hash},
    )


def cut_off_newest(keep: int) -> None:
    """Delete every entry after ``keep`` and set the head back to match: the chain alone looks
    whole."""
    with past_the_triggers():
        kept_hash = next(r.entry_hash for r in rows() if r.id == keep)
        db.session.execute(text("DELETE FROM audit_entries WHERE id > :k"), {"k": keep})
        set_head(keep, kept_hash)


def recompute_chain(change_id: int, **changes) -> None:
    """Change one entry and recompute every hash and link from it on, and the head: a chain that
    is consistent in itself."""
    with past_the_triggers():
        previous = None
        for row in rows():
            values = row._asdict()
            if row.id == change_id:
                values.update(changes)
            if previous is not None:
                values["prev_hash"] = previous
            if row.id >= change_id:
                values["entry_hash"] = independent_hash(SimpleNamespace(**values), row.hash_alg)
                write_row(row.id, values)
            previous = values["entry_hash"]
        set_head(len(rows()), previous)


def without_anchors(app, anchors_file, runner):
    """Verify as if no anchor had been taken (the gap the anchors close)."""
    moved = anchors_file.with_suffix(".moved")
    shutil.move(anchors_file, moved)
    try:
        return verify(runner)
    finally:
        shutil.move(moved, anchors_file)


# ---------------------------------------------------------------- taking anchors


def test_anchor_appends_the_chain_head_to_a_private_file(runner, world, published, anchors_file):
    first = anchor(runner)
    last = rows()[-1]
    assert first["entry_id"] == last.id == 6 and first["entries"] == 6
    assert first["entry_hash"] == last.entry_hash
    taken = datetime.fromisoformat(first["anchored_at"])
    assert taken.utcoffset().total_seconds() == 0  # UTC
    assert stat.S_IMODE(os.stat(anchors_file).st_mode) == 0o600

    world.item()  # one more entry
    second = anchor(runner)
    assert second["entry_id"] == 7 and second["entry_hash"] == rows()[-1].entry_hash
    lines = anchors_file.read_text().splitlines()
    assert [json.loads(line) for line in lines] == [first, second]  # appended, the first kept


def test_the_anchor_file_can_be_elsewhere(app, runner, published, tmp_path):
    path = tmp_path / "off-instance" / "anchors.jsonl"
    app.config["AUDIT_ANCHOR_PATH"] = str(path)
    assert anchor(runner)["entry_id"] == 6
    assert json.loads(path.read_text())["entry_id"] == 6
    result = verify(runner)
    assert result.exit_code == 0 and "matches 1 anchor" in result.output


def test_a_broken_chain_is_not_anchored(runner, published, anchors_file):
    anchor(runner)
    with past_the_triggers():
        write_row(3, {"actor_name": "别人"})
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 1 and "broken at entry 3" in result.output
    assert len(anchors_file.read_text().splitlines()) == 1  # nothing was added


def test_a_chain_cut_below_an_earlier_anchor_is_not_anchored(runner, published, anchors_file):
    anchor(runner)
    cut_off_newest(keep=4)
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 1 and "broken at entry 5" in result.output
    assert len(anchors_file.read_text().splitlines()) == 1


# ---------------------------------------------------------------- verify and the anchors


def test_verify_without_anchors_warns_and_still_walks_the_chain(runner, published, anchors_file):
    assert not anchors_file.exists()
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "WARNING: no anchors" in result.output and "OK: 6 entries, chain intact" in result.output
    with past_the_triggers():
        write_row(2, {"action": "return"})
    assert_broken_at(runner, 2)  # tampering inside the chain is still found without anchors


def test_verify_reports_the_anchors_it_matched(runner, published):
    taken = anchor(runner)
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.output
    assert (
        f"matches 1 anchor(s), the latest taken at {taken['anchored_at']} at entry 6"
        in result.output
    )


@pytest.mark.parametrize("past_the_anchor", [False, True], ids=["to-the-anchor", "past-it"])
def test_cutting_off_the_newest_entries_is_found_by_the_anchor(
    app, runner, world, published, anchors_file, past_the_anchor
):
    anchor(runner)  # at entry 6
    if past_the_anchor:
        world.item()
        world.item()  # entries 7 and 8, not anchored
    cut_off_newest(keep=4)
    assert without_anchors(app, anchors_file, runner).exit_code == 0  # the chain looks whole
    output = assert_broken_at(runner, 5)
    assert "the chain ends at 4 but entry 6 was anchored" in output


def test_a_recomputed_chain_is_found_by_the_anchor(app, runner, published, anchors_file):
    anchor(runner)
    recompute_chain(2, actor_name="别人", detail=json.dumps({"opinion": "改过的意见"}))
    assert without_anchors(app, anchors_file, runner).exit_code == 0  # consistent in itself
    output = assert_broken_at(runner, 6)
    assert "differs from the anchor" in output


def test_every_anchor_is_checked_not_only_the_newest(runner, world, published, anchors_file):
    """Whoever recomputes the chain and appends a matching anchor is still caught by the older
    anchor."""
    anchor(runner)  # at entry 6
    world.item()
    recompute_chain(3, actor_name="别人")
    forged = {
        "entry_id": 7,
        "entries": 7,
        "entry_hash": rows()[-1].entry_hash,
        "anchored_at": "2099-01-01T00:00:00Z",
    }
    with anchors_file.open("a") as handle:
        handle.write(json.dumps(forged) + "\n")
    assert_broken_at(runner, 6)


def test_a_damaged_anchor_file_fails_verification(runner, published, anchors_file):
    anchor(runner)
    with anchors_file.open("a") as handle:
        handle.write('{"entry_id": 6, "entry_hash": "edited by hand"\n')
    result = verify(runner)
    assert result.exit_code == 1
    assert "BROKEN anchor file" in result.output and "line 2" in result.output


# ---------------------------------------------------------------- insertions


def _insert(values: dict) -> None:
    columns = ", ".join(values)
    db.session.execute(
        text(
            f"INSERT INTO audit_entries ({columns}) VALUES ({', '.join(':' + c for c in values)})"
        ),
        values,
    )


def test_an_entry_inserted_in_the_middle_is_found(runner, published):
    """Later entries moved up one place to make room for a forged entry 4 that links to 3."""
    with past_the_triggers():
        by_id = {r.id: r._asdict() for r in rows()}
        for moved in (6, 5, 4):
            db.session.execute(
                text("UPDATE audit_entries SET id = id + 1 WHERE id = :i"), {"i": moved}
            )
        forged = {**by_id[4], "actor_name": "伪造", "prev_hash": by_id[3]["entry_hash"]}
        forged["entry_hash"] = independent_hash(SimpleNamespace(**forged), forged["hash_alg"])
        _insert(forged)
        set_head(7, by_id[6]["entry_hash"])
    output = assert_broken_at(runner, 5)
    assert "link to the previous entry is broken" in output


def test_an_entry_inserted_before_the_first_is_found(runner, published):
    first = rows()[0]._asdict()
    with past_the_triggers():
        _insert({**first, "id": 0})
    output = assert_broken_at(runner, 0)
    assert "inserted before the start" in output


def test_an_entry_appended_past_the_head_is_found(runner, published):
    last = rows()[-1]._asdict()
    forged = {**last, "id": 7, "prev_hash": last["entry_hash"], "action": "publish"}
    forged["entry_hash"] = independent_hash(SimpleNamespace(**forged), forged["hash_alg"])
    with past_the_triggers():
        _insert(forged)
    output = assert_broken_at(runner, 7)  # the first entry the head does not know
    assert "the chain ends at 7 but its head says 6" in output


# ---------------------------------------------------------------- retention


def _app_with(tmp_path, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "INSTANCE_PATH": str(tmp_path / "i"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.sqlite'}",
            **config,
        }
    )


@pytest.mark.parametrize("days", [0, 30, 179, "90", "半年", 180.5, True])
def test_a_retention_below_180_days_stops_the_start_up(tmp_path, days):
    with pytest.raises(RetentionSettingError, match="AUDIT_RETENTION_DAYS"):
        _app_with(tmp_path, AUDIT_RETENTION_DAYS=days)


def test_a_retention_from_the_environment_is_checked_too(tmp_path, monkeypatch):
    monkeypatch.setenv("APPROVAL_AUDIT_RETENTION_DAYS", "90")
    with pytest.raises(RetentionSettingError, match="180"):
        _app_with(tmp_path)


@pytest.mark.parametrize("days", [180, 365, "3650"])
def test_a_retention_of_180_days_or_more_is_accepted(tmp_path, days):
    assert _app_with(tmp_path, AUDIT_RETENTION_DAYS=days).config["AUDIT_RETENTION_DAYS"] == days


def test_the_default_retention_is_180_days(tmp_path):
    assert _app_with(tmp_path).config["AUDIT_RETENTION_DAYS"] == 180


# ---------------------------------------------------------------- an unusable anchor file


@pytest.mark.parametrize("command", ["verify", "anchor"])
def test_an_anchor_file_that_cannot_be_read_is_a_clear_error(
    app, runner, published, tmp_path, command
):
    """A directory where the file should be: unreadable for root too (like a file owned by
    another account is for the app's)."""
    path = tmp_path / "anchors.jsonl"
    path.mkdir()
    app.config["AUDIT_ANCHOR_PATH"] = str(path)
    result = runner.invoke(args=["audit", command])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # no traceback
    assert f"{path}: cannot read the anchor file" in result.output


def test_an_anchor_file_that_cannot_be_written_is_a_clear_error(app, runner, published, tmp_path):
    """A link into a directory that does not exist: nothing to read yet, nothing can be
    created (as with a file made append-only or owned by another account)."""
    path = tmp_path / "anchors.jsonl"
    path.symlink_to(tmp_path / "missing" / "anchors.jsonl")
    app.config["AUDIT_ANCHOR_PATH"] = str(path)
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"NOT ANCHORED: {path}: cannot write the anchor file" in result.output
