"""The register's forms: the staff entry of a request, and one small form per action on a
request's page (each carries the version the page showed).

Selects do not check their own choices (WTForms' message is English): the operations refuse
anything else in Chinese, naming the field, and the page shows the form again with what was
typed. Dates are ``LocalDateField``s (年-月-日, refused in Chinese)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from approval.calendar.forms import LocalDateField
from approval.core.request_vocab import (
    APPLICANT_KINDS,
    CHANNELS,
    ID_TYPES,
    ORGANISATION_KINDS,
    PAUSE_KINDS,
    PICKUP_METHODS,
    PROVISION_FORMS,
)
from approval.platform.form_choices import code_choices, id_or_none
from approval.platform.forms import Form

PLEASE_CHOOSE = _l("请选择")


class RequestForm(Form):
    applicant_kind = SelectField(
        _l("申请人类型"), choices=code_choices(APPLICANT_KINDS), validate_choice=False
    )
    applicant_name = StringField(_l("姓名或名称"))
    id_type = SelectField(
        _l("证件类型"), choices=code_choices(ID_TYPES, PLEASE_CHOOSE), validate_choice=False
    )
    id_number = StringField(_l("证件号码"))
    credit_code = StringField(_l("统一社会信用代码"))
    legal_representative = StringField(_l("法定代表人或负责人"))
    contact_person = StringField(_l("联系人"))
    organisation_kind = SelectField(
        _l("组织类型"),
        choices=code_choices(ORGANISATION_KINDS, PLEASE_CHOOSE),
        validate_choice=False,
    )
    phone = StringField(_l("联系电话"))
    email = StringField(_l("电子邮箱"))
    address = StringField(_l("通信地址"))
    postcode = StringField(_l("邮政编码"))
    description = TextAreaField(_l("所需政府信息的名称、文号或特征性描述"))
    purpose = TextAreaField(_l("用途（可选）"))
    provision = SelectField(
        _l("提供方式"), choices=code_choices(PROVISION_FORMS), validate_choice=False
    )
    pickup = SelectField(
        _l("获取方式"), choices=code_choices(PICKUP_METHODS), validate_choice=False
    )
    channel = SelectField(
        _l("申请方式"), choices=code_choices(CHANNELS, PLEASE_CHOOSE), validate_choice=False
    )
    submitted_on = LocalDateField(_l("提交日期"), validators=[Optional()])
    signed_for_on = LocalDateField(_l("签收日期（挂号信）"), validators=[Optional()])
    confirmed_on = LocalDateField(
        _l("确认收到日期（平信、传真、电子邮件、网上、口头）"), validators=[Optional()]
    )
    applicant_confirmed = BooleanField(_l("口头申请：申请人已确认代为填写的申请内容"))


class _Versioned(Form):
    version = HiddenField()


class AssignForm(_Versioned):
    department_id = SelectField(_l("承办科室"), coerce=id_or_none, validate_choice=False)


class CorrectionForm(_Versioned):
    requested_on = LocalDateField(
        _l("告知日期"), validators=[InputRequired(_l("请填写告知补正的日期"))]
    )
    missing = TextAreaField(_l("需要补正的事项（一次性列明全部事项）"))
    deadline = LocalDateField(_l("补正期限"), validators=[InputRequired(_l("请填写补正期限"))])


class CorrectedForm(_Versioned):
    received_on = LocalDateField(
        _l("收到补正材料的日期"), validators=[InputRequired(_l("请填写收到补正材料的日期"))]
    )


class PauseForm(_Versioned):
    kind = SelectField(
        _l("暂停事由"), choices=code_choices(PAUSE_KINDS, PLEASE_CHOOSE), validate_choice=False
    )
    starts_on = LocalDateField(_l("开始日期"), validators=[InputRequired(_l("请填写暂停开始日期"))])
    party = StringField(_l("征求意见的第三方或机关"))
    amount = StringField(_l("收费金额（元，收费通知时填写）"))
    note = StringField(_l("说明（可选）"))


class EndPauseForm(_Versioned):
    ends_on = LocalDateField(_l("结束日期"), validators=[InputRequired(_l("请填写暂停结束日期"))])


class ExtensionForm(_Versioned):
    days = StringField(_l("延长的工作日数（1–20）"))
    reason = TextAreaField(_l("延期理由"))

    @property
    def day_count(self) -> int | None:
        text = (self.days.data or "").strip()
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None


class CloseForm(_Versioned):
    pass
