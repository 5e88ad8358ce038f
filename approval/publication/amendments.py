"""修订: revising an item that is already published, without taking it offline and without a new
索引号 (issue 24; docs/amendments.md).

- ``start``: the item's department's officer, or the publisher, opens an *amendment*: a draft
  item of the same department that says which item it amends (``Item.amends_id``) and why
  (``amendment_note``, the 修订说明 the public reads), with a copy of the public version to edit.
  One amendment of an item is open at a time (a partial unique index backs the check).
- The amendment walks the chain like any draft (its own rounds, decisions and seals), while the
  published version stays online.
- ``apply`` (from ``transitions.perform`` when the publisher publishes the amendment): the
  amended item's public version becomes the amendment's signed revision, in the same
  transaction; the item keeps its 索引号 and first publication date, its ``revised_at`` says when
  it changed, and the 修订记录 (``PublicVersion``) gains a row. The amendment ends as ``applied``.
- Earlier public versions stay readable (``public_version``), except those of a 公示 whose personal
  data was taken down (approval/notices), and those an amendment withdrew (``hides_earlier``: a
  修订 that removes what must not stay public): they hold what came down.
"""

from __future__ import annotations

from sqlalchemy import func, select

from approval import permissions
from approval.audit import trail as audit
from approval.core.clock import utcnow
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.roles import Role
from approval.core.text import clean
from approval.core.workflow import ABANDONED, APPLIED, PUBLISHED, WITHHELD
from approval.extensions import db
from approval.models import Item, PublicVersion
from approval.permissions.amendments import can_start_amendment
from approval.platform.guards import changing
from approval.publication.drafts import add_contributor, copy_revision

NOTE_MAX = 500
STARTED, PUBLISHED_AMENDMENT = "amendment_started", "amendment_published"  # audit actions
CLOSED = (APPLIED, WITHHELD, ABANDONED)  # an amendment in none of these is open


def open_amendment(item: Item) -> Item | None:
    """The amendment of ``item`` now in the chain or in draft, if there is one."""
    return db.session.scalar(
        select(Item).where(Item.amends_id == item.id, Item.state.not_in(CLOSED)).limit(1)
    )


def amendments_of(item: Item) -> list[Item]:
    """Every amendment of ``item``, newest first (the staff page's list)."""
    return list(
        db.session.scalars(select(Item).where(Item.amends_id == item.id).order_by(Item.id.desc()))
    )


def _checked_note(note: str | None) -> str:
    note = (clean(note) or "").strip()
    if not note:
        raise InvalidInput("请填写修订说明（将随修订记录向公众公开）", "note")
    if len(note) > NOTE_MAX:
        raise InvalidInput("修订说明不能超过%(n)s个字", "note", n=NOTE_MAX)
    return note


def start(user, item: Item, seen_version, note: str | None, hides_earlier: bool = False) -> Item:
    """Open an amendment of the published ``item`` with the public version to edit; the item
    itself does not change (its version moves, so that two clicks open one amendment).
    ``hides_earlier``: once published, the earlier versions leave the portal (they hold what
    must not stay public)."""
    if not can_start_amendment(user, item):
        if item.state != PUBLISHED:
            raise Conflict("只有已发布的信息可以修订")
        raise PermissionDenied("只有本部门信息员或发布员可以修订已发布的信息")
    note = _checked_note(note)
    if item.notice_taken_down_at is not None:
        raise Conflict("该公示的个人信息已依法隐去，不能再修订；如需重新公示，请新建信息")
    with changing(item, seen_version):
        if open_amendment(item) is not None:
            raise Conflict("该信息已有一份修订稿正在办理，请在修订稿中继续修改")
        # the department writes the amendment: an officer who starts it is its author; the
        # publisher who asks for it only copies the public version (no content of theirs), so
        # the item's own author is, and the publisher may still publish what the chain approves
        writes = permissions.is_department_officer(user, item)
        amendment = Item(
            body_id=item.body_id,
            department_id=item.department_id,
            author_id=user.id if writes else item.author_id,
            amends_id=item.id,
            amendment_note=note,
            amendment_hides_earlier=bool(hides_earlier),
        )
        db.session.add(amendment)
        db.session.flush()
        revision = copy_revision(user, item.published_revision, amendment, 1)
        if writes:
            add_contributor(user, amendment)
        item.updated_at = utcnow()  # moves its version: a second click is a stale page
        role = Role.OFFICER if writes else Role.PUBLISHER
        detail = {
            "role": role,
            "note": note,
            "index_number": item.index_number,
            "hides_earlier": bool(hides_earlier),
        }
        audit.record(
            STARTED,
            actor=user,
            item=amendment,
            revision=revision,
            to_state=amendment.state,
            detail={**detail, "amends_id": item.id},
        )
        audit.record(
            STARTED,
            actor=user,
            item=item,
            revision=item.published_revision,
            from_state=item.state,
            to_state=item.state,
            detail={**detail, "amendment_id": amendment.id},
        )
    return amendment


