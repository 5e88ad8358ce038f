"""Who may see and do what. Routes, services and templates ask these; nothing else decides.

Deny by default: every predicate starts from "no" and names the one situation that says "yes".
``verdict(user, item, action, chain)`` answers an action once: why it is refused, or where the item
goes, in which role and on whose behalf; ``denial`` is its reason alone, and the ``can_*``
helpers are yes/no forms for routes and templates. The SQL twins of these rules, for the lists,
are in ``permissions.sql``.
"""

from __future__ import annotations

from dataclasses import dataclass

from approval.core.msgids import N_
from approval.core.roles import ADMIN_ROLES, BUSINESS_ROLES, DECISION_ROLES, Role, is_admin_account
from approval.core.workflow import (
    AUTHOR_ACTIONS,
    DECISIONS,
    DRAFT,
    PUBLISHED,
    PUBLISHER_ACTIONS,
    PUBLISHING_ACTIONS,
    STATE_REFUSAL,
    Action,
    Chain,
    IllegalTransition,
    Scope,
)

# Refusals are msgids (translated where they are shown). STATE_REFUSAL (the chain, not the
# person, says no) is the workflow's own (core/workflow.py).
NOT_SCHEDULED = N_("该信息没有设置定时发布")  # the item's state, too: nothing to cancel
SETTINGS_DENIED = N_(
    "只有本单位党政办公室的办公室审核人员或发布员可以设置目标、栏目更新要求和办理时限"
)
# a 修订 whose item was withdrawn, or whose 公示 data came down, since it was started
AMENDED_ITEM_GONE = N_(
    "原信息已撤稿或公示期满已隐去个人信息，修订不能发布；请退回修订稿，由信息员放弃修订"
)
STATE_REFUSALS = (STATE_REFUSAL, NOT_SCHEDULED, AMENDED_ITEM_GONE)  # a 409, not a 403
NO_RIGHT = N_("您没有执行此操作的权限")
OWN_ITEM = N_("不能审批或发布自己撰写的信息")
DECIDED_TWICE = N_("您已在本轮审批中作出过决定，不能重复审批")


def _is_business_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.roles & BUSINESS_ROLES)


def _is_active_admin(user, role: Role) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_role(role))


def _in_body(user, item) -> bool:
    return user.body_id == item.body_id


def is_department_officer(user, item) -> bool:
    return (
        _is_business_user(user)
        and user.has_role(Role.OFFICER)
        and user.department_id == item.department_id
    )


def leads_department(user, department_id: int) -> bool:
    return user.has_role(Role.LEADER) and any(d.id == department_id for d in user.led_departments)


def leads_general_office(user, body_id: int) -> bool:
    return user.has_role(Role.LEADER) and any(
        d.is_general_office and d.body_id == body_id for d in user.led_departments
    )


def eligible_for_step(user, step, item) -> bool:
    """Whether ``user`` is one of the people who act at ``step`` for this item."""
    if not user.has_role(step.role):
        return False
    if step.scope == Scope.DEPARTMENT:
        return leads_department(user, item.department_id)
    if step.scope == Scope.GENERAL_OFFICE:
        return leads_general_office(user, item.body_id)
    return True


def authors_of(item) -> set[int]:
    """Everyone who wrote, changed, attached to, submitted or recalled the item (the operations record
    them as contributors): none of them may decide on it or publish it."""
    return {item.author_id, *(c.user_id for c in item.contributors)}


def has_decided_in_round(user, item) -> bool:
    """Whether ``user`` decided in the item's current round, themself or through a deputy (a
    decision taken on their behalf used their authority: it counts as theirs too)."""
    return any(
        d.round == item.round and user.id in (d.actor_id, d.on_behalf_of_id) for d in item.decisions
    )


# ---------------------------------------------------------------- 请假代理 (delegation)


def _may_deputise(user) -> bool:
    """A deputy acts only while they are still a reviewer themself (not an admin account)."""
    return bool(
        _is_business_user(user) and user.roles & DECISION_ROLES and not is_admin_account(user)
    )


