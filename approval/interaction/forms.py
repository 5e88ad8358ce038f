"""The forms of 互动回应: the portal's 留言 and 留言查询 and rating, the staff entry, one small form
per action on a message's page (each carries the version the page showed), the time limits,
the 政务公开日 event and the FAQ entry.

As elsewhere: every text passes the app's cleaning rule (``platform.forms.Form``); choices do not
check themselves (WTForms' message is English): the operations refuse anything else in Chinese,
naming the field, and the page shows the form again with what was typed."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional

from approval.calendar.forms import LocalDateField
from approval.core import clock
from approval.core.interaction_vocab import CATEGORIES, RATINGS, STAFF_CHANNELS
from approval.platform.form_choices import CheckboxList, code_choices, id_or_none
from approval.platform.forms import Form
from approval.requests.intake_forms import NEEDED

PLEASE_CHOOSE = _l("请选择")


class LeaveForm(Form):
    """The portal's 留言 (its own fields: nothing of the staff entry appears by itself)."""

    subject = StringField(_l("标题"), validators=NEEDED)
    category = RadioField(
        _l("留言类别"),
        choices=code_choices(CATEGORIES),
        default="consultation",
        validate_choice=False,
        validators=NEEDED,
    )
    text = TextAreaField(_l("留言内容"), validators=NEEDED)
    sender_name = StringField(_l("姓名（选填）"))
    phone = StringField(_l("联系电话"))
    email = StringField(_l("电子邮箱"))
    address = StringField(_l("通信地址"))
    may_publish = BooleanField(_l("同意在网上公开本留言及答复（不公开姓名和联系方式）"))
    confirm_personal_data = BooleanField(_l("我已知晓留言中含有个人信息，仍要提交"))

    FIELDS = (
        "subject",
        "category",
        "text",
        "sender_name",
        "phone",
        "email",
        "address",
        "may_publish",
    )


class MessageForm(Form):
    """The office's entry of a message taken offline."""

    subject = StringField(_l("标题"))
    category = SelectField(
        _l("留言类别"), choices=code_choices(CATEGORIES, PLEASE_CHOOSE), validate_choice=False
    )
    text = TextAreaField(_l("留言内容"))
    sender_name = StringField(_l("留言人姓名（选填）"))
    phone = StringField(_l("联系电话"))
    email = StringField(_l("电子邮箱"))
    address = StringField(_l("通信地址"))
    may_publish = BooleanField(_l("留言人同意公开留言及答复"))
    channel = SelectField(
        _l("留言渠道"), choices=code_choices(STAFF_CHANNELS, PLEASE_CHOOSE), validate_choice=False
    )
    received_on = LocalDateField(_l("收到日期"), validators=[Optional()], default=clock.local_today)
    event_id = SelectField(
        _l("政务公开日活动"), coerce=id_or_none, validate_choice=False, choices=[]
    )

    FIELDS = (*LeaveForm.FIELDS, "channel", "received_on", "event_id")


class TrackForm(Form):
    code = StringField(_l("查询码"), validators=[DataRequired(_l("请填写查询码"))])


class RateForm(Form):
    version = HiddenField()
    rating = RadioField(
        _l("您对答复的评价"),
        choices=code_choices(RATINGS),
        validate_choice=False,
        validators=NEEDED,
    )
    comment = TextAreaField(_l("意见（选填）"))


class AssignForm(Form):
    version = HiddenField()
    department_id = SelectField(
        _l("承办部门"), coerce=id_or_none, validate_choice=False, choices=[]
    )


class TransferForm(Form):
    version = HiddenField()
    to_body = StringField(_l("转办机关"))
    note = TextAreaField(_l("给留言人的转办说明"))


class AnswerForm(Form):
    version = HiddenField()
    text = TextAreaField(_l("答复内容"))


class ReviewForm(Form):
    version = HiddenField()
    decision = RadioField(
        _l("审核意见"),
        choices=[SelectChoice("approve", _l("同意")), SelectChoice("return", _l("退回"))],
        default="approve",
        validate_choice=False,
    )
    reason = TextAreaField(_l("退回理由"))


class FaqForm(Form):
    question = TextAreaField(_l("问题"))
    answer = TextAreaField(_l("解答"))


class FaqEditForm(FaqForm):
    """Editing an entry: the version the form showed (a stale one is a 409)."""

    version = HiddenField()


class FaqMoveForm(Form):
    """The 上移 / 下移 buttons of one entry (``direction``: up or down)."""

    version = HiddenField()
    direction = HiddenField()


class InvalidForm(Form):
    """Closing a message as invalid (无效留言): the reason, which the sender reads."""

    version = HiddenField()
    reason = TextAreaField(_l("作无效处理的理由"))


class VersionForm(Form):
    """A button on a message's page: the version the page showed."""

    version = HiddenField()


class EmptyForm(Form):
    """A button (delete): the CSRF token only."""


class EventForm(Form):
    held_on = LocalDateField(
        _l("活动日期"), validators=[InputRequired(_l("请填写活动日期"))], default=clock.local_today
    )
    place = StringField(_l("活动地点"))
    department_ids = CheckboxList(_l("参加部门"), coerce=int, choices=[])
    people_received = StringField(_l("接待群众人数"))
    note = TextAreaField(_l("备注（选填）"))


class LimitsForm(Form):
    """The working days per category (blank: the default of ``DEFAULT_LIMITS``)."""

    days_consultation = StringField(_l("咨询"))
    days_suggestion = StringField(_l("建议"))
    days_complaint = StringField(_l("投诉"))
    days_other = StringField(_l("其他"))


def whole_number(text) -> int | None:
    """A typed whole number, None when blank; -1 (refused by the operation) when not a number."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) <= 6 else -1
