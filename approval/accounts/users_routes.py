"""The system admin's (系统管理员, 三员分立) pages: the body's accounts and departments.

Every route first asks ``permissions.can_manage_accounts`` (403 for anyone else), then loads the
account or department of the user's own body (404 for another body's or a missing one), then
calls one service (``accounts.user_admin``, ``accounts.departments``), commits once, flashes and
redirects (303). A refused form is shown again with what the user typed (never a password) and
the reason under its field: 422; a department still in use, or an admin account (managed with
the deployment's commands): 409.

Creating an account and resetting a password hash the password first (argon2, slow) and only
then start writing (``reads_before_writing``), as the login and change-password pages do.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.accounts import departments as department_service
from approval.accounts import email_address, logins, user_admin
from approval.accounts.users_forms import (
    DepartmentForm,
    NewUserForm,
    ResetPasswordForm,
    UserEditForm,
    department_choices,
)
from approval.core.errors import Conflict, InvalidInput
from approval.core.passwords import POLICY
from approval.core.roles import Role
from approval.extensions import db
from approval.platform.access import requires
from approval.platform.db_setup import reads_before_writing, write_transactions
from approval.platform.i18n import role_label
from approval.platform.routing import db_id

bp = Blueprint("accounts", __name__, url_prefix="/admin")

USER_TEXT_MAX = 64


def _put_errors(form, errors: dict[str, list[str]]) -> None:
    """A service's findings, under the fields the form itself found nothing wrong with (one
    reason per field is enough: "please fill in" needs no "too short" beside it)."""
    for name, messages in errors.items():
        if not form[name].errors:
            form[name].errors = list(messages)


def _email_errors(value: str | None) -> dict[str, list[str]]:
    """The e-mail address's problem, if any, under its field (the service checks it again)."""
    problem = email_address.problem(value)
    return {"email": [problem]} if problem else {}


def _show_refusal(form, exc, default_field: str) -> None:
    """A service's InvalidInput, at the field it concerns (the transaction is rolled back)."""
    db.session.rollback()
    field = getattr(form, exc.field or default_field, None) or form[default_field]
    field.errors = list(field.errors) + [exc.message]


# ------------------------------------------------------------------ accounts


def _user_filters() -> user_admin.Filters:
    status = request.args.get("status", "")
    return user_admin.Filters(
        department_id=request.args.get("department", type=db_id),
        text=(request.args.get("q") or "").strip()[:USER_TEXT_MAX] or None,
        status=status if status in user_admin.STATUSES else "",
    )


@bp.route("/users")
@requires(permissions.can_manage_accounts)
def users():
    filters = _user_filters()
    after = (request.args.get("after") or "")[:USER_TEXT_MAX] or None
    accounts, next_after = user_admin.user_page(current_user, filters, after)
    return render_template(
        "accounts/users.html",
        accounts=accounts,
        next_after=next_after,
        after=after,
        filters=filters,
        departments=department_service.departments_of(current_user.body_id),
        statuses=user_admin.STATUSES,
        status_of=user_admin.statuses_of,
        role_labels=_role_labels,
        may_manage=_may_manage,
    )


def _role_labels(account) -> list[str]:
    return [role_label(r) for r in sorted(account.roles, key=list(Role).index)]


def _may_manage(account) -> bool:
    return permissions.can_manage_account(current_user, account)


