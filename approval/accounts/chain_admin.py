"""The body's approval chain (审批流程), set by the security admin (安全管理员) on a page, not in SQL.

The page edits the whole chain (add, remove, reorder steps; each step's name, role and scope) and
saves it at once. The new chain is checked by the same rules as every chain (``workflow.Chain``:
exactly one secrecy review, and it is the last step: 先审查、后公开) and written as a new version
of the body's chain (``models/chain.py``): rounds that start afterwards walk it, while an item
already in a round finishes on the version it started with. Saving is one audit entry with the
steps before and after. Changes of one body's chain are serialised by a lock on the body's row
(PostgreSQL; SQLite write requests hold the database's write lock) and refused when the page
was opened on an older version. Services never commit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from approval.audit import trail as audit
from approval.core.errors import Conflict, InvalidInput
from approval.core.msgids import N_
from approval.core.roles import Role
from approval.core.text import strip_invisible
from approval.core.workflow import (
    DUPLICATE_KEYS,
    NO_STEPS,
    SECRECY_LAST,
    Chain,
    ChainError,
    Scope,
    Step,
    StepKind,
)
from approval.extensions import db
from approval.models import Body, ChainStep, Item
from approval.models.chain import Chains, forget_chains, read_chains

MAX_NAME_CHARS = 64  # chain_steps.name
MAX_KEY_CHARS = 32  # chain_steps.key ("pending_" + key fits items.state)
MAX_STEPS = 12

# the roles that decide at a step, in the page's order; a 保密审查员's step is the secrecy review
STEP_ROLES = (Role.LEADER, Role.OFFICE_AUDITOR, Role.SECRECY_REVIEWER)
SCOPE_LABELS = {
    Scope.DEPARTMENT: N_("信息所属科室的分管领导"),
    Scope.GENERAL_OFFICE: N_("分管党政办（办公室）的领导"),
    Scope.BODY: N_("本单位持有该角色的任何人"),
}
LEADER_SCOPES = frozenset({Scope.DEPARTMENT, Scope.GENERAL_OFFICE})  # only leaders lead anything
# the keys of the steps the seeds and the docs name, so their states read as before
KEY_NAMES = {
    (Role.LEADER, Scope.DEPARTMENT): "leader",
    (Role.LEADER, Scope.GENERAL_OFFICE): "office_head",
    (Role.OFFICE_AUDITOR, Scope.BODY): "office",
    (Role.SECRECY_REVIEWER, Scope.BODY): "secrecy",
}

NAME_REQUIRED = N_("请填写步骤名称")
NAME_TOO_LONG = N_("步骤名称不能超过 %(n)s 个字")
ROLE_REQUIRED = N_("请选择审批角色")
SCOPE_REQUIRED = N_("请选择审批范围")
SCOPE_NEEDS_LEADER = N_("只有“分管领导”角色能按所属科室或党政办（办公室）确定审批人")
TOO_MANY_STEPS = N_("审批流程最多 %(n)s 个步骤")
UNCHANGED = N_("审批流程没有变化")
ROWS_INVALID = N_("请修正标红的项目后再保存。")
STALE = N_("审批流程已被他人修改，请查看当前的流程后重新修改")
CHAIN_RULES = {
    NO_STEPS: N_("审批流程至少要有一个步骤"),
    DUPLICATE_KEYS: N_("审批流程中有重复的步骤"),
    SECRECY_LAST: N_(
        "审批流程必须有且只有一个保密审查步骤（保密审查员），并且它是最后一步：先审查、后公开"
    ),
}


@dataclass
class Row:
    """One step as the page edits it: ``key`` is empty for a step that is not saved yet."""

    key: str
    name: str
    role: str
    scope: str

    @classmethod
    def of(cls, step: Step) -> Row:
        return cls(step.key, step.name, str(step.role), str(step.scope))


@dataclass(frozen=True)
class Problem:
    index: int | None  # the row (None: the chain as a whole)
    field: str | None  # "name", "role", "scope"
    message: str  # msgid
    params: dict


# ------------------------------------------------------------------------------- reading


def rows_of(chain: Chain) -> list[Row]:
    return [Row.of(step) for step in chain.steps]


def in_rounds(body_id: int, chains: Chains) -> tuple[int, int]:
    """How many of the body's items are in a round now: (all of them, those on an earlier version
    of the chain than the current one). Each finishes on the version its round started on."""
    pending = sorted({w.step.state for w in chains.waiting_steps()})
    counted = db.session.execute(
        select(
            func.count(),
            func.count().filter(Item.chain_version != chains.current_version),
        ).where(Item.body_id == body_id, Item.state.in_(pending))
    ).one()
    return int(counted[0]), int(counted[1])


# ------------------------------------------------------------------------------- checking


def problems(rows: list[Row]) -> list[Problem]:
    """What is wrong with each row (every field is checked), then with the chain as a whole."""
    found = row_problems(rows)
    if not found:
        try:
            Chain(to_steps(rows, chains=None))
        except ChainError as exc:
            found.append(Problem(None, None, CHAIN_RULES[exc.rule], {}))
    return found


def row_problems(rows: list[Row]) -> list[Problem]:
    """What is wrong with each row's fields, and whether there are too many rows."""
    found = []
    for index, row in enumerate(rows):
        if not row.name:
            found.append(Problem(index, "name", NAME_REQUIRED, {}))
        elif len(row.name) > MAX_NAME_CHARS:
            found.append(Problem(index, "name", NAME_TOO_LONG, {"n": MAX_NAME_CHARS}))
        if row.role not in STEP_ROLES:
            found.append(Problem(index, "role", ROLE_REQUIRED, {}))
        if row.scope not in {s.value for s in Scope}:
            found.append(Problem(index, "scope", SCOPE_REQUIRED, {}))
        elif row.scope in LEADER_SCOPES and row.role in STEP_ROLES and row.role != Role.LEADER:
            found.append(Problem(index, "scope", SCOPE_NEEDS_LEADER, {}))
    if len(rows) > MAX_STEPS:
        found.append(Problem(None, None, TOO_MANY_STEPS, {"n": MAX_STEPS}))
    return found


