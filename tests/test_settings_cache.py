"""Each worker process keeps a body's chain, its step limits and the working-day calendar between
requests (approval/settings_cache.py). A change made by another worker (a second app on the same
database) shows at this worker's next request; while nothing changes, a page reads none of them.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

import pytest
from flask import g
from sqlalchemy import event

from approval import create_app
from approval.calendar import current as working_calendar
from approval.calendar import operations as calendar_service
from approval.deadlines import limits as step_limits
from approval.deadlines import operations as deadlines
from approval.extensions import db
from approval.models import StepTimeLimit, User
from approval.platform import settings_cache
from tests.clock_control import Moment
from tests.helpers.deadlines import LIMITS, TODAY, draft, item_row

SETTINGS_TABLES = ("chain_steps", "step_time_limits", "calendar_overrides")


@pytest.fixture
def other_worker(app, tmp_path):
    """``with other_worker():`` runs its body in a second app on the same database, as another
    gunicorn worker would (its own engine, session and copies)."""
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "INSTANCE_PATH": str(tmp_path / "other-instance"),
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
    )

    @contextmanager
    def acting():
        with other.app_context():
            yield
            db.session.commit()
            db.session.remove()
        # a request of this worker starts with a new session and transaction; the test's app
        # context keeps one open across requests, reading as the last request did
        db.session.commit()

    yield acting
    with other.app_context():
        db.engine.dispose()


def _settings_reads(browser, path: str, shows: str = "本部门的草稿") -> list[str]:
    """The settings tables one request of ``path`` reads; the page must show ``shows``."""
    reads = []

    def seen(_conn, _cursor, statement, *_):
        reads.extend(t for t in SETTINGS_TABLES if f"FROM {t}" in statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        response = browser.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert response.status_code == 200 and shows in response.text, path
    return reads


def _limit_shown(page: str) -> str:
    match = re.search(r'<input[^>]*name="days_leader"[^>]*>', page)
    assert match, "no field for the leader's step"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def test_a_step_limit_set_by_another_worker_shows_at_the_next_request(
    world, login_as, other_worker
):
    office = login_as("office")
    assert _limit_shown(office.get(LIMITS).text) == ""
    with other_worker():
        step_limits.set_step_limits(
            db.session.get(User, world.users["office"].id), world.body.id, {"leader": 3}
        )
    assert _limit_shown(office.get(LIMITS).text) == "3"
    with other_worker():  # removed: the row is deleted
        step_limits.set_step_limits(
            db.session.get(User, world.users["office"].id), world.body.id, {"leader": None}
        )
    assert _limit_shown(office.get(LIMITS).text) == ""


def test_a_calendar_day_off_added_by_another_worker_moves_the_deadline(
    world, login_as, other_worker, monkeypatch
):
    moment = Moment(monkeypatch)
    moment.at(TODAY)
    draft(world, "2026-10-09", title="新草稿")
    officer = login_as("officer")
    assert "公开期限 2026-11-05（剩 18 个工作日）" in item_row(
        officer.get("/department").text, "新草稿"
    )
    with other_worker():
        calendar_service.add_overrides(
            db.session.get(User, world.users["sysadmin"].id),
            date(2026, 11, 5),
            None,
            False,
            "临时调休",
        )
    assert "公开期限 2026-11-06（剩 18 个工作日）" in item_row(
        officer.get("/department").text, "新草稿"
    )


def test_a_chain_step_added_by_another_worker_shows_in_the_inbox(world, login_as, other_worker):
    office = login_as("office")
    assert "待法制审核" not in office.get("/").text
    with other_worker():
        world.add_step("legal", "法制审核", "office_auditor", position=2)
    assert "待法制审核" in office.get("/").text


def test_pages_read_the_settings_once_per_process_until_they_change(world, login_as, other_worker):
    world.item("officer", title="本部门的草稿")
    officer = login_as("officer")
    assert _settings_reads(officer, "/department")  # the first request reads them
    assert _settings_reads(officer, "/department") == []
    assert _settings_reads(login_as("officer"), "/") == []  # another session, the same body
    with other_worker():
        step_limits.set_step_limits(
            db.session.get(User, world.users["office"].id), world.body.id, {"office": 2}
        )
    assert "chain_steps" in _settings_reads(officer, "/department")  # the body's version moved
    assert _settings_reads(officer, "/department") == []


def test_a_change_rolled_back_leaves_no_copy_behind(world, app, login_as, monkeypatch):
    """A request that adds a day off, works with it and then fails must not leave the process a
    calendar holding the day off that never was."""
    moment = Moment(monkeypatch)
    moment.at(TODAY)
    draft(world, "2026-10-09", title="新草稿")
    officer = login_as("officer")
    shown = item_row(officer.get("/department").text, "新草稿")
    with app.test_request_context("/"):
        for name in list(vars(g)):  # a request of its own, as the client's are
            g.pop(name)
        settings_cache.remember_version(world.body.id, world.body.settings_version)
        calendar_service.add_overrides(
            db.session.get(User, world.users["sysadmin"].id),
            date(2026, 11, 5),
            None,
            False,
            "临时调休",
        )
        assert not working_calendar.current_calendar().is_working_day(date(2026, 11, 5))
        db.session.rollback()
        assert g.pop("_settings_written")  # until the request ends
    assert item_row(officer.get("/department").text, "新草稿") == shown


def test_a_change_not_flushed_yet_is_seen_by_its_request_and_kept_by_nobody(world, app, login_as):
    """Reading the limits with a new one still unflushed flushes it on the way (autoflush); the
    request sees it, and after the rollback nobody does."""
    office = login_as("office")
    with app.test_request_context("/"):
        for name in list(vars(g)):
            g.pop(name)
        settings_cache.remember_version(world.body.id, world.body.settings_version)
        db.session.add(StepTimeLimit(body_id=world.body.id, step_key="leader", working_days=7))
        assert deadlines.step_limits(world.body.id)["leader"] == 7
        db.session.rollback()
    assert _limit_shown(office.get(LIMITS).text) == ""
