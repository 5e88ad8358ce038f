"""请假代理 (/delegations): the reviewer's own delegations, given and received, the form to add
one, and revocation.

Only reviewers (``permissions.can_use_delegations``) have the page; adding one needs a role to
hand over (``permissions.delegable_roles``): 403 otherwise. A refused form is shown again with
what was typed (422), an overlap with another delegation is a 409 with the same form; revoking
someone else's delegation (or one that does not exist) is a 404.
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.core.errors import Conflict, InvalidInput
from approval.core.workflow import Action
from approval.delegations import operations as delegations
from approval.delegations.forms import DelegationForm
from approval.extensions import db
from approval.models import chain_for, chain_of
from approval.platform.access import requires
from approval.platform.i18n import role_label

bp = Blueprint("delegations", __name__)


@bp.app_template_global()
def can_use_delegations() -> bool:
    """For the navigation's link."""
    return permissions.can_use_delegations(current_user)


@bp.app_template_global()
def acting_for(item):
    """On whose behalf the signed-in user would decide on ``item`` now (None: their own)."""
    return permissions.acting_for(current_user, item, Action.RETURN, chain_of(item))


def _page(form=None, status=200):
    roles = permissions.delegable_roles(current_user, chain_for(current_user.body_id))
    if form is None:
        form = DelegationForm(formdata=None)
    form.offer(roles, delegations.candidates(current_user) if roles else [])
    return render_template(
        "delegations/index.html",
        form=form,
        can_delegate=bool(roles),
        lists=delegations.mine(current_user),
    ), status


@bp.route("/delegations")
@requires(permissions.can_use_delegations)
def index():
    return _page()


@bp.route("/delegations", methods=["POST"])
@requires(permissions.can_name_a_deputy)
def create():
    form = DelegationForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        made = delegations.create(
            current_user,
            form.role.data,
            form.deputy_id.data,
            form.starts_on.data,
            form.ends_on.data,
            form.reason.data,
        )
    except InvalidInput as exc:
        db.session.rollback()
        getattr(form, exc.field or "", form.role).errors.append(exc.message)
        return _page(form, 422)
    except Conflict as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return _page(form, 409)
    # read before the commit, which expires every loaded object
    message = gettext(
        "已将“%(role)s”委托给 %(deputy)s（%(start)s 至 %(end)s）",
        role=role_label(made.role),
        deputy=made.deputy.display_name,
        start=made.starts_on.isoformat(),
        end=made.ends_on.isoformat(),
    )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("delegations.index"), 303)


@bp.route("/delegations/<id:delegation_id>/revoke", methods=["POST"])
@requires(permissions.can_use_delegations)
def revoke(delegation_id):
    revoked = delegations.revoke(current_user, delegation_id)  # not theirs: 404; past: 409
    message = gettext("已撤销对 %(deputy)s 的委托", deputy=revoked.deputy.display_name)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("delegations.index"), 303)
