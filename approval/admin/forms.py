"""The admins' forms: the sensitive-word list (words typed one per line, a file to import), role
grants and the security policy."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..form_choices import CheckboxList, code_choices
from ..services import policy
from ..vocab import SEVERITY_LABELS

CATEGORY_MAX = 32  # sensitive_words.category


class WordsForm(FlaskForm):
    words = TextAreaField(_l("敏感词"), validators=[DataRequired(_l("请填写敏感词，每行一个"))])
    category = StringField(_l("类别"), validators=[
        Optional(), Length(max=CATEGORY_MAX, message=_l("类别不能超过32字"))])
    severity = SelectField(_l("风险等级"), choices=code_choices(SEVERITY_LABELS), default="medium")


class ImportForm(FlaskForm):
    """On the same page as WordsForm: created with prefix="import" so the ids do not clash."""
    file = FileField(_l("词表文件"), validators=[FileRequired(_l("请选择要导入的文件"))])
    category = StringField(_l("默认类别"), validators=[
        Optional(), Length(max=CATEGORY_MAX, message=_l("类别不能超过32字"))])
    severity = SelectField(_l("默认风险等级"), choices=code_choices(SEVERITY_LABELS), default="medium")


class GrantForm(FlaskForm):
    """The security admin's grant: business roles and, for a leader, the departments led."""
    roles = CheckboxList(_l("业务角色"))
    led_departments = CheckboxList(_l("分管科室"), coerce=int)


def policy_form_class():
    """One IntegerField per policy setting, with its bounds (services/policy.BOUNDS)."""
    def make(bound):
        message = _l(policy.OUT_OF_RANGE, low=bound.low, high=bound.high)
        return IntegerField(_l(bound.label), validators=[
            InputRequired(message), NumberRange(bound.low, bound.high, message)])
    return type("PolicyForm", (FlaskForm,),
                {name: make(bound) for name, bound in policy.BOUNDS.items()})
