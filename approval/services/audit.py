"""Appending to and verifying the hash-chained audit trail."""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask import has_request_context, request
from sqlalchemy import select, update

from ..clock import utcnow
from ..extensions import db
from ..hashing import PREFERRED, canonical_json, digest
from ..models import AuditEntry, AuditHead
from ..models.audit import GENESIS_HASH


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


def record(action: str, *, actor=None, item=None, revision=None, from_state=None, to_state=None,
           detail: dict | None = None, actor_username: str | None = None,
           body_id: int | None = None) -> AuditEntry:
    """Append one entry. Locks the chain head first: the caller's commit releases it.
    The entry belongs to the item's body, else the actor's, else ``body_id`` (may be None)."""
    head = db.session.execute(
        update(AuditHead).where(AuditHead.id == 1)
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
    db.session.execute(update(AuditHead).where(AuditHead.id == 1)
                       .values(last_hash=entry.entry_hash))
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

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(batch_size: int = 1000) -> VerifyResult:
    """Walk the chain in order; report the first entry whose position, link or hash is wrong."""
    expected_prev, expected_id, checked = GENESIS_HASH, 1, 0
    last_id = 0
    while True:
        table = AuditEntry.__table__  # plain rows: no identity map growth on a long chain
        rows = db.session.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch_size)
        ).all()
        if not rows:
            break
        for entry in rows:
            if entry.id != expected_id:
                return VerifyResult(checked, expected_id, f"entry {expected_id} is missing")
            if entry.prev_hash != expected_prev:
                return VerifyResult(checked, entry.id, "link to the previous entry is broken")
            if entry_hash(entry) != entry.entry_hash:
                return VerifyResult(checked, entry.id, "content does not match its hash")
            expected_prev, expected_id, checked = entry.entry_hash, entry.id + 1, checked + 1
            last_id = entry.id
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.seq != checked or head.last_hash != expected_prev):
        return VerifyResult(checked, checked + 1,
                            f"the chain ends at {checked} but its head says {head.seq}")
    return VerifyResult(checked)


def detail_of(entry: AuditEntry) -> dict:
    return json.loads(entry.detail or "{}")