def to_steps(rows: list[Row], chains: Chains | None) -> list[Step]:
    """The rows as steps: a row keeps its key, a new row gets one (``_new_key``)."""
    kept = {row.key for row in rows if row.key}
    steps = []
    for row in rows:
        role, scope = Role(row.role), Scope(row.scope)
        kind = StepKind.SECRECY_REVIEW if role is Role.SECRECY_REVIEWER else StepKind.APPROVE
        key = row.key or _new_key(role, scope, kind, kept, chains)
        kept.add(key)
        steps.append(Step(key, row.name, role, kind, scope))
    return steps


def _new_key(role: Role, scope: Scope, kind: StepKind, taken: set[str], chains) -> str:
    """A key for a new step (its state is ``pending_<key>``): the seeds' name for its role and
    scope, else both; never a key of another step of the chain, nor one an earlier version
    gave a step of another role or scope (its items wait there under that meaning)."""
    meant = {}
    for waiting in chains.waiting_steps() if chains else ():
        meant.setdefault(waiting.step.key, set()).add(
            (waiting.step.role, waiting.step.kind, waiting.step.scope)
        )
    base = KEY_NAMES.get((role, scope), f"{role}_{scope}")[: MAX_KEY_CHARS - 3]
    candidate, n = base, 1
    while candidate in taken or meant.get(candidate, {(role, kind, scope)}) != {
        (role, kind, scope)
    }:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


def clean(value: str | None) -> str:
    return strip_invisible((value or "").strip())


# ------------------------------------------------------------------------------- saving


def save(actor, body, rows: list[Row], seen_version: int) -> Chains:
    """Make ``rows`` the body's chain, as a new version, and audit it before → after. Raises
    InvalidInput (a row's field: ``problems`` says which; the chain's rules; nothing changed) or
    Conflict (the page showed an older version). The caller commits."""
    if row_problems(rows):
        raise InvalidInput(ROWS_INVALID)
    try:
        Chain(to_steps(rows, chains=None))
    except ChainError as exc:
        raise InvalidInput(CHAIN_RULES[exc.rule]) from exc
    # one writer per body's chain at a time: lock the body, then read the chain as committed
    db.session.execute(select(Body.id).where(Body.id == body.id).with_for_update())
    chains = read_chains(body.id)
    if chains.current_version != seen_version:
        raise Conflict(STALE)
    before = chains.current.steps
    after = to_steps(rows, chains)
    if tuple(after) == tuple(before):
        raise InvalidInput(UNCHANGED)
    version = chains.current_version + 1
    for position, step in enumerate(after):
        db.session.add(
            ChainStep(
                body_id=body.id,
                version=version,
                position=position,
                key=step.key,
                name=step.name,
                role=str(step.role),
                kind=step.kind.value,
                scope=step.scope.value,
            )
        )
    db.session.flush()  # bumps the body's settings version: every worker reads the new chain
    forget_chains()
    total, _earlier = in_rounds(body.id, read_chains(body.id))
    audit.record(
        "chain_changed",
        actor=actor,
        detail={
            "role": Role.SECURITY_ADMIN,
            "version": {"from": chains.current_version, "to": version},
            "steps": {"from": _described(before), "to": _described(after)},
            "in_rounds": total,  # items that finish on the earlier versions
        },
    )
    return read_chains(body.id)


def _described(steps) -> list[dict]:
    return [
        {k: str(v) for k, v in asdict(step).items() if k in ("key", "name", "role", "scope")}
        for step in steps
    ]
