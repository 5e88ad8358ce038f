"""Writing drafts: create, edit, attach and detach. Only an item's own department may, in draft."""

from __future__ import annotations

from approval import permissions
from approval.audit import trail as audit
from approval.core import notices, rich_text
from approval.core.clock import utcnow
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.request_outcomes import REPLY_TYPES
from approval.core.roles import Role
from approval.core.screening import mask_file, mask_text, screen
from approval.core.screening.extract import Unreadable
from approval.core.workflow import PUBLISHED
from approval.extensions import db
from approval.models import Attachment, Category, Contributor, Item, Revision
from approval.platform import extraction, storage
from approval.platform.guards import changing, guard_version


def add_contributor(user, item: Item) -> None:
    """``user`` had a hand in the item's content or its submission (see permissions.authors_of)."""
    if all(c.user_id != user.id for c in item.contributors):
        item.contributors.append(Contributor(item_id=item.id, user_id=user.id))


def check_content(data: dict, body_id: int) -> None:
    """Domain rules across fields (the form checks each field alone)."""
    category_id = data.get("category_id")
    if category_id is not None:
        category = db.session.get(Category, category_id)
        if category is None or category.body_id != body_id:  # never another body's catalog
            raise InvalidInput("请选择本机关的主题分类", "category_id")
    if data.get("disclosure_mode") == "not_disclosed" and not data.get("non_disclosure_basis"):
        raise InvalidInput("公开方式为“不予公开”时必须选择依据", "non_disclosure_basis")
    if data.get("disclosure_mode") != "not_disclosed":
        data["non_disclosure_basis"] = None
    if "reply_type" in data:
        _check_reply(data, body_id)
    if data.get("body_html"):  # a rich 正文 is stored sanitized, its text rendering the body
        # (whoever calls: the form did it already; screening must read what the portal shows)
        safe = rich_text.from_input(data["body_html"])
        data["body_html"] = safe
        data["body"] = rich_text.text_of(safe) if safe else data.get("body", "")
    if any(f in data for f in Revision.NOTICE_FIELDS):  # a 公示 (core/notices.py)
        period = notices.check_period(
            data.get("notice_starts_on"), data.get("notice_ends_on"), data.get("objection_channel")
        )
        data["notice_starts_on"], data["notice_ends_on"] = period.starts_on, period.ends_on
        data["objection_channel"] = period.objection_channel


def _check_reply(data: dict, body_id: int) -> None:
    """A reply's type is one of the closed list; 已主动公开 points to a published item of the
    body (the applicant is told where to find it); no other type points anywhere."""
    data["reply_type"] = data["reply_type"] or None
    if data["reply_type"] is not None and data["reply_type"] not in REPLY_TYPES:
        raise InvalidInput("请选择答复类型", "reply_type")
    if data["reply_type"] != "already_public":
        data["reply_public_item_id"] = None
        return
    linked = data.get("reply_public_item_id")
    item = db.session.get(Item, linked) if linked else None
    if item is None or item.body_id != body_id or item.state != PUBLISHED:
        raise InvalidInput("请填写本机关已发布信息的索引号", "reply_public_item_id")


def _apply(revision: Revision, data: dict) -> list[str]:
    changed = []
    for field in Revision.EDITABLE_FIELDS:
        if field in data and getattr(revision, field) != data[field]:
            setattr(revision, field, data[field])
            changed.append(field)
    return changed


def create_item(user, department_id: int, data: dict) -> Item:
    if not permissions.can_create_in(user, department_id):
        raise PermissionDenied("只有本部门信息员可以新建信息")
    check_content(data, user.body_id)
    item = Item(body_id=user.body_id, department_id=department_id, author_id=user.id)
    db.session.add(item)
    db.session.flush()
    revision = Revision(
        item=item,
        number=1,
        created_by_id=user.id,
        **{f: data.get(f) for f in Revision.EDITABLE_FIELDS if f in data},
    )
    db.session.add(revision)
    db.session.flush()
    item.current_revision = revision
    add_contributor(user, item)
    audit.record(
        "create",
        actor=user,
        item=item,
        revision=revision,
        to_state=item.state,
        detail={"role": Role.OFFICER},
    )
    db.session.flush()
    return item


