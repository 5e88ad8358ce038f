"""The approval chain as data, and the one function that says where an action leads.

Pure Python, no Flask. A body's chain is an ordered list of steps (stored in the chain_steps table,
the default below); the states between drafting and approval are derived from it as
``pending_<step key>``, so adding a step such as 办公室分管负责人审批 needs no code change.

    draft ─submit→ pending_<first> ─approve→ … ─approve→ pending_<last> ─sign_off→ approved
    approved ─publish→ published ─unpublish→ unpublished
    approved ─schedule / unschedule→ approved   (定时发布: `flask jobs run` publishes when due)
    pending_<last> ─withhold→ withheld
    pending_* / approved ─return→ draft;  pending_<first> ─recall→ draft (before any decision)
    published ─change_validity→ published

A reply to a request for information (依申请公开) walks the same steps but ends differently: it is
sent to the applicant (签发), never published, and has no 不予公开 (the reply type says what is
withheld and why):

    approved ─send→ sent

A 修订 (amendment) of a published item is an item of its own that walks the same steps; publishing
it replaces the public version of the item it amends, which keeps its 索引号
(publication/amendments.py). The amendment itself never goes online under its own number:

    approved ─publish→ applied;  draft ─abandon→ abandoned (放弃修订: the public version stays)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from approval.core.msgids import N_, translate

DRAFT = "draft"
APPROVED = "approved"
WITHHELD = "withheld"
PUBLISHED = "published"
UNPUBLISHED = "unpublished"
SENT = "sent"  # a reply, signed and sent to the applicant (签发)
APPLIED = "applied"  # an amendment (修订) whose content replaced its item's public version
ABANDONED = "abandoned"  # an amendment its department gave up (放弃修订)
PENDING_PREFIX = "pending_"

STATE_REFUSAL = N_("当前状态下不能执行此操作")  # an IllegalTransition, as people read it


class Action(StrEnum):
    SUBMIT = "submit"
    RECALL = "recall"
    APPROVE = "approve"
    RETURN = "return"
    SIGN_OFF = "sign_off"
    WITHHOLD = "withhold"
    PUBLISH = "publish"
    SCHEDULE = "schedule"  # 定时发布: publish at a set time (``flask jobs run`` does it)
    UNSCHEDULE = "unschedule"  # 取消定时
    UNPUBLISH = "unpublish"
    CHANGE_VALIDITY = "change_validity"
    SEND = "send"  # 签发: a reply to a request goes to the applicant instead of the portal
    ABANDON = "abandon"  # 放弃修订: an amendment's department gives it up while it is a draft


class StepKind(StrEnum):
    APPROVE = "approve"  # approve or return
    SECRECY_REVIEW = "secrecy"  # sign off (with the 保密审查单), withhold, or return


class Scope(StrEnum):
    DEPARTMENT = "department"  # holders of the role who lead the item's department
    GENERAL_OFFICE = "general_office"  # holders of the role who lead the general office
    BODY = "body"  # any holder of the role in the body


@dataclass(frozen=True)
class Step:
    key: str
    name: str
    role: str
    kind: StepKind = StepKind.APPROVE
    scope: Scope = Scope.BODY

    @property
    def state(self) -> str:
        return PENDING_PREFIX + self.key


# the step_name of a decision taken after the chain (a publisher's return), and the step of its
# notification
PUBLISHING_STEP_NAME = N_("发布")

DEFAULT_STEPS: tuple[Step, ...] = (
    Step("leader", N_("分管领导审批"), "leader", StepKind.APPROVE, Scope.DEPARTMENT),
    Step("office", N_("办公室审核"), "office_auditor", StepKind.APPROVE, Scope.BODY),
    Step("secrecy", N_("保密审查"), "secrecy_reviewer", StepKind.SECRECY_REVIEW, Scope.BODY),
)

# Actions that a reviewer takes on a round and that count as that person's decision in it.
DECISIONS = frozenset({Action.APPROVE, Action.RETURN, Action.SIGN_OFF, Action.WITHHOLD})
# Actions the item's own department takes.
AUTHOR_ACTIONS = frozenset({Action.SUBMIT, Action.RECALL, Action.ABANDON})
# Actions that change what the public portal shows.
PORTAL_ACTIONS = frozenset({Action.PUBLISH, Action.UNPUBLISH, Action.CHANGE_VALIDITY})
# Setting or cancelling a publication time: the item stays approved until it is published.
SCHEDULING_ACTIONS = frozenset({Action.SCHEDULE, Action.UNSCHEDULE})
# Actions that put an item online, decide when, or send a reply: none of its authors may.
PUBLISHING_ACTIONS = frozenset({Action.PUBLISH, Action.SEND, *SCHEDULING_ACTIONS})
# Actions the publisher takes once the chain is complete.
PUBLISHER_ACTIONS = PORTAL_ACTIONS | SCHEDULING_ACTIONS | {Action.SEND}
# What a reply to a request never does (it is sent, not published), and what only a reply does.
NOT_FOR_REPLIES = frozenset({Action.WITHHOLD, *PORTAL_ACTIONS, *SCHEDULING_ACTIONS})
REPLY_ONLY = frozenset({Action.SEND})
AMENDMENT_ONLY = frozenset({Action.ABANDON})  # what only a 修订 does


class ChainError(ValueError):
    """The chain's definition breaks a rule (e.g. the secrecy review is not last); ``rule`` says
    which (``NO_STEPS``, ``DUPLICATE_KEYS``, ``SECRECY_LAST``), for a page to word it."""

    def __init__(self, rule: str, text: str):
        super().__init__(text)
        self.rule = rule


NO_STEPS = "no_steps"
DUPLICATE_KEYS = "duplicate_keys"
SECRECY_LAST = "secrecy_last"


class IllegalTransition(Exception):
    """``action`` is not possible in ``state``: the chain, not the person, says no. Its text names
    the codes (for the log); ``message`` is what a person is told (permissions.STATE_REFUSAL)."""

    def __init__(self, state: str, action: str):
        super().__init__(f"{action} is not possible in state {state}")
        self.state = state
        self.action = action

    @property
    def message(self) -> str:
        """In the language of the context it is read in (``core.msgids.translate``)."""
        return translate(STATE_REFUSAL)


class Chain:
    def __init__(self, steps: tuple[Step, ...] | list[Step] = DEFAULT_STEPS):
        steps = tuple(steps)
        if not steps:
            raise ChainError(NO_STEPS, "a chain needs at least one step")
        keys = [s.key for s in steps]
        if len(set(keys)) != len(keys):
            raise ChainError(DUPLICATE_KEYS, "step keys must be unique")
        kinds = [s.kind for s in steps]
        if kinds.count(StepKind.SECRECY_REVIEW) != 1 or kinds[-1] != StepKind.SECRECY_REVIEW:
            raise ChainError(
                SECRECY_LAST, "exactly one secrecy review, as the last step (先审查、后公开)"
            )
        self.steps = steps
        self._by_state = {s.state: s for s in steps}

    @property
    def first(self) -> Step:
        return self.steps[0]

    def states(self) -> list[str]:
        return [
            DRAFT,
            *self._by_state,
            APPROVED,
            WITHHELD,
            PUBLISHED,
            UNPUBLISHED,
            SENT,
            APPLIED,
            ABANDONED,
        ]

    def step_for(self, state: str) -> Step | None:
        """The step an item in this state waits for, or None outside the chain."""
        return self._by_state.get(state)

    def is_pending(self, state: str) -> bool:
        return state in self._by_state

    def next_state(
        self, state: str, action: Action | str, *, reply: bool = False, amendment: bool = False
    ) -> str:
        """Where ``action`` takes an item in ``state`` (a reply to a request if ``reply``, a
        修订 of a published item if ``amendment``); IllegalTransition if it cannot."""
        action = Action(action)
        if action in (NOT_FOR_REPLIES if reply else REPLY_ONLY):
            raise IllegalTransition(state, action)
        if action in AMENDMENT_ONLY and not amendment:
            raise IllegalTransition(state, action)
        step = self._by_state.get(state)
        if step is not None:
            if action is Action.RETURN:
                return DRAFT
            if action is Action.RECALL and step is self.first:
                return DRAFT
            if step.kind is StepKind.APPROVE and action is Action.APPROVE:
                return self.steps[self.steps.index(step) + 1].state
            if step.kind is StepKind.SECRECY_REVIEW:
                if action is Action.SIGN_OFF:
                    return APPROVED
                if action is Action.WITHHOLD:
                    return WITHHELD
            raise IllegalTransition(state, action)
        target = _FIXED.get((state, action))
        if target is None:
            raise IllegalTransition(state, action)
        if amendment and action is Action.PUBLISH:
            return APPLIED  # online as the item it amends, not under a number of its own
        return self.first.state if target is _FIRST else target

    def allowed_actions(
        self, state: str, *, reply: bool = False, amendment: bool = False
    ) -> list[Action]:
        """Every action the chain allows in this state, whoever takes it."""
        allowed = []
        for action in Action:
            try:
                self.next_state(state, action, reply=reply, amendment=amendment)
            except IllegalTransition:
                continue
            allowed.append(action)
        return allowed


_FIRST = object()
_FIXED = {
    (DRAFT, Action.SUBMIT): _FIRST,
    (DRAFT, Action.ABANDON): ABANDONED,
    (APPROVED, Action.PUBLISH): PUBLISHED,
    (APPROVED, Action.SEND): SENT,
    (APPROVED, Action.RETURN): DRAFT,
    (APPROVED, Action.SCHEDULE): APPROVED,
    (APPROVED, Action.UNSCHEDULE): APPROVED,
    (PUBLISHED, Action.UNPUBLISH): UNPUBLISHED,
    (PUBLISHED, Action.CHANGE_VALIDITY): PUBLISHED,
}
