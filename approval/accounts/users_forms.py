"""The system admin's forms: a new account, an account's name, department and e-mail address, a
temporary password, a department. Passwords are never sent back to the browser (PasswordField
renders empty); everything else a refused form keeps."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from approval.accounts.departments import MAX_NAME_CHARS as DEPARTMENT_NAME_CHARS
from approval.accounts.departments import MAX_POSITION
from approval.accounts.user_admin import MAX_NAME_CHARS
from approval.platform.form_choices import id_or_none
from approval.platform.forms import Form

PASSWORD_MAX = 256


def department_choices(departments, blank=None) -> list[SelectChoice]:
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(d.id, d.name) for d in departments]


def _department_field():
    # the choices are checked by the service (the body's departments, under the write lock)
    return SelectField(
        _l("科室"),
        coerce=id_or_none,
        validate_choice=False,
        validators=[DataRequired(_l("请选择科室"))],
    )


def _email_field():
    # optional (blank: none); its length and format are the service's to check, after trimming
    # (accounts/email_address.py), so one rule decides and a refusal names the field once
    return StringField(_l("电子邮箱"), validators=[Optional()])


def _password_fields(label: str):
    return (
        PasswordField(
            label,
            validators=[
                DataRequired(_l("请输入密码")),
                Length(max=PASSWORD_MAX, message=_l("密码不能超过 256 个字符")),
            ],
        ),
        PasswordField(
            _l("再次输入密码"),
            validators=[DataRequired(_l("请再次输入密码")), Length(max=PASSWORD_MAX)],
        ),
    )


class NewUserForm(Form):
    username = StringField(
        _l("用户名"),
        validators=[
            DataRequired(_l("请填写用户名")),
            Length(min=3, max=64, message=_l("用户名须为 3–64 个字符")),
            Regexp(
                r"^\s*[A-Za-z0-9._-]+\s*$",
                message=_l("用户名只能包含字母、数字、点（.）、下划线（_）和连字符（-）"),
            ),
        ],
    )
    display_name = StringField(
        _l("姓名"),
        validators=[
            DataRequired(_l("请填写姓名")),
            Length(max=MAX_NAME_CHARS, message=_l("姓名不能超过 64 字")),
        ],
    )
    department_id = _department_field()
    email = _email_field()
    password, repeat_password = _password_fields(_l("初始密码"))


class UserEditForm(Form):
    display_name = StringField(
        _l("姓名"),
        validators=[
            DataRequired(_l("请填写姓名")),
            Length(max=MAX_NAME_CHARS, message=_l("姓名不能超过 64 字")),
        ],
    )
    department_id = _department_field()
    email = _email_field()


class ResetPasswordForm(Form):
    """On the account's page beside UserEditForm: created with prefix="reset"."""

    password, repeat_password = _password_fields(_l("临时密码"))


class DepartmentForm(Form):
    """Adding (position optional: last) and changing a department (prefix="d<id>" per row)."""

    name = StringField(
        _l("科室名称"),
        validators=[
            DataRequired(_l("请填写科室名称")),
            Length(max=DEPARTMENT_NAME_CHARS, message=_l("科室名称不能超过 100 字")),
        ],
    )
    position = IntegerField(
        _l("排序号"),
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_POSITION, message=_l("排序号须为 0 至 9999 之间的整数")),
        ],
    )
