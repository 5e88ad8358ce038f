"""Setting up: instance folder and secret key, migrations, the demo seed and the CLI commands."""

import os
import stat
import subprocess
import sys

import pytest
from sqlalchemy import inspect, select

from approval import create_app
from approval.demo import ACCOUNTS, DEMO_PASSWORD
from approval.extensions import db
from approval.models import AuditEntry, Item, User
from tests.conftest import Browser


def test_instance_path_from_environment_holds_a_generated_private_secret(tmp_path, monkeypatch):
    instance = tmp_path / "elsewhere"
    monkeypatch.setenv("APPROVAL_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = create_app()
    secret_file = instance / "secret_key.json"
    assert first.instance_path == str(instance)
    assert secret_file.exists()
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) == 64
    assert create_app().config["SECRET_KEY"] == first.config["SECRET_KEY"]  # stable across starts
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance}/approval.sqlite"


def test_the_production_entry_point_serves_with_the_collector_frozen(database_url, tmp_path):
    # approval/wsgi.py (gunicorn approval.wsgi:app) in a process of its own: the freeze is for
    # the life of the process, which a test must not do to the suite's
    probe = (
        "import gc\nfrom approval.wsgi import app\n"
        "print(gc.get_freeze_count(), app.test_client().get('/login').status_code)"
    )
    env = {
        **os.environ,
        "APPROVAL_INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": database_url,
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    frozen, status = done.stdout.split()
    assert int(frozen) > 10_000 and status == "200"  # the app's objects, out of the collector


def test_postgres_urls_use_psycopg3(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/x")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1:5432/x"


def test_seed_demo_creates_every_role_and_a_verifiable_history_once(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    usernames = set(db.session.scalars(select(User.username)))
    assert usernames == {a[0] for a in ACCOUNTS}
    states = set(db.session.scalars(select(Item.state)))
    assert {
        "draft",
        "pending_leader",
        "pending_office",
        "pending_secrecy",
        "approved",
        "published",
        "withheld",
    } <= states
    entries = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    db.session.rollback()  # end this test's read transaction, as a request would
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "未写入演示数据" in again.output
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == entries
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0 and f"{entries} entries" in verify.output


def test_every_demo_account_logs_in_with_the_documented_password(app, runner):
    runner.invoke(args=["seed-demo"])
    for username, *_ in ACCOUNTS:
        response = Browser(app.test_client()).login(username, DEMO_PASSWORD)
        assert response.status_code == 302, username


def test_create_user_refuses_mixing_admin_and_business_roles(app, runner, world):
    ok = runner.invoke(
        args=[
            "create-user",
            "newbie",
            "--name",
            "新信息员",
            "--department",
            "民政办",
            "--role",
            "officer",
            "--password",
            "Str0ng-Password!",
        ]
    )
    assert ok.exit_code == 0, ok.output
    user = db.session.scalar(select(User).where(User.username == "newbie"))
    assert user.roles == {"officer"} and user.check_password("Str0ng-Password!")
    assert user.password_hash.startswith("$argon2id$")
    mixed = runner.invoke(
        args=[
            "create-user",
            "mixed",
            "--name",
            "混合",
            "--department",
            "民政办",
            "--role",
            "officer",
            "--role",
            "audit_admin",
            "--password",
            "Str0ng-Password!",
        ]
    )
    assert mixed.exit_code != 0 and "三员分立" in mixed.output
    assert db.session.scalar(select(User).where(User.username == "mixed")) is None


def test_migrations_create_the_schema_and_downgrade_cleanly(tmp_path):
    from flask_migrate import downgrade, upgrade

    from approval import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        tables = set(inspect(db.engine).get_table_names())
        assert {
            "items",
            "revisions",
            "attachments",
            "decisions",
            "audit_entries",
            "users",
            "chain_steps",
            "index_sequences",
        } <= tables
        downgrade(directory=MIGRATIONS, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_ui_speaks_chinese_by_default_and_english_on_request(app, browser):
    page = browser.get("/login")
    assert 'lang="zh-CN"' in page.text and "登录" in page.text
    switched = browser.post("/language", {"lang": "en", "next": "/login"}, token_from="/login")
    assert switched.status_code == 302
    english = browser.get("/login")
    assert 'lang="en"' in english.text
    assert "Log in" in english.text and "用户名" not in english.text


def test_template_translation_follows_each_requests_language_and_escapes_its_values(app):
    """``_()`` in templates (i18n.template_gettext): the catalog is kept per request, so the
    next request in another language is not served the first one's, and a forced locale is
    obeyed; the values put into a message are escaped; a message is %-formatted, as Jinja's
    newstyle gettext does."""
    from contextlib import contextmanager

    from flask import session
    from flask_babel import force_locale
    from markupsafe import Markup

    def render(source, **values):
        return app.jinja_env.from_string(source).render(**values)

    @contextmanager
    def request():  # each request has its own application context (and g), as when served
        with app.app_context(), app.test_request_context("/"):
            yield

    with request():
        assert render("{{ _('登录') }}") == "登录"
        assert render("{{ _('到期日 %(due)s', due=v) }}", v="<b>") == "到期日 &lt;b&gt;"
        assert render("{{ _('到期日 %(due)s', due=v) }}", v=Markup("<b>1</b>")) == "到期日 <b>1</b>"
        assert render("{{ _('%(n)s%%', n=5) }} {{ _('50%%') }}") == "5% 50%"
    with request():
        session["lang"] = "en"
        assert render("{{ _('登录') }}") == "Log in"
        assert render("{{ _('到期日 %(due)s', due=v) }}", v="<b>") == "Due &lt;b&gt;"
    with request():
        assert render("{{ _('登录') }}") == "登录"
        with force_locale("en"):  # as the e-mails do (notifications/mail.py)
            assert render("{{ _('登录') }}") == "Log in"
        assert render("{{ _('登录') }}") == "登录"


def test_english_catalog_translates_every_ui_string():
    """Re-extract the UI strings from the code and check each has an English translation."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[1]
    keywords = {
        "_": None,
        "_l": None,
        "N_": None,
        "NP_": ((1, "c"), 2),
        "gettext": None,
        "lazy_gettext": None,
        "ServiceError": None,
        "NotFound": None,
        "PermissionDenied": None,
        "Conflict": None,
        "InvalidInput": None,
    }
    method_map = [("approval/**.py", "python"), ("templates/**.html", "jinja2")]
    found = {
        (msg[2], msg[4])
        for msg in extract_from_dir(str(root), method_map, keywords=keywords)
        if isinstance(msg[2], str)
    }
    with open(root / "approval/translations/en/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    untranslated = sorted(
        (m, c or "")
        for m, c in found
        if not (catalog.get(m, context=c) and catalog.get(m, context=c).string)
    )
    assert len(found) > 100
    assert ("办公室审核", "role") in found  # the roles have their own context (msgids.NP_)
    assert untranslated == []


def test_today_is_the_bodys_local_date_for_the_date_formed(app):
    """A document formed this morning in Beijing is formed today, whatever the server's clock."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from approval.core.clock import local_today
    from approval.publication.drafts_forms import ItemForm

    app.config["BABEL_DEFAULT_TIMEZONE"] = "Pacific/Kiritimati"  # UTC+14: often tomorrow
    today = local_today()
    assert today == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    with app.test_request_context():
        form = ItemForm(meta={"csrf": False})
        form.formed_on.data = today
        form.validate_formed_on(form.formed_on)  # no error
        form.formed_on.data = today + timedelta(days=1)
        with pytest.raises(Exception, match="成文日期不能晚于今天"):
            form.validate_formed_on(form.formed_on)


def test_downgrading_and_upgrading_keeps_the_audit_trail_append_only(tmp_path):
    """Migrations must never rebuild a table in a way that loses its append-only triggers."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from approval import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        downgrade(directory=MIGRATIONS, revision="0001")
        upgrade(directory=MIGRATIONS)
        triggers = set(
            db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        )
        assert {
            "audit_entries_no_update",
            "audit_entries_no_delete",
            "decisions_no_update",
            "decisions_no_delete",
        } <= triggers
        db.engine.dispose()
