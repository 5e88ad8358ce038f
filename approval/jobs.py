"""Periodic work, run by ``flask --app approval jobs run`` from cron or a systemd timer.

Safe to run often and on several hosts at once. Every item is handled in its own transaction,
holding a lock on it: on PostgreSQL the runner claims one due item with ``FOR UPDATE SKIP LOCKED``
(two runners share the work instead of queueing behind each other, and never take the same
item); on SQLite each transaction begins with the database's write lock (``BEGIN IMMEDIATE``), so
runners take turns. What is done is committed item by item: a crash loses at most the item in hand
and the next run picks it up; running again when nothing is due does nothing.

A job is an entry point like a route, not a service: it owns its transactions (it commits), and
calls the operations for every change. Call it with nothing uncommitted.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from approval.annual_reports import reminders as annual_report_reminders
from approval.audit import verification_jobs
from approval.core.clock import to_local, utcnow
from approval.core.errors import PermissionDenied, ServiceError
from approval.core.workflow import APPROVED, Action
from approval.deadlines import operations as deadlines
from approval.extensions import db
from approval.interaction import reminders as message_reminders
from approval.models import InformationRequest, Item
from approval.models.notifications import Kind
from approval.notices import operations as notice_operations
from approval.notices import queries as notice_queries
from approval.notices import takedown as notice_takedown
from approval.notifications import operations as notifications
from approval.platform import kept_forms
from approval.platform.db_setup import write_transactions
from approval.platform.job_results import JobResult
from approval.publication import transitions
from approval.publication.loading import ITEM_PAGE
from approval.requests import reminders as request_reminders

UNEXPECTED = "unexpected error (see the log); the schedule is kept and retried on the next run"


def run_all(now: datetime | None = None) -> list[JobResult]:
    """Every periodic job once (``flask jobs run``): publications first (a published item needs
    no reminder), then reminders, then the e-mail of every notification so far, then the
    forgetting of kept forms and the audit chain verifications asked for."""
    now = now or utcnow()
    from approval.notifications.mail import send_pending

    return [
        run_due(now),
        run_reminders(now),
        run_request_reminders(now),
        message_reminders.run(now),  # 互动回应 (approval/interaction/reminders.py)
        run_annual_report_reminders(now),
        run_notice_takedowns(now),
        send_pending(now),
        forget_kept_forms(now),
        verification_jobs.run_pending(),
    ]


def forget_kept_forms(now: datetime | None = None) -> JobResult:
    """Delete the forms kept over a timed-out session that nobody came back for
    (platform/kept_forms.py)."""
    result = JobResult("超时保留的表单 (kept forms)", "forgot", unit="form")
    _start_clean()
    with write_transactions():
        forgotten = kept_forms.delete_stale(now or utcnow())
        db.session.commit()
    if forgotten:
        current_app.logger.info("forgot %s kept form(s)", forgotten)
    return result


def run_due(now: datetime | None = None) -> JobResult:
    """Publish every approved item whose scheduled time (``publish_at``) is at or before ``now``.

    Each publication goes through ``transitions.perform`` as the publisher who scheduled it, so
    every check of a manual publication applies again: that person may still publish (role,
    account active, not an author), and the content is still what the secrecy reviewer signed.
    When a check refuses, the schedule is cleared and the refusal audited
    (``transitions.fail_schedule``): the item waits in 待发布 for a person to decide again,
    instead of failing on every run. An unexpected error (a database failure) keeps the schedule,
    so the next run retries."""
    now = now or utcnow()
    result = JobResult("定时发布 (scheduled publication)", "published")
    _start_clean()
    tried: set[int] = set()
    with write_transactions():
        while (item_id := _claim_next_due(now, tried)) is not None:
            tried.add(item_id)
            _publish_one(item_id, result)
        db.session.rollback()  # the last claim found nothing: end its transaction
    return result


def _start_clean() -> None:
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("run_due commits item by item: call it with nothing uncommitted")
    session.rollback()  # end a read transaction, so the next one begins with the lock


def _claim_next_due(now: datetime, tried: set[int]) -> int | None:
    """Lock one due item that no other runner holds, in a new transaction."""
    query = (
        select(Item.id)
        .where(Item.state == APPROVED, Item.publish_at.is_not(None), Item.publish_at <= now)
        .order_by(Item.publish_at, Item.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=Item)
    )
    if tried:
        query = query.where(Item.id.not_in(tried))
    return db.session.scalar(query)


def _publish_one(item_id: int, result: JobResult) -> None:
    log = current_app.logger
    try:
        item = db.session.get(Item, item_id, options=ITEM_PAGE, populate_existing=True)
        scheduler = item.scheduled_by
        try:
            with db.session.begin_nested():  # a refusal rolls back to here; the lock stays
                if scheduler is None:
                    raise PermissionDenied("定时发布没有记录设置人")
                transitions.perform(
                    scheduler,
                    item,
                    Action.PUBLISH,
                    item.version,
                    transitions.ActionInput(scheduled=True),
                )
        except ServiceError as refusal:
            transitions.fail_schedule(item, refusal.message)
            db.session.commit()
            result.failed.append((item_id, refusal.message))
            log.warning("scheduled publication of item %s refused: %s", item_id, refusal.message)
            return
        db.session.commit()
    except Exception:  # noqa: BLE001 - one item's failure must not stop the others
        db.session.rollback()
        result.failed.append((item_id, UNEXPECTED))
        log.exception("scheduled publication of item %s failed", item_id)
        return
    result.done.append(item_id)
    log.info("published item %s as scheduled", item_id)


def run_reminders(now: datetime | None = None) -> JobResult:
    """Remind whoever can act on an open item (``notifications.current_actors``) that one of its
    deadlines (``deadlines.operations``: the 公开期限, a step's time limit) is due soon or overdue.

    Each reminder is one event per person, item, round, deadline and due day, written with ON
    CONFLICT DO NOTHING: a second run, or a run on another host at the same time, writes nothing
    again, and someone granted the role later is still told on the next run. Each item is its own
    transaction; an item that moved on since it was listed is skipped by the deadline check."""
    now = now or utcnow()
    on = to_local(now).date()
    result = JobResult("期限提醒 (deadline reminders)", "reminded")
    _start_clean()
    item_ids = deadlines.flagged_item_ids(on)
    db.session.rollback()
    log = current_app.logger
    with write_transactions():
        for item_id in item_ids:
            try:
                item = db.session.get(Item, item_id, options=ITEM_PAGE, populate_existing=True)
                due_dates = deadlines.of_item(item, on) if item is not None else None
                written = 0
                for due in due_dates.flagged if due_dates else ():
                    kind = Kind.OVERDUE if due.level is deadlines.Level.OVERDUE else Kind.DUE_SOON
                    extra = {"step": due.step_name} if due.step_key else {}
                    written += notifications.remind(
                        item, kind, due.due, deadline=due.step_key or "publication", **extra
                    )
                db.session.commit()
            except Exception:  # noqa: BLE001 - one item's failure must not stop the others
                db.session.rollback()
                result.failed.append((item_id, "unexpected error (see the log); retried next run"))
                log.exception("reminders for item %s failed", item_id)
                continue
            if written:
                result.done.append(item_id)
    return result


def run_request_reminders(now: datetime | None = None) -> JobResult:
    """Remind the office and the assigned department of a request's reply due soon or overdue,
    and the office of a 补正 whose deadline passed (``requests.reminders``: what, to whom, once).
    Each request is its own transaction; one that closed since it was listed is skipped."""
    now = now or utcnow()
    on = to_local(now).date()
    result = JobResult("答复期限提醒 (request reminders)", "reminded", unit="request")
    _start_clean()
    request_ids = request_reminders.open_request_ids()
    db.session.rollback()
    log = current_app.logger
    with write_transactions():
        for request_id in request_ids:
            try:
                info_request = db.session.get(
                    InformationRequest, request_id, populate_existing=True
                )
                written = request_reminders.remind(info_request, on) if info_request else 0
                db.session.commit()
            except Exception:  # noqa: BLE001 - one request's failure must not stop the others
                db.session.rollback()
                result.failed.append(
                    (request_id, "unexpected error (see the log); retried next run")
                )
                log.exception("reminders for request %s failed", request_id)
                continue
            if written:
                result.done.append(request_id)
    return result


def run_annual_report_reminders(now: datetime | None = None) -> JobResult:
    """Remind each body's office that its annual report is due soon or late while it is not
    published (``annual_reports.reminders``: when, to whom, once). One transaction per body."""
    on = to_local(now or utcnow()).date()
    result = JobResult("年度报告提醒 (annual report reminders)", "reminded", unit="body")
    _start_clean()
    year, due, kind, body_ids = annual_report_reminders.body_ids_to_remind(on)
    db.session.rollback()
    with write_transactions():
        for body_id in body_ids:
            try:
                written = annual_report_reminders.remind(body_id, year, due, kind)
                db.session.commit()
            except Exception:  # noqa: BLE001 - one body's failure must not stop the others
                db.session.rollback()
                result.failed.append((body_id, "unexpected error (see the log); retried next run"))
                current_app.logger.exception("annual report reminder for body %s failed", body_id)
                continue
            if written:
                result.done.append(body_id)
    return result


def run_notice_takedowns(now: datetime | None = None) -> JobResult:
    """Take the personal data of every 公示 down once the day after its 公示期 plus
    ``NOTICE_RETENTION_DAYS`` has come (approval/notices, docs/public-notices.md). For each item:
    the masked version is worked out with no transaction open (its attachments masked in the
    extraction's child, as uploads are), then written in one transaction that holds the item's
    lock and checks again that it is still due. A second run finds nothing to do."""
    now = now or utcnow()
    today = to_local(now).date()
    retention = int(current_app.config.get("NOTICE_RETENTION_DAYS", 0) or 0)
    result = JobResult("公示期满隐去个人信息 (public notice take-down)", "taken down")
    _start_clean()
    item_ids = notice_queries.due_item_ids(today, retention)
    db.session.rollback()
    log = current_app.logger
    for item_id in item_ids:
        try:
            plan = notice_takedown.prepare(item_id)
            if plan is None:
                continue
            with write_transactions():
                item = db.session.scalar(
                    select(Item)
                    .where(Item.id == item_id)
                    .with_for_update(skip_locked=True, of=Item)
                    .execution_options(populate_existing=True)
                )
                done = item is not None and notice_operations.is_due(item, retention, today)
                if done:
                    notice_operations.take_down(item, plan, retention)
                db.session.commit()
        except Exception:  # noqa: BLE001 - one item's failure must not stop the others
            db.session.rollback()
            result.failed.append((item_id, "unexpected error (see the log); retried next run"))
            log.exception("public notice take-down of item %s failed", item_id)
            continue
        if done:
            result.done.append(item_id)
            log.info("took the personal data of public notice %s down", item_id)
    return result
