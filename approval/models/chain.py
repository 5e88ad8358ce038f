"""A body's approval chain, stored as rows so a body can add a step without a code change.

The rows are versioned. Changing the chain (the security admin's 审批流程 page,
``accounts/chain_admin.py``) writes the whole new chain as version n + 1 and leaves the older
versions as they were. A round records the version it started on (``items.chain_version``, set on
submission), so an item already in a round finishes on the chain it started with, and only rounds
that start after the change walk the new one. A version without rows is the default chain
(``workflow.DEFAULT_STEPS``): a body that never configured its chain, and the items it submitted
before its first configured version, are on version 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from flask import g, has_request_context
from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from approval.core.workflow import DEFAULT_STEPS, DRAFT, Chain, Scope, Step, StepKind
from approval.extensions import db
from approval.platform import settings_cache

DEFAULT_CHAIN = Chain(DEFAULT_STEPS)


class ChainStep(db.Model):
    __tablename__ = "chain_steps"
    __table_args__ = (
        UniqueConstraint("body_id", "version", "key"),
        UniqueConstraint("body_id", "version", "position"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    # the chain's version this row belongs to; the body's current chain is its newest version
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16), default=StepKind.APPROVE.value)
    scope: Mapped[str] = mapped_column(String(16), default=Scope.BODY.value)

    def as_step(self) -> Step:
        return Step(self.key, self.name, self.role, StepKind(self.kind), Scope(self.scope))


@dataclass(frozen=True)
class WaitingStep:
    """A step an item of the body may wait at: ``step`` as the chain versions in ``versions``
    define it (None: every version that has a step with this key defines it alike, so the state
    alone says which one it is)."""

    step: Step
    versions: tuple[int, ...] | None
    is_current: bool  # the current chain's definition of the step


@dataclass(frozen=True)
class Chains:
    """Every version of a body's chain: new rounds start on ``current``."""

    current_version: int
    configured: Mapping[int, Chain]  # the versions that have rows

    @property
    def current(self) -> Chain:
        return self.of(self.current_version)

    def of(self, version: int) -> Chain:
        return self.configured.get(version, DEFAULT_CHAIN)

    def versions(self) -> list[int]:
        """Every version an item may be on, the current one first, then the newest first."""
        older = sorted(({0} | set(self.configured)) - {self.current_version}, reverse=True)
        return [self.current_version, *older]

    def waiting_steps(self) -> list[WaitingStep]:
        """Every step an item may wait at, by key: the current chain's steps first, in order,
        then steps only earlier versions have (rounds started before a change finish on them).
        A key that two versions define differently (another role or scope) is one entry per
        definition, each with its versions."""
        found: dict[str, list[tuple[Step, list[int]]]] = {}
        for version in self.versions():
            for step in self.of(version).steps:
                same = found.setdefault(step.key, [])
                for seen, versions in same:
                    if (seen.role, seen.kind, seen.scope) == (step.role, step.kind, step.scope):
                        versions.append(version)
                        break
                else:
                    same.append((step, [version]))
        current = self.current.steps
        return [
            WaitingStep(
                step,
                None if len(definitions) == 1 else tuple(sorted(versions)),
                self.current_version in versions and step.key in {s.key for s in current},
            )
            for definitions in found.values()
            for step, versions in definitions
        ]

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step an item may wait at, one per key (the newest definition), in the order of
        ``waiting_steps``: for lists, deadlines and names, never for deciding (``chain_of``)."""
        seen: dict[str, Step] = {}
        for waiting in self.waiting_steps():
            seen.setdefault(waiting.step.key, waiting.step)
        return tuple(seen.values())

    def step_for(self, state: str) -> Step | None:
        """The step of ``state`` in the newest version that has it (for naming past states)."""
        for version in self.versions():
            step = self.of(version).step_for(state)
            if step is not None:
                return step
        return None


def chains_for(body_id: int) -> Chains:
    """Every version of the body's chain. Read once per request (the chain does not change under
    a request's feet), kept by the process while the body's settings version is unchanged
    (platform/settings_cache.py)."""
    cache = g.setdefault("_chains", {}) if has_request_context() else {}
    if body_id not in cache:
        cache[body_id] = settings_cache.cached("chains", lambda: read_chains(body_id), body_id)
    return cache[body_id]


def forget_chains() -> None:
    """Drop this request's copy (after the chain changed in it)."""
    if has_request_context():
        g.pop("_chains", None)


def chain_for(body_id: int) -> Chain:
    """The body's current chain: the one a round that starts now walks."""
    return chains_for(body_id).current


def chain_of(item) -> Chain:
    """The chain ``item`` walks: the one its round started on, or for a draft (whose next round
    has not started) the body's current chain."""
    chains = chains_for(item.body_id)
    if item.state == DRAFT or not item.round:
        return chains.current
    return chains.of(item.chain_version)


def read_chains(body_id: int) -> Chains:
    """Every version of the body's chain as the session sees it now (no copy)."""
    rows = db.session.scalars(
        select(ChainStep)
        .where(ChainStep.body_id == body_id)
        .order_by(ChainStep.version, ChainStep.position)
    ).all()
    steps: dict[int, list[Step]] = {}
    for row in rows:
        steps.setdefault(row.version, []).append(row.as_step())
    return Chains(
        max(steps, default=0),
        MappingProxyType({version: Chain(listed) for version, listed in steps.items()}),
    )
