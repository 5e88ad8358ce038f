"""Officers write drafts: new, edit, attachments, and their department's list."""

import os

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage

from approval import permissions
from approval.core.errors import InvalidInput
from approval.core.roles import Role
from approval.core.screening import mask_file
from approval.extensions import db
from approval.platform import extraction, kept_forms, storage
from approval.platform.access import requires
from approval.platform.db_setup import reads_before_writing, write_transactions
from approval.platform.form_choices import choices
from approval.platform.i18n import N_
from approval.publication import (
    attachment_files,
    attachment_names,
    body_import,
    categories,
    draft_screening,
    drafts,
    finished_routes,
    loading,
)
from approval.publication.drafts_forms import (
    AttachmentForm,
    AttachmentNameForm,
    ItemForm,
    NewItemForm,
)

bp = Blueprint("drafts", __name__)


def _category_choices():
    """The body's catalog in tree order, each with its full path (社会救助 / 最低生活保障)."""
    return choices(
        {row.category.id: row.category.full_name for row in categories.rows(current_user.body_id)},
        blank=_l("请选择"),
    )


def _form(form_class=ItemForm, **kwargs) -> ItemForm:
    form = form_class(**kwargs)
    form.category_id.choices = _category_choices()
    return form


@bp.route("/items/new", methods=["GET", "POST"])
@reads_before_writing
@requires(permissions.can_see_inbox, Role.OFFICER)
def new():
    """The draft, with any files chosen on the form (issue 24): the form is checked, then each
    file is stored and its text read with no transaction open (as ``upload`` does), then the
    draft and its attachments are written in one transaction. A refused file refuses the whole
    form, shown again with what was typed (a browser cannot keep a chosen file: the page says
    to choose it again)."""
    form = _form(NewItemForm, **kept_forms.formdata(current_user))  # typed before a timeout
    if body_import.requested():
        return _imported(form, None)
    if form.validate_on_submit():
        chosen = form.chosen_files()
        db.session.commit()  # end the read: nothing is held while the files are read
        try:
            stored = [storage.store(f) for f in chosen]
        except InvalidInput as exc:
            form.files.errors = [exc.message]
        else:
            with write_transactions():
                done = _create_with_files(form, stored)
            if done is not None:
                return done
    elif request.method == "POST" and form.chosen_files():
        form.files.errors = [gettext("请修正后重新选择附件：浏览器不会保留已选择的文件。")]
    return render_template(
        "publication/draft_form.html", form=form, item=None
    ), 200 if not form.errors else 422


def _create_with_files(form, stored: list):
    """Write the draft and its stored files; the redirect to its page, or None (the form shows
    why)."""
    try:
        item = drafts.create_item(current_user, current_user.department_id, form.content())
        for one in stored:
            drafts.add_attachment(current_user, item, one, item.version)
    except InvalidInput as exc:
        db.session.rollback()
        getattr(form, exc.field or "title", form.title).errors.append(exc.message)
        return None
    item_id = item.id  # read before the commit expires the item
    high = draft_screening.high_count(item.current_revision)
    db.session.commit()
    flash(gettext("草稿已保存，可继续上传附件或提交审批"), "success")
    for one in stored:
        if one.unreadable:
            reason = one.unreadable.removesuffix("，需人工审查")
            flash(
                gettext(
                    "附件“%(name)s”内容未能自动检查（%(reason)s）。提交后，保密审查员须人工审查该附件。",
                    name=one.filename,
                    reason=reason,
                ),
                "warning",
            )
    _say_high_findings(high)
    return redirect(url_for("review.item", item_id=item_id))


def _imported(form, item):
    """The form again, everything typed kept, with the 正文 of the chosen .docx in it (or why
    not); nothing is saved (publication/body_import.py)."""
    done = body_import.import_into(form)
    if done:
        flash(gettext("已从 Word 文档导入正文，请核对后保存草稿"), "success")
    if isinstance(form, NewItemForm) and form.chosen_files():
        form.files.errors = [gettext("请重新选择附件：浏览器不会保留已选择的文件。")]
    status = 200 if done else 422
    return render_template("publication/draft_form.html", form=form, item=item), status


