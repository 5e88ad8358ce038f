"""A demo body with departments, one account per role and items in every state of the chain.

Items are moved through the real services by the real demo users, so their audit trail is genuine.
"""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from approval.annual_reports import demo as annual_report_demo
from approval.calendar import current as working_calendar
from approval.core.clock import local_today
from approval.core.workflow import Action
from approval.extensions import db
from approval.interaction import demo as interaction_demo
from approval.models import Body, Category, Department, StepTimeLimit, User
from approval.notices import demo as notices_demo
from approval.portal import catalog
from approval.publication import amendment_demo, drafts, transitions
from approval.publication import demo as interpretations_demo
from approval.publication.transitions import ActionInput
from approval.requests import intake, replies
from approval.requests import operations as requests

DEMO_PASSWORD = "Approval@2026"
CREDIT_CODE = "11000000MB0000001D"

CATEGORIES = [
    ("01", "机构职能", None),
    ("02", "政策文件", None),
    ("0201", "行政规范性文件", "02"),
    ("0202", "其他文件", "02"),
    ("0203", "政策解读", "02"),
    ("03", "社会救助", None),
    ("0301", "最低生活保障", "03"),
    ("04", "财政信息", None),
    ("05", "工作动态", None),
    ("06", "通知公告", None),
    ("年报", "政府信息公开年报", None),  # models.annual_reports.ANNUAL_REPORT_CATEGORY
]

PORTAL_PAGES = {  # what a township's office writes; the portal shows it as paragraphs
    "guide": "\n".join(
        [
            "一、主动公开。本机关主动公开的政府信息，通过本专栏、镇政务公开栏等渠道公开，"
            "自信息形成或者变更之日起20个工作日内予以公开。",
            "二、依申请公开。公民、法人或者其他组织可以向本机关申请获取相关政府信息。"
            "受理机构：示范镇党政办公室；地址：示范镇人民路1号；办公时间：工作日上午8:30—12:00，下午14:30—17:30。",
            "三、监督方式。认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关"
            "或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。",
        ]
    ),
    "rules": "\n".join(
        [
            "一、信息发布审核制度：各部门信息员拟稿，部门分管领导审批，党政办审核，保密审查员审查后发布，"
            "坚持“先审查、后公开”和“一事一审”。",
            "二、保密审查制度：拟公开的政府信息均须经保密审查，涉及国家秘密、工作秘密、"
            "商业秘密和个人隐私的不予公开。",
            "三、考核制度：信息报送和公开情况每月一汇总、每月一通报，纳入部门年终考核。",
        ]
    ),
}

ACCOUNTS = [  # username, name, department, roles, led departments
    ("officer", "李信息", "民政办", ["officer"], []),
    ("officer2", "王信息", "农业农村办", ["officer"], []),
    ("leader", "张分管", "党政办公室", ["leader"], ["民政办", "农业农村办"]),
    # 办公室分管负责人: heads the disclosure office (approves a request's 延期)
    ("office_head", "陈主任", "党政办公室", ["leader"], ["党政办公室"]),
    # the general office's own 信息员: its drafts, the annual report's 送审 among them
    ("office_officer", "刘信息", "党政办公室", ["officer"], []),
    ("office", "赵办公", "党政办公室", ["office_auditor"], []),
    ("secrecy", "钱保密", "党政办公室", ["secrecy_reviewer"], []),
    ("publisher", "孙发布", "党政办公室", ["publisher"], []),
    ("sysadmin", "周系统", "党政办公室", ["sysadmin"], []),
    ("secadmin", "吴安全", "党政办公室", ["security_admin"], []),
    ("auditor", "郑审计", "党政办公室", ["audit_admin"], []),
]

CLEAR = {
    q: False
    for q in (
        "involves_state_secret",
        "involves_work_secret",
        "involves_commercial_secret",
        "involves_personal_privacy",
        "endangers_security",
    )
}


