"""What changed since a return: the revision a reviewer sent back against the one re-submitted.

Read side only (no writes). ``changes_since_return(item)`` answers for the item page: when the
item's current round began after a return, the attributes, texts (title, summary, body) and
attachments that differ between the returned revision and the current one, with who returned it,
when, at which step and why. Texts are compared line by line, and changed lines token by token
(a Chinese character, a number or a Latin word is one token), so "900元" → "950元" reads as
900 deleted and 950 inserted rather than one digit swapped. Long unchanged runs are shortened to
"…" with some context on each side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from approval.core import vocab
from approval.extensions import db
from approval.models import Attachment, Category, Decision, Item, Revision
from approval.platform.i18n import N_, label_text
from approval.publication.amendments import CLOSED
from approval.publication.signers import decided_by

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
CONTEXT = 30  # unchanged characters kept on each side of a change
MIN_ELIDED = 10  # shorten an unchanged run only when that hides at least this much
ELLIPSIS = "…"
# beyond this many token pairs, a changed block is shown as deleted-then-inserted whole
# (SequenceMatcher is quadratic; a reviewer gains nothing from a char diff of two novels)
MAX_INLINE_WORK = 4_000_000

TEXT_FIELDS = ("title", "summary", "body")
# the 公示期 (its two dates as one period) and the objection channel come after the 要素
ATTRIBUTE_FIELDS = (
    *(f for f in Revision.CONTENT_FIELDS if f not in TEXT_FIELDS),
    "notice_period",
    "objection_channel",
)

# a number (with decimals), a Latin word, or any single character (a CJK character, punctuation,
# one whitespace character): the units a changed line is compared in
_TOKEN_RE = re.compile(r"\d+(?:[.．,，]\d+)*|[A-Za-z]+|.", re.S)


class Segment(NamedTuple):
    """A piece of a text diff: ``op`` is equal, insert or delete. ``elided``: an unchanged run
    left out (its text is the "…" marker, with a line break when the run ended one)."""

    op: str
    text: str
    elided: bool = False


@dataclass(frozen=True)
class TextChange:
    field: str
    label: str
    segments: list[Segment]


@dataclass(frozen=True)
class AttributeChange:
    field: str
    label: str
    old: str  # as shown: labels for codes, YYYY-MM-DD for dates, "" when empty
    new: str


@dataclass(frozen=True)
class Comparison:
    # the return that ended the earlier round; None: an amendment (修订) compared with the
    # public version it revises
    returned: Decision | None
    old: Revision  # the revision that was returned, or the public version
    new: Revision  # the item's current revision
    texts: list[TextChange] = field(default_factory=list)
    attributes: list[AttributeChange] = field(default_factory=list)
    added: list[Attachment] = field(default_factory=list)
    removed: list[Attachment] = field(default_factory=list)
    replaced: list[tuple[Attachment, Attachment]] = field(default_factory=list)  # (old, new)

    @property
    def returned_by(self) -> str:
        return decided_by(self.returned)  # "李四（代 张三）" for a deputy's return

    @property
    def returned_at(self) -> datetime:
        return self.returned.created_at

    @property
    def step_name(self) -> str:
        return self.returned.step_name

    @property
    def reason(self) -> str:
        return self.returned.opinion

    @property
    def renamed(self) -> list[tuple[Attachment, Attachment]]:
        """(old, new) of each file kept as it was under another public name (issue 24)."""
        before = {(a.filename, a.sha256): a for a in self.old.attachments}
        return [
            (before[(a.filename, a.sha256)], a)
            for a in self.new.attachments
            if (a.filename, a.sha256) in before
            and before[(a.filename, a.sha256)].shown_name != a.shown_name
        ]

    @property
    def attachments_changed(self) -> bool:
        return bool(self.added or self.removed or self.replaced or self.renamed)

    @property
    def unchanged(self) -> bool:
        """Re-submitted exactly as it was returned."""
        return not (self.texts or self.attributes or self.attachments_changed)


# ---------------------------------------------------------------- the item


def last_return(item: Item) -> Decision | None:
    """The latest return, if the current round began after it (None in the first round, after a
    recall of a never-returned item, and while the returned draft is being reworked)."""
    if not item.round:
        return None
    latest = next((d for d in reversed(item.decisions) if d.action == "return"), None)
    return latest if latest is not None and latest.round < item.round else None


def changes_for_page(item: Item) -> Comparison | None:
    """What the item page compares: the current revision with the returned one, or, for an open
    修订 not returned, with the public version it revises."""
    return changes_since_return(item) or changes_against_public(item)


def changes_against_public(item: Item) -> Comparison | None:
    """An open amendment (修订) compared with the version now public; None for anything else."""
    amended = item.amends
    if amended is None or item.state in CLOSED or item.current_revision is None:
        return None
    return compare(_load_revision(amended.published_revision_id), item.current_revision, None)


def changes_since_return(item: Item) -> Comparison | None:
    """The comparison of the returned revision with the current one, or None if there is none."""
    returned = last_return(item)
    if returned is None or item.current_revision is None:
        return None
    new = item.current_revision
    if returned.revision_id == new.id:  # re-submitted without a change: nothing new was opened
        return Comparison(returned=returned, old=new, new=new)
    old = _load_revision(returned.revision_id)
    return compare(old, new, returned)


def _load_revision(revision_id: int) -> Revision:
    """The returned revision with what the comparison reads, in one query (the item page loads
    only the current revision's graph)."""
    return (
        db.session.scalars(
            select(Revision)
            .where(Revision.id == revision_id)
            .options(
                joinedload(Revision.category).joinedload(Category.parent),
                joinedload(Revision.attachments),
            )
        )
        .unique()
        .one()
    )


def compare(old: Revision, new: Revision, returned: Decision | None) -> Comparison:
    texts = [
        TextChange(
            f, vocab.FIELD_LABELS[f], diff_text(getattr(old, f) or "", getattr(new, f) or "")
        )
        for f in TEXT_FIELDS
        if (getattr(old, f) or "") != (getattr(new, f) or "")
    ]
    attributes = []
    for f in ATTRIBUTE_FIELDS:
        before, after = attribute_value(old, f), attribute_value(new, f)
        if before != after:
            attributes.append(AttributeChange(f, vocab.ATTRIBUTE_LABELS[f], before, after))
    if (old.body or "") == (new.body or "") and old.body_html != new.body_html:
        attributes.append(_layout_change())  # same words, other tables or formatting
    added, removed, replaced = attachment_changes(old.attachments, new.attachments)
    return Comparison(
        returned=returned,
        old=old,
        new=new,
        texts=texts,
        attributes=attributes,
        added=added,
        removed=removed,
        replaced=replaced,
    )


# ---------------------------------------------------------------- attributes

LAYOUT_LABEL = N_("正文排版")  # the rich 正文's HTML (docs/rich-text.md)


def _layout_change() -> AttributeChange:
    """The 正文's words are the same, its layout (HTML) is not: said, since the text comparison
    below shows nothing."""
    return AttributeChange(
        "body_html",
        LAYOUT_LABEL,
        label_text(N_("原排版")),
        label_text(N_("排版有改动（文字未变）")),
    )


def attribute_value(revision: Revision, name: str) -> str:
    """An attribute as the item page shows it, its label in the request's language."""
    if name == "notice_period":
        if revision.notice_ends_on is None:
            return ""
        return f"{revision.notice_starts_on:%Y-%m-%d} – {revision.notice_ends_on:%Y-%m-%d}"
    value = getattr(revision, name)
    if name == "category_id":
        return revision.category.full_name if revision.category else ""
    if name == "formed_on":
        return value.strftime("%Y-%m-%d") if value else ""
    if name == "channels":
        return "、".join(label_text(vocab.CHANNELS.get(c, c)) for c in revision.channel_list)
    labels = {
        "info_type": vocab.INFO_TYPES,
        "disclosure_mode": vocab.DISCLOSURE_MODES,
        "non_disclosure_basis": vocab.NON_DISCLOSURE_BASES,
    }.get(name)
    if labels is not None:
        return label_text(labels[value]) if value in labels else value or ""
    return value or ""


# ---------------------------------------------------------------- attachments


def attachment_changes(old: list[Attachment], new: list[Attachment]):
    """(added, removed, replaced): a file present in both (same name and SHA-256) is unchanged;
    the same name with other bytes is replaced; the rest were added or removed."""
    remaining_old = list(old)
    remaining_new = []
    for a in new:
        same = next(
            (o for o in remaining_old if o.filename == a.filename and o.sha256 == a.sha256), None
        )
        if same is not None:
            remaining_old.remove(same)
        else:
            remaining_new.append(a)
    replaced = []
    for a in list(remaining_new):
        previous = next((o for o in remaining_old if o.filename == a.filename), None)
        if previous is not None:
            remaining_old.remove(previous)
            remaining_new.remove(a)
            replaced.append((previous, a))
    return remaining_new, remaining_old, replaced


# ---------------------------------------------------------------- texts


def diff_text(old: str, new: str, context: int = CONTEXT) -> list[Segment]:
    """Segments that turn ``old`` into ``new``; unchanged runs beyond ``context`` characters from a
    change are elided (``context=None``: keep everything)."""
    segments = _diff_lines(old, new)
    return segments if context is None else _elide(segments, context)


def _diff_lines(old: str, new: str) -> list[Segment]:
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            out.append(Segment(EQUAL, before))
        elif tag == "replace":
            out.extend(_diff_inline(before, after))
        else:
            out += [Segment(DELETE, before)] if before else []
            out += [Segment(INSERT, after)] if after else []
    return _coalesce(out)


def _diff_inline(old: str, new: str) -> list[Segment]:
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    if len(a) * len(b) > MAX_INLINE_WORK:
        return [Segment(DELETE, old), Segment(INSERT, new)]
    out: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            out.append(Segment(EQUAL, before))
        else:
            out += [Segment(DELETE, before)] if before else []
            out += [Segment(INSERT, after)] if after else []
    # a lone unchanged character between two changes (年 in 2026年春耕 → 2027年秋收) splits one
    # change into two for no reader's benefit: count it as changed
    i = 1
    while i < len(out) - 1:
        op, text, _ = out[i]
        if (
            op == EQUAL
            and len(text) == 1
            and text != "\n"
            and out[i - 1].op != EQUAL
            and out[i + 1].op != EQUAL
        ):
            out[i : i + 1] = [Segment(DELETE, text), Segment(INSERT, text)]
            i += 2
        else:
            i += 1
    return out


def _coalesce(segments: list[Segment]) -> list[Segment]:
    """Join neighbouring equal runs, and give each run of changes one deletion followed by one
    insertion (the old text reads in the deletions, the new in the insertions)."""
    out: list[Segment] = []
    deleted, inserted = [], []

    def flush():
        if deleted:
            out.append(Segment(DELETE, "".join(deleted)))
        if inserted:
            out.append(Segment(INSERT, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, text, _ in segments:
        if not text:
            continue
        if op == EQUAL:
            flush()
            if out and out[-1].op == EQUAL:
                out[-1] = Segment(EQUAL, out[-1].text + text)
            else:
                out.append(Segment(EQUAL, text))
        else:
            (deleted if op == DELETE else inserted).append(text)
    flush()
    return out


def _elide(segments: list[Segment], context: int) -> list[Segment]:
    """Shorten each long unchanged run to the ``context`` characters next to a change (not past a
    line break: the lines around a changed line are not its context) and a "…"."""
    out: list[Segment] = []
    last = len(segments) - 1
    for i, segment in enumerate(segments):
        if segment.op != EQUAL:
            out.append(segment)
            continue
        text = segment.text
        head = "" if i == 0 else text[:context]
        if "\n" in head:
            head = head[: head.index("\n") + 1]
        tail = "" if i == last else text[len(text) - context :] if len(text) > context else text
        if "\n" in tail:
            tail = tail[tail.rindex("\n") + 1 :]
        hidden = len(text) - len(head) - len(tail)
        if hidden < MIN_ELIDED:
            out.append(segment)
            continue
        if head:
            out.append(Segment(EQUAL, head))
        out.append(
            Segment(
                EQUAL,
                _marker(text[len(head) : len(text) - len(tail)], head, followed=i != last),
                elided=True,
            )
        )
        if tail:
            out.append(Segment(EQUAL, tail))
    return out


def _marker(hidden: str, head: str, followed: bool) -> str:
    """The "…" standing for ``hidden``, with the line breaks it hides where the reader needs them:
    when the rest of the head's line is cut, "…" ends that line and another "…" starts the next
    shown line; a change or tail that begins a line comes after a line break."""
    if "\n" not in hidden:
        return ELLIPSIS
    head_cut = bool(head) and not head.endswith("\n")
    marker = ELLIPSIS + ("\n" + ELLIPSIS if head_cut and followed else "")
    return marker + ("\n" if followed and hidden.endswith("\n") else "")
