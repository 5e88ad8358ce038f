"""索引号: assigned at publication from the body's pattern (default
``{credit_code}/{year}-{seq:05d}``), unique per body and year, never reused, consecutive even when
many publications happen at the same instant, restarting each (Beijing) year."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from approval.audit import trail as audit
from approval.core.clock import to_local
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, IndexSequence, Item
from approval.publication import transitions
from tests.conftest import PG_URL
from tests.factories import World
from tests.helpers.concurrency import run_concurrently
from tests.helpers.server import serving
from tests.http_client import Client

CONCURRENT = 10


# ---------------------------------------------------------------- over real HTTP, at once


@pytest.mark.skipif(
    not PG_URL,
    reason="PostgreSQL only: SQLite serialises every writer behind "
    "one database lock, so publications cannot overlap there",
)
def test_concurrent_publications_get_distinct_consecutive_numbers(app, world):
    items = [
        world.to_state(world.item(title=f"同时发布的信息{i}"), "approved")
        for i in range(CONCURRENT)
    ]
    ids = [item.id for item in items]
    username, body_id, code = (
        world.users["publisher"].username,
        world.body.id,
        world.body.credit_code,
    )
    with serving(app) as base:
        login = Client(base)
        status, _ = login.request(
            "/login",
            {"username": username, "password": world.password, **login.form_fields("/login")},
        )
        assert status == 302
        tabs = [Client(base, login.cookies) for _ in ids]  # one tab per item, same publisher
        forms = [tab.form_fields(f"/items/{item_id}") for tab, item_id in zip(tabs, ids)]

        def press_publish(i):
            return tabs[i].request(f"/items/{ids[i]}/act", {**forms[i], "action": "publish"})[0]

        statuses = run_concurrently(len(ids), press_publish)

    assert statuses == [303] * CONCURRENT
    published = [db.session.get(Item, item_id) for item_id in ids]
    year = to_local(published[0].published_at).year
    assert sorted(i.index_number for i in published) == [
        f"{code}/{year}-{seq:05d}" for seq in range(1, CONCURRENT + 1)
    ]
    assert db.session.get(IndexSequence, (body_id, year)).last_seq == CONCURRENT
    trail = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "publish")).all()
    assert sorted(audit.detail_of(e)["index_number"] for e in trail) == sorted(
        i.index_number for i in published
    )
    assert audit.verify().ok


# ---------------------------------------------------------------- the rules, on both databases


def publish(world, title: str = "信息") -> Item:
    return world.to_state(world.item(title=title), "published")


def test_a_number_is_never_reused_after_unpublishing(world):
    first = publish(world, "第一条")
    world.act("publisher", first, Action.UNPUBLISH, opinion="内容有误，撤下")
    second = publish(world, "第二条")

    year = to_local(first.published_at).year
    code = world.body.credit_code
    assert first.state == "unpublished" and first.index_number == f"{code}/{year}-00001"
    assert second.index_number == f"{code}/{year}-00002"


def test_a_pattern_change_continues_the_sequence_and_bodies_do_not_collide(world):
    before = publish(world, "旧格式")
    world.body.index_pattern = "{credit_code}-{year}-{seq:06d}"
    db.session.commit()
    after = publish(world, "新格式")
    other = World.build(credit_code="11000000MB0000002X")
    elsewhere = other.to_state(other.item(title="另一个主体"), "published")

    year = to_local(before.published_at).year
    assert before.index_number == f"11000000MB0000001D/{year}-00001"
    assert after.index_number == f"11000000MB0000001D-{year}-000002"  # seq 2: not restarted
    assert elsewhere.index_number == f"11000000MB0000002X/{year}-00001"
    with pytest.raises(ValueError, match="必须包含"):  # a pattern that could repeat is refused
        world.body.index_pattern = "{credit_code}/{seq:05d}"


def test_the_sequence_restarts_each_year(world):
    this_year = datetime.now().year
    db.session.add(IndexSequence(body_id=world.body.id, year=this_year - 1, last_seq=41))
    db.session.commit()

    item = publish(world)

    year = to_local(item.published_at).year
    assert item.index_number == f"{world.body.credit_code}/{year}-00001"
    assert db.session.get(IndexSequence, (world.body.id, this_year - 1)).last_seq == 41


def test_the_year_is_the_beijing_year(world, monkeypatch):
    """New Year's Eve: 15:59 UTC is 23:59 in Beijing (still 2030); 16:00 UTC is already 2031."""
    clock = {"now": datetime(2030, 12, 31, 15, 59)}
    monkeypatch.setattr(transitions, "utcnow", lambda: clock["now"])
    old_year = publish(world, "除夕")
    clock["now"] = datetime(2030, 12, 31, 16, 0)
    new_year = publish(world, "元旦")
    again = publish(world, "元旦第二条")

    code = world.body.credit_code
    assert old_year.index_number == f"{code}/2030-00001"
    assert new_year.index_number == f"{code}/2031-00001"
    assert again.index_number == f"{code}/2031-00002"
