"""Logging in: checking a password, counting failures, locking an account, auditing each.

After LOGIN_MAX_FAILURES wrong passwords within LOGIN_FAILURE_WINDOW_MINUTES the account is
locked for LOGIN_LOCK_MINUTES (the body's security policy, accounts/policy.py, may set its own): it refuses even the right password, with the same message as any
other failure (no user enumeration). The count lives in the database (``login_failures``), so it
holds across workers and hosts; whoever writes to it locks the user's row first
(``load_for_update``), so two failures of one account are counted one after the other. A wrong
current password on the change-password page counts too (accounts/password_change.py).

``check`` only reads (and does the slow argon2 work); ``record`` writes, in a transaction of
its own (the route commits in between, so argon2 never runs under SQLite's write lock). In
between, other requests may have locked the account: ``record`` decides an accepted attempt
again, under the lock, before it logs anyone in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from approval.accounts import policy
from approval.audit import trail as audit
from approval.core import clock
from approval.extensions import db
from approval.models.users import LoginFailure, User, hash_password, verify_dummy_password

UNKNOWN_USER, WRONG_PASSWORD, DISABLED, LOCKED = (
    "unknown_user",
    "wrong_password",
    "disabled",
    "locked",
)


@dataclass(frozen=True)
class Attempt:
    username: str  # as typed (cleaned)
    user_id: int | None
    refusal: str | None  # None: accepted
    # an accepted password whose stored hash has old parameters: the hash to store instead
    new_hash: str | None = None
    old_hash: str | None = None  # the stored hash it replaces (unless it changed meanwhile)

    @property
    def accepted(self) -> bool:
        return self.refusal is None


def check(user: User | None, username: str, password: str) -> Attempt:
    """Decide the attempt; changes nothing. The same argon2 work whether the name is unknown,
    the account disabled or locked, or the password wrong (an accepted one may add a re-hash)."""
    if user is None:
        verify_dummy_password(password)
        return Attempt(username, None, UNKNOWN_USER)
    password_ok = user.check_password(password)
    if is_locked(user):
        refusal = LOCKED
    elif not password_ok:
        refusal = WRONG_PASSWORD
    elif not user.is_enabled:
        refusal = DISABLED
    else:
        refusal = None
    if refusal is None and user.password_needs_rehash():
        return Attempt(username, user.id, None, hash_password(password), user.password_hash)
    return Attempt(username, user.id, refusal)


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > clock.utcnow()


def load_for_update(user_id: int) -> User | None:
    """The user as committed now, their row locked until the commit (PostgreSQL; on SQLite the
    write transaction's lock covers it). Lock it before appending to the audit trail: every
    writer takes the row first, then the trail's head."""
    return db.session.get(User, user_id, with_for_update=True, populate_existing=True)


def record(attempt: Attempt) -> User | None:
    """Audit the attempt and keep the failure count; returns the user on success. An accepted
    attempt is refused after all if the account was locked or disabled since ``check``. The
    caller commits."""
    user = load_for_update(attempt.user_id) if attempt.user_id is not None else None
    refusal = attempt.refusal
    if refusal is None:
        refusal = _refusal_now(user)
    if refusal is None:
        if attempt.new_hash and user.password_hash == attempt.old_hash:
            user.password_hash = attempt.new_hash  # the same password, stronger parameters
        audit.record("login", actor=user)
        db.session.execute(delete(LoginFailure).where(LoginFailure.user_id == user.id))
        return user
    audit.record(
        "login_failed",
        actor_username=attempt.username,
        body_id=user.body_id if user else None,
        detail={"reason": refusal},
    )
    if refusal == WRONG_PASSWORD:
        count_failure(user)
    return None


def _refusal_now(user: User | None) -> str | None:
    if user is None:
        return UNKNOWN_USER  # deleted meanwhile
    if is_locked(user):
        return LOCKED
    if not user.is_enabled:
        return DISABLED
    return None


def count_failure(user: User) -> bool:
    """Count one wrong password of ``user`` (their row locked: ``load_for_update``); the one
    that reaches the policy's maximum within its window locks the account, audited, and returns
    True."""
    rules = policy.for_user(user)
    now = clock.utcnow()
    window = timedelta(minutes=rules.login_failure_window_minutes)
    db.session.add(LoginFailure(user_id=user.id, failed_at=now))
    db.session.execute(
        delete(LoginFailure).where(
            LoginFailure.user_id == user.id, LoginFailure.failed_at <= now - window
        )
    )
    failures = db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.user_id == user.id)
    )
    if failures < rules.login_max_failures:
        return False
    user.locked_until = now + timedelta(minutes=rules.login_lock_minutes)
    db.session.execute(delete(LoginFailure).where(LoginFailure.user_id == user.id))
    audit.record(
        "account_locked",
        actor_username=user.username,
        body_id=user.body_id,
        detail={
            "failures": failures,
            "window_minutes": rules.login_failure_window_minutes,
            "locked_until": user.locked_until.isoformat(timespec="seconds"),
        },
    )
    return True
