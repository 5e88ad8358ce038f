"""常用意见: add, remove and move one's own reusable opinions.

A personal preference: only the owner lists or changes theirs (another user's id is a 404, as if
it did not exist), and it is not audited (the opinion a decision uses is copied into the
decision, which is). No version check: a stale page can only move or remove one's own entry."""

from __future__ import annotations

from sqlalchemy import func, select

from approval import permissions
from approval.core.errors import InvalidInput, NotFound, PermissionDenied
from approval.extensions import db
from approval.models.opinions import PER_USER_MAX, TEXT_MAX, SavedOpinion


def mine(user) -> list[SavedOpinion]:
    """The user's 常用意见 in their order."""
    if not permissions.can_keep_opinions(user):
        return []
    return list(
        db.session.scalars(
            select(SavedOpinion)
            .where(SavedOpinion.user_id == user.id)
            .order_by(SavedOpinion.position, SavedOpinion.id)
        )
    )


def _guard(user) -> None:
    if not permissions.can_keep_opinions(user):
        raise PermissionDenied("只有审批人员可以设置常用意见")


def _own(user, opinion_id: int) -> SavedOpinion:
    opinion = db.session.get(SavedOpinion, opinion_id)
    if opinion is None or opinion.user_id != user.id:
        raise NotFound("常用意见不存在或已删除")
    return opinion


def add(user, text: str) -> SavedOpinion:
    _guard(user)
    text = (text or "").strip()
    if not text:
        raise InvalidInput("请填写意见内容", "text")
    if len(text) > TEXT_MAX:
        raise InvalidInput("常用意见不能超过500字", "text")
    existing = mine(user)
    if len(existing) >= PER_USER_MAX:
        raise InvalidInput("常用意见最多50条，请先删除不用的", "text")
    if any(o.text == text for o in existing):
        raise InvalidInput("已有相同的常用意见", "text")
    last = db.session.scalar(
        select(func.max(SavedOpinion.position)).where(SavedOpinion.user_id == user.id)
    )
    opinion = SavedOpinion(user_id=user.id, text=text, position=(last or 0) + 1)
    db.session.add(opinion)
    db.session.flush()
    return opinion


def remove(user, opinion_id: int) -> None:
    _guard(user)
    db.session.delete(_own(user, opinion_id))
    db.session.flush()


def move(user, opinion_id: int, direction: str) -> None:
    """One place up or down; the first cannot go up, the last cannot go down (nothing moves)."""
    _guard(user)
    opinion = _own(user, opinion_id)
    if direction not in ("up", "down"):
        raise InvalidInput("移动方向不正确", "direction")
    ordered = mine(user)
    at = ordered.index(opinion)
    other = at - 1 if direction == "up" else at + 1
    if not 0 <= other < len(ordered):
        return
    ordered[at], ordered[other] = ordered[other], ordered[at]
    for position, row in enumerate(ordered, start=1):
        row.position = position
    db.session.flush()
