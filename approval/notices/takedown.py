"""What the public version of a 公示 becomes once its personal data comes down (``prepare``).

Worked out before the job's write transaction, as an upload is (the attachments are read and
masked in the extraction's child process, under its limits; nothing is held meanwhile):

- title, 内容概述 and 正文: the app's masking (``screening.mask_text``: resident IDs, mobiles, bank
  cards, e-mails), then every name ``core.notices.names_in`` found anywhere in the item (the
  texts and the attachments' text) masked as 张*; a rich 正文's HTML is masked block by block
  (each cell, each paragraph), its table kept, and its text rendering made again from it
  (``core.rich_text.change_body``);
- each attachment: kept as it is when its text holds no personal data and none of those names;
  replaced by its masked copy (``extraction.mask``) when that copy holds neither; otherwise
  withdrawn from the public page (a format masking cannot write — PDF, images, WPS, OFD —, a
  file that cannot be read, or a name left in it: the masking of files finds no names).

``operations.take_down`` then writes the result as a new sealed revision, in one transaction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from werkzeug.datastructures import FileStorage

from approval.core import notices, rich_text
from approval.core.errors import InvalidInput
from approval.core.screening import mask_file, mask_text, screen
from approval.core.screening.extract import Unreadable
from approval.extensions import db
from approval.models import Item
from approval.platform import extraction, storage

TEXT_FIELDS = ("title", "summary", "body")

# why an attachment was withdrawn (msgids: shown to staff, in the audit detail as the source)
NOT_MASKABLE = "该格式无法自动隐去个人信息"
UNREADABLE = "附件无法自动读取"
LEFT = "附件中仍有无法自动隐去的个人信息（如姓名）"


@dataclass
class AttachmentOutcome:
    attachment_id: int
    filename: str
    sha256: str
    outcome: str  # notices.KEPT, MASKED or WITHDRAWN
    stored: storage.StoredFile | None = None  # the masked copy (MASKED)
    reason: str | None = None  # why it was withdrawn
    masked: int = 0


@dataclass
class Plan:
    item_id: int
    original_revision_id: int
    texts: dict[str, str]
    masked_in_texts: int
    names: int
    attachments: list[AttachmentOutcome] = field(default_factory=list)


def _segments_text(storage_name: str, filename: str) -> str | None:
    try:
        found = extraction.segments(storage.path_of(storage_name), mask_file.extension_of(filename))
    except Unreadable:
        return None
    return "\n".join(segment.text for segment in found)


def _holds_personal_data(text: str, names: set[str]) -> bool:
    return any(f.masked for f in screen(text)) or bool(notices.names_left(text, names))


def prepare(item_id: int, *, end_read: bool = True) -> Plan | None:
    """The plan for one item (None: it vanished). Ends the read transaction it opens (the job:
    call it with nothing uncommitted, and apply the plan in a new transaction); ``end_read``
    False keeps the caller's transaction (the demo, which seeds in one)."""
    item = db.session.get(Item, item_id, populate_existing=end_read)
    if item is None or item.published_revision is None:
        if end_read:
            db.session.rollback()
        return None
    revision = item.published_revision
    texts = {f: getattr(revision, f) or "" for f in TEXT_FIELDS}
    body_html = revision.body_html
    files = [(a.id, a.filename, a.sha256, a.storage_name) for a in revision.attachments]
    plan = Plan(item.id, revision.id, {}, 0, 0)
    if end_read:
        db.session.rollback()  # nothing is held while files are read and masked

    file_texts = {a_id: _segments_text(name, filename) for a_id, filename, _, name in files}
    sources = list(texts.values()) + [t for t in file_texts.values() if t]
    personal = [[f.start for f in screen(text) if f.masked] for text in sources]
    names = notices.names_in(sources, personal)
    plan.names = len(names)
    for field_name, text in texts.items():
        found = [f for f in screen(text) if f.masked]
        masked, named = notices.mask_names(mask_text(text, found), names)
        plan.texts[field_name] = masked
        plan.masked_in_texts += len(found) + named
    if body_html:  # a rich 正文: the text of its cells masked, its table kept (core/rich_text.py)

        def mask(text: str) -> str:
            return notices.mask_names(
                mask_text(text, [f for f in screen(text) if f.masked]), names
            )[0]

        plan.texts["body"], plan.texts["body_html"] = rich_text.change_body(
            texts["body"], body_html, mask, lambda text: _holds_personal_data(text, names)
        )
    for a_id, filename, sha256, storage_name in files:
        plan.attachments.append(
            _attachment(a_id, filename, sha256, storage_name, file_texts[a_id], names)
        )
    return plan


def _attachment(a_id, filename, sha256, storage_name, text, names) -> AttachmentOutcome:
    outcome = AttachmentOutcome(a_id, filename, sha256, notices.WITHDRAWN)
    if not mask_file.supports(filename):
        outcome.reason = NOT_MASKABLE
        return outcome
    if text is None:
        outcome.reason = UNREADABLE
        return outcome
    if not _holds_personal_data(text, names):
        outcome.outcome = notices.KEPT
        return outcome
    made = extraction.mask(storage.path_of(storage_name), mask_file.extension_of(filename))
    if made.reason or not made.count:
        outcome.reason = UNREADABLE if made.reason else LEFT
        return outcome
    try:
        with open(made.path, "rb") as masked:
            stored = storage.store(FileStorage(stream=masked, filename=filename))
    except InvalidInput:
        outcome.reason = UNREADABLE
        return outcome
    finally:
        os.unlink(made.path)
    left = _segments_text(stored.storage_name, stored.filename)
    if left is None or _holds_personal_data(left, names):
        outcome.reason = UNREADABLE if left is None else LEFT
        return outcome
    outcome.outcome, outcome.stored, outcome.masked = notices.MASKED, stored, made.count
    return outcome
