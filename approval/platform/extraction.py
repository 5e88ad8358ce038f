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
- ``mask`` makes a masked copy of a stored file (the one-click masking of an attachment) in the
  same child, under the same limits and in the same slots.
- ``docx_html`` converts a .docx chosen for 从Word导入正文 to sanitized HTML (core/docx_html.py)
  in the same child, under the same limits and in the same slots (docs/rich-text.md).

Attachments stored before this existed have no sidecar; ``flask attachments extract`` makes
them (docs/security.md).
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from approval.core.msgids import N_
from approval.core.screening.extract import MANUAL, OVER_MEMORY, Segment, Unreadable

FORMAT = 1  # of the sidecar; an extractor that reads differently bumps it
SUFFIX = f".text{FORMAT}.json"

OVER_TIME = f"读取超过处理时限，{MANUAL}"
FAILED = f"读取附件文本时出错，{MANUAL}"
BUSY = f"服务器繁忙，附件文本暂未读取，{MANUAL}"
NOT_READ = f"附件文本尚未读取（管理员可运行 flask attachments extract 补读），{MANUAL}"
# outcomes that say more about the server's load than about the file: not kept, so that the next
# upload of the same bytes, or ``flask attachments extract``, reads the file again
_NOT_KEPT = {"time", "busy"}


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
    for a free slot (at most ``EXTRACT_CONCURRENCY`` children at once, across the workers) and
    for the child, each up to EXTRACT_WALL_SECONDS."""
    target = sidecar_path(stored_file, extension)
    if target.exists():
        return _outcome_of(json.loads(target.read_text(encoding="utf-8")))
    started = time.monotonic()
    with _slot(stored_file.parent.parent) as free:
        summary = _run_child(stored_file, extension, target) if free else _busy()
    summary["wall_seconds"] = round(time.monotonic() - started, 3)
    if summary.get("limit") in _NOT_KEPT:
        return _outcome_of(summary)
    if not target.exists():
        _write_once(target, summary)
    # another upload of the same bytes may have kept its result first: report what is kept
    kept = json.loads(target.read_text(encoding="utf-8"))
    return _outcome_of({**kept, "wall_seconds": summary["wall_seconds"]})


def _busy() -> dict:
    return {"reason": BUSY, "limit": "busy"}


@contextmanager
def _slot(folder: Path):
    """One of EXTRACT_CONCURRENCY lock files (flock, released by the kernel if the worker dies);
    yields False when none came free within the wall limit."""
    locks = folder / ".extract-slots"
    locks.mkdir(exist_ok=True)
    count = max(1, int(current_app.config["EXTRACT_CONCURRENCY"] or os.cpu_count() or 1))
    deadline = time.monotonic() + current_app.config["EXTRACT_WALL_SECONDS"]
    while True:
        for n in range(count):
            handle = open(locks / f"slot-{n}", "a")  # noqa: SIM115 (closed below)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield True
            finally:
                handle.close()  # releases the lock
            return
        if time.monotonic() > deadline:
            yield False
            return
        time.sleep(0.05)


def _run_child(stored_file: Path, extension: str, target: Path) -> dict:
    """The child's summary; its full result (segments) is linked into place as ``target``."""
    fd, scratch = tempfile.mkstemp(dir=stored_file.parent, prefix=".extract-")
    os.close(fd)
    try:
        summary = _run(_child_command(stored_file, extension, scratch))
        if not summary.get("failed") and not summary.get("limit"):  # the child ended by itself
            _keep(scratch, target)  # the segments, or the reason the parser gave
        return summary
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)


