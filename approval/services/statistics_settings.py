"""The office's settings behind the statistics and deadlines: each department's annual target
(年度目标任务), each catalog category's staleness limit (栏目更新要求) and each approval step's
time limit (各环节办理时限). Set by the general office's staff (``permissions.can_set_targets``);
each save is one audit entry naming every change."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock, permissions
from ..extensions import db
from ..models import Category, Department, DepartmentTarget, StepTimeLimit, chain_for
from ..models.deadlines import MAX_STEP_WORKING_DAYS
from ..statistics.periods import FIRST_YEAR, LAST_YEAR
from . import audit, deadlines, public
from .departments import departments_of
from .errors import Conflict, InvalidInput, PermissionDenied

MAX_STALE_AFTER_DAYS = 3650
MAX_TARGET = 1_000_000
SET_TARGETS, SET_STALE_LIMITS = "set_targets", "set_stale_limits"  # audit actions
SET_STEP_LIMITS = "set_step_limits"
DENIED = "只有本单位党政办公室的办公室审核人员或发布员可以设置目标、栏目更新要求和办理时限"


@dataclass(frozen=True)
class TargetRow:
    department_id: int
    name: str
    target: int | None


def targets(body_id: int, year: int) -> list[TargetRow]:
    """Every department of the body with its target for ``year`` (None: none set)."""
    set_ = dict(db.session.execute(
        select(DepartmentTarget.department_id, DepartmentTarget.target)
        .join(Department, Department.id == DepartmentTarget.department_id)
        .where(Department.body_id == body_id, DepartmentTarget.year == year)).all())
    return [TargetRow(d.id, d.name, set_.get(d.id)) for d in departments_of(body_id)]


def set_targets(user, body_id: int, year: int, values: dict[int, int | None]) -> int:
    """Set (a number), change or remove (None) the targets of ``year``; returns how many
    changed. One audit entry names every change with what it was before."""
    if not permissions.can_set_targets(user, body_id):
        raise PermissionDenied(DENIED)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(gettext("年度无效"), "year")
    departments = {d.id: d for d in departments_of(body_id)}
    _check_numbers(values, departments, "target", MAX_TARGET)
    rows = {t.department_id: t for t in db.session.scalars(
        select(DepartmentTarget).where(DepartmentTarget.department_id.in_(list(departments)),
                                       DepartmentTarget.year == year))}
    changes = _save(user, rows, values, "target",
                    lambda key, **fields: DepartmentTarget(department_id=key, year=year,
                                                            **fields),
                    lambda key: {"department": departments[key].name})
    if changes:
        _flush_or_conflict()
        audit.record(SET_TARGETS, actor=user, body_id=body_id,
                     detail={"year": year, "changes": changes})
    return len(changes)


@dataclass(frozen=True)
class CategoryLimit:
    category_id: int
    code: str
    name: str               # the full name, parents first
    depth: int
    limit: int | None       # None: the default


def category_limits(body_id: int) -> list[CategoryLimit]:
    """The body's categories in catalog order, each with its own staleness limit."""
    out: list[CategoryLimit] = []

    def walk(nodes, prefix: str, depth: int) -> None:
        for node in nodes:
            category, name = node.category, f"{prefix}{node.category.name}"
            out.append(CategoryLimit(category.id, category.code, name, depth,
                                     category.stale_after_days))
            walk(node.children, f"{name} / ", depth + 1)

    walk(public.category_tree(body_id), "", 0)
    return out


def set_stale_limits(user, body_id: int, values: dict[int, int | None]) -> int:
    """Set or clear (None: the default) the staleness limit of the body's categories."""
    if not permissions.can_set_targets(user, body_id):
        raise PermissionDenied(DENIED)
    categories = {c.id: c for c in db.session.scalars(
        select(Category).where(Category.body_id == body_id))}
    _check_numbers(values, categories, "days", MAX_STALE_AFTER_DAYS)
    changes = []
    for category_id, value in values.items():
        category = categories[category_id]
        if category.stale_after_days == value:
            continue
        changes.append({"code": category.code, "name": category.name,
                        "before": category.stale_after_days, "after": value})
        category.stale_after_days = value
    if changes:
        _flush_or_conflict()
        audit.record(SET_STALE_LIMITS, actor=user, body_id=body_id, detail={"changes": changes})
    return len(changes)


@dataclass(frozen=True)
class StepLimitRow:
    key: str
    name: str
    limit: int | None       # working days; None: no limit


def step_limit_rows(body_id: int) -> list[StepLimitRow]:
    """The body's chain steps in order, each with its time limit."""
    limits = deadlines.step_limits(body_id)
    return [StepLimitRow(s.key, s.name, limits.get(s.key)) for s in chain_for(body_id).steps]


def set_step_limits(user, body_id: int, values: dict[str, int | None]) -> int:
    """Set, change or remove (None) the time limits of the body's chain steps (in working days,
    1–MAX_STEP_WORKING_DAYS); returns how many changed."""
    if not permissions.can_set_targets(user, body_id):
        raise PermissionDenied(DENIED)
    steps = {s.key: s for s in chain_for(body_id).steps}
    _check_numbers(values, steps, "days", MAX_STEP_WORKING_DAYS)
    rows = {r.step_key: r for r in db.session.scalars(
        select(StepTimeLimit).where(StepTimeLimit.body_id == body_id))}
    changes = _save(user, rows, values, "working_days",
                    lambda key, **fields: StepTimeLimit(body_id=body_id, step_key=key, **fields),
                    lambda key: {"step": steps[key].name})
    if changes:
        _flush_or_conflict()
        audit.record(SET_STEP_LIMITS, actor=user, body_id=body_id, detail={"changes": changes})
    return len(changes)


def _save(user, rows: dict, values: dict, column: str, new_row, label) -> list[dict]:
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


def _check_numbers(values: dict[int, int | None], known: dict, prefix: str, maximum: int) -> None:
    for key, value in values.items():
        if key not in known:
            raise InvalidInput(gettext("页面已过期，请刷新后重新填写"), None)
        if value is not None and not 1 <= value <= maximum:
            raise InvalidInput(gettext("请填写 1 到 %(max)s 之间的整数", max=maximum),
                               f"{prefix}_{key}")


def _flush_or_conflict() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:  # another save of the same year's first targets won
        raise Conflict(gettext("设置刚被他人修改，请刷新页面后重新填写")) from exc
