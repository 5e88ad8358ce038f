"""The statistics' forms: the period and department chooser (GET, no CSRF: it changes nothing),
and the annual targets and the categories' staleness limits (POST, CSRF), one field per row."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from approval.core.periods import Period, parse_period, recent_periods
from approval.platform.form_choices import id_or_none
from approval.platform.forms import Form

NUMBER_MAX = 40


class FilterForm(Form):
    class Meta:
        csrf = False  # a GET that changes nothing

    period = SelectField(_l("统计期间"), validate_choice=False)
    department = SelectField(
        _l("部门"), coerce=id_or_none, invalid_choice_message=_l("所选部门不存在，请重新选择")
    )
    # the 通报's 文号 (only the Word download uses it); empty: a blank to fill in by hand
    number = StringField(
        _l("文号"),
        validators=[Optional(), Length(max=NUMBER_MAX, message=_l("文号不能超过40个字"))],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )

    def validate_period(self, field):
        try:
            parse_period(field.data)
        except ValueError:
            raise ValidationError(_l("统计期间无效，请从列表中选择")) from None

    def chosen_period(self) -> Period:
        return parse_period(self.period.data)


def filter_form(formdata, departments, default: Period) -> FilterForm:
    """The chooser for ``formdata`` (request.args): the recent months, quarters and years, plus
    the period asked for when it is an older one; departments of the body."""
    form = FilterForm(formdata=formdata)
    if not form.period.data:
        form.period.data = default.key
    periods = recent_periods()
    try:
        asked = parse_period(form.period.data)
    except ValueError:
        asked = None
    if asked is not None and asked not in periods:
        periods.append(asked)
    groups = {str(_l("月度")): "month", str(_l("季度")): "quarter", str(_l("年度")): "year"}
    form.period.choices = {
        label: [(p.key, p.label) for p in periods if p.kind == kind]
        for label, kind in groups.items()
    }
    form.department.choices = [("", _l("全部部门"))] + [(d.id, d.name) for d in departments]
    return form


TARGET_FORMAT = _l("请填写正整数；不设目标请留空")
DAYS_FORMAT = _l("请填写正整数天数；留空则使用默认要求")
