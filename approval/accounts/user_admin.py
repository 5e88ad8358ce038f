"""The system admin's (系统管理员, 三员分立) accounts: list, create, edit, disable/enable, reset a
password, unlock.

Only an active sysadmin works here (``permissions.can_manage_accounts``), and only on accounts of
their own body: another body's account is "not found". The sysadmin never grants roles (a new
account has none until the security admin grants them), and never changes an admin account (any
of the three admin roles, themself included): those are listed read-only and managed with the
deployment's commands (``flask create-user``), so no admin can take over another's account
(``permissions.can_manage_account``).

Passwords the sysadmin types (a new account's first one, a reset) meet the password policy and
must be changed by their owner at the next login (``accounts.new_account_password``). Checking
(``password_problems``) and hashing (``prepare_password``: argon2, slow on purpose) happen before
the write transaction begins, as on the login and change-password pages.

Each change is ONE audit entry, its detail naming the account and what changed (``changes``:
field → [old, new]; never a password or its hash). A change takes the account's row lock first,
then the audit chain's head (the order logins.py uses). Services never commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import delete, false, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from approval import permissions
from approval.accounts import (
    account_filters,
    email_address,
    logins,
    policy,
)
from approval.accounts import (
    password_change as accounts,
)
from approval.audit import trail as audit
from approval.core import clock, passwords
from approval.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from approval.core.msgids import N_, translate
from approval.core.roles import Role
from approval.core.text import strip_invisible
from approval.extensions import db
from approval.models import Department, User
from approval.models.users import LoginFailure

PAGE_SIZE = 50
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9._-]{3,64}")
MAX_NAME_CHARS = 64  # users.display_name

# the user list's status filter (code → label msgid); "" is everyone
STATUSES = {
    "": N_("全部"),
    "active": N_("正常"),
    "disabled": N_("已停用"),
    "locked": N_("已锁定"),
    "must_change": N_("须修改密码"),
}

DENIED = N_("只有本单位的系统管理员可以管理账号和科室")
ADMIN_ACCOUNT = N_(
    "管理员账号（系统管理员、安全管理员、安全审计员）只能用部署命令管理，不能在此修改"
)
NOT_FOUND = N_("该账号不存在")
USERNAME_FORMAT = N_("用户名须为 3–64 位字母、数字、点（.）、下划线（_）或连字符（-）")
USERNAME_TAKEN = N_("用户名“%(username)s”已被使用，请换一个")
NAME_REQUIRED = N_("请填写姓名")
NAME_TOO_LONG = N_("姓名不能超过 64 字")
DEPARTMENT_REQUIRED = N_("请选择科室")
DEPARTMENT_UNKNOWN = N_("所选科室不存在，请刷新页面后重新选择")
NOT_REPEATED = N_("两次输入的密码不一致")
POLICY_REFUSED = N_("%(problems)s")  # the password policy's own messages, one after the other
MOVE_WITH_ROLES = N_(
    "该账号已有角色，调整科室会改变它能办理的业务：请安全管理员先取消它的角色，调整科室后再重新授权"
)


# ------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Filters:
    department_id: int | None = None
    text: str | None = None  # in the name or the username
    status: str = ""  # a key of STATUSES

    def as_args(self) -> dict:
        """The filters as the list's query string (to keep them across pages)."""
        return {
            k: v
            for k, v in (
                ("department", self.department_id),
                ("q", self.text),
                ("status", self.status),
            )
            if v
        }


def user_page(
    user, filters: Filters, after: str | None = None, size: int = PAGE_SIZE
) -> tuple[list[User], str | None]:
    """The accounts of the sysadmin's body matching ``filters``, in username order, ``size`` at a
    time; returns (accounts, the username to continue after). Keyset on the unique username: no
    OFFSET, no count over the whole list."""
    _guard(user)
    max_age = policy.for_user(user).password_max_age_days
    query = select(User).where(User.body_id == user.body_id, *_conditions(filters, max_age))
    if after:
        query = query.where(User.username > after)
    rows = (
        db.session.scalars(
            query.options(joinedload(User.department), selectinload(User.role_rows))
            .order_by(User.username)
            .limit(size + 1)
        )
        .unique()
        .all()
    )
    return rows[:size], (rows[size - 1].username if len(rows) > size else None)