def apply(user, amendment: Item, now) -> None:
    """Put the amendment's signed revision online as its item's public version (the caller,
    ``transitions.perform``, checked the signature and moves the amendment to ``applied``)."""
    item = amendment.amends
    if item.state != PUBLISHED:
        raise Conflict("原信息已撤稿，修订不能发布")
    if item.notice_taken_down_at is not None:
        raise Conflict("该公示的个人信息已依法隐去，修订不能发布")
    revision, previous = amendment.current_revision, item.published_revision
    number = _next_number(item)
    item.published_revision = item.current_revision = revision
    item.category_id = revision.category_id
    item.revised_at = item.updated_at = now
    db.session.add(
        PublicVersion(
            item_id=item.id,
            number=number,
            revision=revision,
            amendment_id=amendment.id,
            note=amendment.amendment_note or "",
            published_at=now,
            published_by_id=user.id if user else None,
            hides_earlier=amendment.amendment_hides_earlier,
        )
    )
    audit.record(
        PUBLISHED_AMENDMENT,
        actor=user,
        item=item,
        revision=revision,
        from_state=item.state,
        to_state=item.state,
        detail={
            "role": Role.PUBLISHER,
            "amendment_id": amendment.id,
            "version": number,
            "index_number": item.index_number,
            "previous_content_hash": previous.content_hash,
            "content_hash": revision.content_hash,
            "note": amendment.amendment_note,
            "hides_earlier": amendment.amendment_hides_earlier,
        },
    )


def signed_hash(item: Item) -> str | None:
    """The content hash the secrecy reviewer signed for what the item shows now: its own round's,
    or, once a 修订 replaced its public version, the amendment's (whose chain signed it)."""
    from approval.publication.transitions import signed_off_hash

    if item.revised_at is not None:
        latest = db.session.scalar(
            select(PublicVersion)
            .where(PublicVersion.item_id == item.id)
            .order_by(PublicVersion.number.desc())
            .limit(1)
        )
        if latest is not None and latest.amendment is not None:
            return signed_off_hash(latest.amendment)
    return signed_off_hash(item)


def record_first_version(user, item: Item, now) -> None:
    """The 修订记录's first row, written when the item is first published."""
    db.session.add(
        PublicVersion(
            item_id=item.id,
            number=1,
            revision=item.published_revision,
            note="",
            published_at=now,
            published_by_id=user.id if user else None,
        )
    )


def _next_number(item: Item) -> int:
    last = db.session.scalar(
        select(func.max(PublicVersion.number)).where(PublicVersion.item_id == item.id)
    )
    return (last or 0) + 1


def versions(item: Item) -> list[PublicVersion]:
    """The item's public versions, the first first."""
    return list(
        db.session.scalars(
            select(PublicVersion)
            .where(PublicVersion.item_id == item.id)
            .order_by(PublicVersion.number)
        )
    )


def shown_numbers(item: Item, rows: list[PublicVersion] | None = None) -> set[int]:
    """The numbers of the item's versions the public may open: none once the item was
    withdrawn or a 公示's personal data was taken down (the versions hold it); otherwise those
    from the latest version that withdrew the earlier ones (``hides_earlier``) on."""
    if item.state != PUBLISHED or item.notice_taken_down_at is not None:
        return set()
    rows = rows if rows is not None else versions(item)
    first = max((v.number for v in rows if v.hides_earlier), default=1)
    return {v.number for v in rows if v.number >= first}


def public_version(item: Item, number: int) -> PublicVersion | None:
    """One earlier public version for the portal, or None where it is not to be shown."""
    if number not in shown_numbers(item):
        return None
    return db.session.scalar(
        select(PublicVersion).where(
            PublicVersion.item_id == item.id, PublicVersion.number == number
        )
    )


def public_revision_ids(item: Item) -> set[int]:
    """The revisions of the item the public may read (their attachments may be downloaded)."""
    rows = versions(item)
    shown = shown_numbers(item, rows)
    return {item.published_revision_id} | {v.revision_id for v in rows if v.number in shown}
