"""A body's approval chain, stored as rows so a body can add a step without a code change."""

from flask import g, has_request_context
from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from approval.core.workflow import DEFAULT_STEPS, Chain, Scope, Step, StepKind
from approval.extensions import db
from approval.platform import settings_cache


class ChainStep(db.Model):
    __tablename__ = "chain_steps"
    __table_args__ = (UniqueConstraint("body_id", "key"), UniqueConstraint("body_id", "position"))
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"))
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16), default=StepKind.APPROVE.value)
    scope: Mapped[str] = mapped_column(String(16), default=Scope.BODY.value)

    def as_step(self) -> Step:
        return Step(self.key, self.name, self.role, StepKind(self.kind), Scope(self.scope))


def chain_for(body_id: int) -> Chain:
    """The body's configured chain, or the default when it has configured none.
    Read once per request (the chain does not change under a request's feet), kept by the
    process while the body's settings version is unchanged (platform/settings_cache.py)."""
    cache = g.setdefault("_chains", {}) if has_request_context() else {}
    if body_id not in cache:
        cache[body_id] = settings_cache.cached("chain", lambda: _read_chain(body_id), body_id)
    return cache[body_id]


def _read_chain(body_id: int) -> Chain:
    rows = db.session.scalars(
        select(ChainStep).where(ChainStep.body_id == body_id).order_by(ChainStep.position)
    ).all()
    return Chain([r.as_step() for r in rows]) if rows else Chain(DEFAULT_STEPS)
