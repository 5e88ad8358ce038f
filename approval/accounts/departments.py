"""The system admin's (系统管理员) departments (部门/科室/站所) of their own body: list, add, rename,
change position, delete.

A department may be deleted only when nothing refers to it: no account is in it, no item (draft,
in the chain, published — and so no search document) was written for it, and no leader leads
it; otherwise a Conflict (409, as ``portal/catalog.py`` refuses a category in use) saying
exactly what still uses it. The general office (党政办/办公室) runs the disclosure work and the
portal: its flag is shown, never changed here, and it cannot be deleted.

Names are unique within the body (``flask create-user --department`` finds a department by its
name). Changes to one body's departments are serialised by a lock on the body's row (PostgreSQL;
SQLite write requests already hold the database's write lock). Every change is ONE audit entry
whose detail names the department and what changed (``changes``: field → [old, new]).
Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import IntegrityError

from approval import permissions
from approval.audit import trail as audit
from approval.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from approval.core.msgids import N_, translate
from approval.core.roles import Role
from approval.core.text import strip_invisible
from approval.extensions import db
from approval.models import Body, Department, Item, User, leader_departments
from approval.models.targets import DepartmentTarget

MAX_NAME_CHARS = 100  # departments.name
MAX_POSITION = 9999

DENIED = N_("只有本单位的系统管理员可以管理账号和科室")
NOT_FOUND = N_("该科室不存在或已被删除")
NAME_REQUIRED = N_("请填写科室名称")
NAME_TOO_LONG = N_("科室名称不能超过 100 字")
NAME_TAKEN = N_("本单位已有名为“%(name)s”的科室")
POSITION_RANGE = N_("排序号须为 0 至 9999 之间的整数")


@dataclass(frozen=True)
class Row:
    """A department as the list shows it: how many accounts are in it, and whether anything
    (accounts, items, leaders) still refers to it."""

    department: Department
    accounts: int
    in_use: bool

    @property
    def deletable(self) -> bool:
        return not self.in_use and not self.department.is_general_office


# ------------------------------------------------------------------------------- reading


def departments_of(body_id: int) -> list[Department]:
    """The body's departments in their order (every list and select of departments)."""
    return list(
        db.session.scalars(
            select(Department)
            .where(Department.body_id == body_id)
            .order_by(Department.position, Department.id)
        )
    )


def rows(body_id: int) -> list[Row]:
    """The body's departments in their order; counts of accounts (a few hundred rows at most)
    and index probes for items and leaders, never a count over the items."""
    accounts = (
        select(func.count())
        .where(User.department_id == Department.id)
        .correlate(Department)
        .scalar_subquery()
    )
    items = exists().where(Item.department_id == Department.id)
    leaders = exists().where(leader_departments.c.department_id == Department.id)
    found = db.session.execute(
        select(Department, accounts, items | leaders)
        .where(Department.body_id == body_id)
        .order_by(Department.position, Department.id)
    ).all()
    return [Row(department, n, bool(n) or bool(used)) for department, n, used in found]


def department_in_body(user, department_id: int) -> Department:
    _guard(user)
    department = db.session.get(Department, department_id)
    if department is None or department.body_id != user.body_id:
        raise NotFound(NOT_FOUND)
    return department


# ------------------------------------------------------------------------------- changes


def create_department(user, *, name: str, position: int | None = None) -> Department:
    """Add a department; without a position it comes last."""
    _guard(user)
    _lock(user.body_id)
    name = _name(name)
    _refuse_taken(user.body_id, name)
    if position is None:
        position = (
            db.session.scalar(
                select(func.max(Department.position)).where(Department.body_id == user.body_id)
            )
            or 0
        ) + 1
    department = Department(
        body_id=user.body_id, name=name, position=_position(position), is_general_office=False
    )
    db.session.add(department)
    db.session.flush()
    audit.record(
        "create_department",
        actor=user,
        detail={"role": Role.SYSADMIN, "name": department.name, "position": department.position},
    )
    return department


