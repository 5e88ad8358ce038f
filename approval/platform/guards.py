"""The version guard every change goes through (compare-and-swap on items.version)."""

from contextlib import contextmanager

from sqlalchemy.orm.exc import StaleDataError

from approval.core.errors import Conflict
from approval.core.msgids import N_
from approval.extensions import db

STALE_MESSAGE = N_("该信息已被他人修改或已进入下一环节，您看到的页面已过期。请刷新后重试。")


def guard_version(item, seen_version) -> None:
    """The page the user acted on must show the item's current version."""
    if seen_version is None or str(seen_version) != str(item.version):
        raise Conflict(STALE_MESSAGE)


@contextmanager
def changing(item, seen_version):
    """Check the version the user saw, then run the change and flush it. A concurrent writer who
    got there first makes the UPDATE match no row; wherever SQLAlchemy flushes (autoflush before a
    query, or the final flush here) that is a Conflict, and the caller rolls the request back."""
    guard_version(item, seen_version)
    try:
        yield
        db.session.flush()
    except StaleDataError as exc:
        raise Conflict(STALE_MESSAGE) from exc
