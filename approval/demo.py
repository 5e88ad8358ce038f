"""A demo body with departments, one account per role and items in every state of the chain.

Items are moved through the real services by the real demo users, so their audit trail is genuine.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from .clock import local_today
from .extensions import db
from .models import Body, Category, Department, User
from .services import drafts, transitions
from .services.transitions import ActionInput
from .workflow import Action

DEMO_PASSWORD = "Approval@2026"
CREDIT_CODE = "11000000MB0000001D"

CATEGORIES = [
    ("01", "机构职能", None), ("02", "政策文件", None), ("0201", "行政规范性文件", "02"),
    ("0202", "其他文件", "02"), ("03", "社会救助", None), ("0301", "最低生活保障", "03"),
    ("04", "财政信息", None), ("05", "工作动态", None), ("06", "通知公告", None),
]

ACCOUNTS = [  # username, name, department, roles, led departments
    ("officer", "李信息", "民政办", ["officer"], []),
    ("officer2", "王信息", "农业农村办", ["officer"], []),
    ("leader", "张分管", "党政办公室", ["leader"], ["民政办", "农业农村办"]),
    ("office", "赵办公", "党政办公室", ["office_auditor"], []),
    ("secrecy", "钱保密", "党政办公室", ["secrecy_reviewer"], []),
    ("publisher", "孙发布", "党政办公室", ["publisher"], []),
    ("sysadmin", "周系统", "党政办公室", ["sysadmin"], []),
    ("secadmin", "吴安全", "党政办公室", ["security_admin"], []),
    ("auditor", "郑审计", "党政办公室", ["audit_admin"], []),
]

CLEAR = {q: False for q in ("involves_state_secret", "involves_work_secret",
                            "involves_commercial_secret", "involves_personal_privacy",
                            "endangers_security")}


def seed(body_name: str = "示范镇人民政府") -> bool:
    """Create the demo; returns False (and changes nothing) when a body already exists."""
    if db.session.scalar(select(Body.id).limit(1)) is not None:
        return False
    body = Body(name=body_name, credit_code=CREDIT_CODE)
    db.session.add(body)
    departments = {}
    for position, (name, is_office) in enumerate(
            [("党政办公室", True), ("民政办", False), ("农业农村办", False), ("财政所", False)]):
        departments[name] = Department(body=body, name=name, is_general_office=is_office,
                                       position=position)
    db.session.add_all(departments.values())
    categories = {}
    for code, name, parent in CATEGORIES:
        categories[code] = Category(body=body, code=code, name=name,
                                    parent=categories.get(parent), position=len(categories))
    db.session.add_all(categories.values())
    users = {}
    shared_hash = None  # one documented demo password: hash it once (argon2id is slow on purpose)
    for username, name, dept, roles, led in ACCOUNTS:
        user = User(username=username, display_name=name, body=body,
                    department=departments[dept])
        if shared_hash is None:
            user.set_password(DEMO_PASSWORD)
            shared_hash = user.password_hash
        user.password_hash = shared_hash
        user.set_roles(roles)
        user.led_departments = [departments[d] for d in led]
        users[username] = user
    db.session.add_all(users.values())
    db.session.flush()
    _demo_items(users, departments, categories)
    return True


def _item(user, department, category, title, body, days_ago=3, **extra):
    data = {"title": title, "summary": body[:60], "body": body, "category_id": category.id,
            "info_type": extra.pop("info_type", "work_news"), "document_number": "",
            "formed_on": local_today() - timedelta(days=days_ago), "disclosure_mode": "proactive",
            "non_disclosure_basis": None, "channels": "website", "keywords": ""}
    data.update(extra)
    return drafts.create_item(user, department.id, data)


def _step(user, item, action, **given):
    transitions.perform(user, item, action, item.version, ActionInput(**given))


def _demo_items(u, d, c):
    civil, agri = d["民政办"], d["农业农村办"]
    _item(u["officer"], civil, c["06"], "关于开展2026年度高龄津贴资格认证的通知",
          "各村（社区）：根据县民政局工作安排，现就2026年度高龄津贴资格认证有关事项通知如下……")

    waiting_leader = _item(u["officer"], civil, c["0301"], "2026年第四季度最低生活保障金发放情况公示",
                           "本季度全镇共发放最低生活保障金 86.4 万元，惠及 312 户 498 人。")
    _step(u["officer"], waiting_leader, Action.SUBMIT)

    waiting_office = _item(u["officer2"], agri, c["05"], "我镇召开秋冬季农业生产工作推进会",
                           "11月18日，镇党委召开秋冬季农业生产工作推进会，部署小麦播种和设施农业管护工作。")
    _step(u["officer2"], waiting_office, Action.SUBMIT)
    _step(u["leader"], waiting_office, Action.APPROVE, opinion="同意")

    waiting_secrecy = _item(u["officer"], civil, c["03"], "临时救助审批流程说明",
                            "临时救助由本人或其代理人向镇人民政府申请，经审核审批后发放。")
    _step(u["officer"], waiting_secrecy, Action.SUBMIT)
    _step(u["leader"], waiting_secrecy, Action.APPROVE, opinion="同意")
    _step(u["office"], waiting_secrecy, Action.APPROVE, opinion="要素齐全，同意")

    # the classic incident: a 公示 list with a full resident ID, caught by the pre-check
    flagged = _item(u["officer"], civil, c["0301"], "2026年11月城乡低保新增对象公示",
                    "经村（居）委会民主评议、镇人民政府审核，拟新增以下低保对象：\n"
                    "王某某，身份证号11010519491231002X，家庭保障人口3人。\n"
                    "公示期7天。如有异议，请向镇民政办反映。", info_type="public_notice")
    _step(u["officer"], flagged, Action.SUBMIT)
    _step(u["leader"], flagged, Action.APPROVE, opinion="同意")
    _step(u["office"], flagged, Action.APPROVE, opinion="同意，请保密审查")

    approved = _item(u["officer2"], agri, c["0202"], "2026年耕地地力保护补贴发放工作方案",
                     "为做好耕地地力保护补贴发放工作，确保补贴资金及时足额发放到户，制定本方案。",
                     info_type="plan")
    _through_secrecy(u, approved, u["officer2"])

    published = _item(u["officer"], civil, c["0201"], "示范镇困难群众基本生活救助实施办法",
                      "第一条 为保障困难群众基本生活，根据《社会救助暂行办法》，结合本镇实际，制定本办法。",
                      info_type="normative_document", document_number="示政发〔2026〕5号")
    _through_secrecy(u, published, u["officer"])
    _step(u["publisher"], published, Action.PUBLISH)

    returned = _item(u["officer2"], agri, c["05"], "农村人居环境整治工作简报",
                     "本月共清理村庄垃圾120吨，整治河塘8处。联系人：王某某，电话13812345678。")
    _step(u["officer2"], returned, Action.SUBMIT)
    _step(u["leader"], returned, Action.RETURN, opinion="正文含个人手机号码，请删除后重新提交")

    withheld = _item(u["officer"], civil, c["03"], "低保对象家庭经济状况核对明细",
                     "含申请人家庭成员身份证号码、收入及财产明细。")
    _step(u["officer"], withheld, Action.SUBMIT)
    _step(u["leader"], withheld, Action.APPROVE, opinion="同意")
    _step(u["office"], withheld, Action.APPROVE, opinion="请保密审查")
    _step(u["secrecy"], withheld, Action.WITHHOLD, basis="personal_privacy",
          opinion="涉及个人隐私，依据条例第十五条不予公开")


def _through_secrecy(u, item, author):
    _step(author, item, Action.SUBMIT)
    _step(u["leader"], item, Action.APPROVE, opinion="同意")
    _step(u["office"], item, Action.APPROVE, opinion="同意")
    _step(u["secrecy"], item, Action.SIGN_OFF, checklist=dict(CLEAR),
          opinion="经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开")