@bp.route("/users/new", methods=["GET", "POST"])
@requires(permissions.can_manage_accounts)
@reads_before_writing
def new_user():
    form = NewUserForm()
    departments = department_service.departments_of(current_user.body_id)
    form.department_id.choices = department_choices(departments, blank=gettext("请选择科室"))
    if request.method == "GET":
        return render_template("accounts/user_form.html", form=form, policy=POLICY)
    form.validate_on_submit()
    # every problem at once: the form's, the service's (name taken, department, e-mail), the
    # policy's
    checks = user_admin.new_account_problems(
        current_user,
        form.username.data,
        form.display_name.data,
        form.department_id.data,
        form.email.data,
    )
    _put_errors(form, checks)
    if form.password.data:
        _put_errors(
            form,
            user_admin.password_problems(
                user_admin.clean_username(form.username.data),
                form.password.data,
                form.repeat_password.data or "",
            ),
        )
    if not form.errors:
        password = user_admin.prepare_password(
            user_admin.clean_username(form.username.data), form.password.data
        )
        db.session.commit()  # end the read (argon2 ran without any lock); writing starts anew
        with write_transactions():
            try:
                account = user_admin.create_user(
                    current_user,
                    username=form.username.data,
                    display_name=form.display_name.data,
                    department_id=form.department_id.data,
                    password=password,
                    email=form.email.data,
                )
            except InvalidInput as exc:
                _show_refusal(form, exc, "username")
            else:
                account_id, username = account.id, account.username
                db.session.commit()
                flash(
                    gettext(
                        "已创建账号 %(username)s。它还没有任何角色：请安全管理员授权；"
                        "首次登录时须修改初始密码。",
                        username=username,
                    ),
                    "success",
                )
                return redirect(url_for("accounts.edit_user", user_id=account_id), 303)
    return render_template("accounts/user_form.html", form=form, policy=POLICY), 422


def _user_page(account, edit_form=None, reset_form=None, status: int = 200):
    managed = permissions.can_manage_account(current_user, account)
    form = edit_form or UserEditForm(formdata=None, obj=account)
    form.department_id.choices = department_choices(
        department_service.departments_of(current_user.body_id), blank=gettext("请选择科室")
    )
    return render_template(
        "accounts/user_edit.html",
        account=account,
        managed=managed,
        form=form,
        reset_form=reset_form or ResetPasswordForm(prefix="reset", formdata=None),
        statuses=user_admin.statuses_of(account),
        roles=_role_labels(account),
        locked=logins.is_locked(account),
        failures=user_admin.failure_count(account) if managed else 0,
        is_self=account.id == current_user.id,
        policy=POLICY,
    ), status


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@requires(permissions.can_manage_accounts)
def edit_user(user_id):
    if request.method == "GET":
        return _user_page(user_admin.account_in_body(current_user, user_id))
    account = user_admin.managed_account(current_user, user_id)
    form = UserEditForm()
    valid = form.validate_on_submit()
    _put_errors(form, _email_errors(form.email.data))  # with the form's, at once
    if valid and not form.email.errors:
        try:
            changed = user_admin.update_user(
                current_user,
                account.id,
                display_name=form.display_name.data,
                department_id=form.department_id.data,
                email=form.email.data,
            )
        except InvalidInput as exc:
            _show_refusal(form, exc, "display_name")
        else:
            db.session.commit()
            flash(
                gettext("已保存账号信息") if changed else gettext("账号信息没有变化"),
                "success" if changed else "info",
            )
            return redirect(url_for("accounts.edit_user", user_id=user_id), 303)
    return _user_page(account, edit_form=form, status=422)


def _account_action(user_id: int, run, done: str, unchanged: str):
    """One button of the account page: its own POST (CSRF checked by the app), one service."""
    user_admin.managed_account(current_user, user_id)  # 404 / 409 before anything else
    changed = run(current_user, user_id)
    db.session.commit()
    flash(done if changed else unchanged, "success" if changed else "info")
    return redirect(url_for("accounts.edit_user", user_id=user_id), 303)


@bp.route("/users/<id:user_id>/disable", methods=["POST"])
@requires(permissions.can_manage_accounts)
def disable_user(user_id):
    return _account_action(
        user_id,
        lambda user, i: user_admin.set_enabled(user, i, False),
        gettext("已停用该账号，它的所有登录已立即失效"),
        gettext("该账号已是停用状态"),
    )


@bp.route("/users/<id:user_id>/enable", methods=["POST"])
@requires(permissions.can_manage_accounts)
def enable_user(user_id):
    return _account_action(
        user_id,
        lambda user, i: user_admin.set_enabled(user, i, True),
        gettext("已启用该账号"),
        gettext("该账号已是启用状态"),
    )


