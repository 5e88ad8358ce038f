"""The sensitive-word list's forms: words typed one per line, and a file to import."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from approval.core.vocab import SEVERITY_LABELS
from approval.platform.form_choices import code_choices
from approval.platform.forms import Form

CATEGORY_MAX = 32  # sensitive_words.category


class WordsForm(Form):
    words = TextAreaField(_l("敏感词"), validators=[DataRequired(_l("请填写敏感词，每行一个"))])
    category = StringField(
        _l("类别"),
        validators=[Optional(), Length(max=CATEGORY_MAX, message=_l("类别不能超过32字"))],
    )
    severity = SelectField(_l("风险等级"), choices=code_choices(SEVERITY_LABELS), default="medium")


class ImportForm(Form):
    """On the same page as WordsForm: created with prefix="import" so the ids do not clash."""

    file = FileField(_l("词表文件"), validators=[FileRequired(_l("请选择要导入的文件"))])
    category = StringField(
        _l("默认类别"),
        validators=[Optional(), Length(max=CATEGORY_MAX, message=_l("类别不能超过32字"))],
    )
    severity = SelectField(
        _l("默认风险等级"), choices=code_choices(SEVERITY_LABELS), default="medium"
    )
