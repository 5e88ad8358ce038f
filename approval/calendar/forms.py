"""The system admin's form for the working-day calendar: a date (or a run of dates), 休息日 or
工作日, and a note naming the State Council's arrangement it carries."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from approval.platform.form_choices import code_choices
from approval.platform.forms import Form
from approval.platform.i18n import N_

NOTE_MAX = 100  # calendar_overrides.note
KINDS = {"day_off": N_("休息日（放假）"), "working_day": N_("工作日（调休上班）")}
BAD_DATE = _l("请输入有效的日期（格式：年-月-日，如 2027-01-01）")


class LocalDateField(DateField):
    """A date typed as 年-月-日; what cannot be read is refused in Chinese (WTForms' own message
    is English), and the page shows again what was typed."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(BAD_DATE)) from exc


class OverrideForm(Form):
    day = LocalDateField(_l("日期"), validators=[InputRequired(_l("请填写日期"))])
    until = LocalDateField(_l("至（可选）"), validators=[Optional()])
    kind = SelectField(_l("类型"), choices=code_choices(KINDS), default="day_off")
    note = StringField(
        _l("说明"),
        validators=[
            DataRequired(_l("请填写说明，如“2027年元旦”")),
            Length(max=NOTE_MAX, message=_l("说明不能超过100字")),
        ],
    )

    @property
    def is_working_day(self) -> bool:
        return self.kind.data == "working_day"


NOTICE_MAX = 5000  # core.holiday_notice.MAX_TEXT_CHARS


class NoticeForm(Form):
    """The State Council's notice pasted whole; "识别" shows what it says, "确认录入" saves it."""

    notice = TextAreaField(
        _l("通知正文"),
        validators=[
            DataRequired(_l("请粘贴国务院办公厅通知的正文")),
            Length(max=NOTICE_MAX, message=_l("通知正文不能超过 5000 字")),
        ],
    )
