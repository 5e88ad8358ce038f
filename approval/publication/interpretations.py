"""政策解读 (issue 24): a 解读 explains a policy and goes online with it (同步发布).

- A 解读 is an item whose 信息类别 is 政策解读. While it is a draft, its department's officers
  link it to the policy it explains: another item of the same body, not itself a 解读, not
  withdrawn or withheld (``link``). The policy's page lists its 解读; each links back.
- The office (the general office's 办公室审核 and 发布员) may mark a policy as needing a 解读
  (``require``): it cannot be published until a linked 解读 has passed the chain (待发布) or is
  online already.
- A 解读 never goes online before its policy (``publish_problem``). Publishing a policy
  publishes, in the same transaction and as the same publisher, every linked 解读 that has
  passed the chain (``publish_with``): if one of them cannot be published, neither is.

Each change is audited (before → after) with the version the page showed."""

from __future__ import annotations

from sqlalchemy import select

from approval import permissions
from approval.audit import trail as audit
from approval.core.clock import utcnow
from approval.core.errors import Conflict, InvalidInput, PermissionDenied, ServiceError
from approval.core.workflow import APPROVED, PUBLISHED, UNPUBLISHED, WITHHELD, Action
from approval.extensions import db
from approval.models import Item, Revision
from approval.platform.guards import changing
from approval.publication.drafts import guard_editable

INTERPRETATION = "interpretation"  # the 信息类别 (core/vocab.INFO_TYPES)
LINKED, REQUIRED = "link_interpretation", "require_interpretation"  # audit actions
NOT_A_POLICY = (UNPUBLISHED, WITHHELD)
CANDIDATES = 200  # the newest items offered as the policy a 解读 explains


def is_interpretation(item: Item) -> bool:
    revision = item.current_revision
    return revision is not None and revision.info_type == INTERPRETATION


def is_published_interpretation(item: Item) -> bool:
    revision = item.published_revision
    return revision is not None and revision.info_type == INTERPRETATION


def interpretations_of(policy: Item) -> list[Item]:
    """The 解读 linked to ``policy``, oldest first."""
    return list(
        db.session.scalars(select(Item).where(Item.interprets_id == policy.id).order_by(Item.id))
    )


def candidates(item: Item) -> list[tuple[int, str]]:
    """(id, title) of the items of the body a 解读 may explain, newest first."""
    rows = db.session.execute(
        select(Item.id, Revision.title)
        .join(Revision, Revision.id == Item.current_revision_id)
        .where(
            Item.body_id == item.body_id,
            Item.id != item.id,
            Item.request_id.is_(None),
            Item.amends_id.is_(None),  # a 修订 is not a policy: its item is
            Item.state.not_in(NOT_A_POLICY),
            Revision.info_type != INTERPRETATION,
        )
        .order_by(Item.updated_at.desc(), Item.id.desc())
        .limit(CANDIDATES)
    )
    return [(row.id, row.title) for row in rows]


def link(user, item: Item, policy_id: int | None, seen_version) -> Item:
    """Name the policy the draft 解读 ``item`` explains (None: no policy yet)."""
    guard_editable(user, item)
    if not is_interpretation(item):
        raise InvalidInput("只有信息类别为“政策解读”的信息可以关联所解读的政策", "policy")
    if item.amends_id is not None:  # a 修订: the item it revises keeps its link
        raise InvalidInput("修订稿沿用原信息关联的政策，不能另行关联", "policy")
    policy = None
    if policy_id is not None:
        policy = db.session.get(Item, policy_id)
        if policy is None or policy.body_id != item.body_id or policy.id == item.id:
            raise InvalidInput("请选择本机关的一条政策文件", "policy")
        if (
            policy.state in NOT_A_POLICY
            or is_interpretation(policy)
            or policy.request_id
            or policy.amends_id is not None  # a 修订: the 解读 explains the item it revises
        ):
            raise InvalidInput(
                "所选信息已撤稿、不予公开或本身是政策解读，不能作为所解读的政策", "policy"
            )
    before = item.interprets_id
    with changing(item, seen_version):
        item.interprets_id = policy.id if policy else None
        item.updated_at = utcnow()
        audit.record(
            LINKED,
            actor=user,
            item=item,
            from_state=item.state,
            to_state=item.state,
            detail={"policy": {"before": before, "after": item.interprets_id}},
        )
    return item


def require(user, policy: Item, needed: bool, seen_version) -> Item:
    """Mark (or unmark) ``policy`` as to be published only with its 解读."""
    if not permissions.can_require_interpretation(user, policy):
        raise PermissionDenied("只有党政办公室可以要求政策同步发布解读")
    if policy.state in (PUBLISHED, *NOT_A_POLICY) or is_interpretation(policy):
        raise Conflict("该信息已发布、已撤稿或本身是政策解读，不能再设置同步解读")
    before = policy.needs_interpretation
    with changing(policy, seen_version):
        policy.needs_interpretation = bool(needed)
        policy.updated_at = utcnow()
        audit.record(
            REQUIRED,
            actor=user,
            item=policy,
            from_state=policy.state,
            to_state=policy.state,
            detail={"needs_interpretation": {"before": before, "after": bool(needed)}},
        )
    return policy


def publish_problem(item: Item) -> None:
    """Refuse a publication the 解读 rules forbid (called before anything changes)."""
    if item.interprets_id is not None and is_interpretation(item):
        policy = db.session.get(Item, item.interprets_id)
        if policy is not None and policy.state != PUBLISHED:
            raise Conflict(
                "政策解读须与所解读的政策同步发布：请发布政策《%(title)s》，本解读将随之发布",
                title=policy.current_revision.title,
            )
    if item.needs_interpretation:
        ready = [i for i in interpretations_of(item) if i.state in (APPROVED, PUBLISHED)]
        if not ready:
            raise Conflict("该政策需同步发布政策解读，但尚无通过审批的解读，不能发布")


def publish_with(user, policy: Item) -> list[Item]:
    """Publish the policy's 解读 that have passed the chain, as ``user``; a refusal of one of
    them refuses the policy's publication too (the caller's transaction rolls back)."""
    from approval.publication import transitions  # transitions calls this module

    published = []
    for interpretation in interpretations_of(policy):
        if interpretation.state != APPROVED:
            continue
        try:
            transitions.perform(user, interpretation, Action.PUBLISH, interpretation.version)
        except ServiceError as refusal:
            raise Conflict(
                "政策解读《%(title)s》不能同步发布：%(reason)s",
                title=interpretation.current_revision.title,
                reason=refusal.message,
            ) from refusal
        published.append(interpretation)
    return published
