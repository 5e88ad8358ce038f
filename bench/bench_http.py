"""HTTP benchmark: the app under gunicorn on 127.0.0.1, against a bare Flask endpoint, on SQLite and
PostgreSQL, at N items. A script, not a test (timings depend on the machine):

    .venv/bin/python bench/bench_http.py --n 100000                # both databases, ~10 minutes
    .venv/bin/python bench/bench_http.py --n 1000000 --db postgres --reuse

Needs gunicorn (pip install -e ".[bench]") and wrk (apt-get install wrk). For each page, wrk loads it
from ``--connections`` connections for ``--seconds``; requests/s come from wrk, server time (p50/p95)
from gunicorn's access log (%(D)s: from reading the request to the end of the response, in the
worker). The bare endpoint (bench/bare.py: the portal home's 20 rows, one hand-written query) is
served by the same gunicorn settings; "× bare" is a page's requests/s over the bare endpoint's.
Then ``--chain-clients`` processes each push items through the whole chain over HTTP — create,
submit, leader, office, secrecy sign-off, publish, each actor opening the item page before acting,
with real sessions and CSRF tokens — and the items/s are reported. Last, the resident memory of
each gunicorn worker. Prints a Markdown report.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402

from approval.extensions import db  # noqa: E402
from approval.models import Category, Department  # noqa: E402
from bench.data import DEFAULT_PG_URL, location, prepare  # noqa: E402
from bench.generate import PASSWORD  # noqa: E402
from bench.pages import DEPARTMENT_POSITION, portal_pages, staff_pages  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
USER_AGENT = "approval-bench"
CLEAR = {
    q: "no"
    for q in (
        "involves_state_secret",
        "involves_work_secret",
        "involves_commercial_secret",
        "involves_personal_privacy",
        "endangers_security",
    )
}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ a gunicorn server


class Server:
    """``gunicorn <module>:app`` on a free local port, its access log at a known path."""

    def __init__(
        self, module: str, env: dict, workers: int, threads: int, log: Path, ready_path: str
    ):
        self.port = _free_port()
        self.log = log
        log.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                f"{module}:app",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--access-logfile",
                str(log),
                "--access-logformat",
                "%(s)s %(D)s",
                "--error-logfile",
                str(log.with_suffix(".err")),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, **env},
        )
        self._wait(ready_path, workers)

    def _wait(self, path: str, workers: int) -> None:
        """Until every worker has booted and answers (the master accepts connections first)."""
        for _ in range(600):
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited at start")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", path)
                if conn.getresponse().status == 200 and len(self.worker_rss_mb()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit("gunicorn did not start")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_size(self) -> int:
        return self.log.stat().st_size if self.log.exists() else 0

    def server_times(self, since: int) -> tuple[list[float], int]:
        """Server times in ms of the requests logged after byte ``since``, and the non-2xx/3xx."""
        with self.log.open() as fh:
            fh.seek(since)
            lines = fh.read().split("\n")
        times, errors = [], 0
        for line in lines:
            if line:
                status, micros = line.split()
                errors += not status.startswith(("2", "3"))
                times.append(int(micros) / 1000)
        return times, errors

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (the master's children), in MiB."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
        return sizes

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


# ------------------------------------------------------------------ a raw HTTP session


class Session:
    """One browser: a cookie, keep-alive where the server allows it, redirects reported."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""
        self.conn = None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        headers = {"User-Agent": USER_AGENT, "Cookie": self.cookie}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        for value in response.headers.get_all("Set-Cookie") or []:
            if value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, dict(response.headers), text

    def token(self, path: str) -> tuple[str, str | None]:
        """The CSRF token and item version of the page at ``path``."""
        status, _, html = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        version = VERSION.search(html)
        return CSRF.search(html).group(1), version.group(1) if version else None

    def login(self, username: str) -> Session:
        token, _ = self.token("/login")
        status, _, _ = self.request(
            "POST", "/login", {"csrf_token": token, "username": username, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"login {username}: {status}")
        return self


# ------------------------------------------------------------------ page load with wrk


@dataclass
class PageResult:
    label: str
    rps: float
    p50: float
    p95: float
    requests: int


def _wrk(server: Server, path: str, cookie: str, connections: int, seconds: int) -> str:
    command = [
        "wrk",
        "-t1" if connections == 1 else "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-H",
        f"User-Agent: {USER_AGENT}",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        command + [server.base + path], check=True, capture_output=True, text=True
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"{path}: error responses\n{out}")
    return out


def load(server: Server, label: str, path: str, cookie: str, args) -> PageResult:
    """Server time from one connection (requests one after another: what a user waits for, not
    queueing), then requests/s from ``args.connections`` connections (the workers saturated)."""
    _wrk(server, path, cookie, args.connections, 1)  # warm every worker
    since = server.log_size()
    _wrk(server, path, cookie, 1, args.seconds)
    time.sleep(0.2)  # let the worker write its last log lines
    times, errors = server.server_times(since)
    if errors:
        raise SystemExit(f"{label} {path}: {errors} error responses")
    out = _wrk(server, path, cookie, args.connections, args.seconds)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    times.sort()
    result = PageResult(
        label, rps, statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], len(times)
    )
    _log(f"  {label:24} {rps:8.0f} req/s  p50 {result.p50:6.2f}  p95 {result.p95:6.2f} ms")
    return result


