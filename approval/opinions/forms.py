"""The form of a new 常用意见; its length is the operation's rule (a Chinese message)."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import InputRequired

from approval.platform.forms import Form


class OpinionForm(Form):
    text = TextAreaField(_l("意见内容"), validators=[InputRequired(_l("请填写意见内容"))])
