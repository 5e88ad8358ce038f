"""Moving an item along the chain: one function, ``perform``, for every workflow action."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from approval import permissions
from approval.audit import trail as audit
from approval.core.clock import to_local, utcnow
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.msgids import N_
from approval.core.vocab import NON_DISCLOSURE_BASES, SECRECY_QUESTIONS, VALIDITY
from approval.core.workflow import (
    APPROVED,
    AUTHOR_ACTIONS,
    DECISIONS,
    PUBLISHING_STEP_NAME,
    Action,
    Chain,
)
from approval.extensions import db
from approval.models import Body, Decision, IndexSequence, Item, chain_of, chains_for
from approval.platform import storage
from approval.platform.guards import changing
from approval.publication import amendments, events, interpretations
from approval.publication.drafts import add_contributor

# how far ahead a publication may be scheduled (a typo in the year must not hide an item for years)
SCHEDULE_HORIZON = timedelta(days=366)
SCHEDULE_FAILED = "schedule_failed"  # audit action: a due scheduled publication did not go ahead

OPINION_REQUIRED = {  # the actions that must say why
    Action.RETURN: N_("退回必须填写理由"),
    Action.UNPUBLISH: N_("撤稿必须填写公开说明的理由"),
    Action.WITHHOLD: N_("不予公开必须填写审查意见"),
}
PROACTIVE_ONLY = N_("只有公开方式为“主动公开”的信息进入发布审批流程，请修改公开方式")
REPLY_TYPE_MISSING = N_("请先选择答复类型")
REPLY_LINK_MISSING = N_("答复类型为“已主动公开”的，请填写该信息的索引号")


@dataclass
class ActionInput:
    """What the user typed with an action. Which parts are required depends on the action."""

    opinion: str = ""
    checklist: dict[str, bool | None] = field(default_factory=dict)
    basis: str | None = None
    validity: str | None = None
    override_reason: str = ""  # signing off despite high-severity screening findings
    publish_at: datetime | None = None  # 定时发布: when (naive UTC)
    scheduled: bool = False  # a publication that `flask jobs run` makes at the scheduled time


def perform(
    user,
    item: Item,
    action: Action | str,
    seen_version,
    given: ActionInput | None = None,
    chain: Chain | None = None,
) -> Item:
    """Take ``action`` on ``item`` as ``user``, who acted on a page showing ``seen_version``."""
    action = Action(action)
    given = given or ActionInput()
    chain = chain or chain_of(item)  # a round finishes on the chain it started on
    with changing(item, seen_version):
        verdict = permissions.verdict(user, item, action, chain)
        if not verdict.allowed:
            raise (Conflict if verdict.is_state_refusal else PermissionDenied)(verdict.refusal)
        _check_input(action, given, item)

        from_state, step = item.state, chain.step_for(item.state)
        scheduled_for = item.publish_at  # before this action changes it (for the audit entry)
        to_state, role = verdict.to_state, verdict.role
        principal = verdict.principal  # 请假代理: None = in their own right
        revision = item.current_revision
        if action in AUTHOR_ACTIONS:
            add_contributor(user, item)
        if action is Action.SUBMIT:
            _seal(revision)
            item.round += 1
            # the new round walks the body's current chain, whatever changes after it starts
            item.chain_version = chains_for(item.body_id).current_version
        elif action is Action.PUBLISH:
            interpretations.publish_problem(item)
            _publish(user, item)
        elif action is Action.SEND:  # a reply: to the applicant, not the portal
            _check_signed_content(item)
        elif action is Action.UNPUBLISH:
            item.unpublished_at, item.unpublish_reason = utcnow(), given.opinion
        elif action is Action.CHANGE_VALIDITY:
            item.validity = given.validity
        elif action is Action.WITHHOLD:
            item.withheld_basis = given.basis
        elif action is Action.SCHEDULE:
            item.publish_at, item.scheduled_by = given.publish_at, user

        if action in DECISIONS:
            _decide(user, item, action, given, role, step, principal)
        if scheduled_for is not None and (action is Action.UNSCHEDULE or to_state != APPROVED):
            # cancelled, published (by hand or by the job) or returned: no schedule survives
            item.publish_at, item.scheduled_by = None, None
        item.state, item.updated_at = to_state, utcnow()
        audit.record(
            action,
            actor=user,
            item=item,
            revision=revision,
            from_state=from_state,
            to_state=to_state,
            detail={
                "role": role,
                **_on_behalf_of(principal),
                **_audit_detail(action, given, item, step),
                **_schedule_detail(action, given, item, scheduled_for),
            },
        )
        # the search index (for a portal action), the notifications
        events.item_moved.send(
            item,
            action=action,
            actor=user,
            from_state=from_state,
            to_state=to_state,
            given=given,
            chain=chain,
        )
    if action is Action.PUBLISH:
        interpretations.publish_with(user, item)  # 同步发布: its 解读 that passed the chain
    return item


def fail_schedule(item: Item, problem: str) -> Item:
    """A due scheduled publication could not go ahead (the scheduler is no longer allowed to
    publish, or the content no longer matches the secrecy sign-off). The schedule is cleared
    rather than kept, so the job does not fail (and audit) again on every run: the item is back
    in the publisher's 待发布 list without a time, and a person decides again. Audited with why."""
    with changing(item, item.version):
        scheduled_for, scheduler = item.publish_at, item.scheduled_by
        item.publish_at, item.scheduled_by, item.updated_at = None, None, utcnow()
        audit.record(
            SCHEDULE_FAILED,
            item=item,
            actor_username="jobs",
            revision=item.current_revision,
            from_state=item.state,
            to_state=item.state,
            detail={
                "failure": problem,
                "publish_at": _local_iso(scheduled_for) if scheduled_for else None,
                "scheduled_by": scheduler.username if scheduler else None,
            },
        )
    return item


