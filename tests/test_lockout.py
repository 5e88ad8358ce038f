"""Locking an account after repeated failed logins, through the real login form: 5 wrong
passwords within 15 minutes lock it for 30 (all configurable), with the same message as any
other failure, and each step in the audit trail."""

import re

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from approval import create_app
from approval.accounts import logins
from approval.accounts.auth_routes import FAILED
from approval.extensions import db
from approval.models import AuditEntry
from tests.conftest import Browser, RequestScopedClient


@pytest.fixture
def officer(world):
    return world.users["officer"].username


def attempt(app, username, password):
    return Browser(app.test_client()).login(username, password)


def fail(app, username, times):
    for _ in range(times):
        assert attempt(app, username, "wrong-password-1").status_code == 401


def actions(*names):
    db.session.rollback()  # see what the requests committed
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(names)).order_by(AuditEntry.id)
    ).all()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(app, world, officer, clock):
    fail(app, officer, 4)
    assert attempt(app, officer, world.password).status_code == 302  # 4 do not lock
    fail(app, officer, 5)
    locked = attempt(app, officer, world.password)
    assert locked.status_code == 401 and FAILED in locked.text
    entries = actions("login_failed", "account_locked")
    assert [e.action for e in entries] == ["login_failed"] * 9 + ["account_locked", "login_failed"]
    lock = entries[-2]
    assert lock.actor_username == officer and lock.body_id == world.body.id
    assert '"failures":5' in lock.detail
    assert '"reason":"locked"' in entries[-1].detail


def test_the_lock_ends_after_thirty_minutes(app, world, officer, clock):
    fail(app, officer, 5)
    clock.advance(minutes=29, seconds=59)
    assert attempt(app, officer, world.password).status_code == 401
    clock.advance(seconds=1)
    assert attempt(app, officer, world.password).status_code == 302
    assert [e.actor_username for e in actions("login")][-1] == officer


def test_after_the_lock_the_count_starts_again(app, world, officer, clock):
    fail(app, officer, 5)
    clock.advance(minutes=30)
    fail(app, officer, 4)
    assert attempt(app, officer, world.password).status_code == 302


def test_only_failures_within_fifteen_minutes_count(app, world, officer, clock):
    fail(app, officer, 4)
    clock.advance(minutes=15)
    fail(app, officer, 4)  # the first four are out of the window
    assert attempt(app, officer, world.password).status_code == 302
    fail(app, officer, 3)
    clock.advance(minutes=14)
    fail(app, officer, 2)  # five within 14 minutes
    assert attempt(app, officer, world.password).status_code == 401
    assert len(actions("account_locked")) == 1


def test_unknown_user_wrong_password_and_locked_account_look_the_same(app, world, officer, clock):
    fail(app, officer, 5)

    def page(username, password):
        response = attempt(app, username, password)
        assert response.status_code == 401
        return re.sub(r'value="[^"]*"', 'value=""', response.text)  # typed name, CSRF token

    locked = page(officer, world.password)
    assert FAILED in locked
    assert page("nobody_here", world.password) == locked
    assert page(world.users["leader"].username, "wrong-password-1") == locked
    reasons = [e.detail for e in actions("login_failed")][-3:]
    assert reasons == [
        '{"reason":"locked"}',
        '{"reason":"unknown_user"}',
        '{"reason":"wrong_password"}',
    ]


def test_a_successful_login_resets_the_count(app, world, officer, clock):
    fail(app, officer, 4)
    assert attempt(app, officer, world.password).status_code == 302
    fail(app, officer, 4)
    assert attempt(app, officer, world.password).status_code == 302
    assert actions("account_locked") == []


def test_one_account_locked_leaves_the_others_alone(app, world, officer, clock):
    fail(app, officer, 5)
    assert attempt(app, world.users["officer_b"].username, world.password).status_code == 302


def test_limits_are_configurable(app, world, officer, clock):
    app.config.update(LOGIN_MAX_FAILURES=2, LOGIN_FAILURE_WINDOW_MINUTES=1, LOGIN_LOCK_MINUTES=5)
    fail(app, officer, 1)
    clock.advance(minutes=1)
    fail(app, officer, 1)  # the first is out of the one-minute window
    assert attempt(app, officer, world.password).status_code == 302
    fail(app, officer, 2)
    assert attempt(app, officer, world.password).status_code == 401
    clock.advance(minutes=5)
    assert attempt(app, officer, world.password).status_code == 302


def test_failures_count_across_workers(app, world, officer, clock):
    """Two app instances (two workers, or two hosts) share the count through the database."""
    other = create_app(
        {
            **{
                k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "UPLOAD_FOLDER")
            },
            "TESTING": True,
            "INSTANCE_PATH": app.instance_path,
        }
    )
    other.test_client_class = RequestScopedClient
    fail(app, officer, 3)
    with other.app_context():
        fail(other, officer, 2)
        db.session.remove()
        db.engine.dispose()
    assert attempt(app, officer, world.password).status_code == 401


def test_a_weaker_hash_is_upgraded_by_a_successful_login_only(app, world, officer, clock):
    user = world.users["officer"]
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(world.password)
    user.password_hash = weak
    db.session.commit()
    changed_at = user.password_changed_at

    fail(app, officer, 5)
    assert attempt(app, officer, world.password).status_code == 401  # right, but locked
    db.session.rollback()
    assert user.password_hash == weak
    assert user.check_password(world.password) and user.password_hash == weak  # only checks

    clock.advance(minutes=30)
    assert attempt(app, officer, world.password).status_code == 302
    db.session.rollback()
    assert user.password_hash != weak and "$m=65536,t=3,p=4$" in user.password_hash
    assert user.check_password(world.password)
    assert user.password_changed_at == changed_at  # the same password: its age goes on


@pytest.mark.parametrize("meanwhile", ["locked", "disabled"])
def test_a_right_password_in_flight_when_the_account_is_locked_does_not_log_in(
    app, world, officer, clock, meanwhile
):
    """The password is checked without a lock; by the time the login is written down, other
    requests may have locked the account (or an administrator disabled it)."""
    user = world.users["officer"]
    in_flight = logins.check(user, officer, world.password)
    assert in_flight.accepted
    db.session.commit()
    if meanwhile == "locked":
        fail(app, officer, 5)
    else:
        user.is_enabled = False
        db.session.commit()
    assert logins.record(in_flight) is None
    db.session.commit()
    last = actions("login", "login_failed")[-1]
    assert last.action == "login_failed" and last.detail == f'{{"reason":"{meanwhile}"}}'