def seed(body_name: str = "示范镇人民政府") -> bool:
    """Create the demo; returns False (and changes nothing) when a body already exists."""
    if db.session.scalar(select(Body.id).limit(1)) is not None:
        return False
    body = Body(name=body_name, credit_code=CREDIT_CODE)
    db.session.add(body)
    departments = {}
    for position, (name, is_office) in enumerate(
        [("党政办公室", True), ("民政办", False), ("农业农村办", False), ("财政所", False)]
    ):
        departments[name] = Department(
            body=body, name=name, is_general_office=is_office, position=position
        )
    db.session.add_all(departments.values())
    categories = {}
    for code, name, parent in CATEGORIES:
        categories[code] = Category(
            body=body, code=code, name=name, parent=categories.get(parent), position=len(categories)
        )
    db.session.add_all(categories.values())
    users = {}
    shared_hash = None  # one documented demo password: hash it once (argon2id is slow on purpose)
    for username, name, dept, roles, led in ACCOUNTS:
        user = User(username=username, display_name=name, body=body, department=departments[dept])
        if shared_hash is None:
            user.set_password(DEMO_PASSWORD)
            shared_hash = user.password_hash
        user.password_hash = shared_hash
        user.set_roles(roles)
        user.led_departments = [departments[d] for d in led]
        users[username] = user
    db.session.add_all(users.values())
    db.session.flush()
    # 各环节办理时限, in working days (the general office may change them)
    db.session.add_all(
        StepTimeLimit(body_id=body.id, step_key=key, working_days=days)
        for key, days in (("leader", 3), ("office", 2), ("secrecy", 2))
    )
    _demo_items(users, departments, categories)
    _demo_requests(users, departments)
    interpretations_demo.seed(users, departments["民政办"], categories, CLEAR)
    amendment_demo.seed(users, departments["民政办"], categories, CLEAR)  # 修订: two versions
    annual_report_demo.seed(users, body.id, CLEAR)
    notices_demo.seed(users, departments, categories, CLEAR)  # 公示
    interaction_demo.seed(users, departments, body)  # 互动回应
    for slug, text in PORTAL_PAGES.items():
        catalog.save_page(users["publisher"], body.id, slug, title="", content=text)
    return True


def _working_days_ago(n: int):
    """The day n working days before today (the body's calendar)."""
    calendar, day = working_calendar.current_calendar(), local_today()
    while n:
        day -= timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


