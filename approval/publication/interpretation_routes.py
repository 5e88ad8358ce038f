"""政策解读 on the item page: the 解读's link to its policy, the office's "publish only with its
解读" mark, and the links both ways on the portal (publication/interpretations.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import HiddenField, SelectField

from approval import permissions
from approval.core.errors import InvalidInput
from approval.core.workflow import PUBLISHED
from approval.extensions import db
from approval.models import Item
from approval.platform.form_choices import int_or_none
from approval.platform.forms import Form
from approval.publication import interpretations, loading

bp = Blueprint("interpretations", __name__)


class LinkForm(Form):
    version = HiddenField()
    policy = SelectField(_l("所解读的政策"), coerce=int_or_none, validate_choice=False)


class RequireForm(Form):
    version = HiddenField()
    needed = HiddenField()


@dataclass
class Panel:
    """What the item page shows about 政策解读 for this user."""

    is_interpretation: bool
    policy: Item | None = None  # the policy a 解读 explains
    link_form: LinkForm | None = None  # the draft's officers choose it
    interpretations: list[Item] = field(default_factory=list)  # a policy's 解读
    needs_interpretation: bool = False
    require_form: RequireForm | None = None  # the office marks a policy


@bp.app_template_global()
def interpretation_panel(item: Item) -> Panel | None:
    if item.request_id is not None or item.amends_id is not None:
        return None  # a reply to a request has no policy or 解读; a 修订 keeps its item's link
    if interpretations.is_interpretation(item):
        form = None
        if permissions.can_edit(current_user, item):
            form = LinkForm(formdata=None, version=str(item.version), policy=item.interprets_id)
            form.policy.choices = [("", gettext("（请选择）"))] + interpretations.candidates(item)
        return Panel(True, policy=item.interprets, link_form=form)
    linked = interpretations.interpretations_of(item)
    may_require = permissions.can_require_interpretation(current_user, item) and item.state not in (
        PUBLISHED,
        *interpretations.NOT_A_POLICY,
    )
    if not linked and not item.needs_interpretation and not may_require:
        return None
    form = None
    if may_require:
        form = RequireForm(
            formdata=None,
            version=str(item.version),
            needed="0" if item.needs_interpretation else "1",
        )
    return Panel(
        False,
        interpretations=linked,
        needs_interpretation=item.needs_interpretation,
        require_form=form,
    )


@bp.app_template_global()
def public_interpretation_links(item: Item) -> tuple[Item | None, list[Item]]:
    """On the portal: the published policy a published 解读 explains, and a published policy's
    published 解读."""
    policy = item.interprets if interpretations.is_published_interpretation(item) else None
    if policy is not None and policy.state != PUBLISHED:
        policy = None
    shown = [
        i
        for i in interpretations.interpretations_of(item)
        if i.state == PUBLISHED and interpretations.is_published_interpretation(i)
    ]
    return policy, shown


def _back(item_id: int):
    return redirect(url_for("review.item", item_id=item_id, _anchor="interpretation-h"), 303)


@bp.route("/items/<id:item_id>/interprets", methods=["POST"])
@login_required
def link(item_id):
    item = loading.item_or_404(item_id, for_update=True)
    form = LinkForm()
    if not form.validate_on_submit():
        flash(gettext("请重新选择所解读的政策"), "error")
        return _back(item_id)
    try:
        interpretations.link(current_user, item, form.policy.data, form.version.data)
    except InvalidInput as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back(item_id)
    db.session.commit()
    flash(gettext("已保存所解读的政策"), "success")
    return _back(item_id)


@bp.route("/items/<id:item_id>/needs-interpretation", methods=["POST"])
@login_required
def require(item_id):
    item = loading.item_or_404(item_id, for_update=True)
    form = RequireForm()
    if not form.validate_on_submit() or form.needed.data not in ("0", "1"):
        flash(gettext("请求无效，请刷新页面后重试"), "error")
        return _back(item_id)
    needed = form.needed.data == "1"
    interpretations.require(current_user, item, needed, form.version.data)
    db.session.commit()
    if needed:
        flash(gettext("已设置：该政策须与其政策解读同步发布"), "success")
    else:
        flash(gettext("已取消同步发布解读的要求"), "success")
    return _back(item_id)
