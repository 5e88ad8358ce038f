"""The office's settings behind the statistics: each department's annual target (年度目标任务)
and each catalog category's staleness limit (栏目更新要求); the steps' time limits are the
deadlines' (deadlines/limits.py). Set by the general office's staff (``permissions.can_set_targets``);
each save is one audit entry naming every change."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from approval import permissions
from approval.accounts.departments import departments_of
from approval.audit import trail as audit
from approval.core.errors import InvalidInput, PermissionDenied
from approval.core.periods import FIRST_YEAR, LAST_YEAR
from approval.extensions import db
from approval.models import Category, Department, DepartmentTarget
from approval.platform.number_settings import check_numbers, flush_or_conflict, save_rows
from approval.publication import categories

MAX_STALE_AFTER_DAYS = 3650
MAX_TARGET = 1_000_000
SET_TARGETS, SET_STALE_LIMITS = "set_targets", "set_stale_limits"  # audit actions


@dataclass(frozen=True)
class TargetRow:
    department_id: int
    name: str
    target: int | None


def targets(body_id: int, year: int) -> list[TargetRow]:
    """Every department of the body with its target for ``year`` (None: none set)."""
    set_ = dict(
        db.session.execute(
            select(DepartmentTarget.department_id, DepartmentTarget.target)
            .join(Department, Department.id == DepartmentTarget.department_id)
            .where(Department.body_id == body_id, DepartmentTarget.year == year)
        ).all()
    )
    return [TargetRow(d.id, d.name, set_.get(d.id)) for d in departments_of(body_id)]


def set_targets(user, body_id: int, year: int, values: dict[int, int | None]) -> int:
    """Set (a number), change or remove (None) the targets of ``year``; returns how many
    changed. One audit entry names every change with what it was before."""
    if not permissions.can_set_targets(user, body_id):
        raise PermissionDenied(permissions.SETTINGS_DENIED)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput("年度无效", "year")
    departments = {d.id: d for d in departments_of(body_id)}
    check_numbers(values, departments, "target", MAX_TARGET)
    rows = {
        t.department_id: t
        for t in db.session.scalars(
            select(DepartmentTarget).where(
                DepartmentTarget.department_id.in_(list(departments)), DepartmentTarget.year == year
            )
        )
    }
    changes = save_rows(
        user,
        rows,
        values,
        "target",
        lambda key, **fields: DepartmentTarget(department_id=key, year=year, **fields),
        lambda key: {"department": departments[key].name},
    )
    if changes:
        flush_or_conflict()
        audit.record(
            SET_TARGETS, actor=user, body_id=body_id, detail={"year": year, "changes": changes}
        )
    return len(changes)


@dataclass(frozen=True)
class CategoryLimit:
    category_id: int
    code: str
    name: str  # the full name, parents first
    depth: int
    limit: int | None  # None: the default


def category_limits(body_id: int) -> list[CategoryLimit]:
    """The body's categories in catalog order, each with its own staleness limit."""
    out: list[CategoryLimit] = []

    def walk(nodes, prefix: str, depth: int) -> None:
        for node in nodes:
            category, name = node.category, f"{prefix}{node.category.name}"
            out.append(
                CategoryLimit(category.id, category.code, name, depth, category.stale_after_days)
            )
            walk(node.children, f"{name} / ", depth + 1)

    walk(categories.category_tree(body_id), "", 0)
    return out


def set_stale_limits(user, body_id: int, values: dict[int, int | None]) -> int:
    """Set or clear (None: the default) the staleness limit of the body's categories."""
    if not permissions.can_set_targets(user, body_id):
        raise PermissionDenied(permissions.SETTINGS_DENIED)
    categories = {
        c.id: c for c in db.session.scalars(select(Category).where(Category.body_id == body_id))
    }
    check_numbers(values, categories, "days", MAX_STALE_AFTER_DAYS)
    changes = []
    for category_id, value in values.items():
        category = categories[category_id]
        if category.stale_after_days == value:
            continue
        changes.append(
            {
                "code": category.code,
                "name": category.name,
                "before": category.stale_after_days,
                "after": value,
            }
        )
        category.stale_after_days = value
    if changes:
        flush_or_conflict()
        audit.record(SET_STALE_LIMITS, actor=user, body_id=body_id, detail={"changes": changes})
    return len(changes)
