"""Fixtures: an app on a freshly migrated database per test (SQLite by default, PostgreSQL when
DATABASE_URL is set), a client that logs in through the real login form with real CSRF tokens,
and factories that build bodies, users and items through the real services."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from approval import create_app
from approval.config import _normalise_url
from approval.extensions import db

PG_URL = os.environ.get("DATABASE_URL")


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker has a database of its own, ``<name>_<worker>`` (made here
    when missing), since every test empties the one it runs on."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    given = make_url(url)
    name = f"{given.database}_{worker}"
    engine = create_engine(given, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Migrate once per test session (per worker); each test then starts from this empty,
    migrated schema."""
    if PG_URL:
        url = _worker_database(_normalise_url(PG_URL))
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _migrate(url, tmp_path_factory.mktemp("pg-instance"))
        return {"url": url}
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.sqlite"
    _migrate(f"sqlite:///{path}", folder)
    return {"path": path}


def _migrate(url: str, instance: Path) -> None:
    from approval.cli import init_database

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "t",
            "INSTANCE_PATH": str(instance),
        }
    )
    with app.app_context():
        init_database()
        db.engine.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = (
            conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # past the triggers
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        conn.execute(
            text("INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, :h)"), {"h": "0" * 64}
        )
    engine.dispose()


@pytest.fixture
def database_url(database_template, tmp_path):
    if PG_URL:
        _reset_postgres(database_template["url"])
        return database_template["url"]
    path = tmp_path / "test.sqlite"
    shutil.copyfile(database_template["path"], path)
    return f"sqlite:///{path}"


class RequestScopedClient(FlaskClient):
    """The fixture keeps one app context open for the whole test, so requests would share its
    ``g`` (where Flask-Login caches the signed-in user and Flask-WTF the CSRF token). Production
    gives every request a fresh ``g``; empty it before each request to behave the same way."""

    def open(self, *args, **kwargs):
        for name in list(vars(g)):
            g.pop(name, None)
        return super().open(*args, **kwargs)


@pytest.fixture
def app_config():
    """Settings a test module adds on top of the test app's (override this fixture)."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            # Lockout and search tests try more than the production limits allow from 127.0.0.1;
            # tests/test_rate_limit.py runs the defaults of approval/config.py.
            "RATELIMIT_LOGIN": "1000 per minute",
            "RATELIMIT_LOGIN_ADDRESS": "1000 per minute",
            "RATELIMIT_SEARCH": "1000 per minute",
            **app_config,
        }
    )
    app.test_client_class = RequestScopedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """A body with the default chain, departments, one user per role, and helpers."""
    from tests.factories import World

    return World.build()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Browser:
    """A test client that behaves like a user: reads the token from the page it posts from."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str):
        page = self.client.get("/login")
        return self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
        )

    def token(self, url: str = "/login") -> str:
        return csrf_from(self.client.get(url).text)

    def post(self, url: str, data: dict, token_from: str, **kwargs):
        payload = {"csrf_token": self.token(token_from), **data}
        return self.client.post(url, data=payload, **kwargs)

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def login_as(app, world):
    """login_as("officer") → a Browser signed in as that world user."""

    def _login(name: str) -> Browser:
        b = Browser(app.test_client())
        response = b.login(world.users[name].username, world.password)
        assert response.status_code == 302, response.text
        return b

    return _login


@pytest.fixture
def published(world):
    """A civil-department item taken through the whole chain: create … publish (6 audit
    entries)."""
    return world.to_state(world.item(), "published")


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand: ``clock.advance(minutes=31)`` (tests/clock_control.py)."""
    from tests.clock_control import Clock

    return Clock(monkeypatch)


@pytest.fixture
def moment(monkeypatch):
    """The time every part of the app reads, set by the test: ``moment.at("2026-10-12 10:00")``
    (Beijing); see tests/clock_control.py."""
    from tests.clock_control import Moment

    return Moment(monkeypatch)


@pytest.fixture
def october(world, moment):
    """The hand-computed October 2026 of tests/test_statistics.py (tests/helpers/statistics.py);
    leaves ``moment`` at 2026-11-05 10:00 Beijing time."""
    from tests.helpers.statistics import build_october

    return build_october(world, moment)


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 for this test (tests/helpers/mail.py): ``smtp.port``,
    ``smtp.messages``, ``smtp.to(address)``; ``mail_on(app, smtp.port)`` points the app at it."""
    from tests.helpers.mail import SmtpServer

    server = SmtpServer()
    server.start()
    yield server
    server.stop()
