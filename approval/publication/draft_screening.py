"""The secrecy pre-check while drafting: the officer sees what the reviewer will see before
submitting, not after.

Pure screening over what is stored (the unsealed revision's title, summary and body, and each
attachment's text as read at upload, ``platform/extraction.segments``): nothing is parsed,
nothing is written. It follows the rules sealing applies (``screening/operations.py``: the
body's sensitive-word list, an unreadable attachment is high, three mobiles in one place are a
batch and high) but keeps nothing: sealing still screens the sealed revision afresh and stores
its findings. ``publication`` may not import the screening capability (the dependency rule), so
the few lines of those rules are repeated here; a test holds both to the same answers."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from approval.core.screening import WordList, screen
from approval.core.screening.extract import Unreadable
from approval.extensions import db
from approval.models import Revision, SensitiveWord
from approval.platform import extraction, storage

TEXT_FIELDS = ("title", "summary", "body")
BATCH_MOBILES = 3  # as screening/operations.py
SHOWN = 200  # findings listed on the page; the rest are counted
_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class DraftFinding:
    field: str  # title | summary | body | attachment
    kind: str
    severity: str
    excerpt: str
    matched: str = ""
    masked: str | None = None
    detail: str = ""
    filename: str = ""  # of the attachment
    location: str = ""  # inside the attachment

    @property
    def is_blocking(self) -> bool:
        return self.severity == "high"


def _words(body_id: int) -> WordList | None:
    rows = db.session.execute(
        select(SensitiveWord.word, SensitiveWord.category, SensitiveWord.severity).where(
            SensitiveWord.body_id == body_id
        )
    ).all()
    return WordList(rows) if rows else None


def _of(f, field: str, filename: str = "", location: str = "") -> DraftFinding:
    return DraftFinding(
        field=field,
        kind=f.kind,
        severity=f.severity,
        excerpt=f.context[:300],
        matched=f.text[:200],
        masked=f.masked[:200] if f.masked else None,
        detail=(f.detail or "")[:200],
        filename=filename,
        location=location[:100],
    )


def findings(revision: Revision) -> list[DraftFinding]:
    """What sealing this revision now would find, high-severity first."""
    words = _words(revision.item.body_id)
    found: list[tuple[tuple, DraftFinding]] = []  # (source, finding)
    for field in TEXT_FIELDS:
        for f in screen(getattr(revision, field) or "", words):
            found.append(((field, None), _of(f, field)))
    for attachment in revision.attachments:
        source = ("attachment", attachment.id)
        extension = attachment.filename.rsplit(".", 1)[-1].lower()
        try:
            segments = extraction.segments(storage.path_of(attachment.storage_name), extension)
        except Unreadable as exc:
            reason = exc.reason[:300]
            unreadable = DraftFinding(
                "attachment", "unreadable", "high", reason, detail=reason[:200]
            )
            found.append((source, replace(unreadable, filename=attachment.filename)))
            continue
        for segment in segments:
            for f in screen(segment.text, words):
                found.append((source, _of(f, "attachment", attachment.filename, segment.location)))
    found = _escalate_batches(found)
    return sorted(found, key=lambda f: _ORDER.get(f.severity, 9))  # stable: text order kept


def _escalate_batches(found: list[tuple[tuple, DraftFinding]]) -> list[DraftFinding]:
    mobiles: dict[tuple, int] = {}
    for source, f in found:
        if f.kind == "mobile":
            mobiles[source] = mobiles.get(source, 0) + 1
    batch = "成批个人信息：同一处共 {} 个手机号码"
    return [
        replace(f, severity="high", detail=batch.format(mobiles[source]))
        if f.kind == "mobile" and mobiles[source] >= BATCH_MOBILES
        else f
        for source, f in found
    ]


def high_count(revision: Revision) -> int:
    return sum(1 for f in findings(revision) if f.is_blocking)


def maskable(found: list[DraftFinding]) -> int:
    """As ``drafts.maskable``, from findings already made: the personal data in the title,
    summary and body that one-click masking would replace."""
    return sum(1 for f in found if f.field in TEXT_FIELDS and f.masked)
