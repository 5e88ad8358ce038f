"""The forms of the portal's request pages (the request form, the tracker) and the office's
"确认收到" on a request's page.

As in ``forms``: every text passes the app's cleaning rule (``platform.forms.Form``); choices do
not check themselves (WTForms' message is English) and ``operations.checked`` refuses anything
else in Chinese, naming the field. The public form lists its own fields (not a subclass of the
staff form): a field added to the staff entry must not appear on the portal by itself.
"""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from approval.calendar.forms import LocalDateField
from approval.core import clock
from approval.core.request_vocab import (
    APPLICANT_KINDS,
    ID_TYPES,
    ORGANISATION_KINDS,
    PICKUP_METHODS,
    PROVISION_FORMS,
)
from approval.platform.form_choices import code_choices
from approval.platform.forms import Form

PLEASE_CHOOSE = _l("请选择")


class Needed:
    """Marks a field the applicant must fill in (the * beside its label, ``required`` for
    assistive technology); the check and its Chinese message are ``operations.checked``'s."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        pass


NEEDED = [Needed()]


class ApplyForm(Form):
    applicant_kind = RadioField(
        _l("申请人类型"),
        choices=code_choices(APPLICANT_KINDS),
        validate_choice=False,
        validators=NEEDED,
    )
    applicant_name = StringField(_l("姓名或名称"), validators=NEEDED)
    # 自然人
    id_type = SelectField(
        _l("证件类型"), choices=code_choices(ID_TYPES, PLEASE_CHOOSE), validate_choice=False
    )
    id_number = StringField(_l("证件号码"))
    # 法人或其他组织
    credit_code = StringField(_l("统一社会信用代码"))
    legal_representative = StringField(_l("法定代表人或负责人"))
    contact_person = StringField(_l("联系人"))
    organisation_kind = SelectField(
        _l("组织类型"),
        choices=code_choices(ORGANISATION_KINDS, PLEASE_CHOOSE),
        validate_choice=False,
    )
    # both
    phone = StringField(_l("联系电话"))
    email = StringField(_l("电子邮箱"))
    address = StringField(_l("通信地址"))
    postcode = StringField(_l("邮政编码"))
    description = TextAreaField(_l("所需政府信息的名称、文号或特征性描述"), validators=NEEDED)
    purpose = TextAreaField(_l("用途（选填）"))
    provision = RadioField(
        _l("提供方式"),
        choices=code_choices(PROVISION_FORMS),
        default="paper",
        validate_choice=False,
        validators=NEEDED,
    )
    pickup = RadioField(
        _l("获取方式"),
        choices=code_choices(PICKUP_METHODS),
        default="collect",
        validate_choice=False,
        validators=NEEDED,
    )

    FIELDS = (  # operations.NewRequest's fields the applicant gives
        "applicant_kind",
        "applicant_name",
        "id_type",
        "id_number",
        "credit_code",
        "legal_representative",
        "contact_person",
        "organisation_kind",
        "phone",
        "email",
        "address",
        "postcode",
        "description",
        "purpose",
        "provision",
        "pickup",
    )


class TrackForm(Form):
    code = StringField(_l("查询码"), validators=[DataRequired(_l("请填写查询码"))])
    applicant_name = StringField(
        _l("申请人姓名或名称"), validators=[DataRequired(_l("请填写申请人姓名或名称"))]
    )


class ConfirmReceiptForm(Form):
    version = HiddenField()
    confirmed_on = LocalDateField(
        _l("确认收到申请的日期"),
        validators=[InputRequired(_l("请填写确认收到申请的日期"))],
        default=clock.local_today,
    )
