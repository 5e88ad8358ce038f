"""Saving the office's settings tables that hold one number per key (annual targets, staleness
limits, step time limits): check the numbers, add, change or remove rows, and turn a lost race
into a conflict. The operations that use these check the permission and audit the changes."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from approval.core import clock
from approval.core.errors import Conflict, InvalidInput
from approval.extensions import db


def save_rows(user, rows: dict, values: dict, column: str, new_row, label) -> list[dict]:
    """Apply ``values`` (key → number, or None to remove) to ``rows`` (key → the row of a
    settings table holding the number in ``column``): add, change or delete rows. Returns the
    changes for the audit entry: ``label(key)`` plus the number before and after."""
    changes, now = [], clock.utcnow()
    for key, value in values.items():
        row = rows.get(key)
        before = getattr(row, column) if row is not None else None
        if before == value:
            continue
        if value is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(new_row(key, **{column: value}, updated_by_id=user.id, updated_at=now))
        else:
            setattr(row, column, value)
            row.updated_by_id, row.updated_at = user.id, now
        changes.append({**label(key), "before": before, "after": value})
    return changes


def check_numbers(values: dict[int, int | None], known: dict, prefix: str, maximum: int) -> None:
    for key, value in values.items():
        if key not in known:
            raise InvalidInput("页面已过期，请刷新后重新填写", None)
        if value is not None and not 1 <= value <= maximum:
            field_name = f"{prefix}_{key}"
            raise InvalidInput("请填写 1 到 %(max)s 之间的整数", field_name, max=maximum)


def flush_or_conflict() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:  # another save of the same first rows won
        raise Conflict("设置刚被他人修改，请刷新页面后重新填写") from exc
