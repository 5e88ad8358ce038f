"""The security admin's pages (三员分立): role grants (授权) and the body's security policy."""

from dataclasses import asdict

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.accounts import coverage, policy, role_grants
from approval.accounts.departments import departments_of
from approval.accounts.grants_forms import GrantForm, policy_form_class
from approval.core.errors import InvalidInput
from approval.core.roles import BUSINESS_ROLES, Role
from approval.extensions import db
from approval.platform.access import requires
from approval.platform.i18n import role_label
from approval.platform.routing import db_id

bp = Blueprint("grants", __name__, url_prefix="/admin")

GRANTABLE = [r for r in Role if r in BUSINESS_ROLES]  # in the roles' own order


# ------------------------------------------------------------------ role grants

TEXT_MAX = 64  # users.username, users.display_name


@bp.route("/roles")
@requires(permissions.can_grant_roles)
def accounts_for_grants():
    role = request.args.get("role", "")
    filters = role_grants.Filters(
        department_id=request.args.get("department", type=db_id),
        text=(request.args.get("q") or "").strip()[:TEXT_MAX] or None,
        role=role if role == role_grants.NO_ROLES or role in BUSINESS_ROLES else "",
    )
    after = (request.args.get("after") or "")[:TEXT_MAX] or None
    accounts, next_after = role_grants.account_page(current_user, filters, after)
    return render_template(
        "accounts/grants.html",
        accounts=accounts,
        next_after=next_after,
        after=after,
        filters=filters,
        unattended=coverage.unattended(current_user.body_id),
        departments=departments_of(current_user.body_id),
        grantable=GRANTABLE,
        no_roles=role_grants.NO_ROLES,
    )


@bp.route("/roles/<id:user_id>", methods=["GET", "POST"])
@requires(permissions.can_grant_roles)
def grant_roles(user_id):
    # another body's: 404; an admin's: 409
    user = role_grants.grantee(current_user, user_id, for_update=request.method == "POST")
    departments = departments_of(user.body_id)
    if request.method == "GET":
        given = role_grants.current(user)
        form = GrantForm(
            data={
                "roles": [r.value for r in given.roles],
                "led_departments": sorted(given.led_department_ids),
            }
        )
    else:
        form = GrantForm()
    form.roles.choices = [(r.value, role_label(r)) for r in GRANTABLE]
    form.led_departments.choices = [(d.id, d.name) for d in departments]
    if form.validate_on_submit():
        try:
            role_grants.grant(current_user, user, form.roles.data, form.led_departments.data)
        except InvalidInput as exc:
            db.session.rollback()
            target = form[exc.field] if exc.field in form else form.roles
            target.errors.append(exc.message)
        else:
            db.session.commit()
            flash(gettext("已更新 %(name)s 的角色", name=user.display_name), "success")
            return redirect(url_for("grants.accounts_for_grants"), 303)
    return render_template("accounts/grant_form.html", form=form, account=user), (
        422 if form.errors else 200
    )


# ------------------------------------------------------------------ the security policy


@bp.route("/policy", methods=["GET", "POST"])
@requires(permissions.can_set_security_policy)
def security_policy():
    body = current_user.body
    effective = policy.for_body(body)
    form_class = policy_form_class()
    form = form_class(data=asdict(effective)) if request.method == "GET" else form_class()
    if form.validate_on_submit():
        try:
            changes = policy.save(
                current_user, body, {name: form[name].data for name in policy.BOUNDS}
            )
        except InvalidInput as exc:
            db.session.rollback()
            if exc.field is None:  # nothing changed: say so, nothing to correct
                flash(exc.message, "info")
                return redirect(url_for("grants.security_policy"), 303)
            form[exc.field].errors.append(exc.message)
        else:
            db.session.commit()
            flash(
                gettext("安全策略已更新（%(n)s 项），新的设置即时生效", n=len(changes)), "success"
            )
            return redirect(url_for("grants.security_policy"), 303)
    return render_template(
        "accounts/policy.html",
        form=form,
        bounds=policy.BOUNDS,
        configured=policy.configured(),
        own=body.policy,
    ), (422 if form.errors else 200)
