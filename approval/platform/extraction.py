"""The text of an uploaded file, read once, in a child process with hard limits, and kept beside
the file.

An attachment is untrusted input: a 1.6 KB workbook or a 5 KB PDF can make a parser run for
minutes, an 886 KB .docx can inflate to gigabytes. So the text is never extracted inside a
request's transaction or in the web worker's own process:

- ``prepare`` runs ``core.screening.extract`` in a new Python process (``extract_child``: no
  database connection, no threads of the app), under RLIMIT_CPU (``EXTRACT_CPU_SECONDS``) and
  RLIMIT_AS (``EXTRACT_MEMORY_MB``), and kills it at a wall-clock limit
  (``EXTRACT_WALL_SECONDS``). The upload calls it after the file is stored and before any write.
- The result is a sidecar next to the content-addressed file (``<sha>.<extension>.text1.json``),
  written once like the file itself: the segments, or the reason the file could not be read. A
  file that hit a limit is recorded as unreadable ("needs manual review"), like a scan.
- ``segments`` reads the sidecar. Sealing a revision (screening) and publishing it (search)
  only read sidecars; they never parse a file again.

Attachments stored before this existed have no sidecar; ``flask attachments extract`` makes
them (docs/security.md).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from approval.core.screening.extract import MANUAL, Segment, Unreadable

FORMAT = 1  # of the sidecar; an extractor that reads differently bumps it
SUFFIX = f".text{FORMAT}.json"

OVER_TIME = f"读取超过处理时限，{MANUAL}"
OVER_MEMORY = f"读取所需内存超过限制，{MANUAL}"
FAILED = f"读取附件文本时出错，{MANUAL}"
NOT_READ = f"附件文本尚未读取（上传于本功能之前），{MANUAL}"


@dataclass(frozen=True)
class Outcome:
    """What ``prepare`` found: ``reason`` is None when the text was read. ``limit`` names the
    hard limit that stopped the child ("cpu", "memory", "time"). The figures are the child's own
    (CPU seconds and peak resident memory; None when it was stopped) and the parent's wait."""

    reason: str | None
    limit: str | None = None
    cpu_seconds: float | None = None
    peak_memory_kb: int | None = None
    wall_seconds: float = 0.0


def sidecar_path(stored_file: Path, extension: str) -> Path:
    return stored_file.with_name(stored_file.name + "." + _clean(extension) + SUFFIX)


def _clean(extension: str) -> str:
    return "".join(c for c in extension.lower().lstrip(".") if c.isalnum())[:10] or "none"


def prepare(stored_file: Path, extension: str) -> Outcome:
    """Read the stored file's text under the limits, unless its sidecar exists; keep the result
    beside it. Never raises for the file's content. Call it with no transaction open: it waits
    for the child, up to EXTRACT_WALL_SECONDS."""
    target = sidecar_path(stored_file, extension)
    if target.exists():
        return _outcome_of(json.loads(target.read_text(encoding="utf-8")))
    fd, scratch = tempfile.mkstemp(dir=stored_file.parent, prefix=".extract-")
    os.close(fd)
    started = time.monotonic()
    try:
        try:
            # a new interpreter, not a fork: nothing of the app's (connections, threads, locks)
            # is in the child; its working folder holds only hash-named files
            done = subprocess.run(
                _child_command(stored_file, extension, scratch),
                cwd=stored_file.parent,
                env={**os.environ, "PYTHONPATH": _import_path()},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=current_app.config["EXTRACT_WALL_SECONDS"],
            )
        except subprocess.TimeoutExpired:  # run() has killed the child
            summary = {"reason": OVER_TIME, "limit": "time"}
        else:
            summary = _summary(done)
        summary["wall_seconds"] = round(time.monotonic() - started, 3)
        if summary.get("limit") or summary.get("failed"):
            _write_once(target, summary)
        else:
            _keep(scratch, target)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
    return _outcome_of(summary)


def _child_command(stored_file: Path, extension: str, out: str) -> list[str]:
    config = current_app.config
    return [
        sys.executable,
        "-m",
        "approval.platform.extract_child",
        str(stored_file),
        extension,
        out,
        str(int(config["EXTRACT_CPU_SECONDS"])),
        str(int(config["EXTRACT_MEMORY_MB"]) * 1024 * 1024),
    ]


def _import_path() -> str:
    """Where this ``approval`` package is, first, so that the child runs the same code."""
    here = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH")
    return here + (os.pathsep + rest if rest else "")


def _summary(done: subprocess.CompletedProcess) -> dict:
    if done.returncode == 0:
        return json.loads(done.stdout)
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return {"reason": OVER_TIME, "limit": "cpu"}
    if b"MemoryError" in done.stderr:
        return {"reason": OVER_MEMORY, "limit": "memory"}
    return {"reason": FAILED, "failed": done.stderr.decode(errors="replace")[-500:]}


def _keep(name: str, target: Path) -> None:
    """Link a finished file into place, read-only and written once."""
    os.chmod(name, 0o444)
    try:
        os.link(name, target)
    except FileExistsError:
        pass  # another upload of the same bytes got there first: same content, same text


def _write_once(target: Path, payload: dict) -> None:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".sidecar-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False)
        _keep(name, target)
    finally:
        os.unlink(name)


def _outcome_of(payload: dict) -> Outcome:
    return Outcome(
        reason=payload.get("reason"),
        limit=payload.get("limit"),
        cpu_seconds=payload.get("cpu_seconds"),
        peak_memory_kb=payload.get("peak_memory_kb"),
        wall_seconds=payload.get("wall_seconds", 0.0),
    )


def segments(stored_file: Path, extension: str) -> list[Segment]:
    """The text read at upload, as segments; ``Unreadable`` with the reason a person must look
    at the file instead (also when it was never read: an upload from before sidecars)."""
    try:
        payload = json.loads(sidecar_path(stored_file, extension).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Unreadable(NOT_READ) from None
    if payload.get("reason"):
        raise Unreadable(payload["reason"])
    return [Segment(location, text) for location, text in payload["segments"]]
