"""The demo's 政策解读 (``approval.demo``): a 行政规范性文件 the office asked to publish only with
its 解读, and the 解读, drafted by the same department, both through the chain and published
together when the publisher published the policy."""

from __future__ import annotations

from approval.core.clock import local_today
from approval.core.workflow import Action
from approval.publication import drafts, interpretations, transitions
from approval.publication.transitions import ActionInput

POLICY = "示范镇农村低收入人口常态化帮扶实施办法"
BODY = (
    "第一条 为做好农村低收入人口常态化帮扶工作，根据有关规定，结合本镇实际，制定本办法。\n"
    "第二条 本办法所称农村低收入人口，包括农村低保对象、特困人员、低保边缘家庭成员和"
    "刚性支出较大导致基本生活出现严重困难的人员。\n"
    "第三条 镇民政办每季度会同各村开展一次排查，发现一户、帮扶一户。\n"
    "第四条 本办法自发布之日起施行。"
)
READING = f"《{POLICY}》政策解读"
READING_BODY = (
    "一、制定背景：为巩固拓展脱贫攻坚成果，防止规模性返贫，制定本办法。\n"
    "二、帮扶对象：农村低保对象、特困人员、低保边缘家庭成员和刚性支出困难人员。\n"
    "三、主要措施：每季度排查一次，做到发现一户、帮扶一户。\n"
    "四、咨询方式：镇民政办，工作日上班时间。"
)


def _draft(user, department_id, category_id, title, body, info_type, number=""):
    return drafts.create_item(
        user,
        department_id,
        {
            "title": title,
            "summary": body[:60],
            "body": body,
            "category_id": category_id,
            "info_type": info_type,
            "document_number": number,
            "formed_on": local_today(),
            "disclosure_mode": "proactive",
            "non_disclosure_basis": None,
            "channels": "website",
            "keywords": "低收入人口 帮扶",
        },
    )


def seed(u, department, categories, clear_checklist: dict) -> None:
    """``u``: the demo's users by name; ``department``: 民政办; ``categories``: by code."""
    officer = u["officer"]
    policy = _draft(
        officer,
        department.id,
        categories["0201"].id,
        POLICY,
        BODY,
        "normative_document",
        "示民发〔2026〕5号",
    )
    reading = _draft(
        officer, department.id, categories["0203"].id, READING, READING_BODY, "interpretation"
    )
    interpretations.link(officer, reading, policy.id, reading.version)
    for item in (policy, reading):
        transitions.perform(officer, item, Action.SUBMIT, item.version)
        transitions.perform(
            u["leader"], item, Action.APPROVE, item.version, ActionInput(opinion="同意")
        )
        if item is policy:  # the office, auditing it, asks for its 解读 to go online with it
            interpretations.require(u["office"], policy, True, policy.version)
        transitions.perform(
            u["office"], item, Action.APPROVE, item.version, ActionInput(opinion="同意")
        )
        transitions.perform(
            u["secrecy"],
            item,
            Action.SIGN_OFF,
            item.version,
            ActionInput(checklist=dict(clear_checklist), opinion="经审查，不涉密，同意公开"),
        )
    # publishing the policy publishes its 解读 with it (同步发布)
    transitions.perform(u["publisher"], policy, Action.PUBLISH, policy.version)
