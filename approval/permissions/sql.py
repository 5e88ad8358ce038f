"""The SQL twins of the predicates in this package: the same "who may" rules as conditions on
``items``, for the lists that must not load every row to ask (the inbox, the 授权 page's coverage).
A rule changed in one place is changed in the other, side by side here."""

from __future__ import annotations

from sqlalchemy import and_, exists, false, or_, true

from approval.core.roles import Role
from approval.core.workflow import Scope
from approval.models import Contributor, Decision, Item
from approval.permissions import leads_general_office


def may_decide_at(person, step):
    """The items (at ``step``'s state) ``person`` may decide on in their own right, as SQL: one of
    the step's people (``step_scope``), not an author, not decided in the round; None when they
    are none of the step's people at all (``denial``'s rules)."""
    scope = step_scope(person, step)
    if scope is None:
        return None
    return and_(scope, not_contributed_by(person.id), not_decided_by(person.id))


def may_publish(person):
    """The approved items ``person`` may publish, as SQL (a publisher, not an author)."""
    return not_contributed_by(person.id) if person.has_role(Role.PUBLISHER) else None


def step_scope(person, step):
    """The items of the user's body for which ``person`` is one of ``step``'s people, as SQL
    (````eligible_for_step````), or None when they are none of them at all."""
    if not person.has_role(step.role):
        return None
    if step.scope == Scope.DEPARTMENT:
        if not person.has_role(Role.LEADER):
            return false()
        return Item.department_id.in_([d.id for d in person.led_departments])
    if step.scope == Scope.GENERAL_OFFICE:
        return true() if leads_general_office(person, person.body_id) else None
    return true()


def not_contributed_by(user_id: int):
    return ~exists().where(Contributor.item_id == Item.id, Contributor.user_id == user_id)


def not_decided_by(user_id: int):
    """Not decided in the item's current round by the user, themself or through a deputy."""
    return ~exists().where(
        Decision.item_id == Item.id,
        Decision.round == Item.round,
        or_(Decision.actor_id == user_id, Decision.on_behalf_of_id == user_id),
    )
