"""Rate limits (approval/platform/ratelimit.py): failed logins, per client address and username
and under a higher ceiling per address, and the portal search, per address, answer 429 with
Retry-After and a page in Chinese once the budget is used up, before the password is checked; the
form, other addresses and other pages stay open; a colleague behind the same address (an office's
NAT) still signs in while one name is refused, until the address's ceiling is reached; the budget
comes back when the window has passed; Redis shares the count between hosts, and a Redis that is
down neither stops the app nor switches the limits off.

Unlike every other test file, the apps here run the production limits of approval/config.py
(this module's ``app`` fixture replaces the one in conftest.py, which raises them).
"""

from __future__ import annotations

import os
import socket
import time
import uuid

import pytest
from sqlalchemy import func, select

from approval import create_app
from approval.config import DEFAULTS
from approval.extensions import db
from approval.models import AuditEntry
from approval.models.users import LoginFailure
from approval.platform.ratelimit import RateLimitSettingError, address_and_name
from tests.conftest import Browser, RequestScopedClient
from tests.helpers.pages import heading

REDIS_URL = os.environ.get("RATELIMIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PREFIX = f"approval-test-{uuid.uuid4().hex}"  # this run's keys in the shared Redis
LOGIN_LIMIT = 10  # DEFAULTS["RATELIMIT_LOGIN"]: "10 per minute;50 per hour", per address and name
NAT = "203.0.113.10"  # one office's staff behind one shared address
REDIS = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": PREFIX}
BACKENDS = [pytest.param({}, id="memory"), pytest.param(REDIS, id="redis")]
SEARCH_LIMIT = 30  # DEFAULTS["RATELIMIT_SEARCH"]: "30 per minute"


def make_app(database_url, instance, **config):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(instance),
            "UPLOAD_FOLDER": str(instance / "uploads"),
            **config,
        }
    )
    app.test_client_class = RequestScopedClient
    return app


