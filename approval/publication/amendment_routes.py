"""修订 on the staff item page: the 修订记录 of a published item, starting an amendment, and what
an amendment says about the item it amends (publication/amendments.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import BooleanField, HiddenField, TextAreaField

from approval import permissions
from approval.core.errors import InvalidInput
from approval.extensions import db
from approval.models import Item, PublicVersion
from approval.permissions.amendments import can_start_amendment
from approval.platform.forms import Form
from approval.publication import amendments, loading

bp = Blueprint("amendments", __name__)


class StartForm(Form):
    version = HiddenField()
    note = TextAreaField(_l("修订说明"))
    hides_earlier = BooleanField(
        _l("原版本含有不应继续公开的内容（如误公开的个人信息），修订发布后不再公开原版本")
    )


@dataclass
class Panel:
    """What the item page shows about 修订 for this user."""

    amended: Item | None = None  # on an amendment: the published item it amends
    versions: list[PublicVersion] = field(default_factory=list)  # on a published item
    amendments: list[Item] = field(default_factory=list)  # …and its amendments, newest first
    open_amendment: Item | None = None
    start_form: StartForm | None = None


@bp.app_template_global()
def amendment_panel(item: Item, form: StartForm | None = None) -> Panel | None:
    if permissions.is_amendment(item):
        return Panel(amended=item.amends)
    if item.published_at is None:
        return None
    panel = Panel(versions=amendments.versions(item), amendments=amendments.amendments_of(item))
    panel.open_amendment = next(
        (a for a in panel.amendments if a.state not in amendments.CLOSED), None
    )
    if panel.open_amendment is None and can_start_amendment(current_user, item):
        panel.start_form = form or StartForm(formdata=None, version=str(item.version))
    return panel


@bp.route("/items/<id:item_id>/amend", methods=["POST"])
@login_required
def start(item_id):
    item = loading.item_or_404(item_id, for_update=True)
    form = StartForm()
    if not form.validate_on_submit():
        flash(gettext("请求无效，请刷新页面后重试"), "error")
        return redirect(url_for("review.item", item_id=item.id, _anchor="amendment-h"), 303)
    try:
        amendment = amendments.start(
            current_user, item, form.version.data, form.note.data, form.hides_earlier.data
        )
    except InvalidInput as exc:
        db.session.rollback()
        form.note.errors = [exc.message]  # the page again, with what was typed
        return _page_again(item_id, form)
    # the publisher does not see another department's unsubmitted draft (can_view_item): back
    # to the item, whose page names the open amendment; asked before the commit expires both
    shown = amendment if permissions.can_view_item(current_user, amendment) else item
    db.session.commit()
    flash(gettext("已发起修订：请修改修订稿并提交审批，原公开版本在修订发布前保持不变"), "success")
    return redirect(url_for("review.item", item_id=shown.id), 303)


def _page_again(item_id: int, form: StartForm):
    from approval.publication.review_routes import item_page  # its module imports this one

    item = loading.item_or_404(item_id)
    form.version.data = str(item.version)
    return item_page(item, status=422, amendment_form=form)
