"""The demo's 修订 (``approval.demo``): a published 通知 whose deadline was wrong, revised through
the chain, so that the portal shows an item with two public versions and its 修订记录."""

from __future__ import annotations

from approval.core.clock import local_today
from approval.core.workflow import Action
from approval.publication import amendments, drafts, transitions
from approval.publication.transitions import ActionInput

TITLE = "关于做好2027年度城乡居民基本医疗保险参保缴费工作的通知"
FIRST = (
    "各村（社区）：\n"
    "2027年度城乡居民基本医疗保险集中参保缴费工作即将开始，现将有关事项通知如下。\n"
    "一、缴费标准：个人缴费每人每年400元。\n"
    "二、缴费时间：2026年9月1日至2026年12月20日。\n"
    "三、缴费方式：通过税务缴费小程序、银行柜台或村（社区）便民服务站缴纳。"
)
NOTE = "更正缴费截止日期：根据县医保局通知，集中缴费期延长至2026年12月31日"


def _chain(u, item, clear_checklist: dict, author) -> None:
    transitions.perform(author, item, Action.SUBMIT, item.version)
    transitions.perform(
        u["leader"], item, Action.APPROVE, item.version, ActionInput(opinion="同意")
    )
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
    transitions.perform(u["publisher"], item, Action.PUBLISH, item.version)


def seed(u, department, categories, clear_checklist: dict) -> None:
    """``u``: the demo's users by name; ``department``: 民政办; ``categories``: by code."""
    officer = u["officer"]
    item = drafts.create_item(
        officer,
        department.id,
        {
            "title": TITLE,
            "summary": "2027年度城乡居民医保集中参保缴费的标准、时间和方式。",
            "body": FIRST,
            "category_id": categories["06"].id,
            "info_type": "public_notice",
            "document_number": "",
            "formed_on": local_today(),
            "disclosure_mode": "proactive",
            "non_disclosure_basis": None,
            "channels": "website,bulletin_board",
            "keywords": "医疗保险 参保缴费",
        },
    )
    _chain(u, item, clear_checklist, officer)
    amendment = amendments.start(officer, item, item.version, NOTE)
    drafts.update_draft(
        officer,
        amendment,
        {"body": FIRST.replace("2026年12月20日", "2026年12月31日")},
        amendment.version,
    )
    _chain(u, amendment, clear_checklist, officer)
