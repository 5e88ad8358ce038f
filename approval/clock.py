"""Time in one place: the database stores naive UTC; pages show Asia/Shanghai."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