@bp.route("/users/<id:user_id>/unlock", methods=["POST"])
@requires(permissions.can_manage_accounts)
def unlock_user(user_id):
    return _account_action(
        user_id,
        user_admin.unlock,
        gettext("已解除锁定，输错次数已清零"),
        gettext("该账号没有被锁定"),
    )


@bp.route("/users/<id:user_id>/password", methods=["POST"])
@requires(permissions.can_manage_accounts)
@reads_before_writing
def reset_password(user_id):
    account = user_admin.managed_account(current_user, user_id)  # before any argon2 work
    form = ResetPasswordForm(prefix="reset")
    form.validate_on_submit()
    if form.password.data:
        _put_errors(
            form,
            user_admin.password_problems(
                account.username, form.password.data, form.repeat_password.data or ""
            ),
        )
    if not form.errors:
        password = user_admin.prepare_password(account.username, form.password.data)
        db.session.commit()  # end the read (argon2 ran without any lock); writing starts anew
        with write_transactions():
            user_admin.reset_password(current_user, user_id, password)
            db.session.commit()
        flash(
            gettext(
                "已重置密码：该账号的所有登录已退出，锁定已解除；请把临时密码当面或通过安全渠道"
                "告知本人，其下次登录时须修改密码。"
            ),
            "success",
        )
        return redirect(url_for("accounts.edit_user", user_id=user_id), 303)
    return _user_page(account, reset_form=form, status=422)


# ------------------------------------------------------------------ departments


def _departments_page(add_form=None, row_forms=None, error: str | None = None, status: int = 200):
    rows = department_service.rows(current_user.body_id)
    forms = {
        row.department.id: DepartmentForm(
            prefix=f"d{row.department.id}", formdata=None, obj=row.department
        )
        for row in rows
    }
    forms.update(row_forms or {})
    return render_template(
        "accounts/departments.html",
        rows=rows,
        forms=forms,
        error=error,
        add_form=add_form or DepartmentForm(prefix="new", formdata=None),
    ), status


@bp.route("/departments")
@requires(permissions.can_manage_accounts)
def departments():
    return _departments_page()


@bp.route("/departments", methods=["POST"])
@requires(permissions.can_manage_accounts)
def create_department():
    form = DepartmentForm(prefix="new")
    if form.validate_on_submit():
        try:
            department = department_service.create_department(
                current_user, name=form.name.data, position=form.position.data
            )
        except InvalidInput as exc:
            _show_refusal(form, exc, "name")
        else:
            department_id, name = department.id, department.name
            db.session.commit()
            flash(gettext("已新建科室：%(name)s", name=name), "success")
            return redirect(
                url_for("accounts.departments", _anchor=f"department-{department_id}"), 303
            )
    return _departments_page(add_form=form, status=422)


@bp.route("/departments/<id:department_id>", methods=["POST"])
@requires(permissions.can_manage_accounts)
def update_department(department_id):
    department_service.department_in_body(current_user, department_id)  # another body's: 404
    form = DepartmentForm(prefix=f"d{department_id}")
    if form.validate_on_submit():
        try:
            changed = department_service.update_department(
                current_user, department_id, name=form.name.data, position=form.position.data
            )
        except InvalidInput as exc:
            _show_refusal(form, exc, "name")
        else:
            db.session.commit()
            flash(
                gettext("已保存科室：%(name)s", name=form.name.data.strip())
                if changed
                else gettext("科室没有变化"),
                "success" if changed else "info",
            )
            return redirect(
                url_for("accounts.departments", _anchor=f"department-{department_id}"), 303
            )
    return _departments_page(row_forms={department_id: form}, status=422)


@bp.route("/departments/<id:department_id>/delete", methods=["POST"])
@requires(permissions.can_manage_accounts)
def delete_department(department_id):
    department_service.department_in_body(current_user, department_id)  # another body's: 404
    try:
        name = department_service.delete_department(current_user, department_id)
    except Conflict as exc:
        db.session.rollback()
        return _departments_page(error=exc.message, status=exc.status)
    db.session.commit()
    flash(gettext("已删除科室：%(name)s", name=name), "success")
    return redirect(url_for("accounts.departments"), 303)
