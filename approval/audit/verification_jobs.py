"""校验哈希链 as a job (issue 27): the audit page records a request, ``flask jobs run`` walks
the chain in pages of BATCH_SIZE entries, each read in its own short snapshot (no transaction
stays open for the walk, no write lock is held while reading, memory stays flat at a million
entries), stores the progress after every page and keeps the result: when, how many entries,
the first broken one and what was wrong with it.

Several runners may run at once: each claims one pending request (``FOR UPDATE SKIP LOCKED``
on PostgreSQL; SQLite's write lock on a ``write_transactions`` claim)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from approval import permissions
from approval.audit import trail as audit
from approval.audit.anchor import AnchorError, anchor_path, read_anchors
from approval.core.clock import utcnow
from approval.core.errors import PermissionDenied
from approval.core.roles import Role
from approval.extensions import db
from approval.models import AuditHead, AuditVerification
from approval.models.verifications import BROKEN, FAILED, INTACT, PENDING, RUNNING
from approval.platform.db_setup import write_transactions
from approval.platform.job_results import JobResult

BATCH_SIZE = 5000
SHOWN = 10  # the latest verifications on the audit page
STALLED = timedelta(hours=2)  # a run started this long ago died with its runner: run it again


def _waiting(now):
    """Pending, or running but stalled (its runner crashed)."""
    return or_(
        AuditVerification.outcome == PENDING,
        and_(AuditVerification.outcome == RUNNING, AuditVerification.started_at < now - STALLED),
    )


def request_verification(user) -> AuditVerification:
    """The audit admin asks for a verification: one pending request at a time (asking again
    while one waits gives that one). Audited; the caller commits."""
    if not permissions.can_read_audit_trail(user):
        raise PermissionDenied("只有安全审计员可以校验审计日志")
    now = utcnow()
    waiting = db.session.scalar(
        select(AuditVerification).where(
            AuditVerification.outcome.in_((PENDING, RUNNING)),
            AuditVerification.started_at.is_(None)
            | (AuditVerification.started_at >= now - STALLED),
        )
    )
    if waiting is not None:
        return waiting
    verification = AuditVerification(
        requested_by_id=user.id, requested_at=now, outcome=PENDING, entries_checked=0
    )
    db.session.add(verification)
    db.session.flush()
    audit.record(
        "audit_verify_requested",
        actor=user,
        detail={"role": Role.AUDIT_ADMIN, "verification": verification.id},
    )
    return verification


def latest(limit: int = SHOWN) -> list[AuditVerification]:
    return list(
        db.session.scalars(
            select(AuditVerification).order_by(AuditVerification.id.desc()).limit(limit)
        )
    )


def run_pending(batch_size: int = BATCH_SIZE) -> JobResult:
    """Run every pending verification (``flask jobs run``)."""
    result = JobResult("审计日志校验 (audit chain verification)", "verified", unit="verification")
    db.session.rollback()
    tried: set[int] = set()
    while (verification_id := _claim(tried)) is not None:
        tried.add(verification_id)
        try:
            run_one(verification_id, batch_size)
        except Exception as exc:  # noqa: BLE001 - kept as the verification's outcome
            db.session.rollback()
            current_app.logger.exception("audit verification %s failed", verification_id)
            _finish(verification_id, None, error=f"unexpected error: {exc}")
            result.failed.append((verification_id, "unexpected error (see the log)"))
            continue
        result.done.append(verification_id)
    return result


def _claim(tried: set[int]) -> int | None:
    """Mark one waiting verification running, in its own committed transaction."""
    with write_transactions():
        query = (
            select(AuditVerification)
            .where(_waiting(utcnow()))
            .order_by(AuditVerification.id)
            .limit(1)
            .with_for_update(skip_locked=True, of=AuditVerification)
        )
        if tried:
            query = query.where(AuditVerification.id.not_in(tried))
        verification = db.session.scalar(query)
        if verification is None:
            db.session.rollback()
            return None
        verification.outcome, verification.started_at = RUNNING, utcnow()
        verification.total = db.session.scalar(select(AuditHead.seq).where(AuditHead.id == 1))
        verification_id = verification.id
        db.session.commit()
    return verification_id


def run_one(verification_id: int, batch_size: int = BATCH_SIZE) -> audit.VerifyResult | None:
    """Walk the chain for one claimed verification, storing the progress after every page."""
    try:
        anchors = read_anchors(anchor_path(current_app)) or []
    except AnchorError as exc:
        current_app.logger.error("audit anchor file: %s", exc)
        _finish(verification_id, None, error=str(exc))
        return None
    walk = audit.ChainWalk(anchors)
    while True:
        with audit.snapshot() as conn:  # one short read transaction per page
            outcome = walk.step(conn, batch_size)
        if outcome is not None:
            break
        _progress(verification_id, walk.checked)
    _finish(verification_id, outcome, anchors=len(anchors))
    return outcome


def _progress(verification_id: int, checked: int) -> None:
    with write_transactions():
        db.session.execute(
            update(AuditVerification)
            .where(AuditVerification.id == verification_id)
            .values(entries_checked=checked)
        )
        db.session.commit()


def _finish(verification_id, outcome, *, error: str | None = None, anchors=None) -> None:
    """Keep the result, and audit it as the person who asked for it."""
    with write_transactions():
        verification = db.session.get(AuditVerification, verification_id, populate_existing=True)
        verification.finished_at = utcnow()
        if outcome is None:
            verification.outcome, verification.error = FAILED, error
        else:
            verification.entries_checked = outcome.checked
            verification.outcome = INTACT if outcome.ok else BROKEN
            verification.first_broken_entry = outcome.broken_id
            verification.error = outcome.problem or None
        audit.record(
            "audit_verified",
            actor=verification.requested_by,
            body_id=None,
            detail={
                "role": Role.AUDIT_ADMIN,
                "verification": verification_id,
                "ok": verification.outcome == INTACT,
                "checked": verification.entries_checked,
                "broken_id": verification.first_broken_entry,
                "anchors": anchors,
            },
        )
        db.session.commit()
