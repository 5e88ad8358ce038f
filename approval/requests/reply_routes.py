"""The reply's pages (依申请公开): opening the reply's draft from a request's page, and editing it.
The draft then lives on the item page (attachments, masking, submit) and walks the chain."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from approval.core.errors import InvalidInput
from approval.extensions import db
from approval.permissions import requests as may
from approval.platform import kept_forms
from approval.platform.access import requires
from approval.platform.number_forms import field_error
from approval.publication import drafts, loading
from approval.requests import proactive, replies
from approval.requests.reply_forms import ReplyForm, StartReplyForm
from approval.requests.routes import bp, request_or_404


@bp.route("/requests/<id:request_id>/reply", methods=["POST"])
@requires(may.can_open_register)
def start_reply(request_id):
    info_request = request_or_404(request_id, for_update=True)
    form = StartReplyForm()
    if not form.validate_on_submit():
        abort(400)
    item = replies.start_reply(current_user, info_request, form.version.data)
    item_id = item.id
    db.session.commit()
    flash(gettext("已创建答复稿，请填写答复类型和答复内容"), "success")
    return redirect(url_for("requests.edit_reply", item_id=item_id), 303)


@bp.route("/replies/<id:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_reply(item_id):
    item = loading.item_or_404(item_id, for_update=request.method == "POST")
    if item.request_id is None:
        abort(404)
    drafts.guard_editable(current_user, item)
    kept = kept_forms.formdata(current_user)  # typed before a session timed out
    form = ReplyForm(**kept)
    if request.method == "GET" and not kept:
        form.fill_from(item.current_revision)
        form.version.data = item.version
    elif form.validate_on_submit():
        try:
            changed = replies.update_reply(
                current_user,
                item,
                form.content(),
                form.reply_public_index.data,
                form.version.data,
            )
        except InvalidInput as exc:
            db.session.rollback()
            field_error(form, exc)
        else:
            db.session.commit()
            flash(gettext("修改已保存") if changed else gettext("内容没有变化"), "success")
            return redirect(url_for("review.item", item_id=item_id), 303)
    status = 422 if form.errors else 200
    return render_template("requests/reply_form.html", form=form, item=item), status


@bp.route("/requests/<id:request_id>/proactive", methods=["POST"])
@requires(may.can_open_register)
def start_proactive(request_id):
    """Art. 44: a proactive draft from a request (``requests.proactive``)."""
    info_request = request_or_404(request_id, for_update=True)
    form = StartReplyForm()
    if not form.validate_on_submit():
        abort(400)
    item = proactive.start_proactive_item(current_user, info_request, form.version.data)
    item_id = item.id
    db.session.commit()
    flash(gettext("已据此申请起草主动公开信息，请补全正文、主题分类等要素后提交审批"), "success")
    return redirect(url_for("drafts.edit", item_id=item_id), 303)
