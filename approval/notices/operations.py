"""The state changes of a 公示: log an objection (异议), record its handling, take the personal
data down. Guard permission → input → version → mutate → audit → flush; never commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from approval.audit import trail as audit
from approval.core import notices
from approval.core.clock import local_today, utcnow
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.msgids import N_
from approval.core.workflow import PUBLISHED
from approval.extensions import db
from approval.models import Attachment, Decision, Item, NoticeObjection, Revision
from approval.models.notices import CHANNEL_MAX, HANDLING_MAX, SUMMARY_MAX
from approval.permissions import notices as notice_permissions
from approval.platform.guards import STALE_MESSAGE
from approval.publication import events
from approval.search import documents as search_documents

JOBS = "jobs"  # the actor of the take-down (audit entries of `flask jobs run`)
OBJECTIONS_CHANGED = N_("该公示的异议登记已被他人更新，您看到的页面已过期。请刷新后重试。")


def objection_count(item: Item) -> int:
    return db.session.scalar(
        select(func.count()).select_from(NoticeObjection).where(NoticeObjection.item_id == item.id)
    )


def _check_objection(received_on: date | None, channel: str, summary: str, item: Item) -> None:
    if received_on is None:
        raise InvalidInput("请填写收到异议的日期", "received_on")
    if received_on > local_today():
        raise InvalidInput("收到日期不能晚于今天", "received_on")
    published_on = item.published_at and item.published_at.date()
    if published_on and received_on < published_on:
        raise InvalidInput("收到日期不能早于公示发布日期", "received_on")
    if channel not in notices.OBJECTION_CHANNELS:
        raise InvalidInput("请选择异议的反映方式", "channel")
    if not summary.strip():
        raise InvalidInput("请填写异议内容摘要", "summary")
    if len(summary) > SUMMARY_MAX:
        raise InvalidInput("异议内容摘要不能超过2000字", "summary")


def log_objection(
    user, item: Item, received_on: date | None, channel: str, summary: str, seen_count
) -> NoticeObjection:
    """Log an objection received against a published 公示. ``seen_count``: how many objections
    the page showed (a stale page or a second click logs nothing: 409)."""
    if not notice_permissions.can_log_objection(user, item):
        raise PermissionDenied("只有本部门信息员和办公室可以登记公示异议")
    summary = (summary or "").strip()
    _check_objection(received_on, channel, summary, item)
    if seen_count is None or str(seen_count) != str(objection_count(item)):
        raise Conflict(OBJECTIONS_CHANGED)
    objection = NoticeObjection(
        item_id=item.id,
        received_on=received_on,
        channel=channel[:CHANNEL_MAX],
        summary=summary,
        recorded_by_id=user.id,
    )
    db.session.add(objection)
    db.session.flush()
    audit.record(
        "notice_objection_logged",
        actor=user,
        item=item,
        revision=item.published_revision,
        from_state=item.state,
        to_state=item.state,
        detail={
            "objection_id": objection.id,
            "received_on": received_on.isoformat(),
            "channel": channel,
            "summary": summary,
        },
    )
    db.session.flush()
    return objection


def record_handling(
    user, objection: NoticeObjection, handling: str, handled_on: date | None, seen_version
) -> NoticeObjection:
    """Record (or correct) how an objection was handled (处理情况) and when."""
    if not notice_permissions.can_handle_objection(user, objection):
        raise PermissionDenied("只有本部门信息员和办公室可以登记公示异议的处理情况")
    handling = (handling or "").strip()
    if not handling:
        raise InvalidInput("请填写处理情况", "handling")
    if len(handling) > HANDLING_MAX:
        raise InvalidInput("处理情况不能超过2000字", "handling")
    if handled_on is None:
        raise InvalidInput("请填写处理日期", "handled_on")
    if handled_on > local_today():
        raise InvalidInput("处理日期不能晚于今天", "handled_on")
    if handled_on < objection.received_on:
        raise InvalidInput("处理日期不能早于收到日期", "handled_on")
    if seen_version is None or str(seen_version) != str(objection.version):
        raise Conflict(STALE_MESSAGE)
    before = {
        "handling": objection.handling,
        "handled_on": objection.handled_on.isoformat() if objection.handled_on else None,
    }
    objection.handling, objection.handled_on = handling, handled_on
    objection.handled_by_id, objection.updated_at = user.id, utcnow()
    item = objection.item
    audit.record(
        "notice_objection_handled",
        actor=user,
        item=item,
        from_state=item.state,
        to_state=item.state,
        detail={
            "objection_id": objection.id,
            "before": before,
            "after": {"handling": handling, "handled_on": handled_on.isoformat()},
        },
    )
    try:
        db.session.flush()
    except StaleDataError as exc:  # another request changed it first
        raise Conflict(STALE_MESSAGE) from exc
    return objection


def is_due(item: Item, retention_days: int, today: date) -> bool:
    """Whether ``item``'s personal data must come down now (and has not yet)."""
    revision = item.published_revision
    return (
        item.state == PUBLISHED
        and item.notice_taken_down_at is None
        and revision is not None
        and notices.is_due(revision.notice_ends_on, retention_days, today)
    )


