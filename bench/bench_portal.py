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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from approval.extensions import db  # noqa: E402
from bench.data import DEFAULT_PG_URL, prepare  # noqa: E402
from bench.pages import portal_pages  # noqa: E402


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
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL))
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="keep data from an earlier run")
    args = parser.parse_args()
    kinds = (
        ["sqlite", "postgresql"]
        if args.db == "both"
        else ["postgresql" if args.db == "postgres" else "sqlite"]
    )
    results: dict[str, dict[str, tuple]] = {}
    labels: list[str] = []
    for kind in kinds:
        app, body_id = prepare(kind, args.n, args.pg_url, args.reuse, WTF_CSRF_ENABLED=False)
        with app.app_context():
            pages = portal_pages(body_id)
            db.session.remove()
        client = app.test_client()
        results[kind] = {}
        for label, url in pages:
            results[kind][label] = _measure(client, url, args.runs)
            if label not in labels:
                labels.append(label)
            print(
                f"{kind:10} {label:18} p50 {results[kind][label][0]:7.2f} ms  "
                f"p95 {results[kind][label][1]:7.2f} ms",
                file=sys.stderr,
            )
    print(
        f"\n### Portal at {args.n:,} published items ({args.runs} requests per page, "
        "in-process server time)\n"
    )
    header = "| page | " + " | ".join(f"{k} p50 ms | {k} p95 ms" for k in kinds) + " |"
    print(header)
    print("|" + "---|" * (1 + 2 * len(kinds)))
    for label in labels:
        cells = " | ".join(
            f"{results[k][label][0]:.2f} | {results[k][label][1]:.2f}" for k in kinds
        )
        print(f"| {label} | {cells} |")


if __name__ == "__main__":
    main()
