"""The time limit of each step of the chain (各环节办理时限), in working days, set by the general
office's staff (``permissions.can_set_targets``); each save is one audit entry naming every
change."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from approval import permissions
from approval.audit import trail as audit
from approval.core.errors import PermissionDenied
from approval.deadlines.operations import step_limits
from approval.extensions import db
from approval.models import StepTimeLimit, chain_for
from approval.models.deadlines import MAX_STEP_WORKING_DAYS
from approval.platform.number_settings import check_numbers, flush_or_conflict, save_rows

SET_STEP_LIMITS = "set_step_limits"  # audit action


@dataclass(frozen=True)
class StepLimitRow:
    key: str
    name: str
    limit: int | None  # working days; None: no limit


def step_limit_rows(body_id: int) -> list[StepLimitRow]:
    """The body's chain steps in order, each with its time limit."""
    limits = step_limits(body_id)
    return [StepLimitRow(s.key, s.name, limits.get(s.key)) for s in chain_for(body_id).steps]


def set_step_limits(user, body_id: int, values: dict[str, int | None]) -> int:
    """Set, change or remove (None) the time limits of the body's chain steps (in working days,
    1–MAX_STEP_WORKING_DAYS); returns how many changed."""
    if not permissions.can_set_targets(user, body_id):
        raise PermissionDenied(permissions.SETTINGS_DENIED)
    steps = {s.key: s for s in chain_for(body_id).steps}
    check_numbers(values, steps, "days", MAX_STEP_WORKING_DAYS)
    rows = {
        r.step_key: r
        for r in db.session.scalars(select(StepTimeLimit).where(StepTimeLimit.body_id == body_id))
    }
    changes = save_rows(
        user,
        rows,
        values,
        "working_days",
        lambda key, **fields: StepTimeLimit(body_id=body_id, step_key=key, **fields),
        lambda key: {"step": steps[key].name},
    )
    if changes:
        flush_or_conflict()
        audit.record(SET_STEP_LIMITS, actor=user, body_id=body_id, detail={"changes": changes})
    return len(changes)
