"""公示 (approval/notices) in the CSRF and GET walk (tests/test_csrf_walk.py): a published 公示
running now, with one objection logged (to record its handling)."""

from __future__ import annotations

from datetime import timedelta

from approval.core import clock
from approval.extensions import db
from approval.notices import operations
from tests.factories import content


def seed_walk(s) -> None:
    world, today = s.world, clock.local_today()
    item = world.item(
        title="新增低保对象公示",
        body="张三 幸福村 每月800元",
        notice_starts_on=today - timedelta(days=1),
        notice_ends_on=today + timedelta(days=5),
        objection_channel="请向镇民政办反映，电话：0000-12345678",
        formed_on=content()["formed_on"],
    )
    s.items["notice"] = world.to_state(item, "published")
    s.objection = operations.log_objection(
        world.users["officer"], s.items["notice"], today, "phone", "来电反映", 0
    )
    db.session.commit()


def walk_cases(s, Post) -> dict:
    """One case per POST endpoint of approval/notices/."""
    item, objection = s.items["notice"], s.objection
    page = f"/items/{item.id}/notice"
    today = clock.local_today().isoformat()
    return {
        "notices.log_objection": Post(
            "office",
            f"/items/{item.id}/notice/objections",
            page,
            lambda: {"received_on": today, "channel": "letter", "summary": "来信反映", "seen": "1"},
        ),
        "notices.record_handling": Post(
            "officer",
            f"/items/{item.id}/notice/objections/{objection.id}",
            page,
            lambda: {
                f"o{objection.id}-handling": "已核实并答复",
                f"o{objection.id}-handled_on": today,
                f"o{objection.id}-version": str(objection.version),
            },
        ),
    }


WALK_POSTS = ["notices.log_objection", "notices.record_handling"]