def _principal_for(user, step, item, *, deciding: bool = True):
    """The first principal (oldest delegation first) of ``user``'s delegations active today whose
    delegated role is the step's and who is one of the step's people for this item; when
    ``deciding``, also one who may decide on it now: not an author, not decided in this round.
    None if there is none. Whether the deputy themself may decide is ``denial``'s question, as
    for anyone: a delegation never exempts them from the author and twice-in-a-round rules."""
    if not _may_deputise(user) or not _in_body(user, item):
        return None
    from approval.models.delegations import (
        held_today,  # the user's delegations (cached per request)
    )

    return next(
        (
            d.principal
            for d in held_today(user)
            if delegation_covers(d, step, item, deciding=deciding)
        ),
        None,
    )


def delegation_covers(delegation, step, item, *, deciding: bool = True) -> bool:
    """Whether an active ``delegation`` lets its deputy act at ``step`` for ``item``: it hands
    over the step's role and its principal is one of the step's people for the item (and, when
    ``deciding``, one who may decide on it now: not an author, not decided in this round)."""
    principal = delegation.principal
    if delegation.role != step.role or not principal.is_enabled or not _in_body(principal, item):
        return False
    if not eligible_for_step(principal, step, item):
        return False
    return not deciding or (
        principal.id not in authors_of(item) and not has_decided_in_round(principal, item)
    )


def acting_for(user, item, action: Action | str, chain: Chain):
    """The colleague on whose behalf ``user`` would take the decision ``action`` now, or None:
    a person who may act in their own right acts in their own right, and nobody acts on anyone's
    behalf outside the chain's steps (publishing is not delegated)."""
    action = Action(action)
    return _acting(user, item, action, chain)[1] if action in DECISIONS else None


def delegable_roles(user, chain: Chain) -> list[str]:
    """The roles ``user`` may hand to a deputy: those of their roles that decide at a step of
    their body's chain, in chain order."""
    if not _is_business_user(user):
        return []
    roles = []
    for step in chain.steps:
        if step.role in DECISION_ROLES and user.has_role(step.role) and step.role not in roles:
            roles.append(step.role)
    return roles


def can_use_delegations(user) -> bool:
    """The 请假代理 page: reviewers, who may name a deputy or be one; nobody else."""
    return _may_deputise(user)


def can_keep_opinions(user) -> bool:
    """常用意见: the reviewers, whose decision panels ask for an opinion."""
    return _may_deputise(user)


def can_name_a_deputy(user) -> bool:
    """Naming a deputy: a reviewer with a role that decides at a step of their body's chain."""
    if not _may_deputise(user):
        return False
    from approval.models import chain_for  # the chain is data (cached per request)

    return bool(delegable_roles(user, chain_for(user.body_id)))


def can_view_item(user, item, chain: Chain | None = None) -> bool:
    """The department's officers see its items; once submitted, so does everyone who acts at some
    step of the chain for it, and the publisher. Never-submitted drafts stay in the department."""
    if not _is_business_user(user) or not _in_body(user, item):
        return False
    if is_department_officer(user, item):
        return True
    if item.round == 0:
        return False
    if user.has_role(Role.PUBLISHER):
        return True
    if chain is None:
        from approval.models import chain_of  # the chain is data (cached per request)

        chain = chain_of(item)
    if any(eligible_for_step(user, step, item) for step in chain.steps):
        return True
    # a deputy sees what their principal sees at the delegated steps, while the delegation lasts
    return any(_principal_for(user, step, item, deciding=False) is not None for step in chain.steps)


def can_view_history(user, item) -> bool:
    if user and user.is_authenticated and user.is_active and user.has_role(Role.AUDIT_ADMIN):
        return user.body_id == item.body_id
    return can_view_item(user, item)


def can_view_secrecy_form(user, item) -> bool:
    """The 保密审查单 exists from the first submission on; whoever may read the history reads it."""
    return item.round > 0 and can_view_history(user, item)


def can_edit(user, item) -> bool:
    return item.state == DRAFT and is_department_officer(user, item)


