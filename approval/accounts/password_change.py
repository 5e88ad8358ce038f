"""Choosing a password: on the change-password page, and for a new account (create-user).

The change page is open to whoever holds a session, so it must not become a way round the login
lockout: a locked account cannot change its password, and a wrong current password is audited
and counted like a wrong login (accounts/logins.py); the one that locks the account also ends
every session of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from approval.accounts import logins, policy
from approval.audit import trail as audit
from approval.core import clock, passwords
from approval.models import User
from approval.models.users import hash_password
from approval.platform.i18n import N_

WRONG_CURRENT = N_("当前密码不正确")
LOCKED = N_("密码输错次数过多，账号已暂时锁定，请稍后再试")
NOT_REPEATED = N_("两次输入的新密码不一致")
SAME_AS_CURRENT = N_("新密码不能与当前密码相同")


@dataclass
class PasswordChange:
    """A checked change: ``errors`` maps a form field to its messages (msgids); with none, the
    new hash is ready to store."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    new_hash: str = ""
    wrong_current: bool = False  # a guess at the password: audited and counted
    locked_now: bool = False  # this guess locked the account (set by ``record_change``)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def needs_writing(self) -> bool:
        return self.ok or self.wrong_current


def check_change(user: User, current: str, new: str, repeat: str) -> PasswordChange:
    """Every problem at once, each under its field (a locked account: only that). Does the
    slow argon2 work (verifying the current password, hashing the new one) and changes nothing;
    ``record_change`` writes the outcome."""
    if logins.is_locked(user):
        return PasswordChange(errors={"current_password": [LOCKED]})
    change = PasswordChange()
    if not user.check_password(current):
        change.errors["current_password"] = [WRONG_CURRENT]
        change.wrong_current = True
    problems = passwords.problems(new, user.username)
    if not problems and new == current:
        problems.append(SAME_AS_CURRENT)
    if problems:
        change.errors["new_password"] = problems
    if new != repeat:
        change.errors["repeat_password"] = [NOT_REPEATED]
    if change.ok:
        change.new_hash = hash_password(new)
    return change


def record_change(user: User, change: PasswordChange) -> PasswordChange:
    """Write a checked change (``needs_writing``), deciding again under the lock: store the new
    password, or audit and count a wrong current password. Returns the outcome: refused if the
    account was locked meanwhile; ``locked_now`` if this guess locked it (every session of the
    user has then ended). The caller commits."""
    user = logins.load_for_update(user.id)
    locked = logins.is_locked(user)
    if change.wrong_current:
        audit.record("password_change_failed", actor=user, detail={"reason": "wrong_password"})
        if not locked and logins.count_failure(user):
            user.end_all_sessions()
            return replace(change, locked_now=True)
        return change
    if locked:
        return PasswordChange(errors={"current_password": [LOCKED]})
    apply_change(user, change)
    return change


def apply_change(user: User, change: PasswordChange) -> None:
    """Store the checked new password and end every session of the user (the caller signs the
    current one in again with the new session token). The caller commits."""
    assert change.ok
    user.store_password_hash(change.new_hash)
    user.must_change_password = False
    user.end_all_sessions()
    audit.record("password_changed", actor=user)


def change_due(user: User) -> str | None:
    """Why the user must change their password before anything else (passwords.MUST_CHANGE,
    passwords.EXPIRED), or None."""
    return passwords.change_due(
        user.must_change_password,
        user.password_changed_at,
        clock.utcnow(),
        policy.for_user(user).password_max_age_days,
    )


def new_account_password(user: User, password: str) -> list[str]:
    """Give an account made by an administrator its first password: refused (the messages, in
    Chinese, filled in) unless it meets the policy; the owner must change it at their first
    login."""
    problems = passwords.problems(password, user.username)
    if not problems:
        user.set_password(password)
        user.must_change_password = True
    return [message % passwords.POLICY for message in problems]