def working_revision(user, item: Item) -> Revision:
    """The unsealed revision to edit: the current one, or a new copy once it has been submitted."""
    current = item.current_revision
    if not current.is_sealed:
        return current
    return copy_revision(user, current, item, current.number + 1)


def copy_revision(user, source: Revision, item: Item, number: int) -> Revision:
    """A new, unsealed revision of ``item`` holding what ``source`` holds, its attachments
    included (rows of their own, the same stored files); it becomes the item's current one."""
    revision = Revision(
        item=item,
        number=number,
        created_by_id=user.id,
        **{f: getattr(source, f) for f in Revision.EDITABLE_FIELDS},
    )
    db.session.add(revision)
    for a in source.attachments:
        db.session.add(
            Attachment(
                revision=revision,
                filename=a.filename,
                display_name=a.display_name,
                storage_name=a.storage_name,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
                uploaded_by_id=a.uploaded_by_id,
            )
        )
    db.session.flush()
    item.current_revision = revision
    return revision


def guard_editable(user, item: Item) -> None:
    """Only the department's officers edit, and only drafts. A draft that was submitted from
    another tab meanwhile is a conflict (409: the page is stale), not a permission problem."""
    if not permissions.is_department_officer(user, item):
        raise PermissionDenied("只有本部门信息员可以修改本部门的信息")
    if not permissions.can_edit(user, item):
        raise Conflict("该信息已提交审批或已办结，不能再修改。如需修改，请先撤回或等待退回。")


def update_draft(
    user, item: Item, data: dict, seen_version, masked: int | None = None
) -> list[str]:
    """Apply edited attributes; returns the names of the fields that changed. ``masked``: the
    edit is the one-click masking of that many personal data (the history says 一键脱敏)."""
    guard_editable(user, item)
    check_content(data, item.body_id)
    with changing(item, seen_version):
        current = item.current_revision
        if not any(getattr(current, f) != data[f] for f in Revision.EDITABLE_FIELDS if f in data):
            return []
        revision = working_revision(user, item)
        changed = _apply(revision, data)
        add_contributor(user, item)
        item.updated_at = utcnow()
        audit.record(
            "edit",
            actor=user,
            item=item,
            revision=revision,
            from_state=item.state,
            to_state=item.state,
            detail={"role": Role.OFFICER, "fields": changed}
            | ({"masked": masked} if masked else {}),
        )
    return changed


def add_attachment(user, item: Item, file, seen_version) -> Attachment:
    """Attach a file: a ``storage.StoredFile`` the caller stored (and whose text was read) before
    its write transaction began, as the upload route does, or an upload to store now."""
    guard_editable(user, item)
    stored = file if isinstance(file, storage.StoredFile) else storage.store(file)
    with changing(item, seen_version):
        revision = working_revision(user, item)
        attachment = Attachment(
            revision=revision,
            filename=stored.filename,
            storage_name=stored.storage_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by_id=user.id,
        )
        db.session.add(attachment)
        add_contributor(user, item)
        item.updated_at = utcnow()
        audit.record(
            "attach",
            actor=user,
            item=item,
            revision=revision,
            from_state=item.state,
            to_state=item.state,
            detail={
                "role": Role.OFFICER,
                "filename": stored.filename,
                "sha256": stored.sha256,
                "size": stored.size,
            },
        )
    return attachment


def remove_attachment(user, item: Item, attachment_id: int, seen_version) -> None:
    guard_editable(user, item)
    with changing(item, seen_version):
        current = next(
            (a for a in item.current_revision.attachments if a.id == attachment_id), None
        )
        if current is None:
            raise InvalidInput("附件不存在或已删除")
        revision = working_revision(user, item)
        # after a copy, the same file has a new row on the new revision
        target = next(
            a
            for a in revision.attachments
            if a.sha256 == current.sha256 and a.filename == current.filename
        )
        revision.attachments.remove(target)
        db.session.delete(target)
        add_contributor(user, item)
        item.updated_at = utcnow()
        audit.record(
            "detach",
            actor=user,
            item=item,
            revision=revision,
            from_state=item.state,
            to_state=item.state,
            detail={"role": Role.OFFICER, "filename": target.filename, "sha256": target.sha256},
        )


