"""Secrecy pre-check of a revision: run once when the revision is sealed, kept with it.

Title, summary and body are screened with the body's sensitive-word list, and so is the text of
every attachment (per paragraph, cell, page or line), as it was read when the file was uploaded
(platform/extraction.py: sealing never parses a file). An attachment that cannot be read (a
scanned 低保 list is the classic leak, or a file that hit a limit) is itself a high-severity
finding: a person must look at it. High-severity findings block the secrecy sign-off unless the
reviewer overrides them with a written reason (publication/transitions.py)."""

from __future__ import annotations

from sqlalchemy import select

from approval.core.screening import WordList, screen
from approval.core.screening.extract import Unreadable
from approval.extensions import db
from approval.models import Revision, ScreeningFinding, SensitiveWord
from approval.platform import extraction, storage
from approval.publication import events

TEXT_FIELDS = ("title", "summary", "body")
# one contact number in a notice is normal; a list of them (a 公示 roster) is a leak
BATCH_MOBILES = 3
# findings stored per attachment: a roster of thousands is reviewed as a file, not row by row
MAX_FINDINGS_PER_ATTACHMENT = 200
TOO_MANY = "附件中发现 %(n)d 处需审查的内容，仅逐条列出前 %(shown)d 处，需人工审查整个附件"


def word_list(body_id: int) -> WordList | None:
    rows = db.session.execute(
        select(SensitiveWord.word, SensitiveWord.category, SensitiveWord.severity).where(
            SensitiveWord.body_id == body_id
        )
    ).all()
    return WordList(rows) if rows else None


def subscribe() -> None:
    """Screen each revision as it is sealed (publication/events.py)."""
    events.revision_sealed.connect(screen_revision, weak=False)


def screen_revision(revision: Revision) -> list[ScreeningFinding]:
    """Screen the revision's text and attachments and store the findings with it."""
    words = word_list(revision.item.body_id)
    found = []
    for field in TEXT_FIELDS:
        for f in screen(getattr(revision, field) or "", words):
            found.append(_row(revision, f, field=field))
    for attachment in revision.attachments:
        extension = attachment.filename.rsplit(".", 1)[-1].lower()
        try:
            segments = extraction.segments(storage.path_of(attachment.storage_name), extension)
        except Unreadable as exc:
            found.append(_unreadable(revision, attachment, exc.reason))
            continue
        count = 0
        for segment in segments:
            for f in screen(segment.text, words):
                count += 1
                if count <= MAX_FINDINGS_PER_ATTACHMENT:
                    where = segment.location
                    found.append(
                        _row(revision, f, field="attachment", attachment=attachment, location=where)
                    )
        if count > MAX_FINDINGS_PER_ATTACHMENT:
            reason = TOO_MANY % {"n": count, "shown": MAX_FINDINGS_PER_ATTACHMENT}
            found.append(_unreadable(revision, attachment, reason))
    _escalate_batches(found)
    revision.findings.extend(found)
    return found


def _unreadable(revision, attachment, reason: str) -> ScreeningFinding:
    """A person must look at the attachment itself."""
    return ScreeningFinding(
        revision_id=revision.id,
        attachment_id=attachment.id,
        field="attachment",
        location="",
        kind="unreadable",
        severity="high",
        excerpt=reason[:300],
        detail=reason[:200],
    )


def _escalate_batches(found: list[ScreeningFinding]) -> None:
    """Mobile numbers are medium one by one, high as a batch in one field or attachment."""
    by_source: dict[tuple, list[ScreeningFinding]] = {}
    for f in found:
        if f.kind == "mobile":
            by_source.setdefault((f.field, f.attachment_id), []).append(f)
    for batch in by_source.values():
        if len(batch) >= BATCH_MOBILES:
            for f in batch:
                f.severity, f.detail = "high", f"成批个人信息：同一处共 {len(batch)} 个手机号码"


def _row(revision, f, *, field, attachment=None, location="") -> ScreeningFinding:
    return ScreeningFinding(
        revision_id=revision.id,
        attachment_id=attachment.id if attachment else None,
        field=field,
        location=location[:100],
        kind=f.kind,
        severity=f.severity,
        start=f.start,
        end=f.end,
        excerpt=f.context[:300],
        matched=f.text[:200],
        masked=f.masked[:200] if f.masked else None,
        detail=(f.detail or "")[:200],
    )
