"""The security admin's pages (三员分立): role grants (授权), the body's security policy and its
approval chain (审批流程)."""

from dataclasses import asdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.accounts import chain_admin, coverage, policy, role_grants
from approval.accounts.departments import departments_of
from approval.accounts.grants_forms import GrantForm, policy_form_class
from approval.core.errors import Conflict, InvalidInput
from approval.core.msgids import translate
from approval.core.roles import BUSINESS_ROLES, Role
from approval.extensions import db
from approval.models import chains_for
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


# ------------------------------------------------------------------ the approval chain


@bp.route("/chain", methods=["GET", "POST"])
@requires(permissions.can_configure_chain)
def chain():
    """The chain edited as a whole: 上移/下移/删除/添加 change the page's copy (nothing is saved
    until 保存); the page carries every step in its fields, so nothing typed is lost."""
    body_id = current_user.body_id
    chains = chains_for(body_id)
    if request.method == "GET":
        return _chain_page(chains, chain_admin.rows_of(chains.current), chains.current_version)
    seen = request.form.get("version", type=int)
    if seen is None:  # every form of the page carries it: a post without it is not the page's
        abort(400)
    rows = _posted_rows(chains)
    new = chain_admin.Row(
        "",
        chain_admin.clean(request.form.get("new-name"))[: chain_admin.MAX_NAME_CHARS + 1],
        request.form.get("new-role", ""),
        request.form.get("new-scope", ""),
    )
    op, _, index = (request.form.get("op") or "save").partition("-")
    index = int(index) if index.isdigit() and int(index) < len(rows) else None
    if op == "up" and index:
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif op == "down" and index is not None and index + 1 < len(rows):
        rows[index], rows[index + 1] = rows[index + 1], rows[index]
    elif op == "remove" and index is not None:
        del rows[index]
    elif op == "add":
        wrong = [p for p in chain_admin.row_problems([new]) if p.index is not None]
        if wrong:
            return _chain_page(chains, rows, seen, new=new, new_problems=wrong, status=422)
        at = request.form.get("new-position", type=int)
        rows.insert(at if at is not None and 0 <= at <= len(rows) else len(rows), new)
        new = None
    elif op == "save":
        try:
            chain_admin.save(current_user, current_user.body, rows, seen)
        except Conflict as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for("grants.chain"), 303)
        except InvalidInput as exc:
            db.session.rollback()
            if exc.msgid == chain_admin.UNCHANGED:
                flash(exc.message, "info")
                return redirect(url_for("grants.chain"), 303)
            found = chain_admin.problems(rows) or [
                chain_admin.Problem(None, None, exc.msgid, exc.params)
            ]
            return _chain_page(chains, rows, seen, new=new, problems=found, status=422)
        db.session.commit()
        flash(gettext("审批流程已保存，此后开始的审批按新流程办理"), "success")
        return redirect(url_for("grants.chain"), 303)
    return _chain_page(chains, rows, seen, new=new, edited=True)


def _posted_rows(chains) -> list:
    """The steps the page sent, in its order; a key the current chain does not have is a new
    step's (the page never invents keys)."""
    known = {step.key for step in chains.current.steps}
    rows = []
    for i in range(chain_admin.MAX_STEPS + 1):
        if f"steps-{i}-name" not in request.form:
            break
        key = request.form.get(f"steps-{i}-key", "")
        rows.append(
            chain_admin.Row(
                key if key in known else "",
                chain_admin.clean(request.form.get(f"steps-{i}-name"))[
                    : chain_admin.MAX_NAME_CHARS + 1
                ],
                request.form.get(f"steps-{i}-role", ""),
                request.form.get(f"steps-{i}-scope", ""),
            )
        )
    return rows


def _chain_page(
    chains, rows, seen, new=None, problems=(), new_problems=(), edited=False, status=200
):
    total, earlier = chain_admin.in_rounds(current_user.body_id, chains)
    errors = {}
    for problem in problems:
        errors.setdefault((problem.index, problem.field), []).append(
            translate(problem.message, **problem.params)
        )
    for problem in new_problems:
        errors.setdefault(("new", problem.field), []).append(
            translate(problem.message, **problem.params)
        )
    return render_template(
        "accounts/chain.html",
        rows=rows,
        version=seen,
        new=new or chain_admin.Row("", "", "", ""),
        errors=errors,
        edited=edited,
        in_rounds=total,
        on_earlier=earlier,
        roles=[(str(r), role_label(r)) for r in chain_admin.STEP_ROLES],
        scopes=[(str(s), gettext(label)) for s, label in chain_admin.SCOPE_LABELS.items()],
        max_steps=chain_admin.MAX_STEPS,
        max_name=chain_admin.MAX_NAME_CHARS,
    ), status
