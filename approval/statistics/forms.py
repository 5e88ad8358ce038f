"""The statistics' forms: the period and department chooser (GET, no CSRF: it changes nothing),
and the annual targets and the categories' staleness limits (POST, CSRF), one field per row."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Optional, Regexp, ValidationError

from ..form_choices import id_or_none
from .periods import Period, parse_period, recent_periods

WHOLE_NUMBER = r"^\s*\d{1,7}\s*$"


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that changes nothing

    period = SelectField(_l("统计期间"), validate_choice=False)
    department = SelectField(_l("部门"), coerce=id_or_none,
                             invalid_choice_message=_l("所选部门不存在，请重新选择"))

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
    form.period.choices = {label: [(p.key, p.label) for p in periods if p.kind == kind]
                           for label, kind in groups.items()}
    form.department.choices = [("", _l("全部部门"))] + [(d.id, d.name) for d in departments]
    return form


class NumbersForm(FlaskForm):
    """One optional whole number per row (``<prefix>_<id>``); blank clears it."""

    def numbers(self, prefix: str, key=int) -> dict:
        """{row id: number or None}; ``key`` turns the id back from the field's name."""
        out = {}
        for name, field in self._fields.items():
            if name.startswith(prefix + "_"):
                text = "" if field.data is None else str(field.data).strip()
                out[key(name[len(prefix) + 1:])] = int(text) if text else None
        return out


def field_error(form, exc) -> None:
    """A service's refusal (``InvalidInput``) at the field it names, else above the form."""
    field = form._fields.get(exc.field or "")
    if field is None:
        form.form_errors.append(exc.message)
    else:
        field.errors = [*field.errors, exc.message]


def numbers_form(rows, prefix: str, message, **kwargs) -> NumbersForm:
    """A NumbersForm with a field per (id, label) of ``rows``; ``data``: the saved values."""
    class Form(NumbersForm):
        pass

    for row_id, label in rows:
        setattr(Form, f"{prefix}_{row_id}", StringField(
            label, validators=[Optional(), Regexp(WHOLE_NUMBER, message=message)]))
    return Form(**kwargs)


TARGET_FORMAT = _l("请填写正整数；不设目标请留空")
DAYS_FORMAT = _l("请填写正整数天数；留空则使用默认要求")
WORKING_DAYS_FORMAT = _l("请填写正整数（工作日）；留空表示不设时限")
