"""The draft form: every disclosure attribute (信息公开要素), validated with Chinese messages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from approval.core.clock import local_today
from approval.core.vocab import CHANNELS, DISCLOSURE_MODES, INFO_TYPES, NON_DISCLOSURE_BASES
from approval.models import Revision
from approval.platform.form_choices import CheckboxList, code_choices, int_or_none
from approval.platform.forms import Form


class ItemForm(Form):
    title = StringField(
        _l("标题"),
        validators=[
            DataRequired(_l("请填写标题")),
            Length(max=200, message=_l("标题不能超过200字")),
        ],
    )
    summary = TextAreaField(
        _l("内容概述"),
        validators=[Optional(), Length(max=2000, message=_l("内容概述不能超过2000字"))],
    )
    body = TextAreaField(_l("正文"), validators=[DataRequired(_l("请填写正文"))])
    category_id = SelectField(
        _l("主题分类"), coerce=int_or_none, validators=[DataRequired(_l("请选择主题分类"))]
    )
    info_type = SelectField(
        _l("信息类别"),
        choices=code_choices(INFO_TYPES, blank=_l("请选择")),
        validators=[DataRequired(_l("请选择信息类别"))],
    )
    document_number = StringField(_l("发文字号"), validators=[Optional(), Length(max=64)])
    formed_on = DateField(
        _l("成文日期"), validators=[DataRequired(_l("请填写成文日期（格式：年-月-日）"))]
    )
    disclosure_mode = SelectField(
        _l("公开方式"), choices=code_choices(DISCLOSURE_MODES), default="proactive"
    )
    # No Optional() here: it ends the validation chain on an empty value, so the cross-field
    # check validate_non_disclosure_basis below would never run.
    non_disclosure_basis = SelectField(
        _l("不予公开依据"), choices=code_choices(NON_DISCLOSURE_BASES, blank=_l("（无）"))
    )
    channels = CheckboxList(_l("公开渠道"), choices=code_choices(CHANNELS), default=["website"])
    keywords = StringField(_l("主题词"), validators=[Optional(), Length(max=200)])
    version = HiddenField()

    def validate_formed_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("成文日期不能晚于今天"))

    def validate_channels(self, field):
        if not field.data:
            raise ValidationError(_l("请至少选择一个公开渠道"))

    def validate_non_disclosure_basis(self, field):
        if self.disclosure_mode.data == "not_disclosed" and not field.data:
            raise ValidationError(_l("公开方式为“不予公开”时必须选择依据"))

    def content(self) -> dict:
        data = {f: getattr(self, f).data for f in Revision.CONTENT_FIELDS if hasattr(self, f)}
        data["title"] = data["title"].strip()
        data["summary"] = data["summary"] or ""
        data["document_number"] = (data["document_number"] or "").strip()
        data["keywords"] = (data["keywords"] or "").strip()
        data["non_disclosure_basis"] = data["non_disclosure_basis"] or None
        data["channels"] = ",".join(c for c in CHANNELS if c in data["channels"])
        return data

    def fill_from(self, revision: Revision) -> None:
        for f in Revision.CONTENT_FIELDS:
            if hasattr(self, f):
                getattr(self, f).data = getattr(revision, f)
        self.channels.data = revision.channel_list
        self.non_disclosure_basis.data = revision.non_disclosure_basis or ""


class AttachmentForm(Form):
    file = FileField(_l("附件"), validators=[FileRequired(_l("请选择要上传的文件"))])
    version = HiddenField()