def _check_input(action: Action, given: ActionInput, item: Item) -> None:
    given.opinion = (given.opinion or "").strip()
    if action in (Action.RETURN, Action.UNPUBLISH, Action.WITHHOLD) and not given.opinion:
        raise InvalidInput(OPINION_REQUIRED[action], "opinion")
    if action is Action.WITHHOLD and given.basis not in NON_DISCLOSURE_BASES:
        raise InvalidInput("请选择不予公开的法律依据", "basis")
    if action is Action.SIGN_OFF:
        unanswered = [q for q in SECRECY_QUESTIONS if given.checklist.get(q) is None]
        if unanswered:
            raise InvalidInput("保密审查单的每一项都必须作答", "checklist")
        if any(given.checklist[q] for q in SECRECY_QUESTIONS):
            raise InvalidInput(
                "审查单中有不允许公开的情形，不能通过保密审查；请退回修改或不予公开", "checklist"
            )
        if not given.opinion:
            raise InvalidInput("请填写保密审查意见", "opinion")
        given.override_reason = (given.override_reason or "").strip()
        blocking = item.current_revision.blocking_findings
        if blocking and not given.override_reason:
            raise InvalidInput(
                "保密预审发现 %(n)s 处高风险内容（密级标志、身份证号、银行卡号"
                "或无法自动读取的附件），请退回修改；确需通过的，须填写放行理由",
                "override_reason",
                n=len(blocking),
            )
    if action is Action.CHANGE_VALIDITY:
        if given.validity not in VALIDITY:
            raise InvalidInput("请选择有效性", "validity")
        if given.validity == item.validity:
            raise InvalidInput("有效性没有变化", "validity")
    if action is Action.SUBMIT and (problem := submission_problem(item.current_revision)):
        raise InvalidInput(problem, "disclosure_mode")
    if action is Action.SCHEDULE:
        _check_publish_at(given.publish_at)


def _check_publish_at(publish_at: datetime | None) -> None:
    if publish_at is None:
        raise InvalidInput("请选择定时发布的时间", "publish_at")
    now = utcnow()
    if publish_at <= now:
        raise InvalidInput("定时发布的时间必须晚于当前时间", "publish_at")
    if publish_at > now + SCHEDULE_HORIZON:
        raise InvalidInput("定时发布的时间不能晚于一年以后", "publish_at")


def submission_problem(revision) -> str | None:
    """Why this content cannot be submitted (shown before the officer tries): a msgid, or None.
    The chain ends on the portal, or for a reply to a request (依申请公开) with the applicant;
    anything else must not walk it for nothing (不予公开 records are kept outside this chain)."""
    if revision.item.request_id is not None:
        return reply_problem(revision)
    if revision.disclosure_mode != "proactive":
        return PROACTIVE_ONLY
    return None


def reply_problem(revision) -> str | None:
    """A reply needs its type (the table 三 row) and, for 已主动公开, the published item."""
    if not revision.reply_type:
        return REPLY_TYPE_MISSING
    if revision.reply_type == "already_public" and revision.reply_public_item_id is None:
        return REPLY_LINK_MISSING
    return None


def _seal(revision) -> None:
    """Fix the content (hash) and run the secrecy pre-check on it, once per revision."""
    if not revision.is_sealed:
        db.session.flush()  # attachments must be rows before they are hashed
        revision.content_hash = revision.compute_hash()
        revision.sealed_at = utcnow()
        events.revision_sealed.send(revision)  # the secrecy pre-check (screening)


