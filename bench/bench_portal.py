"""Benchmark of the public portal at N published items, on SQLite and on PostgreSQL.

A script, not a test (timings depend on the machine). From the repository root:

    .venv/bin/python bench/bench_portal.py --n 100000                 # both databases
    .venv/bin/python bench/bench_portal.py --n 1000000 --db sqlite
    .venv/bin/python bench/bench_portal.py --n 100000 --db postgres --pg-url postgresql://…/bench

It builds the data once per database and size (bench/generate.py; SQLite under bench/.data/, the
PostgreSQL database is dropped and recreated — never point --pg-url at a database you keep), then
times requests through the whole Flask app in this process (routing, queries, templates; no
network), and prints a Markdown table of p50/p95 server time per page: home, a catalog page, deep
pages of both (keyset cursors 90% of the way down), an item page, and searches of 2, 3 and
4 characters for common and for rare terms. ``--reuse`` keeps data built by an earlier run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from approval import create_app  # noqa: E402
from approval.extensions import db  # noqa: E402
from approval.models import Body, Category, Item  # noqa: E402
from bench.generate import CREDIT_CODE, generate  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
SEARCHES = [("2 字 常见", "补贴"), ("2 字 罕见", "古树"), ("3 字 常见", "村委会"),
            ("3 字 罕见", "鱼腥草"), ("4 字 常见", "防汛抗旱"), ("4 字 罕见", "非遗传承")]


def _app(url: str, instance: Path):
    instance.mkdir(parents=True, exist_ok=True)
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                       "INSTANCE_PATH": str(instance), "WTF_CSRF_ENABLED": False})


def _prepare(kind: str, n: int, pg_url: str, reuse: bool):
    """An app on a database holding the benchmark body with n items; returns (app, body id)."""
    from approval import search
    from approval.cli import init_database
    instance = DATA / f"{kind}-{n}"
    if kind == "sqlite":
        path = instance / "bench.sqlite"
        if path.exists() and not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = pg_url
        if not make_url(url).database.endswith("_bench"):
            raise SystemExit("refusing: the PostgreSQL database is dropped and recreated, so its "
                             "name must end in _bench")
        if not reuse:
            target = make_url(url)
            admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
            admin.dispose()
    app = _app(url, instance)
    with app.app_context():
        init_database()
        body_id = db.session.scalar(select(Body.id).where(Body.credit_code == CREDIT_CODE))
        if body_id is None:
            print(f"{kind}: generating {n:,} items …", file=sys.stderr)
            started = time.perf_counter()
            body_id = generate(n, log=lambda m: print(m, file=sys.stderr))
            print(f"{kind}: indexing for search …", file=sys.stderr)
            search.reindex_all(body_id)
            db.session.commit()
            if kind == "postgresql":
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            print(f"{kind}: data ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return app, body_id


def _deep_cursor(query) -> str:
    """The keyset cursor 90% of the way down a newest-first listing (found once, by OFFSET)."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    row = db.session.execute(query.with_only_columns(Item.published_at, Item.id)
                             .order_by(Item.published_at.desc(), Item.id.desc())
                             .offset(int(total * 0.9)).limit(1)).one()
    return quote(f"{row.published_at.isoformat()}_{row.id}")


def _pages(body_id: int) -> list[tuple[str, str]]:
    category = db.session.scalar(select(Category).where(Category.body_id == body_id,
                                                        Category.code == "0301"))
    published = select(Item).where(Item.body_id == body_id, Item.state == "published")
    middle = db.session.scalar(published.with_only_columns(Item.id).order_by(Item.id)
                               .offset(db.session.scalar(select(func.count()).select_from(
                                   published.subquery())) // 2).limit(1))
    home = f"/public/{body_id}/"
    catalog = f"/public/{body_id}/catalog/{category.code}"
    pages = [("首页", home), ("目录页（第一页）", catalog),
             ("首页深翻页（90%）", f"{home}?after={_deep_cursor(published)}"),
             ("目录深翻页（90%）", f"{catalog}?after="
                              f"{_deep_cursor(published.where(Item.category_id == category.id))}"),
             ("信息页", f"/public/items/{middle}")]
    pages += [(f"搜索 {label}「{term}」", f"/public/{body_id}/search?q={quote(term)}")
              for label, term in SEARCHES]
    return pages


def _measure(client, url: str, runs: int) -> tuple[float, float, int]:
    for _ in range(3):
        client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/approval_bench"))
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="keep data from an earlier run")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else \
        ["postgresql" if args.db == "postgres" else "sqlite"]
    results: dict[str, dict[str, tuple]] = {}
    labels: list[str] = []
    for kind in kinds:
        app, body_id = _prepare(kind, args.n, args.pg_url, args.reuse)
        with app.app_context():
            pages = _pages(body_id)
            db.session.remove()
        client = app.test_client()
        results[kind] = {}
        for label, url in pages:
            results[kind][label] = _measure(client, url, args.runs)
            if label not in labels:
                labels.append(label)
            print(f"{kind:10} {label:18} p50 {results[kind][label][0]:7.2f} ms  "
                  f"p95 {results[kind][label][1]:7.2f} ms", file=sys.stderr)
    print(f"\n### Portal at {args.n:,} published items ({args.runs} requests per page, "
          "in-process server time)\n")
    header = "| page | " + " | ".join(f"{k} p50 ms | {k} p95 ms" for k in kinds) + " |"
    print(header)
    print("|" + "---|" * (1 + 2 * len(kinds)))
    for label in labels:
        cells = " | ".join(f"{results[k][label][0]:.2f} | {results[k][label][1]:.2f}"
                           for k in kinds)
        print(f"| {label} | {cells} |")


if __name__ == "__main__":
    main()
