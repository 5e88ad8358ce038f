"""The forms of a 公示's staff page: log an objection (异议), record its handling."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from approval.core.notices import OBJECTION_CHANNELS
from approval.models.notices import HANDLING_MAX, SUMMARY_MAX
from approval.platform.form_choices import code_choices
from approval.platform.forms import Form


class ObjectionForm(Form):
    received_on = DateField(
        _l("收到日期"), validators=[DataRequired(_l("请填写收到异议的日期（格式：年-月-日）"))]
    )
    channel = SelectField(
        _l("反映方式"),
        choices=code_choices(OBJECTION_CHANNELS, blank=_l("请选择")),
        validators=[DataRequired(_l("请选择异议的反映方式"))],
    )
    summary = TextAreaField(
        _l("异议内容摘要"),
        validators=[
            DataRequired(_l("请填写异议内容摘要")),
            Length(max=SUMMARY_MAX, message=_l("异议内容摘要不能超过2000字")),
        ],
    )
    seen = HiddenField()  # how many objections the page showed (notices/operations.py)


class HandlingForm(Form):
    handling = TextAreaField(
        _l("处理情况"),
        validators=[
            DataRequired(_l("请填写处理情况")),
            Length(max=HANDLING_MAX, message=_l("处理情况不能超过2000字")),
        ],
    )
    handled_on = DateField(
        _l("处理日期"), validators=[DataRequired(_l("请填写处理日期（格式：年-月-日）"))]
    )
    version = HiddenField()