def _demo_requests(u, d):
    """依申请公开: the register at work: a request just registered, one awaiting 补正, one due
    soon, one late, one paused for a third party's opinion, one closed as 逾期不补正."""
    office = u["office"]

    def request(name, description, received, **extra):
        given = requests.NewRequest(
            applicant_kind="person",
            applicant_name=name,
            id_type="resident_id",
            id_number="110105194912310029",
            phone="13800000000",
            description=description,
            channel="in_person",
            submitted_on=received,
            **extra,
        )
        made = requests.register(office, given)
        db.session.flush()
        return made

    request("陈某", "2026年本镇农村低保资金发放明细", _working_days_ago(1))
    unclear = request("林某", "关于我家房子的文件", _working_days_ago(3))
    requests.request_correction(
        office,
        unclear,
        unclear.version,
        _working_days_ago(1),
        "请写明房屋所在村组及所需文件的名称或文号",
        local_today() + timedelta(days=14),
    )
    for name, text, days, dept in [
        ("黄某", "某村道路硬化工程招标及验收材料", 17, "农业农村办"),
        ("刘某", "某村土地征收补偿安置方案及公告", 24, "民政办"),
    ]:
        made = request(name, text, _working_days_ago(days))
        requests.assign(office, made, made.version, d[dept].id)
    paused = request("周某", "某企业在本镇的环评批复（涉及第三方）", _working_days_ago(8))
    requests.assign(office, paused, paused.version, d["农业农村办"].id)
    requests.start_pause(
        office,
        paused,
        paused.version,
        "third_party",
        _working_days_ago(2),
        "已向该企业发函征求意见",
    )
    lapsed = request("吴某", "有关材料", _working_days_ago(30))
    requests.request_correction(
        office,
        lapsed,
        lapsed.version,
        _working_days_ago(28),
        "请写明所需信息的名称",
        _working_days_ago(13),
    )
    requests.close_lapsed(office, lapsed, lapsed.version)

    # a fee notice waiting for payment, and an extension the head of the office approved
    fee = request("郑某", "本镇2020年以来全部会议纪要汇编（需大量复制）", _working_days_ago(6))
    requests.assign(office, fee, fee.version, d["民政办"].id)
    requests.start_pause(
        office, fee, fee.version, "fee", _working_days_ago(1), "收费通知已寄出", amount="60"
    )
    extended = request("冯某", "2025年度全镇各村集体经济收支情况", _working_days_ago(18))
    requests.assign(office, extended, extended.version, d["农业农村办"].id)
    requests.approve_extension(
        u["office_head"], extended, extended.version, 10, "涉及12个村的材料，需逐村汇总核对"
    )
    unpaid = request("韩某", "本镇近十年全部建设项目审批档案复制件", _working_days_ago(32))
    requests.assign(office, unpaid, unpaid.version, d["农业农村办"].id)
    requests.start_pause(
        office, unpaid, unpaid.version, "fee", _working_days_ago(25), "收费通知已送达", amount="80"
    )
    requests.close_fee_unpaid(office, unpaid, unpaid.version)  # 20 working days passed
    # filed on the portal today: the office is still to confirm receipt (Art. 31)
    intake.file_online(
        u["office"].body,
        requests.NewRequest(
            applicant_kind="organisation",
            applicant_name="某某律师事务所",
            credit_code="31110000MD0123456X",
            legal_representative="马某",
            contact_person="马某",
            organisation_kind="legal_services",
            email="office@example.com",
            description="2026年本镇集体土地征收的批准文件及补偿安置方案",
            provision="email",
            pickup="email",
        ),
    )
    _demo_replies(u, d, request)


def _demo_replies(u, d, request):
    """Replies through the chain: one signed and sent (the request 已答复), one with the office."""
    office = u["office"]
    answered = request("何某", "2026年本镇临时救助资金使用情况", _working_days_ago(12))
    requests.assign(office, answered, answered.version, d["民政办"].id)
    reply = replies.start_reply(u["officer"], answered, answered.version)
    replies.update_reply(
        u["officer"],
        reply,
        {
            "reply_type": "granted",
            "document_number": "示政依复〔2026〕1号",
            "body": "经审查，你申请获取的2026年本镇临时救助资金使用情况属于可以公开的政府信息，"
            "现将《2026年1—10月临时救助资金使用情况表》提供给你（见附件）。",
        },
        None,
        reply.version,
    )
    drafts.add_attachment(
        u["officer"],
        reply,
        _docx_upload(
            "2026年1—10月临时救助资金使用情况表.docx",
            ["2026年1—10月临时救助资金使用情况", "共救助 46 户次，发放资金 18.6 万元。"],
        ),
        reply.version,
    )
    _through_secrecy(
        u,
        reply,
        u["officer"],
        "经审查，答复内容不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意答复",
    )
    _step(u["publisher"], reply, Action.SEND)

    replying = request("罗某", "某村2025年危房改造补助名单", _working_days_ago(9))
    requests.assign(office, replying, replying.version, d["民政办"].id)
    draft = replies.start_reply(u["officer"], replying, replying.version)
    replies.update_reply(
        u["officer"],
        draft,
        {
            "reply_type": "partial",
            "body": "经审查，你申请的名单中涉及的身份证号码、银行账号属于个人隐私，"
            "依据《中华人民共和国政府信息公开条例》第十五条、第三十七条不予公开，"
            "其余内容提供给你（见附件）。",
        },
        None,
        draft.version,
    )
    _step(u["officer"], draft, Action.SUBMIT)
    _step(u["leader"], draft, Action.APPROVE, opinion="同意")