# ------------------------------------------------------------------ the chain over HTTP


def _draft(category_id: int, n: int) -> dict:
    return {
        "title": f"关于2026年度第{n}批惠民惠农补贴资金发放情况的公示",
        "summary": "公示本批补贴资金发放对象和金额",
        "body": "根据县财政局通知，现将本批补贴资金"
        "发放情况予以公示，公示期为七天，接受社会监督。" * 3,
        "category_id": str(category_id),
        "info_type": "public_notice",
        "document_number": "",
        "formed_on": (date.today() - timedelta(days=1)).isoformat(),
        "disclosure_mode": "proactive",
        "non_disclosure_basis": "",
        "channels": "website",
        "keywords": "补贴 公示",
    }


def _act(session: Session, item_id: int, action: str, **fields) -> None:
    """Open the item page, then press the action's button on it."""
    token, version = session.token(f"/items/{item_id}")
    status, _, text = session.request(
        "POST",
        f"/items/{item_id}/act",
        {"csrf_token": token, "version": version, "action": action, **fields},
    )
    if status != 303:
        raise RuntimeError(f"{action} on {item_id}: {status} {text[:300]}")


def _chain_client(*args) -> None:
    queue = args[-1]
    try:
        queue.put(_push_items(*args[:-1]))
    except Exception as exc:  # reported by the parent, which stops the run
        queue.put(exc)


