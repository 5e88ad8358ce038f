from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from approval.platform.forms import Form


class LoginForm(Form):
    username = StringField(
        _l("用户名"), validators=[DataRequired(_l("请输入用户名")), Length(max=64)]
    )
    password = PasswordField(
        _l("密码"), validators=[DataRequired(_l("请输入密码")), Length(max=256)]
    )


class ChangePasswordForm(Form):
    """Passwords are never sent back to the browser: a refused form comes back with the fields
    empty and a message under each one that was wrong."""

    current_password = PasswordField(
        _l("当前密码"), validators=[DataRequired(_l("请输入当前密码")), Length(max=256)]
    )
    new_password = PasswordField(
        _l("新密码"),
        validators=[
            DataRequired(_l("请输入新密码")),
            Length(max=256, message=_l("密码不能超过 256 个字符")),
        ],
    )
    repeat_password = PasswordField(
        _l("再次输入新密码"), validators=[DataRequired(_l("请再次输入新密码")), Length(max=256)]
    )