def _answerable(item: Item, original: Revision) -> int:
    """Who the new revision is recorded as made by: the publisher who put the 公示 online (谁公开
    谁负责), else the author. The audit entry says the job made it."""
    publisher = db.session.scalar(
        select(Decision.actor_id)
        .where(Decision.item_id == item.id, Decision.action == "publish")
        .order_by(Decision.id.desc())
        .limit(1)
    )
    return publisher or original.created_by_id or item.author_id


def take_down(item: Item, plan, retention_days: int) -> Revision:
    """Replace the public version of a 公示 by the version ``takedown.prepare`` worked out: a new
    revision, sealed now, published in place of the original (which staff keep); the search
    document made anew from it. Audited with both content hashes. The caller holds the item's
    lock and checked ``is_due``; a plan made from another version is refused."""
    original = item.published_revision
    if original.id != plan.original_revision_id:
        raise Conflict(STALE_MESSAGE)
    now = utcnow()
    number = db.session.scalar(select(func.max(Revision.number)).where(Revision.item_id == item.id))
    revision = Revision(
        item=item,
        number=number + 1,
        created_by_id=_answerable(item, original),
        **{f: getattr(original, f) for f in Revision.EDITABLE_FIELDS},
    )
    for name, text in plan.texts.items():
        setattr(revision, name, text)
    db.session.add(revision)
    db.session.flush()
    by_id = {a.id: a for a in original.attachments}
    for outcome in plan.attachments:
        source = by_id[outcome.attachment_id]
        if outcome.outcome == notices.WITHDRAWN:
            continue
        stored = outcome.stored
        db.session.add(
            Attachment(
                revision=revision,
                filename=source.filename,
                display_name=source.display_name,
                storage_name=stored.storage_name if stored else source.storage_name,
                content_type=stored.content_type if stored else source.content_type,
                size=stored.size if stored else source.size,
                sha256=stored.sha256 if stored else source.sha256,
                uploaded_by_id=source.uploaded_by_id,
            )
        )
    db.session.flush()
    revision.content_hash = revision.compute_hash()
    revision.sealed_at = now
    if item.current_revision_id == original.id:
        item.current_revision = revision
    item.published_revision = revision
    item.notice_original_revision = original
    item.notice_taken_down_at = now
    item.updated_at = now  # the feeds and the API say the item changed
    db.session.flush()
    events.revision_sealed.send(revision)  # the pre-check of what is now public, for staff
    audit.record(
        "notice_taken_down",
        actor_username=JOBS,
        item=item,
        revision=revision,
        from_state=item.state,
        to_state=item.state,
        detail={
            "original_revision_id": original.id,
            "original_hash": original.content_hash,
            "new_hash": revision.content_hash,
            "notice_ends_on": original.notice_ends_on.isoformat(),
            "retention_days": retention_days,
            "masked_in_text": plan.masked_in_texts,
            "attachments": [
                {
                    "filename": o.filename,
                    "sha256": o.sha256,
                    "outcome": o.outcome,
                    **({"new_sha256": o.stored.sha256, "masked": o.masked} if o.stored else {}),
                    **({"reason": o.reason} if o.reason else {}),
                }
                for o in plan.attachments
            ],
        },
    )
    search_documents.replace_item(item)
    db.session.flush()
    return revision