def update_department(user, department_id: int, *, name: str, position: int | None) -> list[str]:
    """Rename and/or move; returns the fields that changed (none: nothing is audited)."""
    department = _load(user, department_id)
    name, position = _name(name), _position(position)
    if name != department.name:
        _refuse_taken(department.body_id, name, besides=department.id)
    changes = {
        f: [old, new]
        for f, old, new in (
            ("name", department.name, name),
            ("position", department.position, position),
        )
        if old != new
    }
    if not changes:
        return []
    department.name, department.position = name, position
    db.session.flush()
    audit.record(
        "update_department",
        actor=user,
        detail={
            "role": Role.SYSADMIN,
            "name": department.name,
            "changes": changes,
            "fields": list(changes),
        },
    )
    return list(changes)


def delete_department(user, department_id: int) -> str:
    """Delete a department nothing refers to; returns its name. Otherwise a Conflict naming
    what still uses it."""
    department = _load(user, department_id)
    name = department.name
    refusal = _refusal(department)
    if refusal:
        raise Conflict("不能删除科室“%(name)s”：%(reason)s", name=name, reason=refusal)
    detail = {"role": Role.SYSADMIN, "name": name, "position": department.position}
    # its annual targets (statistics) go with it: nothing was ever published against them
    targets = db.session.execute(
        delete(DepartmentTarget).where(DepartmentTarget.department_id == department.id)
    ).rowcount
    if targets:
        detail["targets_removed"] = targets
    db.session.delete(department)
    try:
        db.session.flush()
    except IntegrityError as exc:  # used by an account or an item in the same instant
        raise Conflict("不能删除科室“%(name)s”：它刚刚被使用", name=name) from exc
    audit.record("delete_department", actor=user, detail=detail)
    return name


def _refusal(department: Department) -> str | None:
    """What still uses the department, in words (translated; None: nothing)."""
    if department.is_general_office:
        return translate(N_("它是本单位的党政办公室（办公室），负责公开工作和公开专栏，不能删除"))
    accounts = db.session.scalar(
        select(func.count()).select_from(User).where(User.department_id == department.id)
    )
    items = db.session.scalar(
        select(func.count()).select_from(Item).where(Item.department_id == department.id)
    )
    leaders = db.session.scalar(
        select(func.count())
        .select_from(leader_departments)
        .where(leader_departments.c.department_id == department.id)
    )
    reasons = []
    if accounts:
        reasons.append(translate(N_("还有 %(n)s 个账号（含已停用的）属于该科室"), n=accounts))
    if leaders:
        reasons.append(translate(N_("有 %(n)s 位分管领导分管该科室"), n=leaders))
    if items:
        reasons.append(
            translate(N_("有 %(n)s 条信息（含草稿、审批中和已发布的）由该科室发布"), n=items)
        )
    if not reasons:
        return None
    listed = translate(N_("；")).join(reasons)
    if items:  # an item's department is part of what was approved: it never moves
        return translate(
            N_("%(reasons)s。有信息的科室不能删除（信息的发布机构随审批记录保存），可以改名。"),
            reasons=listed,
        )
    return translate(
        N_("%(reasons)s。请先把这些账号调到其他科室，并请安全管理员取消分管关系，再删除。"),
        reasons=listed,
    )


# ------------------------------------------------------------------------------- helpers


def _guard(user) -> None:
    if not permissions.can_manage_accounts(user):
        raise PermissionDenied(DENIED)


def _lock(body_id: int) -> None:
    """One writer per body's departments at a time."""
    db.session.execute(select(Body.id).where(Body.id == body_id).with_for_update())


def _load(user, department_id: int) -> Department:
    """The sysadmin's body's department, read after the body's lock."""
    _guard(user)
    _lock(user.body_id)
    department = db.session.get(Department, department_id, populate_existing=True)
    if department is None or department.body_id != user.body_id:
        raise NotFound(NOT_FOUND)
    return department


def _name(value: str | None) -> str:
    name = strip_invisible(value or "").strip()
    if not name:
        raise InvalidInput(NAME_REQUIRED, "name")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(NAME_TOO_LONG, "name")
    return name


def _position(value: int | None) -> int:
    if value is None or not 0 <= value <= MAX_POSITION:
        raise InvalidInput(POSITION_RANGE, "position")
    return value


def _refuse_taken(body_id: int, name: str, besides: int | None = None) -> None:
    query = select(Department.name).where(Department.body_id == body_id, Department.name == name)
    if besides is not None:
        query = query.where(Department.id != besides)
    if db.session.scalar(query.limit(1)) is not None:
        raise InvalidInput(NAME_TAKEN, "name", name=name)
