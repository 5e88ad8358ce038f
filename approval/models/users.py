"""Logins, their roles, and the departments a leader leads."""
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from ..roles import Role, check_role_set

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) parameters

leader_departments = Table(
    "leader_departments", db.metadata,
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
    # part of every session cookie; a new one ends every session of this user (logout, disable)
    session_token: Mapped[str | None] = mapped_column(String(64),
                                                      default=lambda: secrets.token_hex(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

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
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.password_hash = _hasher.hash(password)
        return True


def verify_dummy_password(password: str) -> None:
    """Spend the same time as a real check when the username is unknown (no user enumeration)."""
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except VerificationError:
        pass


_DUMMY_HASH = _hasher.hash("no such user")
