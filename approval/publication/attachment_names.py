"""The public name of an attachment (issue 24): what the item page and the portal show, and the
name a download or preview carries, never the server-made storage name.

An attachment's name starts as its uploaded file name, cleaned (``storage.safe_filename``); while
the item is a draft its department's officers may give it another. A name is typed text, and it
ends up in a ``Content-Disposition`` header: it is cleaned here before it is stored (the fields'
rule, then no line breaks, quotes, slashes or other characters a header or a file system would
read as syntax), and the header is built from it again by ``publication/attachment_files.py``. The
name is part of the revision's content hash (``Attachment.hashed_parts``): renaming a file is an
edit like any other, and a sealed revision's names cannot change.
"""

from __future__ import annotations

import re

from approval.audit import trail as audit
from approval.core.clock import utcnow
from approval.core.errors import InvalidInput
from approval.core.roles import Role
from approval.core.text import clean, strip_invisible
from approval.models import Attachment, Item
from approval.platform.guards import changing
from approval.publication.drafts import add_contributor, guard_editable, working_revision

MAX_CHARS = 200  # attachments.display_name
# what a header, a quoted string or a file system reads as syntax: quotes (ASCII and full-width
# look-alikes are kept: they are text), backslash, slash, and the characters Windows refuses
_SYNTAX = re.compile(r"[\"'\\/<>:|?*%;\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def clean_name(typed: str | None) -> str:
    """A display name as stored: the fields' cleaning rule, invisible characters and line breaks
    dropped, header and path syntax removed, runs of spaces made one, no leading dots."""
    name = strip_invisible(_SPACES.sub(" ", clean(typed) or ""))  # a line break is a space
    name = _SYNTAX.sub("", name)
    name = _SPACES.sub(" ", name).strip().lstrip(".").strip()
    return name[:MAX_CHARS]


def download_name(attachment: Attachment) -> str:
    """The name a download carries: the public name, ending in the stored file's own extension
    (checked against its content at upload), so that a name cannot make a PDF look like
    something else to the reader's computer."""
    name = clean_name(attachment.shown_name) or "附件"
    extension = attachment.extension
    if extension and not name.lower().endswith("." + extension):
        name = f"{name}.{extension}"
    return name


def rename_attachment(user, item: Item, attachment_id: int, typed: str | None, seen_version):
    """Give an attachment of a draft another public name; returns (attachment, changed). Guard
    (the department's officers, a draft) → input → version → the working revision's row → audit
    (the name before → after) → flush. Renaming back to the file name clears the display name."""
    guard_editable(user, item)
    name = clean_name(typed)
    if not name:
        raise InvalidInput("请填写附件的公开名称", "display_name")
    with changing(item, seen_version):
        current = next(
            (a for a in item.current_revision.attachments if a.id == attachment_id), None
        )
        if current is None:
            raise InvalidInput("附件不存在或已删除")
        if name == current.shown_name:
            return current, False
        before = current.shown_name
        revision = working_revision(user, item)
        # after a copy, the same file has a new row on the new revision
        target = next(
            a
            for a in revision.attachments
            if a.sha256 == current.sha256 and a.filename == current.filename
        )
        target.display_name = None if name == target.filename else name
        add_contributor(user, item)
        item.updated_at = utcnow()
        audit.record(
            "rename_attachment",
            actor=user,
            item=item,
            revision=revision,
            from_state=item.state,
            to_state=item.state,
            detail={
                "role": Role.OFFICER,
                "filename": target.filename,
                "sha256": target.sha256,
                "display_name": {"from": before, "to": target.shown_name},
            },
        )
    return target, True