@pytest.fixture
def app_config():
    """Settings on top of config.DEFAULTS; a test changes them with parametrize."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = make_app(database_url, tmp_path / "instance", **app_config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def browser(app, address="127.0.0.1") -> Browser:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browser(client)


def spray(app, times, address="127.0.0.1"):
    """``times`` failed logins from ``address``, each with another (unknown) name."""
    for n in range(times):
        response = browser(app, address).login(f"sprayed_{n}", "Spring-2026-password")
        assert response.status_code == 401, response.status_code


def guess(app, times, username="guessed", address="127.0.0.1"):
    """``times`` failed logins from ``address``, all for one name (a wrong password)."""
    for n in range(times):
        response = browser(app, address).login(username, f"wrong-password-{n}")
        assert response.status_code == 401, response.status_code


def audit_count() -> int:
    db.session.rollback()  # see what the requests committed
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def failures_of(user) -> int:
    db.session.rollback()
    return db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.user_id == user.id)
    )


def retry_after(response) -> int:
    return int(response.headers["Retry-After"])


def test_the_production_limits_are_in_force_here(app):
    for key in (
        "RATELIMIT_LOGIN",
        "RATELIMIT_LOGIN_ADDRESS",
        "RATELIMIT_SEARCH",
        "RATELIMIT_STORAGE_URI",
        "LOGIN_MAX_FAILURES",
    ):
        assert app.config[key] == DEFAULTS[key]
    # wrapping the view keeps its marks: login reads (argon2) before it takes SQLite's write lock
    assert app.view_functions["auth.login"].reads_before_writing is True


# the lockout (5 wrong passwords) would refuse the right password by itself; here it must not
@pytest.mark.parametrize("app_config", [{"LOGIN_MAX_FAILURES": LOGIN_LIMIT + 5}])
def test_failed_logins_beyond_the_limit_are_refused_before_the_password_check(app, world):
    officer = world.users["officer"]
    guess(app, LOGIN_LIMIT, officer.username)
    audited = audit_count()
    assert failures_of(officer) == LOGIN_LIMIT

    refused = browser(app).login(officer.username, world.password)  # the right password
    assert refused.status_code == 429
    assert 1 <= retry_after(refused) <= 60
    assert "请求过于频繁" in refused.text and "登录失败的次数过多" in refused.text
    assert "分钟后重试" in refused.text or "秒后重试" in refused.text
    assert browser(app).login(officer.username, "wrong-password-1").status_code == 429
    assert audit_count() == audited  # neither attempt reached the password check
    assert failures_of(officer) == LOGIN_LIMIT

    form = browser(app).get("/login")
    assert form.status_code == 200 and 'name="password"' in form.text
    assert browser(app, "192.0.2.7").login(officer.username, world.password).status_code == 302
    assert audit_count() == audited + 1  # that login went through, audited


def test_successful_logins_do_not_use_up_the_budget(app, world):
    """An office signs in through one NAT address every morning: only failures count."""
    for _ in range(LOGIN_LIMIT + 2):
        assert (
            browser(app).login(world.users["officer"].username, world.password).status_code == 302
        )
    guess(app, LOGIN_LIMIT)
    assert browser(app).login("guessed", "Spring-2026-password").status_code == 429


@pytest.mark.parametrize("app_config", BACKENDS)
def test_nat_a_colleague_signs_in_while_one_name_is_refused(storage, app, world):
    """Issue 26, the NAT case: someone behind the office's shared address guesses a colleague's
    password until that name is refused; everyone else there still signs in with theirs."""
    a, b, c = (world.users[name] for name in ("officer", "leader", "publisher"))
    guess(app, LOGIN_LIMIT, a.username, NAT)  # the lockout locks A after 5 of them, as before
    db.session.refresh(a)
    assert a.locked_until is not None

    assert browser(app, NAT).login(b.username, world.password).status_code == 302
    assert browser(app, NAT).login(c.username, "a-typo").status_code == 401  # C's own count
    assert browser(app, NAT).login(c.username, world.password).status_code == 302

    refused = browser(app, NAT).login(a.username, world.password)
    assert refused.status_code == 429 and 1 <= retry_after(refused) <= 60
    assert "登录失败的次数过多" in refused.text and "后重试" in refused.text
    assert browser(app, NAT).login(a.username, "another-guess").status_code == 429
    # A's name from elsewhere is not refused by the rate limit (the lockout still refuses it)
    assert browser(app, "192.0.2.7").login(a.username, "another-guess").status_code == 401


def test_the_name_counts_as_the_login_reads_it(app, world):
    """Letter case, outer whitespace and invisible characters do not make a new name to guess
    under (names are unique whatever their case)."""
    for typed in ("ghost", " ghost", "GHOST", "Ghost ", "gh\u200bost", "\tghost", "ghost\u202e"):
        assert browser(app, NAT).login(typed, "wrong-password").status_code == 401
    guess(app, LOGIN_LIMIT - 7, "gHoSt", NAT)
    assert browser(app, NAT).login("ghost", "wrong-password").status_code == 429
    assert browser(app, NAT).login("ghost2", "wrong-password").status_code == 401
    assert (
        browser(app, NAT).login(world.users["leader"].username, world.password).status_code == 302
    )


def test_the_name_key_is_short_and_keeps_no_name(app):
    def key(typed):
        with app.test_request_context(
            "/login", method="POST", data={"username": typed}, environ_base={"REMOTE_ADDR": NAT}
        ):
            return address_and_name()

    same = {key(t) for t in ("alice", " ALICE ", "al\u200bice", "\x00alice\x7f", "alice\u2028")}
    assert len(same) == 1
    longest, too_long = key("a" * 64), key("a" * 65)  # the form refuses the second
    assert len({*same, longest, too_long, key("alicia"), key(""), key("a" * 500_000)}) == 5
    for k in (*same, longest, too_long):
        assert k.startswith(f"{NAT}/") and len(k) == len(NAT) + 33 and "alice" not in k
    app.config["SECRET_KEY"] = "another-secret"
    assert key("alice") not in same  # keyed: a digest cannot be looked up in a list of names


@pytest.mark.parametrize(
    "app_config",
    [{**backend, "RATELIMIT_LOGIN_ADDRESS": "6 per minute"} for backend in ({}, REDIS)],
    ids=["memory", "redis"],
)
def test_the_address_ceiling_refuses_everyone_there(storage, app, world):
    """Spraying (one password, many names) is bounded per address: past the ceiling every
    sign-in from that address is refused, the right password included, until the window has
    room; other addresses are not affected. Successful sign-ins do not count."""
    officer, leader = world.users["officer"], world.users["leader"]
    for _ in range(8):
        assert browser(app, NAT).login(officer.username, world.password).status_code == 302
    spray(app, 6, NAT)
    audited = audit_count()
    refused = browser(app, NAT).login(leader.username, world.password)
    assert refused.status_code == 429 and 1 <= retry_after(refused) <= 60
    assert "登录失败的次数过多" in refused.text
    assert browser(app, NAT).login("sprayed_new", "Spring-2026-password").status_code == 429
    assert audit_count() == audited
    assert browser(app, "192.0.2.7").login(leader.username, world.password).status_code == 302


@pytest.mark.parametrize("app_config", [{"RATELIMIT_LOGIN": "2 per 1 second"}])
def test_the_budget_comes_back_when_the_window_has_passed(app, world):
    """Flask-Limiter keeps its own clock (time.time), so this one waits for real."""
    guess(app, 2)
    refused = browser(app).login("guessed", "Spring-2026-password")
    assert refused.status_code == 429 and retry_after(refused) == 1
    audited = audit_count()
    time.sleep(retry_after(refused) + 0.1)
    assert browser(app).login("guessed", "Spring-2026-password").status_code == 401
    assert audit_count() == audited + 1  # checked and audited again
    assert browser(app).login(world.users["officer"].username, world.password).status_code == 302


@pytest.mark.parametrize("app_config", [{"RATELIMIT_LOGIN": "100 per minute;3 per hour"}])
def test_retry_after_follows_the_limit_that_was_hit(app, world):
    guess(app, 3)
    refused = browser(app).login("guessed", "Spring-2026-password")
    assert refused.status_code == 429
    assert 3500 < retry_after(refused) <= 3600
    assert "请在 60 分钟后重试" in refused.text


def test_portal_search_beyond_the_limit_is_refused(app, world):
    search = f"/public/{world.body.id}/search?q=低保"
    visitor = browser(app, "198.51.100.4")
    for _ in range(SEARCH_LIMIT):
        page = visitor.get(search)
        assert page.status_code == 200 and heading(page.text) == "搜索公开信息"
    refused = visitor.get(search)
    assert refused.status_code == 429
    assert 1 <= retry_after(refused) <= 60
    assert "您的搜索过于频繁" in refused.text and "后重试" in refused.text
    assert visitor.get(f"/public/{world.body.id}/search").status_code == 429  # any query
    # the rest of the portal, static files and other visitors are not limited
    home = visitor.get(f"/public/{world.body.id}/")
    assert home.status_code == 200 and heading(home.text) == "测试镇人民政府 政府信息公开专栏"
    for _ in range(SEARCH_LIMIT + 1):
        stylesheet = visitor.get("/static/app.css")
        assert stylesheet.status_code == 200 and stylesheet.mimetype == "text/css"
    elsewhere = browser(app, "198.51.100.5").get(search)
    assert elsewhere.status_code == 200 and "搜索结果" in elsewhere.text
    login_page = visitor.get("/login")
    assert login_page.status_code == 200 and heading(login_page.text) == "登录"


def test_each_app_counts_for_itself_in_memory(app, world, database_url, tmp_path):
    """Memory storage is per app (per process): a fresh app, like a test's or another
    worker's, starts from zero."""
    guess(app, LOGIN_LIMIT)
    assert browser(app).login("guessed", "Spring-2026-password").status_code == 429
    other = make_app(database_url, tmp_path / "other")
    with other.app_context():
        assert browser(other).login("guessed", "Spring-2026-password").status_code == 401
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(
    "setting", ["RATELIMIT_LOGIN", "RATELIMIT_LOGIN_ADDRESS", "RATELIMIT_SEARCH"]
)
@pytest.mark.parametrize("value", ["ten per minute", "", None])
def test_a_malformed_limit_stops_the_start_up(database_url, tmp_path, setting, value):
    with pytest.raises(RateLimitSettingError, match=setting):
        make_app(database_url, tmp_path / "instance", **{setting: value})


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"REQUIRE_REDIS is set but Redis at {REDIS_URL} does not answer: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    return client


