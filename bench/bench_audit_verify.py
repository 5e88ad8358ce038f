"""Benchmark of 校验哈希链 at a million audit entries (issue 27): the verification job
(audit/verification_jobs.py, pages of 5,000 entries, each in its own short read transaction) and
``flask audit verify`` (audit/trail.verify, one snapshot), with a writer appending audit entries
all the while, as the app's users would.

A script, not a test (timings depend on the machine). Run from the repository root:

    .venv/bin/python bench/bench_audit_verify.py                    # SQLite, 1,000,000 entries
    .venv/bin/python bench/bench_audit_verify.py --entries 200000 --pg postgresql+psycopg://postgres@127.0.0.1/approval_bench

It builds a valid chain of N entries (each hashed as the app hashes it, inserted in bulk), then
times each way of verifying, reports the process's resident memory (sampled every 50 ms) and what
the writer saw meanwhile: its appends, the slowest one, and any "database is locked".
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import insert, text, update

sys.path.insert(0, ".")

from approval.audit import trail, verification_jobs  # noqa: E402
from approval.core.hashing import PREFERRED, canonical_json  # noqa: E402
from approval.extensions import db  # noqa: E402
from approval.models import AuditEntry, AuditHead, AuditVerification  # noqa: E402
from approval.models.audit import GENESIS_HASH  # noqa: E402
from bench.data import _discard, bench_app, location  # noqa: E402

CHUNK = 20_000


def build_chain(n: int) -> None:
    table = AuditEntry.__table__
    start = datetime(2026, 1, 1)
    prev, rows = GENESIS_HASH, []
    for i in range(1, n + 1):
        row = SimpleNamespace(
            id=i,
            occurred_at=start + timedelta(seconds=i),
            body_id=1,
            actor_id=1,
            actor_username="officer",
            actor_name="信息员",
            actor_roles="officer",
            action="edit",
            item_id=i // 10 + 1,
            revision_id=i // 5 + 1,
            revision_hash=None,
            round=1,
            from_state=None,
            to_state=None,
            ip="127.0.0.1",
            detail=canonical_json({"fields": ["body"]}),
            hash_alg=PREFERRED,
            prev_hash=prev,
        )
        row.entry_hash = prev = trail.entry_hash(row)
        rows.append(vars(row))
        if len(rows) == CHUNK or i == n:
            db.session.execute(insert(table), rows)
            db.session.commit()
            rows = []
            print(f"  {i:,} entries", file=sys.stderr, end="\r", flush=True)
    db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=n, last_hash=prev))
    db.session.commit()
    print(file=sys.stderr)


class Writer(threading.Thread):
    """Appends one audit entry every 50 ms, as users acting would, and times each append."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app, self.stop, self.times, self.errors = app, threading.Event(), [], []
        self.peak_rss = rss()

    def run(self):
        with self.app.app_context():
            while not self.stop.is_set():
                began = time.perf_counter()
                try:
                    trail.record("login", actor_username="bench", body_id=1)
                    db.session.commit()
                except Exception as exc:  # noqa: BLE001 - counted, that is the point
                    db.session.rollback()
                    self.errors.append(str(exc).splitlines()[0])
                self.times.append(time.perf_counter() - began)
                self.peak_rss = max(self.peak_rss, rss())
                time.sleep(0.05)
            db.session.remove()


def rss() -> int:
    """The process's resident memory now, in bytes (Linux)."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


def timed(app, label: str, work) -> dict:
    writer = Writer(app)
    before = rss()
    writer.start()
    began = time.perf_counter()
    with app.app_context():
        outcome = work()
        db.session.remove()
    seconds = time.perf_counter() - began
    writer.stop.set()
    writer.join()
    return {
        "label": label,
        "seconds": seconds,
        "outcome": outcome,
        "rss_mib": (before / 2**20, writer.peak_rss / 2**20),
        "appends": len(writer.times),
        "slowest_ms": max(writer.times, default=0) * 1000,
        "errors": writer.errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--pg", help="a PostgreSQL URL whose database name ends in _bench")
    args = parser.parse_args()
    kind = "postgresql" if args.pg else "sqlite"
    url, instance = location(kind, args.entries, args.pg or "")
    url = url.replace("bench.sqlite", "audit-verify.sqlite")
    _discard(kind, url)
    app = bench_app(url, instance)
    with app.app_context():
        from approval.cli import init_database

        init_database()
        db.session.commit()
        began = time.perf_counter()
        build_chain(args.entries)
        print(f"{kind}: {args.entries:,} entries built in {time.perf_counter() - began:.0f} s")
        db.session.remove()

    def job():
        with app.app_context():
            db.session.add(
                AuditVerification(requested_at=datetime.now(), outcome="pending", entries_checked=0)
            )
            db.session.commit()
        result = verification_jobs.run_pending()
        row = db.session.scalars(db.select(AuditVerification)).one()
        return f"{row.outcome}, {row.entries_checked:,} entries ({len(result.done)} job)"

    def one_snapshot():
        result = trail.verify(batch_size=5000)
        return f"{'intact' if result.ok else 'broken'}, {result.checked:,} entries"

    results = [
        timed(app, "verification job (pages of 5,000, short transactions)", job),
        timed(app, "`flask audit verify` (trail.verify, one snapshot)", one_snapshot),
    ]
    print(f"\n{kind}, {args.entries:,} entries, a writer appending every 50 ms meanwhile:\n")
    print(
        "| how | time | result | RSS before → peak | writer's appends | slowest append | errors |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in results:
        errors = f"{len(r['errors'])} ({r['errors'][0]})" if r["errors"] else "0"
        print(
            f"| {r['label']} | {r['seconds']:.1f} s | {r['outcome']} | {r['rss_mib'][0]:.0f} → {r['rss_mib'][1]:.0f} MiB "
            f"| {r['appends']} | {r['slowest_ms']:.0f} ms | {errors} |"
        )
    with app.app_context():
        size = db.session.scalar(text("SELECT COUNT(*) FROM audit_entries"))
        print(f"\n(the chain holds {size:,} entries at the end)")


if __name__ == "__main__":
    main()
