"""The reply's draft form (依申请公开): its title, type, 文号, date and text, and for 已主动公开
the 索引号 of the published item. The rest of the chain's content (attachments, masking) is the
item page's, as for any draft."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from approval.core.clock import local_today
from approval.core.request_outcomes import REPLY_TYPES
from approval.platform.forms import Form


def reply_type_choices():
    """Each reply type with its legal basis (translated when shown)."""
    return [("", _l("请选择"))] + [
        (code, _l("%(label)s（%(basis)s）", label=_l(o.label), basis=_l(o.basis)))
        for code, o in REPLY_TYPES.items()
    ]


class ReplyForm(Form):
    title = StringField(
        _l("标题"),
        validators=[
            DataRequired(_l("请填写标题")),
            Length(max=200, message=_l("标题不能超过200字")),
        ],
    )
    reply_type = SelectField(
        _l("答复类型"), validators=[DataRequired(_l("请选择答复类型"))], validate_choice=False
    )
    reply_public_index = StringField(
        _l("已主动公开信息的索引号"), validators=[Optional(), Length(max=64)]
    )
    document_number = StringField(_l("答复文号"), validators=[Optional(), Length(max=64)])
    formed_on = DateField(
        _l("答复日期"), validators=[DataRequired(_l("请填写答复日期（格式：年-月-日）"))]
    )
    body = TextAreaField(_l("答复内容"), validators=[DataRequired(_l("请填写答复内容"))])
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reply_type.choices = reply_type_choices()

    def validate_formed_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("答复日期不能晚于今天"))

    def content(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "reply_type": self.reply_type.data or None,
            "document_number": (self.document_number.data or "").strip(),
            "formed_on": self.formed_on.data,
            "body": self.body.data,
        }

    def fill_from(self, revision) -> None:
        self.title.data = revision.title
        self.reply_type.data = revision.reply_type or ""
        self.document_number.data = revision.document_number
        self.formed_on.data = revision.formed_on
        self.body.data = revision.body
        linked = revision.reply_public_item
        self.reply_public_index.data = linked.index_number if linked else ""


class StartReplyForm(Form):
    version = HiddenField()
