"""Time in one place: the database stores naive UTC; people live in the body's time zone
(BABEL_DEFAULT_TIMEZONE, Asia/Shanghai by default). "Today" and "this year" are local: a
document formed at 07:00 Beijing time is formed today, not yesterday as UTC would say."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def local_zone() -> ZoneInfo:
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_ZONE)


def to_local(value: datetime) -> datetime:
    """A stored (naive UTC) time as the local wall-clock time."""
    return value.replace(tzinfo=UTC).astimezone(local_zone())


def local_today() -> date:
    """The body's date now (read through ``utcnow`` at call time, so a test's clock moves it)."""
    return to_local(utcnow()).date()
