"""Benchmark of hostile attachments: each file of the corpus (tests/helpers/hostile_files.py) is
uploaded to the app under gunicorn (the README's production command: 4 sync workers) on the
embedded SQLite, while a colleague signs in again and again. A script, not a test:

    .venv/bin/python bench/bench_hostile_files.py            # needs pip install -e ".[bench]"

For each file it reports the upload's time, the extraction child's CPU time and peak memory (its
own getrusage, kept with the text; a child stopped at a limit reports none), the outcome, the
sign-ins made during the upload (how many, how many failed, their slowest) and how much the
gunicorn workers' resident memory grew. Prints a Markdown table.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from approval.demo import DEMO_PASSWORD  # noqa: E402
from approval.platform import extraction  # noqa: E402
from tests.helpers import hostile_files  # noqa: E402
from tests.http_client import Client  # noqa: E402

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kb(pids: list[int]) -> dict[int, int]:
    out = {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out[pid] = int(line.split()[1])
        except FileNotFoundError:
            pass
    return out


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(p) for p in found]


def _post_file(tab: Client, item_id: int, path: Path) -> int:
    fields = tab.form_fields(f"/items/{item_id}")
    return tab.upload(f"/items/{item_id}/attachments", fields, path.name, path.read_bytes())


def _sign_in(base: str, username: str) -> tuple[int, float]:
    tab = Client(base)
    fields = tab.form_fields("/login")
    started = time.monotonic()
    status, _ = tab.request("/login", {"username": username, "password": DEMO_PASSWORD, **fields})
    return status, time.monotonic() - started


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    instance = work / "instance"
    env = {**os.environ, "APPROVAL_INSTANCE_PATH": str(instance), "SECRET_KEY": "bench"}
    flask = [str(BIN / "flask"), "--app", "approval"]
    subprocess.run([*flask, "init-db", "--demo"], env=env, check=True, capture_output=True)
    database = instance / "approval.sqlite"
    item_id = (
        sqlite3.connect(database)
        .execute("SELECT id FROM items WHERE state = 'draft' ORDER BY id LIMIT 1")
        .fetchone()[0]
    )
    corpus = work / "corpus"
    files = [hostile_files.make(name, corpus) for name in hostile_files.MAKERS]

    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}", "approval.wsgi:app"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                Client(base).request("/login")
                break
            except OSError:
                time.sleep(0.1)
        officer = Client(base)
        fields = officer.form_fields("/login")
        officer.request("/login", {"username": "officer", "password": DEMO_PASSWORD, **fields})
        workers = _children(server.pid)
        rows = []
        for path in files:
            rss_before = _rss_kb(workers)
            result: dict = {}

            def send(path=path, result=result):
                started = time.monotonic()
                result["status"] = _post_file(officer, item_id, path)
                result["seconds"] = time.monotonic() - started

            sender = threading.Thread(target=send)
            sender.start()
            sign_ins = []
            while sender.is_alive():
                sign_ins.append(_sign_in(base, "leader"))
            sender.join()
            rss_after = _rss_kb(workers)
            growth = max((rss_after[p] - rss_before.get(p, 0) for p in rss_after), default=0)
            kept = _sidecar(instance, path)
            rows.append((path, result, kept, sign_ins, growth))
    finally:
        server.terminate()
        server.wait(timeout=30)
    _report(rows)


def _sidecar(instance: Path, path: Path) -> dict:
    import hashlib

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    stored = instance / "uploads" / sha[:2] / sha
    return json.loads(extraction.sidecar_path(stored, path.suffix).read_text(encoding="utf-8"))


def _report(rows) -> None:
    print(
        "| file | size | upload | HTTP | child CPU | child peak memory | outcome |"
        " sign-ins during the upload (failed, slowest) | worker RSS growth |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for path, result, kept, sign_ins, growth in rows:
        cpu = f"{kept['cpu_seconds']:.2f} s" if kept.get("cpu_seconds") is not None else "—"
        peak = (
            f"{kept['peak_memory_kb'] / 1024:.0f} MiB"
            if kept.get("peak_memory_kb") is not None
            else "—"
        )
        outcome = kept.get("reason") or f"read: {len(kept.get('segments', []))} segments"
        if kept.get("limit"):
            outcome += f" (limit: {kept['limit']})"
        failed = sum(1 for status, _ in sign_ins if status != 302)
        slowest = max((seconds for _, seconds in sign_ins), default=0)
        print(
            f"| {path.name} | {path.stat().st_size:,} B | {result['seconds']:.2f} s |"
            f" {result['status']} | {cpu} | {peak} | {outcome} |"
            f" {len(sign_ins)} ({failed} failed, {slowest * 1000:.0f} ms) |"
            f" {growth / 1024:.1f} MiB |"
        )


if __name__ == "__main__":
    main()
