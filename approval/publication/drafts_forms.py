"""The draft form: every disclosure attribute (信息公开要素), validated with Chinese messages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from approval.core import rich_text
from approval.core.clock import local_today
from approval.core.errors import InvalidInput
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
    # the 正文: the editor's sanitized HTML (static/rich_editor.js writes it into body_html and
    # sets body_editor), or, without JavaScript, the text typed into the text area (docs/rich-text.md)
    body = TextAreaField(_l("正文"))
    body_html = HiddenField()
    body_editor = HiddenField()
    body_docx = FileField(_l("从Word导入正文"))
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
    # 公示 (core/notices.py, docs/public-notices.md): blank for anything that is no 公示
    notice_starts_on = DateField(_l("公示开始日期"), validators=[Optional()])
    notice_ends_on = DateField(_l("公示结束日期"), validators=[Optional()])
    objection_channel = StringField(
        _l("异议反映渠道"),
        validators=[Optional(), Length(max=300, message=_l("异议反映渠道不能超过300字"))],
    )
    version = HiddenField()

    def validate_body(self, field):
        try:
            self.rich_body = rich_text.body_from_form(
                field.data, self.body_html.data, self.body_editor.data == "1"
            )
        except InvalidInput as exc:
            raise ValidationError(exc.message) from None
        if not self.rich_body[0].strip():
            raise ValidationError(_l("请填写正文"))

    def validate_notice_ends_on(self, field):
        starts, ends = self.notice_starts_on.data, field.data
        if starts and not ends:
            raise ValidationError(_l("请填写公示结束日期"))
        if ends and not starts:
            raise ValidationError(_l("请填写公示开始日期"))
        if starts and ends and ends < starts:
            raise ValidationError(_l("公示结束日期不能早于开始日期"))

    def validate_objection_channel(self, field):
        has_period = self.notice_starts_on.data or self.notice_ends_on.data
        if has_period and not (field.data or "").strip():
            raise ValidationError(_l("请填写异议反映渠道（如受理部门和电话）"))
        if (field.data or "").strip() and not has_period:
            raise ValidationError(_l("填写异议反映渠道时，请同时填写公示期"))

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
        data["notice_starts_on"] = self.notice_starts_on.data
        data["notice_ends_on"] = self.notice_ends_on.data
        data["objection_channel"] = (self.objection_channel.data or "").strip() or None
        data["body"], data["body_html"] = self.rich_body
        return data

    def fill_from(self, revision: Revision) -> None:
        for f in Revision.CONTENT_FIELDS:
            if hasattr(self, f):
                getattr(self, f).data = getattr(revision, f)
        self.channels.data = revision.channel_list
        self.body_html.data = revision.body_html or ""
        self.non_disclosure_basis.data = revision.non_disclosure_basis or ""
        for f in Revision.NOTICE_FIELDS:
            getattr(self, f).data = getattr(revision, f)


class NewItemForm(ItemForm):
    """The new-item form: the draft's attributes and, optionally, its first attachments (issue 24;
    stored and read before the write transaction, as an upload on the item page is)."""

    files = MultipleFileField(_l("附件"))

    def chosen_files(self) -> list:
        return [f for f in (self.files.data or []) if f and f.filename]


class AttachmentNameForm(Form):
    """The public name of an attachment (publication/attachment_names.py cleans it)."""

    display_name = StringField(
        _l("公开名称"),
        validators=[
            DataRequired(_l("请填写附件的公开名称")),
            Length(max=200, message=_l("公开名称不能超过200字")),
        ],
    )
    version = HiddenField()


class AttachmentForm(Form):
    file = FileField(_l("附件"), validators=[FileRequired(_l("请选择要上传的文件"))])
    version = HiddenField()
