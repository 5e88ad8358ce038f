"""Anchoring the audit chain outside the database.

The hash chain alone cannot show that its newest entries were cut off (with the head row set back
to match), nor that someone with database-owner rights recomputed the whole chain consistently.
``flask audit anchor`` therefore appends the chain head — the last entry's id and hash, the number
of entries and the UTC time — as one JSON line to a file outside the database
(``AUDIT_ANCHOR_PATH``, default ``<instance>/audit-anchors.jsonl``, created 0600), and
``audit verify`` checks the chain against every anchor in it: each anchored entry must still
exist with the same hash and the same number of entries up to it.

The file is only ever appended to. Protect it from the database owner: another account, an
append-only attribute (``chattr +a``) and a copy off the host (cron mail, syslog) of each line,
which ``audit anchor`` also prints.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from approval.audit import trail as audit

FILE_NAME = "audit-anchors.jsonl"
FIELDS = ("entry_id", "entry_hash", "entries", "anchored_at")


class AnchorError(Exception):
    """The anchor file is unreadable or damaged, or the chain cannot be anchored."""


@dataclass(frozen=True)
class Anchor:
    entry_id: int  # the last entry's id (= its position in the chain; 0 for an empty chain)
    entry_hash: str
    entries: int  # how many entries the chain held up to and including it
    anchored_at: str  # UTC, ISO 8601

    def to_json(self) -> str:
        return json.dumps(
            {name: getattr(self, name) for name in FIELDS}, sort_keys=True, separators=(",", ":")
        )


def anchor_path(app) -> Path:
    configured = app.config.get("AUDIT_ANCHOR_PATH")
    return Path(configured) if configured else Path(app.instance_path) / FILE_NAME


def read_anchors(path: Path) -> list[Anchor] | None:
    """Every anchor in the file, oldest first; None when there is no file. A line that is not an
    anchor (an edit, a torn write) is an error: the file is evidence and is read strictly. So is
    a file that cannot be read (no permission, a directory in its place)."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AnchorError(f"{path}: cannot read the anchor file ({_reason(exc)})") from exc
    anchors = []
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    anchors.append(_parse(line, path, number))
        except OSError as exc:
            raise AnchorError(f"{path}: cannot read the anchor file ({_reason(exc)})") from exc
    return anchors


def take_anchor(path: Path, now: datetime | None = None) -> Anchor:
    """Verify the chain (against the anchors already taken), then append its head to the file.
    A broken chain is not anchored: that would certify the damage."""
    anchors = read_anchors(path) or []
    result = audit.verify(anchors=anchors)
    if not result.ok:
        raise AnchorError(
            f"the chain is broken at entry {result.broken_id} ({result.problem}); "
            "nothing was anchored"
        )
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    anchor = Anchor(
        entry_id=result.checked,
        entry_hash=result.last_hash,
        entries=result.checked,
        anchored_at=moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
    )
    _append_line(path, anchor.to_json())
    return anchor


def _parse(line: str, path: Path, number: int) -> Anchor:
    try:
        data = json.loads(line)
    except ValueError:
        data = None
    if not (
        isinstance(data, dict)
        and all(_whole(data.get(name)) for name in ("entry_id", "entries"))
        and all(
            isinstance(data.get(name), str) and data.get(name)
            for name in ("entry_hash", "anchored_at")
        )
    ):
        raise AnchorError(f"{path}, line {number}: not a valid anchor")
    return Anchor(**{name: data[name] for name in FIELDS})


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _append_line(path: Path, line: str) -> None:
    """One write with O_APPEND (concurrent anchors never interleave), flushed to disk; a new file
    is created 0600. A file or folder that refuses (another owner, a read-only file system, a
    full disk) is an AnchorError, not a crash."""
    data = (line + "\n").encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if os.write(fd, data) != len(data):
                raise AnchorError(f"{path}: the anchor could not be written completely")
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise AnchorError(f"{path}: cannot write the anchor file ({_reason(exc)})") from exc


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