def _conditions(filters: Filters, max_age_days: int) -> list:
    conditions = account_filters.conditions(filters.department_id, filters.text)
    now = clock.utcnow()
    locked = User.locked_until > now
    if filters.status == "active":
        conditions += [
            User.is_enabled == true(),
            or_(User.locked_until.is_(None), User.locked_until <= now),
        ]
    elif filters.status == "disabled":
        conditions.append(User.is_enabled == false())
    elif filters.status == "locked":
        conditions.append(locked)
    elif filters.status == "must_change":
        due = [User.must_change_password == true()]  # as accounts.change_due decides
        if max_age_days:
            due += [
                User.password_changed_at.is_(None),
                User.password_changed_at <= now - timedelta(days=max_age_days),
            ]
        conditions.append(or_(*due))
    return conditions


def statuses_of(account: User) -> list[tuple[str, str]]:
    """The account's status badges, (code, label msgid); none: 正常."""
    found = []
    if not account.is_enabled:
        found.append(("disabled", N_("已停用")))
    if logins.is_locked(account):
        found.append(("locked", N_("已锁定")))
    due = accounts.change_due(account)
    if due == passwords.MUST_CHANGE:
        found.append(("must_change", N_("须修改密码")))
    elif due == passwords.EXPIRED:
        found.append(("must_change", N_("密码已过期")))
    return found


def account_in_body(user, account_id: int) -> User:
    """The account if it belongs to the sysadmin's body; another body's or a missing one: not
    found (no existence leak)."""
    _guard(user)
    account = db.session.get(User, account_id)
    if account is None or account.body_id != user.body_id:
        raise NotFound(NOT_FOUND)
    return account


def managed_account(user, account_id: int) -> User:
    """The account if the sysadmin may change it (checked before any slow work): another body's
    is not found, an admin account (themself included) refused with a Conflict."""
    account = account_in_body(user, account_id)
    if not permissions.can_manage_account(user, account):
        raise Conflict(ADMIN_ACCOUNT)
    return account


def failure_count(account: User) -> int:
    """Wrong passwords counted towards a lock (within the window, or not yet cleaned up)."""
    return db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.user_id == account.id)
    )


# ------------------------------------------------------------------------------- passwords


def password_problems(username: str, password: str, repeat: str) -> dict[str, list[str]]:
    """What is wrong with a password the sysadmin typed twice (the policy, checked against the
    account's username; the repetition), each under its form field, translated. Fast."""
    errors = {}
    problems = passwords.problems(password or "", username or "")
    if problems:
        errors["password"] = [gettext(m, **passwords.POLICY) for m in problems]
    if password != repeat:
        errors["repeat_password"] = [gettext(NOT_REPEATED)]
    return errors


@dataclass(frozen=True)
class NewPassword:
    """An accepted password, hashed, for an account made or reset by the sysadmin."""

    password_hash: str
    must_change: bool  # at the owner's next login (accounts.new_account_password says so)


def prepare_password(username: str, password: str) -> NewPassword:
    """Hash a password ``password_problems`` accepted: slow (argon2) and touching no table, so
    call it before the write transaction begins."""
    probe = User(username=username)  # never added to the session
    refused = accounts.new_account_password(probe, password)  # the policy; the hash; must change
    if refused:  # password_problems said yes (or a command, which did not ask it first)
        problems = translate(N_("；")).join(
            translate(m, **passwords.POLICY) for m in passwords.problems(password, username)
        )
        raise InvalidInput(POLICY_REFUSED, "password", problems=problems)
    return NewPassword(probe.password_hash, probe.must_change_password)


def _give_password(account: User, password: NewPassword) -> None:
    account.store_password_hash(password.password_hash)
    account.must_change_password = password.must_change