@dataclass(frozen=True)
class Verdict:
    """The one answer to "may ``user`` take ``action`` on ``item`` now": refused, with the reason
    (a msgid; ``is_state_refusal``: the chain says no, a 409, not a 403), or allowed, with the state the
    item goes to, the role the user acts in, and the colleague on whose behalf (请假代理; None:
    in their own right)."""

    refusal: str | None = None
    to_state: str | None = None
    role: str | None = None
    principal: object = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def is_state_refusal(self) -> bool:
        return self.refusal in STATE_REFUSALS


def _acting(user, item, action: Action, chain: Chain):
    """(the role under which ``user`` would take ``action`` now, on whose behalf), or (None, None)."""
    if action in AUTHOR_ACTIONS:
        return (Role.OFFICER if is_department_officer(user, item) else None), None
    if not _is_business_user(user) or not _in_body(user, item):
        return None, None
    step = chain.step_for(item.state)
    if step is not None and action in DECISIONS:
        if eligible_for_step(user, step, item):
            return step.role, None
        principal = _principal_for(user, step, item)
        return (step.role, principal) if principal is not None else (None, None)
    if action in PUBLISHER_ACTIONS or action is Action.RETURN:
        return (Role.PUBLISHER if user.has_role(Role.PUBLISHER) else None), None
    return None, None


def verdict(user, item, action: Action | str, chain: Chain) -> Verdict:
    """Whether ``user`` may take ``action`` on ``item`` now, and if so as whom (see ``Verdict``)."""
    action = Action(action)
    try:
        to_state = chain.next_state(
            item.state, action, reply=is_reply(item), amendment=is_amendment(item)
        )
    except IllegalTransition:
        return Verdict(STATE_REFUSAL)
    role, principal = _acting(user, item, action, chain)
    if role is None:
        return Verdict(NO_RIGHT)
    # setting or cancelling the publication time is publishing: the same people, the same rules
    if (action in DECISIONS or action in PUBLISHING_ACTIONS) and user.id in authors_of(item):
        return Verdict(OWN_ITEM)
    if action is Action.UNSCHEDULE and item.publish_at is None:
        return Verdict(NOT_SCHEDULED)
    if action in (Action.PUBLISH, Action.SCHEDULE) and not amendment_can_go_online(item):
        return Verdict(AMENDED_ITEM_GONE)
    if action in DECISIONS and has_decided_in_round(user, item):  # incl. a return once approved
        return Verdict(DECIDED_TWICE)
    return Verdict(None, to_state, role, principal)


def denial(user, item, action: Action | str, chain: Chain) -> str | None:
    """Why ``user`` may not take ``action`` on ``item`` now; None if they may."""
    return verdict(user, item, action, chain).refusal


def can(user, item, action: Action | str, chain: Chain) -> bool:
    return denial(user, item, action, chain) is None


def actions_for(user, item, chain: Chain) -> list[Action]:
    """The actions to offer this user on this item, in chain order."""
    return [
        a
        for a in chain.allowed_actions(
            item.state, reply=is_reply(item), amendment=is_amendment(item)
        )
        if can(user, item, a, chain)
    ]


def is_reply(item) -> bool:
    """A reply to a request for information (依申请公开): it is sent, never published."""
    return item.request_id is not None


def is_amendment(item) -> bool:
    """A 修订 of a published item (publication/amendments.py): published, it replaces that
    item's public version."""
    return item.amends_id is not None


def amendment_can_go_online(item) -> bool:
    """Not a 修订, or one whose item is still online with what it may replace."""
    amended = item.amends if item.amends_id is not None else None
    return amended is None or (amended.state == PUBLISHED and amended.notice_taken_down_at is None)


def can_see_inbox(user, role: Role) -> bool:
    return _is_business_user(user) and user.has_role(role)


def can_create_in(user, department_id: int) -> bool:
    """Only an officer of the department writes its drafts."""
    return (
        _is_business_user(user)
        and user.has_role(Role.OFFICER)
        and user.department_id == department_id
    )