@bp.route("/items/<id:item_id>/edit", methods=["GET", "POST"])
@reads_before_writing
@login_required
def edit(item_id):
    """Reads before writing only for 从Word导入正文 (the file is converted with no transaction
    open); a save takes the write lock at once, as every write request does."""
    if body_import.requested():
        item = loading.item_or_404(item_id)
        drafts.guard_editable(current_user, item)
        return _imported(_form(), item)
    if request.method != "POST":
        return _edit(item_id)
    db.session.commit()  # end the session check's read; the save begins with the write lock
    with write_transactions():
        return _edit(item_id)


def _edit(item_id):
    item = loading.item_or_404(item_id, for_update=request.method == "POST")
    drafts.guard_editable(current_user, item)
    if item.request_id is not None:  # a reply to a request has its own form (approval/requests)
        return redirect(url_for("requests.edit_reply", item_id=item_id), 303)
    kept = kept_forms.formdata(current_user)  # typed before a session timed out
    form = _form(**kept)
    if request.method == "GET" and not kept:
        form.fill_from(item.current_revision)
        form.version.data = item.version
    elif form.validate_on_submit():
        try:
            changed = drafts.update_draft(current_user, item, form.content(), form.version.data)
        except InvalidInput as exc:
            getattr(form, exc.field or "title").errors.append(exc.message)
        else:
            high = draft_screening.high_count(item.current_revision)
            db.session.commit()
            flash(gettext("修改已保存") if changed else gettext("内容没有变化"), "success")
            _say_high_findings(high)
            return redirect(url_for("review.item", item_id=item_id))
    status = 422 if form.errors else 200
    return render_template("publication/draft_form.html", form=form, item=item), status


def _say_high_findings(high: int) -> None:
    """After a save: what the pre-check of the draft found (the item page lists it)."""
    if high:
        message = gettext(
            "保密预审发现 %(n)s 处高风险内容（如身份证号、银行卡号、密级标志或敏感词），请在提交审批前处理",
            n=high,
        )
        flash(message, "warning")
    else:
        flash(gettext("保密预审未发现高风险内容"), "info")


def _attachment_change(item_id, change, done_message, warning=None):
    """Run one attachment service call; commit and say so (and ``warning``, if any), or roll
    back and say why."""
    try:
        change()
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(gettext(done_message), "success")
        if warning:
            flash(warning, "warning")
    return redirect(url_for("review.item", item_id=item_id), 303)


@bp.route("/items/<id:item_id>/attachments", methods=["POST"])
@reads_before_writing
@login_required
def upload(item_id):
    """Check, then store the file and read its text with no transaction open (that can take
    until the extraction's wall limit, and must not hold SQLite's write lock), then write."""
    item = loading.item_or_404(item_id)
    drafts.guard_editable(current_user, item)
    form = AttachmentForm()
    if not form.validate_on_submit():
        flash("；".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("review.item", item_id=item.id), 303)
    db.session.commit()  # end the read: nothing is held while the file is read
    try:
        stored = storage.store(form.file.data)
    except InvalidInput as exc:
        flash(exc.message, "error")
        return redirect(url_for("review.item", item_id=item_id), 303)
    warning = None
    if stored.unreadable:
        reason = stored.unreadable.removesuffix("，需人工审查")
        warning = gettext(
            "附件内容未能自动检查（%(reason)s）。提交后，保密审查员须人工审查该附件。",
            reason=reason,
        )
    with write_transactions():
        item = loading.item_or_404(item_id, for_update=True)
        return _attachment_change(
            item_id,
            lambda: drafts.add_attachment(current_user, item, stored, form.version.data),
            N_("附件已上传"),
            warning,
        )


@bp.route("/items/<id:item_id>/attachments/<id:attachment_id>/delete", methods=["POST"])
@login_required
def remove(item_id, attachment_id):
    item = loading.item_or_404(item_id, for_update=True)
    version = request.form.get("version")
    return _attachment_change(
        item_id,
        lambda: drafts.remove_attachment(current_user, item, attachment_id, version),
        N_("附件已删除"),
    )