# ------------------------------------------------------------------------------- checks


def clean_username(value: str | None) -> str:
    return strip_invisible(value or "").strip()


def _check_username(username: str) -> None:
    """Names are unique across the deployment, whatever the letter case (a login types one of
    them)."""
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidInput(USERNAME_FORMAT, "username")
    taken = db.session.scalar(
        select(User.username).where(func.lower(User.username) == username.lower()).limit(1)
    )
    if taken is not None:
        raise InvalidInput(USERNAME_TAKEN, "username", username=taken)


def new_account_problems(
    user, username: str, display_name: str, department_id: int | None, email: str | None = None
) -> dict[str, list[str]]:
    """Every problem of a new account's username, name, department and e-mail address at once
    (reads only; translated); ``create_user`` checks them again under the write lock."""
    _guard(user)
    errors = {}
    for name, check in (
        ("username", lambda: _check_username(clean_username(username))),
        ("display_name", lambda: _check_name(display_name)),
        ("department_id", lambda: _check_department(user, department_id)),
        ("email", lambda: email_address.normalised(email)),
    ):
        try:
            check()
        except InvalidInput as refused:
            errors[name] = [refused.message]
    return errors


def _check_name(value: str | None) -> None:
    name = _clean_name(value)
    if not name:
        raise InvalidInput(NAME_REQUIRED, "display_name")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(NAME_TOO_LONG, "display_name")


def _clean_name(value: str | None) -> str:
    return strip_invisible(value or "").strip()


def _check_department(user, department_id: int | None) -> None:
    if not department_id:
        raise InvalidInput(DEPARTMENT_REQUIRED, "department_id")
    department = db.session.get(Department, department_id)
    if department is None or department.body_id != user.body_id:
        raise InvalidInput(DEPARTMENT_UNKNOWN, "department_id")


# ------------------------------------------------------------------------------- changes


def create_user(
    user,
    *,
    username: str,
    display_name: str,
    department_id: int | None,
    password: NewPassword,
    email: str | None = None,
) -> User:
    """A business account of the sysadmin's body, without roles (the security admin grants
    them), whose first password must be changed at the first login; ``email`` is optional."""
    _guard(user)
    username, display_name = clean_username(username), _clean_name(display_name)
    _check_username(username)
    _check_name(display_name)
    _check_department(user, department_id)
    email = email_address.normalised(email)
    department = db.session.get(Department, department_id)
    account = User(
        username=username,
        display_name=display_name,
        body_id=user.body_id,
        department=department,
        email=email,
    )
    _give_password(account, password)
    db.session.add(account)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same name taken in the same instant; the caller rolls back
        raise InvalidInput(USERNAME_TAKEN, "username", username=username) from exc
    audit.record(
        "create_user",
        actor=user,
        detail={
            "role": Role.SYSADMIN,
            "username": username,
            "display_name": display_name,
            "department": department.name,
            "roles": [],
            "must_change_password": True,
            "via": "web",
            **({"email": email} if email else {}),
        },
    )
    return account


def update_user(
    user, account_id: int, *, display_name: str, department_id: int | None, email: str | None
) -> list[str]:
    """Change the name, department and e-mail address (blank: none; the outbox is left alone, see
    ``email_address``); returns the fields that changed (none: nothing audited)."""
    account = _load_managed(user, account_id)
    display_name = _clean_name(display_name)
    _check_name(display_name)
    _check_department(user, department_id)
    email = email_address.normalised(email)
    department = db.session.get(Department, department_id)
    changes = {}
    if display_name != account.display_name:
        changes["display_name"] = [account.display_name, display_name]
    if department.id != account.department_id:
        if account.roles:  # what an officer may write, and who is general-office staff, follow
            raise Conflict(MOVE_WITH_ROLES)  # the department: the security admin's say
        changes["department"] = [
            account.department.name if account.department else None,
            department.name,
        ]
    if email != account.email:
        changes["email"] = [account.email, email]
    if not changes:
        return []
    account.display_name, account.department, account.email = display_name, department, email
    db.session.flush()
    _audit("update_user", user, account, changes, fields=list(changes))
    return list(changes)


