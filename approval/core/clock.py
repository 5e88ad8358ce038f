"""Time in one place: the database stores naive UTC; people live in the body's time zone
(BABEL_DEFAULT_TIMEZONE, Asia/Shanghai by default). "Today" and "this year" are local: a
document formed at 07:00 Beijing time is formed today, not yesterday as UTC would say."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"


def _configured_zone() -> str | None:
    return None  # until the app says (read_zone_from)


def read_zone_from(source: Callable[[], str | None]) -> None:
    """Where the body's zone name comes from (the app's BABEL_DEFAULT_TIMEZONE, set by the app
    factory); the kernel itself knows no Flask."""
    global _configured_zone
    _configured_zone = source


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def local_zone() -> ZoneInfo:
    return ZoneInfo(_configured_zone() or DEFAULT_ZONE)


def to_local(value: datetime) -> datetime:
    """A stored (naive UTC) time as the local wall-clock time."""
    return value.replace(tzinfo=UTC).astimezone(local_zone())


def local_today() -> date:
    """The body's date now (read through ``utcnow`` at call time, so a test's clock moves it)."""
    return to_local(utcnow()).date()
