"""Appending to and verifying the hash-chained audit trail."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from flask import has_request_context, request
from sqlalchemy import select, update

from approval.core.clock import utcnow
from approval.core.hashing import PREFERRED, canonical_json, digest
from approval.extensions import db
from approval.models import AuditEntry, AuditHead
from approval.models.audit import GENESIS_HASH


def entry_hash(entry) -> str:
    """The hash of an entry (a model instance or a plain row with the same names)."""
    fields = {}
    for name in AuditEntry.HASHED_FIELDS:
        value = getattr(entry, name)
        fields[name] = value.isoformat(timespec="microseconds") if name == "occurred_at" else value
    for name in AuditEntry.LATER_HASHED_FIELDS:
        if getattr(entry, name) is not None:
            fields[name] = getattr(entry, name)
    return digest(canonical_json(fields).encode(), entry.hash_alg)


def record(
    action: str,
    *,
    actor=None,
    item=None,
    revision=None,
    from_state=None,
    to_state=None,
    detail: dict | None = None,
    actor_username: str | None = None,
    body_id: int | None = None,
) -> AuditEntry:
    """Append one entry. Locks the chain head first: the caller's commit releases it.
    The entry belongs to the item's body, else the actor's, else ``body_id`` (may be None)."""
    head = db.session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.last_hash)
    ).one()
    entry = AuditEntry(
        id=head.seq,
        occurred_at=utcnow(),
        body_id=item.body_id if item else (actor.body_id if actor else body_id),
        actor_id=actor.id if actor else None,
        actor_username=actor.username if actor else (actor_username or ""),
        actor_name=actor.display_name if actor else "",
        actor_roles=",".join(sorted(actor.roles)) if actor else "",
        action=str(action),
        item_id=item.id if item else None,
        revision_id=revision.id if revision else None,
        revision_hash=revision.content_hash if revision else None,
        round=item.round if item else None,
        from_state=from_state,
        to_state=to_state,
        ip=request.remote_addr if has_request_context() else None,
        detail=canonical_json(detail or {}),
        hash_alg=PREFERRED,
        prev_hash=head.last_hash,
    )
    entry.entry_hash = entry_hash(entry)
    db.session.add(entry)
    db.session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(last_hash=entry.entry_hash)
    )
    return entry


def ensure_head() -> None:
    """Create the chain head row if the database has none (called by init-db)."""
    if db.session.get(AuditHead, 1) is None:
        db.session.add(AuditHead(id=1, seq=0, last_hash=GENESIS_HASH))


@dataclass
class VerifyResult:
    checked: int
    broken_id: int | None = None
    problem: str = ""
    last_hash: str = GENESIS_HASH  # the hash of the last intact entry (the genesis hash if none)

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(batch_size: int = 1000, anchors: Iterable = ()) -> VerifyResult:
    """Walk the committed chain in order, in one snapshot; report the first entry that is missing,
    inserted, mis-linked, does not match its hash, or contradicts an anchor kept outside the
    database (``audit_anchor.Anchor``: entry_id, entry_hash, entries, anchored_at)."""
    walk = ChainWalk(anchors)
    with snapshot() as conn:
        while (result := walk.step(conn, batch_size)) is None:
            pass
    return result


class ChainWalk:
    """The chain checked page by page (keyset on the id: flat memory at any length). ``step``
    reads one page; the page that reaches the end also reads the head row, in the same
    snapshot, and gives the result. ``verify`` takes every step in one snapshot; the
    verification job (audit/verification_jobs.py) takes each in its own short one, so that no
    transaction stays open for the whole walk; what is appended meanwhile is checked too."""

    def __init__(self, anchors: Iterable = ()):
        self.anchored: dict[int, list] = {}
        for anchor in anchors:
            self.anchored.setdefault(anchor.entry_id, []).append(anchor)
        self.expected_prev, self.expected_id, self.checked = GENESIS_HASH, 1, 0
        self.last_id = None  # the first page has no lower bound: an entry inserted at id 0 shows

    def step(self, conn, batch_size: int) -> VerifyResult | None:
        """Check the next page; the result once broken or at the end, else None."""
        table = AuditEntry.__table__  # plain rows: no identity map growth on a long chain
        query = select(table).order_by(table.c.id).limit(batch_size)
        if self.last_id is not None:
            query = query.where(table.c.id > self.last_id)
        rows = conn.execute(query).all()
        for entry in rows:
            problem = _entry_problem(entry, self.expected_id, self.expected_prev)
            if problem is None:
                problem = _anchor_problem(entry, self.checked + 1, self.anchored.get(entry.id, ()))
            if problem is not None:
                return VerifyResult(self.checked, problem[0], problem[1], self.expected_prev)
            self.expected_prev, self.expected_id = entry.entry_hash, entry.id + 1
            self.checked, self.last_id = self.checked + 1, entry.id
        if len(rows) == batch_size:
            return None
        head = conn.execute(
            select(AuditHead.seq, AuditHead.last_hash).where(AuditHead.id == 1)
        ).first()
        return self._at_end(head)

    def _at_end(self, head) -> VerifyResult:
        checked, expected_prev = self.checked, self.expected_prev
        problem = _head_problem(head, checked, expected_prev)
        if problem is not None:
            return VerifyResult(min(checked, problem[0] - 1), *problem)
        beyond = [a for group in self.anchored.values() for a in group if a.entry_id > checked]
        if beyond:
            last = max(beyond, key=lambda a: a.entry_id)
            return VerifyResult(
                checked,
                checked + 1,
                f"entry {checked + 1} is missing: the chain ends at {checked} but "
                f"entry {last.entry_id} was anchored at {last.anchored_at}",
                expected_prev,
            )
        return VerifyResult(checked, last_hash=expected_prev)


def _entry_problem(entry, expected_id: int, expected_prev: str) -> tuple[int, str] | None:
    if entry.id < expected_id:  # only before the first entry: ids are unique and ascending
        return entry.id, "an entry was inserted before the start of the chain"
    if entry.id != expected_id:
        return expected_id, f"entry {expected_id} is missing"
    if entry.prev_hash != expected_prev:
        return entry.id, "link to the previous entry is broken"
    if entry_hash(entry) != entry.entry_hash:
        return entry.id, "content does not match its hash"
    return None


def _head_problem(head, checked: int, last_hash: str) -> tuple[int, str] | None:
    """The head row (what appends lock) must name the last entry: entries cut off or appended
    past it by hand show here."""
    if head is None or (head.seq == checked and head.last_hash == last_hash):
        return None
    if head.seq == checked:
        return checked, "the last entry's hash differs from the chain head"
    first_wrong = min(head.seq, checked) + 1  # the first missing, or the first beyond the head
    return first_wrong, f"the chain ends at {checked} but its head says {head.seq}"


def _anchor_problem(entry, position: int, anchors) -> tuple[int, str] | None:
    for anchor in anchors:
        if anchor.entry_hash != entry.entry_hash or anchor.entries != position:
            return entry.id, (
                f"entry {entry.id} differs from the anchor taken at "
                f"{anchor.anchored_at}: the chain was rewritten up to here"
            )
    return None


@contextmanager
def snapshot():
    """One consistent view of the committed chain. Under PostgreSQL's READ COMMITTED the head
    would move on while the walk reads (a false alarm under load); SQLite's WAL transaction is
    a snapshot already."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn


def detail_of(entry: AuditEntry) -> dict:
    return json.loads(entry.detail or "{}")
