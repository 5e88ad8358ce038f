"""The audit chain read and tampered with the way someone with database-owner rights could: past
the append-only triggers (PostgreSQL: session_replication_role = replica; SQLite: the triggers are
dropped from this test's own database copy), then rows edited, deleted or swapped directly."""

from __future__ import annotations

import hashlib
import json
import re
from contextlib import contextmanager

from sqlalchemy import select, text

from approval.extensions import db
from approval.models import AuditEntry

# The fields an entry's hash covers, in the published format: canonical JSON (sorted keys, no
# spaces, non-ASCII kept), occurred_at as ISO 8601 with microseconds. Listed here on purpose: a
# field silently dropped from the hash would make edits to it undetectable.
HASHED = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_username",
    "actor_name",
    "actor_roles",
    "action",
    "item_id",
    "revision_id",
    "revision_hash",
    "round",
    "from_state",
    "to_state",
    "ip",
    "detail",
    "hash_alg",
    "prev_hash",
)
GENESIS = "0" * 64
BROKEN_RE = re.compile(r"BROKEN at entry (\d+)")


@contextmanager
def past_the_triggers():
    """One transaction in which the append-only triggers do not fire (DBA-level tampering)."""
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    else:  # this test's private SQLite copy: dropping is the SQLite way to bypass
        for name in ("audit_entries_no_update", "audit_entries_no_delete"):
            db.session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    yield
    db.session.commit()


def rows():
    """All entries as plain rows, in chain order."""
    table = AuditEntry.__table__
    return db.session.execute(select(table).order_by(table.c.id)).all()


def entry_id(action: str) -> int:
    return db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == action))


def independent_hash(row, algorithm: str) -> str:
    """An entry's hash computed here, from the published format, not by the app's code."""
    fields = {name: getattr(row, name) for name in HASHED}
    fields["occurred_at"] = row.occurred_at.isoformat(timespec="microseconds")
    if getattr(row, "body_id", None) is not None:  # added later: hashed when set
        fields["body_id"] = row.body_id
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.new(algorithm, canonical.encode()).hexdigest()


def write_row(entry_id_: int, values: dict) -> None:
    values = {k: v for k, v in values.items() if k != "id"}
    assignments = ", ".join(f"{k} = :{k}" for k in values)
    db.session.execute(
        text(f"UPDATE audit_entries SET {assignments} WHERE id = :id"), {**values, "id": entry_id_}
    )


def verify(runner):
    """``flask audit verify``, through the test's CLI runner."""
    return runner.invoke(args=["audit", "verify"])


def assert_broken_at(runner, expected_id: int) -> str:
    """``flask audit verify`` fails and names ``expected_id`` as the first broken entry."""
    result = verify(runner)
    assert result.exit_code != 0, result.output
    match = BROKEN_RE.search(result.output)
    assert match, result.output
    assert int(match.group(1)) == expected_id, result.output
    return result.output
