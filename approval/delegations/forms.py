"""The form of a new delegation: the role handed over, the deputy, the dates and a reason.

The role and deputy selects do not check their own choices (WTForms' message is English): the
service refuses anything else in Chinese, with the field named, and the page keeps the input."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from approval.calendar.forms import LocalDateField
from approval.models.delegations import REASON_MAX
from approval.platform.form_choices import id_or_none
from approval.platform.forms import Form
from approval.platform.i18n import role_label


class DelegationForm(Form):
    role = SelectField(
        _l("委托的角色"), validate_choice=False, validators=[InputRequired(_l("请选择委托的角色"))]
    )
    deputy_id = SelectField(
        _l("代理人"),
        coerce=id_or_none,
        validate_choice=False,
        validators=[InputRequired(_l("请选择代理人"))],
    )
    starts_on = LocalDateField(_l("开始日期"), validators=[InputRequired(_l("请填写开始日期"))])
    ends_on = LocalDateField(_l("结束日期"), validators=[InputRequired(_l("请填写结束日期"))])
    reason = StringField(
        _l("事由（可选）"),
        validators=[Optional(), Length(max=REASON_MAX, message=_l("事由不能超过200字"))],
    )

    def offer(self, roles, deputies) -> "DelegationForm":
        """The user's delegable roles and the accounts they may name, as the selects' options."""
        self.role.choices = [SelectChoice(str(r), role_label(r)) for r in roles]
        self.deputy_id.choices = [SelectChoice("", _l("请选择"))] + [
            SelectChoice(u.id, f"{u.display_name}（{u.department.name if u.department else '—'}）")
            for u in deputies
        ]
        return self
