"""Building 互动回应 messages through the real operations (approval/interaction/)."""

from __future__ import annotations

from datetime import date

from approval.core import clock
from approval.extensions import db
from approval.interaction import faq, intake, invalid
from approval.interaction import operations as ops


def given(**overrides) -> ops.NewMessage:
    values = {
        "subject": "低保申请需要哪些材料",
        "category": "consultation",
        "text": "请问申请城乡低保需要准备哪些材料，到哪里办理？",
        "sender_name": "王五",
        "phone": "13900001111",
        "email": "wangwu@example.cn",
        "address": "示范镇幸福村3组",
        "may_publish": True,
        "channel": "hotline",
        "received_on": None,
        "event_id": None,
    }
    values.update(overrides)
    if values["received_on"] is None:
        values["received_on"] = clock.local_today()
    return ops.NewMessage(**values)


def registered(world, **overrides):
    """A message the office entered (热线 by default), committed."""
    made = ops.register(world.users["office"], given(**overrides))
    db.session.commit()
    return made


def online(world, **overrides):
    """A message filed on the portal, committed: (message, 查询码)."""
    made, code = intake.file_online(world.body, given(**overrides))
    db.session.commit()
    return made, code


def walk(world, message, target: str, department: str = "civil", text: str = "答复内容。"):
    """Take a message of ``department`` (civil: officer drafts, leader approves) to ``target``:
    assigned, reviewing (at the leader), reviewing_office, answered."""
    users = world.users
    steps = [
        (
            "assigned",
            lambda: ops.assign(
                users["office"], message, message.version, world.departments[department].id
            ),
        ),
        ("reviewing", lambda: ops.submit_answer(users["officer"], message, message.version, text)),
        (
            "reviewing_office",
            lambda: ops.review(users["leader"], message, message.version, True, None),
        ),
        ("answered", lambda: ops.review(users["office"], message, message.version, True, None)),
    ]
    for name, run in steps:
        run()
        db.session.commit()
        if name == target:
            return message
    raise AssertionError(target)


def on(day: str) -> date:
    return date.fromisoformat(day)


# ---------------------------------------------------------------- tests/test_csrf_walk.py


def seed_walk(s) -> None:
    """互动回应 for the CSRF and GET walk: a message just registered (to 分办, to 转办), one with the
    department (to answer), one at the leader's review, one answered online (to rate through
    the tracker, to put in the FAQ), one closed as invalid (to reopen), an event and two FAQ
    entries (to edit, move and delete)."""
    world = s.world
    s.message_new = registered(world, subject="待分办的留言")
    s.message_assigned = walk(world, registered(world, subject="待答复的留言"), "assigned")
    s.message_reviewing = walk(world, registered(world, subject="待审核的留言"), "reviewing")
    s.message_answered, s.message_code = online(world, subject="已答复的留言")
    walk(world, s.message_answered, "answered")
    s.interaction_event = ops.create_event(
        world.users["office"],
        clock.local_today(),
        "镇便民服务中心",
        [world.departments["civil"].id],
        12,
        None,
    )
    s.faq = ops.add_faq(
        world.users["office"], s.message_answered, "低保标准是多少？", "每人每月900元。"
    )
    faq.add_faq(world.users["office"], s.message_answered, "到哪里申请低保？", "到镇民政办。")
    s.message_invalid = registered(world, subject="广告留言")
    invalid.close_invalid(
        world.users["office"], s.message_invalid, s.message_invalid.version, "广告，无实际内容"
    )
    db.session.commit()


def track_in(browser, s) -> None:
    """The anonymous visitor proves the answered message's 查询码 (the tracker's session)."""
    url = f"/public/{s.body_id}/messages/track"
    assert browser.post(url, {"code": s.message_code}, token_from=url).status_code == 303


def walk_cases(s, Post) -> dict:
    """One case per POST endpoint of approval/interaction/."""
    today = clock.local_today().isoformat()

    def on_page(message, action, who, **fields):
        page = f"/interaction/{message.id}"
        return Post(
            who, f"{page}/{action}", page, lambda: {"version": str(message.version), **fields}
        )

    tracked = f"/public/{s.body_id}/messages/{s.message_answered.id}"
    leave = f"/public/{s.body_id}/messages/new"
    track = f"/public/{s.body_id}/messages/track"
    filing = {
        "category": "consultation",
        "subject": "咨询",
        "text": "请问…",
        "phone": "13700002222",
    }
    civil = str(s.world.departments["civil"].id)
    return {
        "interaction.new": Post(
            "office",
            "/interaction/new",
            "/interaction/new",
            lambda: {"channel": "hotline", "received_on": today, **filing},
        ),
        "interaction.assign": on_page(s.message_new, "assign", "office", department_id=civil),
        "interaction.transfer": on_page(
            s.message_new, "transfer", "office", to_body="某县", note="已转某县办理"
        ),
        "interaction.answer": on_page(s.message_assigned, "answer", "officer", text="答复。"),
        "interaction.review": on_page(s.message_reviewing, "review", "leader", decision="approve"),
        "interaction.add_faq": on_page(
            s.message_answered, "faq", "office", question="问题？", answer="解答。"
        ),
        "interaction.limits": Post(
            "office",
            "/interaction/limits",
            "/interaction/limits",
            lambda: {"days_consultation": "4"},
        ),
        "interaction.events": Post(
            "office",
            "/interaction/events",
            "/interaction/events",
            lambda: {
                "held_on": today,
                "place": "村委会",
                "department_ids": civil,
                "people_received": "8",
            },
        ),
        "interaction.close_invalid": on_page(s.message_new, "invalid", "office", reason="垃圾广告"),
        "interaction.reopen_invalid": on_page(s.message_invalid, "reopen-invalid", "office"),
        "interaction.edit_faq": Post(
            "office",
            f"/interaction/faq/{s.faq.id}/edit",
            f"/interaction/faq/{s.faq.id}/edit",
            lambda: {"version": str(s.faq.version), "question": "问题？", "answer": "解答。"},
        ),
        "interaction.move_faq": Post(
            "office",
            f"/interaction/faq/{s.faq.id}/move",
            "/interaction/faq",
            lambda: {"version": str(s.faq.version), "direction": "down"},
        ),
        "interaction.delete_faq": Post(
            "office", f"/interaction/faq/{s.faq.id}/delete", "/interaction/faq", dict
        ),
        "portal_interaction.leave": Post(None, leave, leave, lambda: dict(filing)),
        "portal_interaction.track": Post(
            None, track, track, lambda: {"code": s.message_code}, False
        ),
        "portal_interaction.rate": Post(
            None,
            f"{tracked}/rate",
            tracked,
            lambda: {"rating": "satisfied", "version": str(s.message_answered.version)},
            prepare=lambda browser: track_in(browser, s),
        ),
    }


WALK_POSTS = [
    "interaction.new",
    "interaction.assign",
    "interaction.transfer",
    "interaction.answer",
    "interaction.review",
    "interaction.add_faq",
    "interaction.limits",
    "interaction.events",
    "interaction.delete_faq",
    "interaction.close_invalid",
    "interaction.reopen_invalid",
    "interaction.edit_faq",
    "interaction.move_faq",
    "portal_interaction.leave",
    "portal_interaction.track",
    "portal_interaction.rate",
]


def walk_values(s) -> dict:
    """The URL arguments of the GET walk."""
    return {
        "message_id": [
            s.message_new.id,
            s.message_assigned.id,
            s.message_reviewing.id,
            s.message_answered.id,
            s.message_invalid.id,
        ],
        "event_id": [s.interaction_event.id],
        "faq_id": [s.faq.id],
    }
