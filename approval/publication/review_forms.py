"""One form for every workflow action; which fields matter depends on the action."""

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from approval.core.clock import local_zone
from approval.core.vocab import NON_DISCLOSURE_BASES, SECRECY_QUESTIONS, VALIDITY
from approval.core.workflow import Action
from approval.platform.form_choices import code_choices
from approval.platform.forms import Form
from approval.platform.i18n import N_

YES_NO = code_choices({"no": N_("否"), "yes": N_("是")})


class LocalDateTimeField(DateTimeLocalField):
    """A browser's datetime-local value (the body's wall-clock time), with a Chinese error."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("时间格式不正确，请按“年-月-日 时:分”选择时间")) from exc


class ActionForm(Form):
    action = HiddenField(validators=[DataRequired()])
    version = HiddenField(validators=[DataRequired()])
    opinion = TextAreaField(
        _l("意见"), validators=[Optional(), Length(max=2000, message=_l("意见不能超过2000字"))]
    )
    basis = SelectField(
        _l("不予公开依据"),
        choices=code_choices(NON_DISCLOSURE_BASES, blank=_l("请选择")),
        validators=[Optional()],
    )
    override_reason = TextAreaField(
        _l("放行理由"),
        validators=[Optional(), Length(max=2000, message=_l("放行理由不能超过2000字"))],
    )
    validity = SelectField(_l("有效性"), choices=code_choices(VALIDITY), validators=[Optional()])
    publish_at = LocalDateTimeField(_l("发布时间"), validators=[Optional()])

    def action_value(self) -> Action | None:
        try:
            return Action(self.action.data)
        except ValueError:
            return None

    def publish_at_utc(self) -> datetime | None:
        """The chosen local time as the naive UTC the database stores."""
        local = self.publish_at.data
        if local is None:
            return None
        return local.replace(tzinfo=local_zone()).astimezone(UTC).replace(tzinfo=None)

    def checklist(self) -> dict[str, bool | None]:
        answers = {}
        for key in SECRECY_QUESTIONS:
            value = getattr(self, key).data
            answers[key] = {"yes": True, "no": False}.get(value)
        return answers


for _key, _question in SECRECY_QUESTIONS.items():
    setattr(ActionForm, _key, RadioField(_l(_question), choices=YES_NO, validators=[Optional()]))