def _push_items(
    port: int, category_id: int, department: int, seconds: float, client: int
) -> tuple[int, int, float]:
    officer = Session(port).login(f"bench_officer_{department}")
    leader = Session(port).login(f"bench_leader_{department}")
    office, secrecy, publisher = (
        Session(port).login(name) for name in ("bench_office", "bench_secrecy", "bench_publisher")
    )
    done, requests, started = 0, 0, time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        token, _ = officer.token("/items/new")
        status, headers, text = officer.request(
            "POST",
            "/items/new",
            {"csrf_token": token, **_draft(category_id, client * 10**6 + done)},
        )
        if status != 302:
            raise RuntimeError(f"create: {status} {text[:300]}")
        item_id = int(headers["Location"].rsplit("/", 1)[1])
        _act(officer, item_id, "submit")
        _act(leader, item_id, "approve", opinion="同意")
        _act(office, item_id, "approve")
        _act(secrecy, item_id, "sign_off", opinion="经审查不涉密，同意公开", **CLEAR)
        _act(publisher, item_id, "publish")
        done += 1
        requests += 12
    return done, requests, time.perf_counter() - started


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far (/proc/stat)."""
    # user nice system idle iowait irq softirq steal (guest time is inside user and nice)
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


class LockWaits:
    """On PostgreSQL, how many of the database's sessions wait for a lock (a row lock: the audit
    chain's head, an item), sampled every 20 ms while the chain runs: the mean tells whether
    writes queue behind each other or the machine is simply busy."""

    def __init__(self, url: str):
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.samples: list[int] = []
        self.failure: Exception | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        query = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock'"
        )
        try:
            with self.engine.connect() as conn:
                while not self.stop.wait(0.02):
                    self.samples.append(conn.execute(query).scalar())
        except Exception as exc:  # reported by __exit__: no samples must not read as no waits
            self.failure = exc

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.engine.dispose()
        if self.failure is not None:
            raise RuntimeError(f"sampling lock waits failed: {self.failure}")

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples) if self.samples else 0.0


def chain(server: Server, app, body_id: int, clients: int, seconds: float) -> dict:
    with app.app_context():
        category_id = db.session.scalar(
            select(Category.id).where(Category.body_id == body_id, Category.code == "0402")
        )
        departments = db.session.scalars(
            select(Department.position).where(
                Department.body_id == body_id, Department.position > 0
            )
        ).all()
        db.session.remove()
    queue = multiprocessing.Queue()
    since = server.log_size()
    workers = [
        multiprocessing.Process(
            target=_chain_client,
            args=(
                server.port,
                category_id,
                departments[(DEPARTMENT_POSITION + i) % len(departments)],
                seconds,
                i,
                queue,
            ),
        )
        for i in range(clients)
    ]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    busy_before, total_before = _cpu_ticks()
    for w in workers:  # forked before the sampler's thread exists
        w.start()
    with LockWaits(url) if url.startswith("postgresql") else nullcontext() as waits:
        results = [queue.get() for _ in workers]
        for w in workers:
            w.join()
    busy_after, total_after = _cpu_ticks()
    failed = [r for r in results if isinstance(r, Exception)]
    if failed:
        raise SystemExit(
            f"chain failed: {failed[0]}\n{server.log.with_suffix('.err').read_text()[-3000:]}"
        )
    items = sum(r[0] for r in results)
    elapsed = max(r[2] for r in results)
    times, errors = server.server_times(since)
    times.sort()
    summary = {
        "items": items,
        "seconds": elapsed,
        "items_per_s": items / elapsed,
        "requests_per_s": sum(r[1] for r in results) / elapsed,
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "errors": errors,
        "cpu_busy": (busy_after - busy_before) / max(1, total_after - total_before),
        "lock_waiters": waits.mean if waits else None,
    }
    _log(
        f"  chain: {items} items in {elapsed:.1f} s = {summary['items_per_s']:.1f} items/s, "
        f"CPU {summary['cpu_busy']:.0%} busy"
    )
    return summary


# ------------------------------------------------------------------ the run


def run(kind: str, args) -> dict:
    app, body_id = prepare(kind, args.n, args.pg_url, args.reuse)
    url, instance = location(kind, args.n, args.pg_url)
    pages = []
    if not args.chain_only:
        with app.app_context():
            pages = staff_pages(body_id) + [
                (label, None, path) for label, path in portal_pages(body_id)
            ]
            db.session.remove()
    env = {"BENCH_DATABASE_URL": url, "BENCH_INSTANCE": str(instance)}
    report = {"pages": [], "kind": kind}
    if not args.chain_only:
        _log(f"{kind}: bare Flask endpoint")
        with Server(
            "bench.bare", env, args.workers, args.threads, instance / "bare.log", f"/bare/{body_id}"
        ) as bare:
            report["bare"] = load(bare, "bare Flask", f"/bare/{body_id}", "", args)
    _log(f"{kind}: the app")
    with Server(
        "bench.wsgi", env, args.workers, args.threads, instance / "app.log", "/login"
    ) as server:
        cookies = {}
        for label, who, path in pages:
            if who and who not in cookies:
                cookies[who] = Session(server.port).login(who).cookie
            report["pages"].append(load(server, label, path, cookies.get(who, ""), args))
        report["chain"] = chain(server, app, body_id, args.chain_clients, args.chain_seconds)
        report["rss"] = server.worker_rss_mb()
    _log(f"  worker RSS: {', '.join(f'{r:.0f}' for r in report['rss'])} MiB")
    return report


def _pages_table(reports: list[dict]) -> list[str]:
    kinds = [r["kind"] for r in reports]
    lines = [
        "| page | "
        + " | ".join(f"{k} p50 ms | {k} p95 ms | {k} req/s | {k} × bare" for k in kinds)
        + " |",
        "|" + "---|" * (1 + 4 * len(kinds)),
    ]
    rows = [("bare Flask (20 rows, one query)", [r["bare"] for r in reports])]
    for i, page in enumerate(reports[0]["pages"]):
        rows.append((page.label, [r["pages"][i] for r in reports]))
    for label, results in rows:
        cells = " | ".join(
            f"{p.p50:.2f} | {p.p95:.2f} | {p.rps:.0f} | {p.rps / r['bare'].rps:.2f}"
            for p, r in zip(results, reports)
        )
        lines.append(f"| {label} | {cells} |")
    return lines


def markdown(reports: list[dict], args) -> str:
    lines = [
        f"### HTTP at {args.n:,} items (gunicorn {args.workers} workers × {args.threads} "
        "threads"
        + (
            ""
            if args.chain_only
            else f"; server time from 1 connection, requests/s from {args.connections} "
            f"connections, {args.seconds} s each per page"
        )
        + ")",
        "",
    ]
    if not args.chain_only:
        lines += _pages_table(reports)
    lines += [
        "",
        f"Full chain over HTTP ({args.chain_clients} clients × {args.chain_seconds} s; "
        "create, submit, 3 decisions, publish; each actor opens the item page first: "
        "12 requests per item):",
        "",
    ]
    lines.append(
        "| database | items | items/s | requests/s | p50 ms | p95 ms | errors "
        "| CPU busy | sessions waiting for a lock (mean) |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for r in reports:
        c = r["chain"]
        waiting = "—" if c["lock_waiters"] is None else f"{c['lock_waiters']:.2f}"
        lines.append(
            f"| {r['kind']} | {c['items']} | {c['items_per_s']:.1f} | "
            f"{c['requests_per_s']:.0f} | {c['p50']:.2f} | {c['p95']:.2f} | "
            f"{c['errors']} | {c['cpu_busy']:.0%} | "
            f"{waiting} |"
        )
    lines += [
        "",
        "Resident memory per worker after the run (MiB): "
        + "; ".join(f"{r['kind']} {', '.join(f'{x:.0f}' for x in r['rss'])}" for r in reports),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG_URL))
    parser.add_argument("--reuse", action="store_true", help="keep data from an earlier run")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--seconds",
        type=int,
        default=3,
        help="per page, once for server time and once for throughput",
    )
    parser.add_argument("--chain-clients", type=int, default=4)
    parser.add_argument("--chain-seconds", type=float, default=20)
    parser.add_argument(
        "--chain-only",
        action="store_true",
        help="only the chain and the memory (no bare endpoint, no pages)",
    )
    args = parser.parse_args()
    kinds = (
        ["sqlite", "postgresql"]
        if args.db == "both"
        else ["postgresql" if args.db == "postgres" else "sqlite"]
    )
    print(markdown([run(kind, args) for kind in kinds], args))


if __name__ == "__main__":
    main()
