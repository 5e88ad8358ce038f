"""The office's site identity form (网站标识和联系方式); portal/site_identity.py checks each field."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import Length, Optional

from approval.platform.forms import Form


class SiteIdentityForm(Form):
    sponsor = StringField(_l("主办单位"), validators=[Optional(), Length(max=100)])
    site_code = StringField(_l("网站标识码"), validators=[Optional(), Length(max=20)])
    icp_number = StringField(_l("ICP备案号"), validators=[Optional(), Length(max=64)])
    police_number = StringField(_l("公安机关备案号"), validators=[Optional(), Length(max=64)])
    address = StringField(_l("通信地址"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("联系电话"), validators=[Optional(), Length(max=64)])
    email = StringField(_l("电子邮箱"), validators=[Optional(), Length(max=120)])
    version = HiddenField()

    FIELDS = ("sponsor", "site_code", "icp_number", "police_number", "address", "phone", "email")

    def values(self) -> dict:
        return {name: getattr(self, name).data or "" for name in self.FIELDS}
