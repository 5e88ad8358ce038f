"""flask backup: a private, consistent copy that, restored as documented, holds the same audit
trail and passes `audit verify` (also against the anchors taken before the backup)."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from approval import create_app
from approval.extensions import db
from approval.models import AuditEntry
from approval.platform.backup import BackupError, backup
from tests.conftest import PG_URL

ON_PG = bool(PG_URL)
HAS_PG_TOOLS = bool(shutil.which("pg_dump") and shutil.which("pg_restore"))


@pytest.fixture
def trail(world, runner):
    """A published item (entries 1–6), anchored; everything committed."""
    world.to_state(world.item(), "published")
    result = runner.invoke(args=["audit", "anchor"])
    assert result.exit_code == 0, result.output
    db.session.commit()
    return entries()


def entries() -> list[tuple]:
    table = AuditEntry.__table__
    return [tuple(r) for r in db.session.execute(select(table).order_by(table.c.id))]


def run_backup(runner, *args) -> Path:
    result = runner.invoke(args=["backup", *args])
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path


def verify_restored(url: str, tmp_path: Path, anchors: Path, expected: list[tuple]) -> None:
    """Open the restored database as the app's own and check its trail."""
    restored = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(tmp_path / "restored-instance"),
            "AUDIT_ANCHOR_PATH": str(anchors),
        }
    )
    with restored.app_context():  # the CLI runs in this app, not in the test's own
        try:
            assert db.engine.url.database == make_url(url).database  # the restored copy
            result = restored.test_cli_runner().invoke(args=["audit", "verify"])
            assert result.exit_code == 0, result.output
            assert f"OK: {len(expected)} entries, chain intact; matches 1 anchor" in result.output
            assert entries() == expected
            with pytest.raises(DBAPIError, match="append-only"):  # the triggers came back too
                db.session.execute(text("DELETE FROM audit_entries"))
            db.session.rollback()
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.mark.skipif(ON_PG, reason="the SQLite backup; this run is on PostgreSQL")
def test_a_sqlite_backup_restored_as_the_apps_database_verifies(app, runner, trail, tmp_path):
    path = run_backup(runner)
    assert path.parent == Path(app.instance_path) / "backups"
    assert re.fullmatch(r"approval-\d{8}-\d{6}\.sqlite", path.name)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not Path(f"{path}-wal").exists()  # one self-contained file

    restored = tmp_path / "restored-instance" / "approval.sqlite"  # the documented restore
    restored.parent.mkdir()
    shutil.copyfile(path, restored)
    anchors = Path(app.instance_path) / "audit-anchors.jsonl"
    verify_restored(f"sqlite:///{restored}", tmp_path, anchors, trail)


@pytest.mark.skipif(not ON_PG, reason="pg_dump/pg_restore; this run is on SQLite")
@pytest.mark.skipif(not HAS_PG_TOOLS, reason="pg_dump or pg_restore is not on PATH")
def test_a_pg_dump_restored_into_a_fresh_database_verifies(app, runner, trail, tmp_path):
    path = run_backup(runner)
    assert re.fullmatch(r"approval-\d{8}-\d{6}\.dump", path.name)
    assert path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    source = make_url(db.engine.url)
    fresh = source.set(database=f"{source.database}_restore")
    admin = create_engine(source, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{fresh.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{fresh.database}"'))
        libpq = fresh.set(drivername="postgresql").render_as_string(hide_password=False)
        done = subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", libpq, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        anchors = Path(app.instance_path) / "audit-anchors.jsonl"
        verify_restored(fresh.render_as_string(hide_password=False), tmp_path, anchors, trail)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{fresh.database}" WITH (FORCE)'))
        admin.dispose()


def test_backup_writes_where_told_and_never_overwrites(runner, trail, tmp_path):
    if ON_PG and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not on PATH")
    target = tmp_path / "elsewhere.backup"
    assert run_backup(runner, "--output", str(target)) == target
    before = target.read_bytes()
    result = runner.invoke(args=["backup", "--output", str(target)])
    assert result.exit_code != 0 and "refusing to overwrite" in result.output
    assert target.read_bytes() == before


def test_without_pg_dump_the_backup_says_so_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    target = tmp_path / "db.dump"
    with pytest.raises(BackupError, match="pg_dump not found"):
        backup(make_url("postgresql+psycopg://someone:secret@127.0.0.1/approval"), target)
    assert not target.exists()


def test_a_failing_pg_dump_leaves_no_file_and_does_not_show_the_password(tmp_path):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not on PATH")
    target = tmp_path / "db.dump"
    # nothing listens on port 1: pg_dump fails at once
    with pytest.raises(BackupError, match="pg_dump exited") as failure:
        backup(make_url("postgresql+psycopg://someone:s3cret-pw@127.0.0.1:1/approval"), target)
    assert "s3cret-pw" not in str(failure.value)
    assert not target.exists()
    assert os.listdir(tmp_path) == []