@pytest.fixture
def redis_keys():
    client = _redis()
    yield client
    for key in client.scan_iter(match=f"*{PREFIX}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def storage(request, app_config):
    """The test's Redis when its settings name one (it must answer; its keys are removed
    afterwards), None for memory. Ask for it before ``app``."""
    if app_config.get("RATELIMIT_STORAGE_URI") == REDIS_URL:
        return request.getfixturevalue("redis_keys")
    return None


@pytest.mark.parametrize("app_config", [REDIS])
def test_two_hosts_share_the_count_through_redis(app, world, redis_keys, database_url, tmp_path):
    other = make_app(database_url, tmp_path / "other-host", **REDIS)
    guess(app, LOGIN_LIMIT // 2, " Guessed")
    with other.app_context():
        guess(other, LOGIN_LIMIT - LOGIN_LIMIT // 2)
        refused = browser(other).login("guessed", "Spring-2026-password")
        assert refused.status_code == 429 and 1 <= retry_after(refused) <= 60
        db.session.remove()
        db.engine.dispose()
    assert browser(app).login("guessed", "Spring-2026-password").status_code == 429
    keys = list(redis_keys.scan_iter(match=f"*{PREFIX}*"))
    assert keys  # the count lives in Redis, without what was typed as the name
    assert not any(b"uessed" in key.lower() for key in keys)
    assert browser(app, "192.0.2.7").login("guessed", "Spring-2026-password").status_code == 401


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{_closed_port()}/0"}]
)
def test_redis_down_the_app_starts_and_still_limits_in_memory(app, world):
    login_page = browser(app).get("/login")
    assert login_page.status_code == 200 and heading(login_page.text) == "登录"
    guess(app, LOGIN_LIMIT)
    refused = browser(app).login("guessed", "Spring-2026-password")
    assert refused.status_code == 429 and 1 <= retry_after(refused) <= 60
    assert browser(app).login(world.users["officer"].username, world.password).status_code == 302