def _run(command: list[str]) -> dict:
    """Run a child until it ends or the wall limit: its summary, or the limit that stopped it."""
    with tempfile.TemporaryFile() as errors:
        try:
            # a new interpreter, not a fork: nothing of the app's (connections, threads, locks,
            # environment) is in the child; -P and cwd "/" keep any folder of files off its
            # import path
            done = subprocess.run(
                command,
                cwd="/",
                env=_child_environment(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,  # a file: a parser's warnings cannot fill the worker's memory
                timeout=current_app.config["EXTRACT_WALL_SECONDS"],
            )
        except subprocess.TimeoutExpired:  # run() has killed the child
            return {"reason": OVER_TIME, "limit": "time"}
        errors.seek(max(0, errors.seek(0, os.SEEK_END) - 2000))
        return _summary(done, errors.read())


def _child_command(stored_file: Path, extension: str, out: str) -> list[str]:
    config = current_app.config
    return [
        sys.executable,
        "-P",
        "-m",
        "approval.platform.extract_child",
        str(stored_file),
        extension,
        out,
        str(int(config["EXTRACT_CPU_SECONDS"])),
        str(int(config["EXTRACT_MEMORY_MB"]) * 1024 * 1024),
    ]


def _child_environment() -> dict:
    """No secret of the app's (DATABASE_URL, SECRET_KEY, …): only what Python needs, and where
    this ``approval`` package is, first, so that the child runs the same code."""
    here = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": here + (os.pathsep + rest if rest else ""),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _summary(done: subprocess.CompletedProcess, errors: bytes) -> dict:
    if done.returncode == 0:
        try:
            return json.loads(done.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return {"reason": FAILED, "failed": "no summary from the child"}
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return {"reason": OVER_TIME, "limit": "cpu"}
    if b"MemoryError" in errors:
        return {"reason": OVER_MEMORY, "limit": "memory"}
    return {"reason": FAILED, "failed": errors.decode(errors="replace")[-500:]}


def _keep(name: str, target: Path) -> None:
    """Link a finished file into place, read-only and written once."""
    os.chmod(name, 0o444)
    try:
        os.link(name, target)
    except FileExistsError:
        pass  # another upload of the same bytes got there first: its result stands


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


@dataclass(frozen=True)
class MaskedCopy:
    """What ``mask`` made: ``count`` personal-data findings masked in the file at ``path`` (a
    scratch file beside the stored one, for the caller to store and remove), or ``reason`` why
    the file could not be read (``limit`` as in ``Outcome``). No path when nothing was masked."""

    reason: str | None
    count: int = 0
    path: Path | None = None
    limit: str | None = None


def mask(stored_file: Path, extension: str) -> MaskedCopy:
    """A masked copy of the stored file (core/screening/mask_file.py), made by the child under
    the same limits, in the same slots, as ``prepare`` reads a file; the stored file itself is
    never changed. Never raises for the file's content. Call it with no transaction open."""
    fd, scratch = tempfile.mkstemp(dir=stored_file.parent, prefix=".mask-")
    os.close(fd)
    try:
        with _slot(stored_file.parent.parent) as free:
            command = _child_command(stored_file, extension, scratch) + ["mask"]
            summary = _run(command) if free else _busy()
    except BaseException:
        os.unlink(scratch)
        raise
    failed = summary.get("failed") or summary.get("limit")
    if summary.get("count") and not summary.get("reason") and not failed:
        return MaskedCopy(None, summary["count"], Path(scratch))
    os.unlink(scratch)
    return MaskedCopy(summary.get("reason"), limit=summary.get("limit"))


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


@dataclass(frozen=True)
class ConvertedHtml:
    """What ``docx_html`` made: the sanitized HTML of a .docx's 正文, or ``reason`` (Chinese, for
    the form) why not; ``limit`` and the figures as in ``Outcome``."""

    html: str | None
    reason: str | None = None
    limit: str | None = None
    cpu_seconds: float | None = None
    peak_memory_kb: int | None = None
    wall_seconds: float = 0.0


IMPORT_OVER_TIME = N_(
    "读取该 Word 文档超过处理时限，未能导入正文。请精简文档后再试，或直接粘贴正文。"
)
IMPORT_OVER_MEMORY = N_(
    "读取该 Word 文档所需内存超过限制，未能导入正文。请精简文档后再试，或直接粘贴正文。"
)
IMPORT_BUSY = N_("服务器繁忙，暂时无法导入 Word 文档，请稍后再试。")
IMPORT_FAILED = N_("读取该 Word 文档时出错，未能导入正文。")


def docx_html(upload) -> ConvertedHtml:
    """A .docx upload's 正文 as sanitized HTML (core/docx_html.py), converted by the child under
    the same limits, in the same slots, as ``prepare`` reads an attachment; the upload is written
    to a scratch file beside the stored files and removed afterwards. Never raises for the
    file's content. Call it with no transaction open."""
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    source_fd, source = tempfile.mkstemp(dir=folder, prefix=".import-", suffix=".docx")
    out_fd, out = tempfile.mkstemp(dir=folder, prefix=".import-", suffix=".json")
    os.close(out_fd)
    try:
        with os.fdopen(source_fd, "wb") as handle:
            upload.stream.seek(0)
            while chunk := upload.stream.read(1024 * 1024):
                handle.write(chunk)
        with _slot(folder.parent) as free:
            command = _child_command(Path(source), "docx", out) + ["html"]
            summary = _run(command) if free else _busy()
        if not summary.get("failed") and not summary.get("limit"):
            with open(out, encoding="utf-8") as result:
                summary = {**json.load(result), **summary}
    finally:
        os.unlink(source)
        os.unlink(out)
    reason = {
        "time": IMPORT_OVER_TIME,
        "cpu": IMPORT_OVER_TIME,
        "memory": IMPORT_OVER_MEMORY,
        "busy": IMPORT_BUSY,
    }.get(summary.get("limit"), IMPORT_FAILED if summary.get("failed") else summary.get("reason"))
    return ConvertedHtml(
        html=None if reason else summary.get("html", ""),
        reason=reason,
        limit=summary.get("limit"),
        cpu_seconds=summary.get("cpu_seconds"),
        peak_memory_kb=summary.get("peak_memory_kb"),
        wall_seconds=round(time.monotonic() - started, 3),
    )