def _decide(user, item, action, given, role, step, principal=None) -> None:
    db.session.add(
        Decision(
            item=item,
            revision=item.current_revision,
            content_hash=item.current_revision.content_hash,
            round=item.round,
            step_key=step.key if step else "publish",
            step_name=step.name if step else PUBLISHING_STEP_NAME,
            action=action.value,
            actor_id=user.id,
            role=role,
            on_behalf_of=principal,
            opinion=given.opinion,
            checklist=json.dumps({q: given.checklist[q] for q in SECRECY_QUESTIONS})
            if action is Action.SIGN_OFF
            else None,
            basis=given.basis if action is Action.WITHHOLD else None,
            override_reason=(given.override_reason or None) if action is Action.SIGN_OFF else None,
        )
    )


def signed_off_hash(item: Item) -> str | None:
    """The content hash the secrecy reviewer signed off in the current round."""
    return next(
        (
            d.content_hash
            for d in item.decisions
            if d.round == item.round and d.action == Action.SIGN_OFF.value
        ),
        None,
    )


def _check_signed_content(item: Item) -> None:
    """What goes out (online, or to an applicant) must be what the secrecy reviewer signed: the
    signed hash, the revision's rows recomputed, and every attachment file's bytes on disk."""
    revision = item.current_revision
    if (
        signed_off_hash(item) != revision.content_hash
        or not revision.still_matches_seal()
        or not all(storage.file_matches(a.storage_name, a.sha256) for a in revision.attachments)
    ):
        raise Conflict("待发布内容与保密审查通过的内容不一致，不能发布")


def _publish(user, item: Item) -> None:
    _check_signed_content(item)
    revision = item.current_revision
    now = utcnow()
    if permissions.is_amendment(item):  # 修订: online as the item it amends, same 索引号
        amendments.apply(user, item, now)
        return
    item.published_at, item.published_revision = now, revision
    item.category_id = revision.category_id
    item.index_number = _next_index_number(item.body_id, now)
    amendments.record_first_version(user, item, now)


def _next_index_number(body_id: int, now) -> str:
    """Take the next 索引号 of the body's year atomically (row lock / write lock until commit)."""
    year = to_local(now).year
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(IndexSequence).values(body_id=body_id, year=year, last_seq=1)
    statement = statement.on_conflict_do_update(
        index_elements=["body_id", "year"],
        set_={"last_seq": IndexSequence.last_seq + 1},
    ).returning(IndexSequence.last_seq)
    seq = db.session.execute(statement).scalar_one()
    body = db.session.get(Body, body_id)
    return body.index_pattern.format(credit_code=body.credit_code, year=year, seq=seq)


def _audit_detail(action: Action, given: ActionInput, item: Item, step) -> dict:
    detail = {}
    if step is not None:
        detail["step"] = step.name
    if given.opinion:
        detail["opinion"] = given.opinion
    if action is Action.SIGN_OFF:
        detail["checklist"] = {q: given.checklist[q] for q in SECRECY_QUESTIONS}
        blocking = item.current_revision.blocking_findings
        if blocking:
            detail["override"] = {
                "reason": given.override_reason,
                "findings": sorted({f.kind for f in blocking}),
                "count": len(blocking),
            }
    if action is Action.WITHHOLD:
        detail["basis"] = given.basis
    if action is Action.CHANGE_VALIDITY:
        detail["validity"] = given.validity
    if action is Action.PUBLISH:  # a 修订 goes online under the number of the item it amends
        detail["index_number"] = (item.amends or item).index_number
    return detail


def _on_behalf_of(principal) -> dict:
    """A deputy's decision names the colleague it was taken for, as they were named then."""
    if principal is None:
        return {}
    return {
        "on_behalf_of": {"username": principal.username, "display_name": principal.display_name}
    }


def _schedule_detail(action: Action, given: ActionInput, item: Item, scheduled_for) -> dict:
    """The publication times in the audit entry: the time set (and the one it replaced), the one
    cancelled, the one at which the job published, or the one a manual publish or a return
    cleared."""
    if action is Action.SCHEDULE:
        detail = {"publish_at": _local_iso(item.publish_at)}
        if scheduled_for is not None:
            detail["replaced"] = _local_iso(scheduled_for)
        return detail
    if scheduled_for is None:
        return {}
    if action is Action.UNSCHEDULE:
        return {"publish_at": _local_iso(scheduled_for)}
    if action is Action.PUBLISH and given.scheduled:
        return {"publish_at": _local_iso(scheduled_for), "scheduled": True}
    return {"cleared_schedule": _local_iso(scheduled_for)}


def _local_iso(value: datetime) -> str:
    """A stored UTC time as local time with its offset: unambiguous and readable in the trail."""
    return to_local(value).isoformat(timespec="minutes")