def _item(user, department, category, title, body, days_ago=3, **extra):
    data = {
        "title": title,
        "summary": body[:60],
        "body": body,
        "category_id": category.id,
        "info_type": extra.pop("info_type", "work_news"),
        "document_number": "",
        "formed_on": local_today() - timedelta(days=days_ago),
        "disclosure_mode": "proactive",
        "non_disclosure_basis": None,
        "channels": "website",
        "keywords": "",
    }
    data.update(extra)
    return drafts.create_item(user, department.id, data)


def _step(user, item, action, **given):
    transitions.perform(user, item, action, item.version, ActionInput(**given))


def _demo_items(u, d, c):
    civil, agri = d["民政办"], d["农业农村办"]
    _item(
        u["officer"],
        civil,
        c["06"],
        "关于开展2026年度高龄津贴资格认证的通知",
        "各村（社区）：根据县民政局工作安排，现就2026年度高龄津贴资格认证有关事项通知如下……",
        days_ago=40,
    )  # left in draft: past its 公开期限, flagged in lists and on the 期限看板

    waiting_leader = _item(
        u["officer"],
        civil,
        c["0301"],
        "2026年第四季度最低生活保障金发放情况公示",
        "本季度全镇共发放最低生活保障金 86.4 万元，惠及 312 户 498 人。",
        days_ago=24,
    )  # its 公开期限 is a few working days away
    _step(u["officer"], waiting_leader, Action.SUBMIT)

    waiting_office = _item(
        u["officer2"],
        agri,
        c["05"],
        "我镇召开秋冬季农业生产工作推进会",
        "11月18日，镇党委召开秋冬季农业生产工作推进会，部署小麦播种和设施农业管护工作。",
    )
    _step(u["officer2"], waiting_office, Action.SUBMIT)
    _step(u["leader"], waiting_office, Action.APPROVE, opinion="同意")

    waiting_secrecy = _item(
        u["officer"],
        civil,
        c["03"],
        "临时救助审批流程说明",
        "临时救助由本人或其代理人向镇人民政府申请，经审核审批后发放。",
    )
    _step(u["officer"], waiting_secrecy, Action.SUBMIT)
    _step(u["leader"], waiting_secrecy, Action.APPROVE, opinion="同意")
    _step(u["office"], waiting_secrecy, Action.APPROVE, opinion="要素齐全，同意")

    # the classic incident: a 公示 list with a full resident ID, caught by the pre-check
    flagged = _item(
        u["officer"],
        civil,
        c["0301"],
        "2026年11月城乡低保新增对象公示",
        "经村（居）委会民主评议、镇人民政府审核，拟新增以下低保对象：\n"
        "王某某，身份证号11010519491231002X，家庭保障人口3人。\n"
        "公示期7天。如有异议，请向镇民政办反映。",
        info_type="public_notice",
    )
    _step(u["officer"], flagged, Action.SUBMIT)
    _step(u["leader"], flagged, Action.APPROVE, opinion="同意")
    _step(u["office"], flagged, Action.APPROVE, opinion="同意，请保密审查")

    approved = _item(
        u["officer2"],
        agri,
        c["0202"],
        "2026年耕地地力保护补贴发放工作方案",
        "为做好耕地地力保护补贴发放工作，确保补贴资金及时足额发放到户，制定本方案。",
        info_type="plan",
    )
    _through_secrecy(u, approved, u["officer2"])

    published = _item(
        u["officer"],
        civil,
        c["0201"],
        "示范镇困难群众基本生活救助实施办法",
        "第一条 为保障困难群众基本生活，根据《社会救助暂行办法》，结合本镇实际，制定本办法。",
        info_type="normative_document",
        document_number="示政发〔2026〕5号",
    )
    _through_secrecy(u, published, u["officer"])
    _step(u["publisher"], published, Action.PUBLISH)

    _portal_items(u, d, c)

    returned = _item(
        u["officer2"],
        agri,
        c["05"],
        "农村人居环境整治工作简报",
        "本月共清理村庄垃圾120吨，整治河塘8处。联系人：王某某，电话13812345678。",
    )
    _step(u["officer2"], returned, Action.SUBMIT)
    _step(u["leader"], returned, Action.RETURN, opinion="正文含个人手机号码，请删除后重新提交")

    withheld = _item(
        u["officer"],
        civil,
        c["03"],
        "低保对象家庭经济状况核对明细",
        "含申请人家庭成员身份证号码、收入及财产明细。",
    )
    _step(u["officer"], withheld, Action.SUBMIT)
    _step(u["leader"], withheld, Action.APPROVE, opinion="同意")
    _step(u["office"], withheld, Action.APPROVE, opinion="请保密审查")
    _step(
        u["secrecy"],
        withheld,
        Action.WITHHOLD,
        basis="personal_privacy",
        opinion="涉及个人隐私，依据条例第十五条不予公开",
    )


