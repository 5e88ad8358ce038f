"""The forms of a request's records: a delivery (送达, with its proof file) and a 复议/诉讼 case
with its result. Each carries the version the page showed; selects do not check their own
choices (the operations refuse in Chinese, naming the field), dates are ``LocalDateField``s."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FileField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired

from approval.calendar.forms import LocalDateField
from approval.core.request_vocab import CASE_KINDS, DELIVERY_METHODS
from approval.platform.form_choices import code_choices
from approval.platform.forms import Form

PLEASE_CHOOSE = _l("请选择")


class _RecordForm(Form):
    """Shown with a prefix (the request's page has other forms with a ``note`` or a ``kind``),
    so the form's own CSRF field would be named ``<prefix>-csrf_token``: the page posts the
    session's token as ``csrf_token`` instead, which the app's CSRFProtect checks on every POST
    before the view runs (a missing or wrong one is a 400)."""

    class Meta(Form.Meta):
        csrf = False


class DeliveryForm(_RecordForm):
    version = HiddenField()
    document = SelectField(_l("文书"), validate_choice=False)  # choices: the request's documents
    method = SelectField(
        _l("送达方式"),
        choices=code_choices(DELIVERY_METHODS, PLEASE_CHOOSE),
        validate_choice=False,
    )
    delivered_on = LocalDateField(_l("送达日期"), validators=[InputRequired(_l("请填写送达日期"))])
    note = StringField(_l("说明（可选）"))
    proof = FileField(_l("送达凭证（可选，PDF、JPEG 或 PNG，不超过 10 MB）"))


class CaseForm(_RecordForm):
    version = HiddenField()
    kind = SelectField(
        _l("类型"), choices=code_choices(CASE_KINDS, PLEASE_CHOOSE), validate_choice=False
    )
    after_review = BooleanField(_l("复议后起诉（仅行政诉讼）"))
    filed_on = LocalDateField(
        _l("申请复议或起诉日期"),
        validators=[InputRequired(_l("请填写申请复议或起诉的日期"))],
    )
    authority = StringField(_l("复议机关或人民法院"))
    case_number = StringField(_l("案号（可选）"))
    note = StringField(_l("说明（可选）"))


class CaseResultForm(_RecordForm):
    version = HiddenField()
    result = SelectField(_l("审理结果"), validate_choice=False)  # choices: the results once decided
    decided_on = LocalDateField(_l("审结日期"), validators=[InputRequired(_l("请填写审结日期"))])
