"""``flask backup``: a consistent copy of the whole database in one file, readable only by its
owner (0600).

SQLite: the online backup API (``sqlite3.Connection.backup``) copies one snapshot while the app
keeps running (WAL: writers are not blocked); the copy is switched to a rollback journal so it is
a single self-contained file, and checked with ``PRAGMA integrity_check``.
PostgreSQL: ``pg_dump -Fc`` (the custom format ``pg_restore`` reads), found on PATH. The password
goes to pg_dump through its environment, never its command line.

Attachments (UPLOAD_FOLDER), the secret key and the audit anchor file live outside the database
and are backed up separately (see the README).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL

SUFFIXES = {"sqlite": ".sqlite", "postgresql": ".dump"}


class BackupError(Exception):
    """The backup could not be made; the message says why (no partial file is left behind)."""


def default_output(instance_path: str, url: URL, now: datetime | None = None) -> Path:
    """<instance>/backups/approval-<UTC time>.<sqlite|dump>; the folder is created 0700."""
    folder = Path(instance_path) / "backups"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return folder / f"approval-{stamp}{SUFFIXES.get(url.get_backend_name(), '.backup')}"


def backup(url: URL, output: Path) -> Path:
    """Write a backup of the database at ``url`` to ``output``, which must not exist yet."""
    backend = url.get_backend_name()
    if backend not in SUFFIXES:
        raise BackupError(f"不支持备份该数据库类型 (cannot back up a {backend} database)")
    output = Path(output)
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"备份文件已存在，未覆盖 (refusing to overwrite {output})") from None
    except OSError as exc:
        raise BackupError(f"无法创建备份文件 (cannot create {output}: {exc.strerror})") from None
    try:
        if backend == "sqlite":
            os.close(fd)
            _backup_sqlite(url, output)
        else:
            with os.fdopen(fd, "wb") as out:
                _dump_postgres(url, out)
    except BaseException:
        output.unlink(missing_ok=True)
        raise
    return output


def _backup_sqlite(url: URL, output: Path) -> None:
    source_path = url.database
    if not source_path or source_path == ":memory:" or not Path(source_path).is_file():
        raise BackupError(f"找不到 SQLite 数据库文件 (no SQLite database file at {source_path!r})")
    source = sqlite3.connect(source_path, timeout=15)
    target = sqlite3.connect(output)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal/-shm beside it
        (status,) = target.execute("PRAGMA integrity_check").fetchone()
        if status != "ok":
            raise BackupError(f"备份文件校验失败 (integrity check of the copy: {status})")
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 备份失败 (backup failed: {exc})") from None
    finally:
        target.close()
        source.close()


def _dump_postgres(url: URL, out) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "未找到 pg_dump：请安装与数据库服务器同版本的 PostgreSQL 客户端工具 "
            "(pg_dump not found on PATH; install the PostgreSQL client, e.g. "
            "apt-get install postgresql-client)"
        )
    dsn = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    done = subprocess.run(
        [pg_dump, "--format=custom", "--dbname", dsn],
        stdout=out,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise BackupError(f"pg_dump 失败 (pg_dump exited {done.returncode}: {message})")