def _portal_items(u, d, c):
    """Published items for the portal: one with an attachment, one expired, one withdrawn."""
    civil, agri = d["民政办"], d["农业农村办"]
    standard = _item(
        u["officer"],
        civil,
        c["0301"],
        "关于调整2026年城乡最低生活保障标准的公告",
        "经县人民政府同意，自2026年1月1日起，城市低保标准调整为每人每月900元，"
        "农村低保标准调整为每人每月720元。具体标准见附件。",
        days_ago=20,
        info_type="public_notice",
        document_number="示民发〔2026〕2号",
        keywords="低保 标准",
    )
    drafts.add_attachment(
        u["officer"],
        standard,
        _docx_upload(
            "2026年低保标准明细表.docx",
            [
                "城乡低保标准明细",
                "城市低保：每人每月900元",
                "农村低保：每人每月720元",
                "特困人员基本生活标准按低保标准1.3倍确定",
            ],
        ),
        standard.version,
    )
    _through_secrecy(u, standard, u["officer"])
    _step(u["publisher"], standard, Action.PUBLISH)

    subsidy = _item(
        u["officer2"],
        agri,
        c["06"],
        "关于2025年秋季农机购置补贴申报的通知",
        "2025年秋季农机购置补贴申报工作已于10月31日截止，本通知自截止之日起失效。",
        days_ago=40,
        info_type="public_notice",
    )
    _through_secrecy(u, subsidy, u["officer2"])
    _step(u["publisher"], subsidy, Action.PUBLISH)
    _step(u["publisher"], subsidy, Action.CHANGE_VALIDITY, validity="expired")

    bus = _item(
        u["officer"],
        civil,
        c["06"],
        "关于调整镇村公交线路的通知",
        "自12月1日起，镇村公交2路调整为经停中心小学。",
        days_ago=10,
        info_type="public_notice",
    )
    _through_secrecy(u, bus, u["officer"])
    _step(u["publisher"], bus, Action.PUBLISH)
    _step(
        u["publisher"],
        bus,
        Action.UNPUBLISH,
        opinion="线路调整方案改由县交通运输局统一发布，本通知撤回，以县局公告为准。",
    )


def _docx_upload(filename: str, paragraphs: list[str]) -> FileStorage:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    data = io.BytesIO()
    document.save(data)
    data.seek(0)
    return FileStorage(stream=data, filename=filename)


def _through_secrecy(
    u, item, author, opinion="经审查，不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开"
):
    _step(author, item, Action.SUBMIT)
    _step(u["leader"], item, Action.APPROVE, opinion="同意")
    _step(u["office"], item, Action.APPROVE, opinion="同意")
    _step(
        u["secrecy"],
        item,
        Action.SIGN_OFF,
        checklist=dict(CLEAR),
        opinion=opinion,
    )