@bp.route("/items/<id:item_id>/attachments/<id:attachment_id>/name", methods=["POST"])
@login_required
def rename_attachment(item_id, attachment_id):
    """The public name of an attachment of a draft (audited, with the version the page showed)."""
    item = loading.item_or_404(item_id, for_update=True)
    form = AttachmentNameForm()
    back = redirect(url_for("review.item", item_id=item_id, _anchor="att-h"), 303)
    if not form.validate_on_submit():
        drafts.guard_editable(current_user, item)  # a refusal says who may, before what is wrong
        flash("；".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return back
    try:
        _attachment, changed = attachment_names.rename_attachment(
            current_user, item, attachment_id, form.display_name.data, form.version.data
        )
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return back
    db.session.commit()
    if changed:
        flash(gettext("附件的公开名称已保存"), "success")
    else:
        flash(gettext("附件的公开名称没有变化"), "info")
    return back


@bp.app_template_global()
def can_preview_attachment(attachment) -> bool:
    """For the 在线预览 link beside a PDF or an image (publication/attachment_files.py)."""
    return attachment_files.can_preview(attachment)


@bp.app_template_global()
def can_mask_attachment(item, attachment) -> bool:
    """For the item page's 一键脱敏 button beside an attachment."""
    return permissions.can_edit(current_user, item) and mask_file.supports(attachment.filename)


@bp.route("/items/<id:item_id>/attachments/<id:attachment_id>/mask", methods=["POST"])
@reads_before_writing
@login_required
def mask_attachment(item_id, attachment_id):
    """Built like the upload: check, then make the masked copy in the child and store it (its
    text read, as an upload's) with no transaction open, then write."""
    item = loading.item_or_404(item_id)
    version = request.form.get("version")
    back = redirect(url_for("review.item", item_id=item_id), 303)
    try:
        attachment = drafts.attachment_to_mask(current_user, item, attachment_id, version)
    except InvalidInput as exc:
        flash(exc.message, "error")
        return back
    filename, original = attachment.filename, attachment.storage_name
    db.session.commit()  # end the read: nothing is held while the file is read
    made = extraction.mask(storage.path_of(original), mask_file.extension_of(filename))
    if made.reason:
        reason = made.reason.removesuffix("，需人工审查")
        flash(gettext("附件未能自动脱敏（%(reason)s），请人工处理。", reason=reason), "error")
        return back
    if not made.count:
        _say_what_is_left(0, drafts.left_in_file(original, filename))
        return back
    try:
        with open(made.path, "rb") as masked:
            stored = storage.store(FileStorage(stream=masked, filename=filename))
    except InvalidInput as exc:
        flash(exc.message, "error")
        return back
    finally:
        os.unlink(made.path)
    left = drafts.left_in_file(stored.storage_name, stored.filename)
    with write_transactions():
        item = loading.item_or_404(item_id, for_update=True)
        try:
            drafts.mask_attachment(
                current_user, item, attachment_id, stored, version, count=made.count
            )
        except InvalidInput as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return back
        db.session.commit()
    _say_what_is_left(made.count, left)
    return back


def _say_what_is_left(masked: int, left: int | None) -> None:
    """After one-click masking of a file: what was done, and what a person must still do."""
    if masked:
        message = gettext("已对附件中 %(n)s 处个人信息作脱敏处理，请打开附件核对", n=masked)
        flash(message, "success")
    if left:
        message = (
            gettext(
                "附件中仍有 %(n)s 处个人信息未能自动脱敏（如号码被分成几段不同格式的文字），请人工修改后重新上传。",
                n=left,
            )
            if masked
            else gettext(
                "附件中有 %(n)s 处个人信息未能自动脱敏（如号码被分成几段不同格式的文字），请人工修改后重新上传。",
                n=left,
            )
        )
        flash(message, "warning")
    elif left is None and masked:
        flash(gettext("脱敏后的附件未能自动检查，提交后保密审查员须人工审查该附件。"), "warning")
    elif not masked:
        flash(gettext("附件中没有可自动脱敏的个人信息"), "info")


@bp.route("/items/<id:item_id>/mask", methods=["POST"])
@login_required
def mask(item_id):
    item = loading.item_or_404(item_id, for_update=True)
    count = drafts.apply_masking(current_user, item, request.form.get("version"))
    db.session.commit()
    flash(
        gettext("已对 %(n)s 处个人信息作脱敏处理，请核对后再提交", n=count)
        if count
        else gettext("没有需要脱敏的个人信息"),
        "success",
    )
    return redirect(url_for("review.item", item_id=item_id), 303)


@bp.route("/department")
@requires(permissions.can_see_inbox, Role.OFFICER)
def department():
    return finished_routes.department_page()  # with the staff lists' filters (issue 27)
