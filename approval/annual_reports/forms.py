"""The report page's two forms: the year's texts and entered figures, and the figures of the
year before the system. Every figure is a text field checked by the operations, which refuse in
Chinese naming the field; what was typed is shown again."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField

from approval.platform.forms import Form


class ReportForm(Form):
    version = HiddenField()
    overview = TextAreaField(_l("一、总体情况"))
    licensing = StringField(_l("行政许可 本年处理决定数量"))
    penalty = StringField(_l("行政处罚 本年处理决定数量"))
    coercion = StringField(_l("行政强制 本年处理决定数量"))
    fees = StringField(_l("行政事业性收费 本年收费金额（万元）"))
    problems = TextAreaField(_l("五、存在的主要问题及改进情况"))
    other_matters = TextAreaField(_l("六、其他需要报告的事项"))


class BaselineForm(Form):
    version = HiddenField()
    year = StringField(_l("系统启用前一年度"))
    regulation_current = StringField(_l("规章 现行有效件数"))
    normative_current = StringField(_l("行政规范性文件 现行有效件数"))
    carried_person = StringField(_l("自然人"))
    carried_business = StringField(_l("商业企业"))
    carried_research = StringField(_l("科研机构"))
    carried_public_welfare = StringField(_l("社会公益组织"))
    carried_legal_services = StringField(_l("法律服务机构"))
    carried_other = StringField(_l("其他"))


class SendForm(Form):
    """送审: the version of the report the page showed."""

    version = HiddenField()