def set_enabled(user, account_id: int, enabled: bool) -> bool:
    """Disable (ending every session of the account at once: a copied cookie stops working) or
    enable an account; False when it already was (nothing changes, nothing is audited)."""
    account = _load_managed(user, account_id)
    if account.is_enabled == enabled:
        return False
    account.is_enabled = enabled
    detail = {}
    if not enabled:
        account.end_all_sessions()
        detail["sessions_ended"] = True
    db.session.flush()
    _audit(
        "enable_user" if enabled else "disable_user",
        user,
        account,
        {"is_enabled": [not enabled, enabled]},
        **detail,
    )
    return True


def reset_password(user, account_id: int, password: NewPassword) -> User:
    """Give the account a temporary password (``prepare_password``) that its owner must
    change at the next login; ends every session of it and clears a lock and the failure count."""
    account = _load_managed(user, account_id)
    changes = _reset(account, password)
    _audit("reset_password", user, account, changes, sessions_ended=True)
    return account


def reset_by_command(username: str, password: NewPassword) -> User:
    """The deployment's reset (``flask reset-password``), for any account of any body: the only
    way an admin account (三员) gets a new password, since no admin page may touch one. Raises
    NotFound for an unknown username."""
    found = db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
    account = logins.load_for_update(found) if found is not None else None
    if account is None:
        raise NotFound(NOT_FOUND)
    changes = _reset(account, password)
    audit.record(
        "reset_password",
        body_id=account.body_id,
        actor_username="(flask reset-password)",
        detail={
            "username": account.username,
            "display_name": account.display_name,
            "changes": changes,
            "sessions_ended": True,
            "via": "cli",
        },
    )
    return account


def _reset(account: User, password: NewPassword) -> dict:
    """Store the new password, end every session and clear any lock; returns what changed."""
    changes = {"must_change_password": [account.must_change_password, True]}
    changes.update(_clear_lock(account))
    _give_password(account, password)
    account.end_all_sessions()
    db.session.flush()
    return changes


def unlock(user, account_id: int) -> bool:
    """Lift a lock from too many wrong passwords, and forget the failures counted; False when the
    account is not locked and has no failures counted (nothing is audited)."""
    account = _load_managed(user, account_id)
    changes = _clear_lock(account)
    if not changes:
        return False
    db.session.flush()
    _audit("unlock_user", user, account, changes)
    return True


# ------------------------------------------------------------------------------- helpers


def _guard(user) -> None:
    if not permissions.can_manage_accounts(user):
        raise PermissionDenied(DENIED)


def _load_managed(user, account_id: int) -> User:
    """The account, its row locked (logins.load_for_update: the order every writer of it keeps),
    if the sysadmin may change it: another body's is not found, an admin account refused."""
    _guard(user)
    account = logins.load_for_update(account_id)
    if account is None or account.body_id != user.body_id:
        raise NotFound(NOT_FOUND)
    if not permissions.can_manage_account(user, account):
        raise Conflict(ADMIN_ACCOUNT)
    return account


def _clear_lock(account: User) -> dict:
    """Clear the lock and the failure count; returns what changed (for the audit detail)."""
    changes = {}
    if account.locked_until is not None:
        changes["locked_until"] = [account.locked_until.isoformat(timespec="seconds"), None]
        account.locked_until = None
    cleared = db.session.execute(
        delete(LoginFailure).where(LoginFailure.user_id == account.id)
    ).rowcount
    if cleared:
        changes["login_failures"] = [cleared, 0]
    return changes


def _audit(action: str, user, account: User, changes: dict, **extra) -> None:
    audit.record(
        action,
        actor=user,
        detail={
            "role": Role.SYSADMIN,
            "username": account.username,
            "display_name": account.display_name,
            "changes": changes,
            **extra,
        },
    )