def can_read_audit_trail(user) -> bool:
    """The audit admin (安全审计员) reads their body's trail; nobody else browses it."""
    return _is_active_admin(user, Role.AUDIT_ADMIN)


def can_manage_calendar(user) -> bool:
    """The system admin (系统管理员) keeps the working-day calendar's overrides. They are national
    (one table for the deployment), so any active system admin may; nobody else."""
    return _is_active_admin(user, Role.SYSADMIN)


def can_manage_word_list(user, body_id: int | None = None) -> bool:
    """The security admin (安全管理员) manages their own body's sensitive-word list; nobody else,
    and not another body's list."""
    if not _is_active_admin(user, Role.SECURITY_ADMIN):
        return False
    return body_id is None or body_id == user.body_id


def can_grant_roles(user) -> bool:
    """The security admin (安全管理员) grants business roles in their own body (services/
    role_grants.py keeps them to it); nobody else."""
    return _is_active_admin(user, Role.SECURITY_ADMIN)


def can_set_security_policy(user) -> bool:
    """The security admin sets their own body's security policy; nobody else."""
    return _is_active_admin(user, Role.SECURITY_ADMIN)


def can_configure_chain(user) -> bool:
    """The security admin sets their own body's approval chain (审批流程: who decides, in which
    order); nobody else (accounts/chain_admin.py keeps them to their own body)."""
    return _is_active_admin(user, Role.SECURITY_ADMIN)


def can_manage_portal(user, body_id: int | None = None) -> bool:
    """The general office (its 办公室审核 or 发布员 staff) keeps the portal: the catalog tree and
    the 信息公开指南/制度 pages of its own body; nobody else, and not another body's portal."""
    if not _is_general_office_staff(user):
        return False
    return body_id is None or body_id == user.body_id


def _is_general_office_staff(user) -> bool:
    """An 办公室审核 or 发布员 of the body's general office (党政办/办公室)."""
    return bool(
        _is_business_user(user)
        and user.department
        and user.department.is_general_office
        and (user.has_role(Role.OFFICE_AUDITOR) or user.has_role(Role.PUBLISHER))
    )


def can_require_interpretation(user, item) -> bool:
    """Asking that a policy be published only with its 政策解读: the general office's 办公室审核
    and 发布员 of the item's body (publication/interpretations.py)."""
    return _is_general_office_staff(user) and user.body_id == item.body_id


def can_view_statistics(user, body_id: int | None = None) -> bool:
    """The office's statistics and the monthly 通报 of their own body: the general office's
    办公室审核 and 发布员 staff, and the leaders who lead the general office; nobody else."""
    if not (
        _is_general_office_staff(user)
        or (_is_business_user(user) and leads_general_office(user, user.body_id))
    ):
        return False
    return body_id is None or body_id == user.body_id


def can_set_targets(user, body_id: int | None = None) -> bool:
    """The departments' annual targets and the catalog's staleness limits of their own body: the
    general office's 办公室审核 and 发布员 staff (who run the disclosure work); nobody else."""
    if not _is_general_office_staff(user):
        return False
    return body_id is None or body_id == user.body_id


def can_manage_accounts(user, body_id: int | None = None) -> bool:
    """The system admin (系统管理员) manages the accounts and departments of their own body;
    nobody else, and not another body's (三员分立: no role grants, no audit trail)."""
    if not _is_active_admin(user, Role.SYSADMIN):
        return False
    return body_id is None or body_id == user.body_id


def can_manage_account(user, account) -> bool:
    """Whether ``user`` may change ``account`` (disable, reset, edit, unlock): a business account
    of the system admin's own body. Admin accounts (三员, themself included) are only listed: they
    are managed with the deployment's commands, so no admin can take over another's account."""
    return (
        can_manage_accounts(user, account.body_id)
        and account.id != user.id
        and not is_admin_account(account)
    )


def is_admin_only(user) -> bool:
    """An admin account (三员分立): it has no business pages."""
    return bool(user.roles) and user.roles <= ADMIN_ROLES
