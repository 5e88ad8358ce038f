"""定时发布: the publisher sets a time on an approved item; `flask --app approval jobs run`
publishes it when due, once, with every check of a manual publication, and says so in the trail.

Times typed into the form are Beijing wall-clock times (datetime-local); the database stores
naive UTC (8 hours earlier).
"""

from __future__ import annotations

import io
import os
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage

from approval import create_app, jobs
from approval.audit import trail as audit
from approval.core.errors import Conflict, PermissionDenied
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, Item
from approval.platform import storage
from approval.publication import drafts
from approval.publication.transitions import ActionInput, perform
from tests.helpers.concurrency import run_concurrently
from tests.helpers.users import make_user

BEIJING = ZoneInfo("Asia/Shanghai")
VERSION_RE = re.compile(r'name="version" value="(\d+)"')


# ---------------------------------------------------------------- helpers


def local_input(moment: datetime) -> str:
    """What a datetime-local input sends for this Beijing wall-clock time."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def beijing_in(**delta) -> datetime:
    """A Beijing wall-clock time (naive, to the minute) this far from now."""
    return (datetime.now(BEIJING) + timedelta(**delta)).replace(
        tzinfo=None, second=0, microsecond=0
    )


def as_utc(local: datetime) -> datetime:
    return local - timedelta(hours=8)  # Asia/Shanghai has no daylight saving time


def schedule(world, item, hours: float = 24, who: str = "publisher") -> datetime:
    """Schedule through the service; returns the naive UTC publish time."""
    when = datetime.now(BEIJING).replace(tzinfo=None, microsecond=0) + timedelta(hours=hours)
    when_utc = as_utc(when)
    perform(world.users[who], item, Action.SCHEDULE, item.version, ActionInput(publish_at=when_utc))
    db.session.commit()
    return when_utc


def post_action(browser, item_id: int, action: str, **fields):
    page = browser.get(f"/items/{item_id}")
    assert f'name="action" value="{action}"' in page.text, f"{action} is not offered"
    version = VERSION_RE.search(page.text).group(1)
    return browser.post(
        f"/items/{item_id}/act",
        {"action": action, "version": version, **fields},
        token_from=f"/items/{item_id}",
    )


def entries(item_id: int, action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.item_id == item_id).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def fresh(item: Item) -> Item:
    db.session.expire_all()
    return db.session.get(Item, item.id)


# ---------------------------------------------------------------- the form on the item page


def test_the_publisher_schedules_from_the_item_page_and_everyone_sees_when(world, login_as):
    item = world.to_state(world.item(title="春季防火公告"), "approved")
    publisher = login_as("publisher")
    page = publisher.get(f"/items/{item.id}")
    assert (
        'type="datetime-local"' in page.text
        and '<label class="label" for="publish_at">' in page.text
    )
    assert "取消定时" not in page.text  # nothing to cancel yet

    when = beijing_in(days=2)
    response = post_action(publisher, item.id, "schedule", publish_at=local_input(when))

    assert response.status_code == 303
    item = fresh(item)
    assert (item.state, item.publish_at) == ("approved", as_utc(when))
    assert item.scheduled_by_id == world.users["publisher"].id
    shown = when.strftime("%Y-%m-%d %H:%M")
    page = publisher.get(f"/items/{item.id}").text
    assert f"已定时 {shown}" in page and "取消定时" in page
    assert f'value="{local_input(when)}"' in page  # the form shows the time set, to change it
    inbox = publisher.get("/").text
    assert "春季防火公告" in inbox and f"已定时 {shown}" in inbox
    (entry,) = entries(item.id, "schedule")
    assert audit.detail_of(entry)["publish_at"] == when.isoformat(timespec="minutes") + "+08:00"
    assert (entry.from_state, entry.to_state, entry.actor_id) == (
        "approved",
        "approved",
        world.users["publisher"].id,
    )
    history = login_as("auditor").get(f"/items/{item.id}/history").text
    assert "定时发布" in history and shown in history


@pytest.mark.parametrize(
    "typed,message",
    [
        ("past", "定时发布的时间必须晚于当前时间"),
        ("far", "定时发布的时间不能晚于一年以后"),
        ("2026-13-45T99:00", "时间格式不正确"),
        ("", "请选择定时发布的时间"),
    ],
)
def test_a_bad_time_is_refused_in_chinese_and_what_was_typed_stays(world, login_as, typed, message):
    item = world.to_state(world.item(), "approved")
    value = {
        "past": local_input(beijing_in(minutes=-5)),
        "far": local_input(beijing_in(days=370)),
    }.get(typed, typed)
    before = len(entries(item.id))

    response = post_action(login_as("publisher"), item.id, "schedule", publish_at=value)

    assert response.status_code == 422
    assert message in response.text
    assert f'value="{value}"' in response.text if value else 'value=""' in response.text
    assert "<details open" in response.text.split("action-schedule")[1][:400]  # panel reopened
    item = fresh(item)
    assert (item.state, item.publish_at, item.scheduled_by_id) == ("approved", None, None)
    assert len(entries(item.id)) == before


def test_cancelling_clears_the_time_and_is_audited(world, login_as):
    item = world.to_state(world.item(), "approved")
    when = schedule(world, item)
    publisher = login_as("publisher")

    response = post_action(publisher, item.id, "unschedule")

    assert response.status_code == 303
    item = fresh(item)
    assert (item.state, item.publish_at, item.scheduled_by_id) == ("approved", None, None)
    page = publisher.get(f"/items/{item.id}").text
    assert "已定时" not in page and 'value="unschedule"' not in page
    (entry,) = entries(item.id, "unschedule")
    assert audit.detail_of(entry)["publish_at"].startswith(
        (when + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")
    )
    with pytest.raises(Conflict, match="没有设置定时发布"):  # a second cancel: nothing to cancel
        perform(world.users["publisher"], item, Action.UNSCHEDULE, item.version)


def test_rescheduling_replaces_the_time(world):
    item = world.to_state(world.item(), "approved")
    first = schedule(world, item, hours=5)
    second = schedule(world, item, hours=30)
    assert fresh(item).publish_at == second
    detail = audit.detail_of(entries(item.id, "schedule")[-1])
    assert detail["replaced"].startswith((first + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"))


# ---------------------------------------------------------------- who and when


@pytest.mark.parametrize("state", ["pending_leader", "pending_secrecy", "published"])
def test_only_an_approved_item_can_be_scheduled(world, login_as, state):
    item = world.to_state(world.item(), state)
    assert 'value="schedule"' not in login_as("publisher").get(f"/items/{item.id}").text
    with pytest.raises(Conflict):
        perform(
            world.users["publisher"],
            item,
            Action.SCHEDULE,
            item.version,
            ActionInput(publish_at=as_utc(beijing_in(days=1))),
        )


def test_scheduling_follows_the_publishing_rules(world):
    item = world.to_state(world.item(), "approved")
    for who in ("office", "secrecy", "leader", "officer_b"):
        with pytest.raises(PermissionDenied, match="没有执行此操作的权限"):
            perform(
                world.users[who],
                item,
                Action.SCHEDULE,
                item.version,
                ActionInput(publish_at=as_utc(beijing_in(days=1))),
            )
    # an officer who is also a publisher may not schedule (publish) what they wrote
    make_user(world, "writer_publisher", "civil", ["officer", "publisher"])
    own = world.to_state(world.item(author="writer_publisher"), "approved")
    with pytest.raises(PermissionDenied, match="不能审批或发布自己撰写的信息"):
        perform(
            world.users["writer_publisher"],
            own,
            Action.SCHEDULE,
            own.version,
            ActionInput(publish_at=as_utc(beijing_in(days=1))),
        )


def test_a_return_or_a_manual_publication_clears_the_schedule(world):
    returned = world.to_state(world.item(), "approved")
    schedule(world, returned)
    world.act("publisher", returned, Action.RETURN, opinion="发布时间需调整")
    returned = fresh(returned)
    assert (returned.state, returned.publish_at, returned.scheduled_by_id) == ("draft", None, None)
    assert "cleared_schedule" in audit.detail_of(entries(returned.id, "return")[-1])

    by_hand = world.to_state(world.item(), "approved")
    schedule(world, by_hand)
    world.act("publisher", by_hand, Action.PUBLISH)
    by_hand = fresh(by_hand)
    assert (by_hand.state, by_hand.publish_at) == ("published", None)
    detail = audit.detail_of(entries(by_hand.id, "publish")[-1])
    assert "scheduled" not in detail and "cleared_schedule" in detail
    assert jobs.run_due(datetime.now() + timedelta(days=400)).done == []


# ---------------------------------------------------------------- the job


def test_the_job_publishes_what_is_due_once_and_nothing_else(world):
    due = world.to_state(world.item(title="到期的信息"), "approved")
    later = world.to_state(world.item(title="以后的信息"), "approved")
    unscheduled = world.to_state(world.item(title="未定时的信息"), "approved")
    due_at = schedule(world, due, hours=2)
    later_at = schedule(world, later, hours=48)

    result = jobs.run_due(due_at)

    assert result.done == [due.id] and result.failed == []
    due = fresh(due)
    assert due.state == "published" and due.index_number.endswith("-00001")
    assert due.publish_at is None and due.published_at is not None
    (entry,) = entries(due.id, "publish")
    assert entry.actor_id == world.users["publisher"].id  # the publisher who set the time
    detail = audit.detail_of(entry)
    assert detail["scheduled"] is True and detail["index_number"] == due.index_number
    assert fresh(later).state == fresh(unscheduled).state == "approved"

    assert jobs.run_due(due_at).done == []  # idempotent: nothing left to do
    assert len(entries(due.id, "publish")) == 1

    assert jobs.run_due(later_at + timedelta(minutes=1)).done == [later.id]
    assert fresh(later).index_number.endswith("-00002")
    assert fresh(unscheduled).state == "approved"
    assert audit.verify().ok


@pytest.mark.parametrize("change", ["lost_role", "disabled"])
def test_a_scheduler_no_longer_allowed_to_publish_publishes_nothing(world, runner, change):
    item = world.to_state(world.item(), "approved")
    schedule(world, item)
    publisher = world.users["publisher"]
    if change == "lost_role":
        publisher.set_roles(["office_auditor"])
    else:
        publisher.is_enabled = False
    db.session.execute(
        update(Item)
        .where(Item.id == item.id)  # time passes: it is due now
        .values(publish_at=datetime.now() - timedelta(hours=9))
    )
    db.session.commit()

    outcome = runner.invoke(args=["jobs", "run"])

    assert outcome.exit_code == 1, outcome.output
    assert "published 0, failed 1" in outcome.output
    assert f"item {item.id}: 您没有执行此操作的权限" in outcome.output
    item = fresh(item)
    assert (item.state, item.index_number, item.publish_at) == ("approved", None, None)
    (failure,) = entries(item.id, "schedule_failed")
    assert audit.detail_of(failure)["failure"] == "您没有执行此操作的权限"
    assert audit.detail_of(failure)["scheduled_by"] == publisher.username
    assert entries(item.id, "publish") == []
    # the schedule was cleared: the next run does not fail (or audit) again
    again = runner.invoke(args=["jobs", "run"])
    assert again.exit_code == 0 and "published 0, failed 0" in again.output
    assert len(entries(item.id, "schedule_failed")) == 1
    assert audit.verify().ok


def test_a_file_changed_after_sign_off_is_not_published_by_the_job(world):
    item = world.item()
    drafts.add_attachment(
        world.users["officer"],
        item,
        FileStorage(io.BytesIO("张三 低保对象".encode()), filename="名单.txt"),
        item.version,
    )
    db.session.commit()
    world.to_state(item, "approved")
    when = schedule(world, item)
    stored = storage.path_of(item.current_revision.attachments[0].storage_name)
    os.chmod(stored, 0o644)
    stored.write_bytes("张三 110105194912310021 低保对象".encode())

    result = jobs.run_due(when)

    assert result.done == [] and result.failed == [
        (item.id, "待发布内容与保密审查通过的内容不一致，不能发布")
    ]
    item = fresh(item)
    assert (item.state, item.index_number, item.publish_at) == ("approved", None, None)
    assert len(entries(item.id, "schedule_failed")) == 1


def test_jobs_run_command_prints_a_summary(world, runner):
    item = world.to_state(world.item(), "approved")
    schedule(world, item)
    db.session.execute(
        update(Item)
        .where(Item.id == item.id)
        .values(publish_at=datetime.now() - timedelta(hours=9))
    )
    db.session.commit()

    outcome = runner.invoke(args=["jobs", "run"])

    assert outcome.exit_code == 0, outcome.output
    assert "定时发布 (scheduled publication): published 1, failed 0" in outcome.output
    assert fresh(item).state == "published"
    again = runner.invoke(args=["jobs", "run"])
    assert again.exit_code == 0 and "published 0, failed 0" in again.output


def test_two_runners_at_once_publish_each_item_exactly_once(app, world):
    """Two hosts' cron fire together: separate apps (engines, sessions) in separate threads."""
    items = [world.to_state(world.item(title=f"定时信息{i}"), "approved") for i in range(8)]
    times = [schedule(world, item, hours=1 + i / 60) for i, item in enumerate(items)]
    now, ids = max(times), sorted(i.id for i in items)
    db.session.remove()  # the test's own connection holds nothing while the runners work
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER")}
    runners = [
        create_app(
            {"TESTING": True, "SECRET_KEY": "t", **config, "INSTANCE_PATH": app.instance_path}
        )
        for _ in range(2)
    ]

    def run(i):
        with runners[i].app_context():
            result = jobs.run_due(now)
            db.session.remove()
            db.engine.dispose()
        return result

    results = run_concurrently(2, run)  # fails the test if either raised

    done = results[0].done + results[1].done
    assert sorted(done) == ids  # each once, by one of the two
    assert results[0].failed == results[1].failed == []
    published = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "publish")
    )
    assert published == 8
    items = [db.session.get(Item, i) for i in ids]
    assert all(i.state == "published" for i in items)
    assert len({i.index_number for i in items}) == 8
    assert audit.verify().ok
