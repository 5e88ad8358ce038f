"""The general office's forms: a catalog category (主题分类) and a portal page."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from approval.platform.form_choices import id_or_none
from approval.platform.forms import Form
from approval.portal.catalog import MAX_CODE_CHARS, MAX_NAME_CHARS, MAX_TITLE_CHARS


def parent_choices(rows, excluded: frozenset[int] = frozenset()) -> list[SelectChoice]:
    """The body's categories in tree order, each with its code and full name; the ``excluded``
    ones (a category and its subtree, when editing it) are shown but disabled."""
    options = [SelectChoice("", _l("（无，作为一级分类）"))]
    for row in rows:
        category = row.category
        options.append(
            SelectChoice(
                category.id,
                f"{category.code}　{category.full_name}",
                render_kw={"disabled": True} if category.id in excluded else {},
            )
        )
    return options


class CategoryForm(Form):
    code = StringField(
        _l("分类代码"),
        validators=[
            DataRequired(_l("请填写分类代码")),
            Length(max=MAX_CODE_CHARS, message=_l("分类代码不能超过32位")),
            Regexp(
                r"^\s*[0-9A-Za-z_-]+\s*$",
                message=_l("分类代码只能包含字母、数字、下划线（_）和连字符（-）"),
            ),
        ],
    )
    name = StringField(
        _l("分类名称"),
        validators=[
            DataRequired(_l("请填写分类名称")),
            Length(max=MAX_NAME_CHARS, message=_l("分类名称不能超过100字")),
        ],
    )
    parent_id = SelectField(
        _l("上级分类"),
        coerce=id_or_none,
        invalid_choice_message=_l("所选上级分类不存在，请刷新页面后重新选择"),
    )


class PageForm(Form):
    title = StringField(
        _l("页面标题"),
        validators=[Optional(), Length(max=MAX_TITLE_CHARS, message=_l("标题不能超过100字"))],
    )
    # its length is checked by the service, on the text as stored (line breaks as one character)
    content = TextAreaField(_l("页面内容"), validators=[DataRequired(_l("请填写页面内容"))])
    seen = HiddenField()
