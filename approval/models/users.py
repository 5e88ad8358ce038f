"""Logins, their roles, and the departments a leader leads."""

import secrets
from datetime import datetime

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Index, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approval.core import clock
from approval.core.clock import utcnow
from approval.core.roles import Role, check_role_set
from approval.extensions import db

# argon2id, RFC 9106's second recommended ("low-memory") option, pinned rather than left to the
# library's defaults: 64 MiB, 3 passes, 4 lanes (OWASP's floor is 19 MiB, 2 passes). A stored hash
# with other parameters is re-hashed at the next successful login (accounts/logins.py).
_hasher = PasswordHasher(
    time_cost=3, memory_cost=64 * 1024, parallelism=4, hash_len=32, salt_len=16, type=Type.ID
)

leader_departments = Table(
    "leader_departments",
    db.metadata,
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("department_id", ForeignKey("departments.id"), primary_key=True),
)


class UserRole(db.Model):
    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # part of every session cookie; a new one ends every session of this user (logout, a password
    # change, a lock from the change-password page, and an admin disabling the account, when that
    # exists)
    session_token: Mapped[str | None] = mapped_column(
        String(64), default=lambda: secrets.token_hex(16)
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(default=lambda: clock.utcnow())
    # an account made for someone else (create-user) must choose its own password first
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    locked_until: Mapped[datetime | None]  # after too many failed logins (accounts/logins.py)
    email: Mapped[str | None] = mapped_column(String(254))  # notifications by e-mail (optional)

    body = relationship("Body")
    department = relationship("Department")
    role_rows = relationship("UserRole", cascade="all, delete-orphan")
    led_departments = relationship("Department", secondary=leader_departments)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.is_enabled

    def get_id(self) -> str:
        """What the session cookie names: the user and their current session token."""
        return f"{self.id}:{self.session_token}"

    def end_all_sessions(self) -> None:
        self.session_token = secrets.token_hex(16)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r.role) for r in self.role_rows)

    def has_role(self, role: Role | str) -> bool:
        return Role(role) in self.roles

    def set_roles(self, roles) -> None:
        wanted = check_role_set(roles)
        self.role_rows = [UserRole(role=r.value) for r in sorted(wanted)]

    def set_password(self, password: str) -> None:
        """Store the hash; the policy (approval/core/passwords.py) is checked by whoever chose it."""
        self.store_password_hash(hash_password(password))

    def store_password_hash(self, password_hash: str) -> None:
        """A newly chosen password (its hash): its age starts now."""
        self.password_hash = password_hash
        self.password_changed_at = clock.utcnow()

    def check_password(self, password: str) -> bool:
        """Only checks: changes nothing, also when the hash is due for new parameters."""
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        return True

    def password_needs_rehash(self) -> bool:
        """The stored hash has other parameters than new hashes get."""
        try:
            return _hasher.check_needs_rehash(self.password_hash)
        except InvalidHashError:
            return False


class LoginFailure(db.Model):
    """One failed login of an existing account, kept while it may still count towards a lock."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    failed_at: Mapped[datetime]

    __table_args__ = (Index("ix_login_failures_user_id_failed_at", "user_id", "failed_at"),)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_dummy_password(password: str) -> None:
    """Spend the same time as a real check when the username is unknown (no user enumeration)."""
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except VerificationError:
        pass


_DUMMY_HASH = _hasher.hash("no such user")
