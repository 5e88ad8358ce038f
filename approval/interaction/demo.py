"""The demo's 互动回应 (called by approval/demo.py): messages in every state, taken by every
channel, a 政务公开日 with the messages taken there, answered ones in the public 问答 list (one
rated 满意, one reopened after 不满意), one overdue, one transferred, and a 常见问题.

Everything goes through the operations, so the audit trail and the clocks are genuine."""

from __future__ import annotations

from datetime import timedelta

from approval.calendar import current as working_calendar
from approval.core.clock import local_today
from approval.interaction import intake
from approval.interaction import operations as ops


def _working_days_ago(n: int):
    calendar, day = working_calendar.current_calendar(), local_today()
    while n:
        day -= timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


def _message(
    office, subject, text, *, category="consultation", channel="hotline", days_ago=1, **extra
):
    values = {
        "subject": subject,
        "category": category,
        "text": text,
        "sender_name": extra.pop("sender_name", "刘某某"),
        "phone": extra.pop("phone", "13900008888"),
        "may_publish": extra.pop("may_publish", True),
        "channel": channel,
        "received_on": _working_days_ago(days_ago),
        **extra,
    }
    return ops.register(office, ops.NewMessage(**values))


def _answer(u, d, message, text, department="民政办", officer="officer", leader="leader"):
    ops.assign(u["office"], message, message.version, d[department].id)
    ops.submit_answer(u[officer], message, message.version, text)
    ops.review(u[leader], message, message.version, True, None)
    ops.review(u["office"], message, message.version, True, None)


def seed(u, d, body) -> None:
    office = u["office"]
    # 政务公开日, with two messages taken there
    open_day = ops.create_event(
        office,
        _working_days_ago(8),
        "示范镇便民服务中心广场",
        [d["民政办"].id, d["农业农村办"].id, d["财政所"].id],
        46,
        "现场发放政策宣传资料 300 余份",
    )
    taken = _message(
        office,
        "耕地地力保护补贴什么时候发放",
        "去年的耕地地力保护补贴还没有到账，请问什么时候发放？",
        channel="open_day",
        event_id=open_day.id,
    )
    _answer(
        u,
        d,
        taken,
        "2026年耕地地力保护补贴已于本月通过“一卡通”发放，请查询本人社保卡账户。",
        department="农业农村办",
        officer="officer2",
    )
    ops.rate(taken, taken.version, "satisfied", None)
    suggestion = _message(
        office,
        "建议增设村级便民服务点",
        "建议在幸福村增设便民服务点，方便老人办理社保认证。",
        category="suggestion",
        channel="open_day",
        event_id=open_day.id,
        may_publish=False,
    )
    ops.assign(office, suggestion, suggestion.version, d["民政办"].id)  # 已分办
    # portal messages: answered and published; answered, 不满意, reopened
    published, _ = intake.file_online(
        body,
        ops.NewMessage(
            subject="高龄津贴申请条件",
            category="consultation",
            text="我父亲今年满80周岁，请问如何申请高龄津贴？我的电话13812345678。",
            sender_name="陈某某",
            email="chen@example.cn",
            may_publish=True,
        ),
        confirmed=True,
    )
    _answer(
        u,
        d,
        published,
        "年满80周岁的本镇户籍老人，可持身份证、户口簿到镇民政办申请，审核通过后次月起发放。",
    )
    reopened, _ = intake.file_online(
        body,
        ops.NewMessage(
            subject="低保申请进度",
            category="consultation",
            text="上个月提交的低保申请，现在办到哪一步了？",
            phone="13700006666",
            may_publish=True,
        ),
    )
    _answer(u, d, reopened, "您的申请正在审核中。")
    ops.rate(reopened, reopened.version, "dissatisfied", "没有说明还要多久")
    # with the office; with the department; at each review step; transferred; overdue
    _message(
        office,
        "村道路灯损坏",
        "幸福村3组村道有两盏路灯不亮。",
        category="complaint",
        channel="letter",
    )
    drafting = _message(
        office,
        "临时救助如何申请",
        "家里突发变故，请问临时救助怎么申请？",
        channel="visit",
    )
    ops.assign(office, drafting, drafting.version, d["民政办"].id)
    at_leader = _message(
        office, "农机购置补贴申报", "今年的农机购置补贴什么时候申报？", channel="mailbox"
    )
    ops.assign(office, at_leader, at_leader.version, d["民政办"].id)
    ops.submit_answer(
        u["officer"], at_leader, at_leader.version, "申报时间另行通知，请关注本专栏。"
    )
    at_office = _message(office, "残疾人两项补贴", "残疾人两项补贴的标准是多少？")
    ops.assign(office, at_office, at_office.version, d["民政办"].id)
    ops.submit_answer(u["officer"], at_office, at_office.version, "标准为每人每月90元。")
    ops.review(u["leader"], at_office, at_office.version, True, None)
    moved = _message(
        office,
        "县道噪音扰民",
        "县道夜间大货车噪音扰民。",
        category="complaint",
        channel="hotline",
    )
    ops.transfer(
        office, moved, moved.version, "某县交通运输局", "县道管理属县交通运输局职责，已转该局办理。"
    )
    late = _message(
        office,
        "低保标准什么时候调整",
        "听说低保标准要调整，什么时候执行？",
        days_ago=9,
    )
    ops.assign(office, late, late.version, d["民政办"].id)  # due 5 working days after: late
    ops.add_faq(
        office,
        published,
        "高龄津贴如何申请？",
        "年满80周岁的本镇户籍老人，可持身份证、户口簿到镇民政办申请，审核通过后次月起发放。",
    )
