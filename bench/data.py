"""The benchmark databases: built once per database kind and size, reused on request.

SQLite lives under bench/.data/<kind>-<n>/; the PostgreSQL database named by the URL is dropped and
recreated, so its name must end in ``_bench`` (never point it at a database you keep).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from approval import create_app
from approval.extensions import db
from approval.models import Body
from bench.generate import CREDIT_CODE, generate

DATA = Path(__file__).resolve().parent / ".data"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1/approval_bench"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def location(kind: str, n: int, pg_url: str) -> tuple[str, Path]:
    """The database URL and the instance folder of the benchmark database of this kind and size."""
    instance = DATA / f"{kind}-{n}"
    if kind == "sqlite":
        return f"sqlite:///{instance / 'bench.sqlite'}", instance
    if not make_url(pg_url).database.endswith("_bench"):
        raise SystemExit(
            "refusing: the PostgreSQL database is dropped and recreated, so its "
            "name must end in _bench"
        )
    return pg_url, instance


def bench_app(url: str, instance: Path, **config):
    """The app as in production, except that one client address (the load generator) may search
    and fail to log in as often as it likes: the limiter still runs, its budget is never used up."""
    instance.mkdir(parents=True, exist_ok=True)
    unlimited = {"RATELIMIT_LOGIN": "1000000 per minute", "RATELIMIT_SEARCH": "1000000 per minute"}
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": str(instance),
            **unlimited,
            **config,
        }
    )


def _discard(kind: str, url: str) -> None:
    if kind == "sqlite":
        path = make_url(url).database
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def prepare(kind: str, n: int, pg_url: str = DEFAULT_PG_URL, reuse: bool = False, **config):
    """An app on a database holding the benchmark body with n items; returns (app, body id).
    ``reuse`` keeps what an earlier run built (the data is only generated when missing)."""
    from approval import search
    from approval.cli import init_database

    url, instance = location(kind, n, pg_url)
    if not reuse:
        _discard(kind, url)
    app = bench_app(url, instance, **config)
    with app.app_context():
        init_database()
        body_id = db.session.scalar(select(Body.id).where(Body.credit_code == CREDIT_CODE))
        if body_id is None:
            _log(f"{kind}: generating {n:,} items …")
            started = time.perf_counter()
            body_id = generate(n, log=_log)
            _log(f"{kind}: indexing for search …")
            search.reindex_all(body_id)
            db.session.commit()
            if kind == "postgresql":  # as autovacuum would leave a long-running database
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("VACUUM ANALYZE"))
            _log(f"{kind}: data ready in {time.perf_counter() - started:.0f} s")
        db.session.remove()
    return app, body_id