def _attachment_to_mask(item: Item, attachment_id: int) -> Attachment:
    attachment = next((a for a in item.current_revision.attachments if a.id == attachment_id), None)
    if attachment is None:
        raise InvalidInput("附件不存在或已删除")
    if not mask_file.supports(attachment.filename):
        raise InvalidInput("只有 Word（.docx）、Excel（.xlsx）和文本（.txt、.csv）附件可以一键脱敏")
    return attachment


def attachment_to_mask(user, item: Item, attachment_id: int, seen_version) -> Attachment:
    """The attachment ``mask_attachment`` would replace, checked before its masked copy is made
    (with no transaction open: the route ends its read first), so that a stale page or a file
    of another format costs no child process."""
    guard_editable(user, item)
    guard_version(item, seen_version)
    return _attachment_to_mask(item, attachment_id)


def mask_attachment(
    user, item: Item, attachment_id: int, masked_stored_file, seen_version, *, count: int
) -> Attachment:
    """Replace an attachment of the draft by its masked copy (``count`` findings masked): a
    ``storage.StoredFile`` made from it and stored before the write transaction began, as the
    mask route does. The copy is a new file with the same name; the original stays on disk as
    it was, in the sealed revisions that hold it."""
    guard_editable(user, item)
    with changing(item, seen_version):
        current = _attachment_to_mask(item, attachment_id)
        revision = working_revision(user, item)
        # after a copy, the same file has a new row on the new revision
        target = next(
            a
            for a in revision.attachments
            if a.sha256 == current.sha256 and a.filename == current.filename
        )
        old_sha256 = target.sha256
        target.storage_name = masked_stored_file.storage_name
        target.content_type = masked_stored_file.content_type
        target.size = masked_stored_file.size
        target.sha256 = masked_stored_file.sha256
        target.uploaded_by_id, target.created_at = user.id, utcnow()
        add_contributor(user, item)
        item.updated_at = utcnow()
        audit.record(
            "mask_attachment",
            actor=user,
            item=item,
            revision=revision,
            from_state=item.state,
            to_state=item.state,
            detail={
                "role": Role.OFFICER,
                "filename": target.filename,
                "old_sha256": old_sha256,
                "new_sha256": target.sha256,
                "count": count,
            },
        )
    return target


MASKED_FIELDS = ("title", "summary", "body")


def maskable(revision: Revision) -> int:
    """How many personal-data findings in the revision's text have a masked form to apply."""
    return sum(
        1 for field in MASKED_FIELDS for f in screen(getattr(revision, field) or "") if f.masked
    )


def left_in_file(storage_name: str, filename: str) -> int | None:
    """How many personal-data findings with a masked form a stored file's text, as read when it
    was stored, holds: after one-click masking, what it could not reach (a number split across
    two runs of text). None when the text could not be read."""
    path = storage.path_of(storage_name)
    try:
        found = extraction.segments(path, mask_file.extension_of(filename))
    except Unreadable:
        return None
    return sum(1 for segment in found for f in screen(segment.text) if f.masked)


def _mask_personal(text: str) -> str:
    return mask_text(text, [f for f in screen(text) if f.masked])


def _has_personal(text: str) -> bool:
    return any(f.masked for f in screen(text))


def apply_masking(user, item: Item, seen_version) -> int:
    """Replace every unmasked ID, mobile, bank card and e-mail in the draft's title, summary and
    body by its masked form (110105********002X, 138****5678); returns how many. Screens the
    current text afresh, so it is right also after the officer has edited it."""
    guard_editable(user, item)
    current, data, count = item.current_revision, {}, 0
    for field in MASKED_FIELDS:
        text = getattr(current, field) or ""
        personal = [f for f in screen(text) if f.masked]
        if personal:
            data[field], count = mask_text(text, personal), count + len(personal)
    if "body" in data and current.body_html:  # the rich 正文: its cells masked, its table kept
        data["body"], data["body_html"] = rich_text.change_body(
            current.body, current.body_html, _mask_personal, _has_personal
        )
    if data:
        update_draft(
            user,
            item,
            {**{f: getattr(current, f) for f in Revision.EDITABLE_FIELDS}, **data},
            seen_version,
            masked=count,
        )
    return count
