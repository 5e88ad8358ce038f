"""A 公示 across the rest of issue 24: the printed 公开栏 notice carries its 公示期 and where to
object; the comparison after a return names a changed 公示期; and a 公示 whose personal data was
taken down can no longer be revised, nor its earlier versions read (they hold what came down)."""

from __future__ import annotations

from datetime import date

import pytest

from approval import jobs
from approval.core.errors import Conflict
from approval.extensions import db
from approval.models import Item
from approval.publication import amendments, compare, drafts
from tests.test_public_notices import ID_1, NOTICE


@pytest.fixture
def notice(world, moment):
    moment.at("2026-11-23 09:00")
    item = world.item(**NOTICE)
    return world.to_state(item, "published", override_reason="公示需要，公示期满后自动隐去")


def test_the_printed_notice_shows_the_period_and_the_objection_channel(world, notice, client):
    page = client.get(f"/public/items/{notice.id}/notice")
    assert page.status_code == 200
    period = page.text[page.text.index("data-notice-period") :]
    period = period[: period.index("</p>")]
    assert "2026-11-23 至 2026-11-29" in period
    assert "请向镇民政办反映，电话：0000-12345678" in period


def test_an_item_that_is_no_notice_prints_no_period(world, client):
    item = world.to_state(world.item(title="普通通知"), "published")
    page = client.get(f"/public/items/{item.id}/notice")
    assert page.status_code == 200 and "data-notice-period" not in page.text


def test_a_returned_notice_whose_period_changed_shows_the_change(app, world, moment):
    moment.at("2026-11-20 09:00")
    item = world.item(**NOTICE)
    world.to_state(item, "pending_leader")
    world.act("leader", item, "return", opinion="公示期不足七天")
    drafts.update_draft(
        world.users["officer"],
        item,
        {
            "notice_starts_on": date(2026, 11, 23),
            "notice_ends_on": date(2026, 11, 30),
            "objection_channel": NOTICE["objection_channel"],
        },
        item.version,
    )
    db.session.commit()
    world.act("officer", item, "submit")  # the leader compares the new round with the returned
    with app.test_request_context():  # the labels are in the request's language
        changes = compare.changes_since_return(item)
    [period] = [c for c in changes.attributes if c.field == "notice_period"]
    assert (period.old, period.new) == ("2026-11-23 – 2026-11-29", "2026-11-23 – 2026-11-30")


def test_a_taken_down_notice_cannot_be_revised_and_hides_its_earlier_versions(
    world, moment, notice, client
):
    # revised while its 公示期 runs: version 2 corrects a typo, the ID stays in both versions
    amendment = amendments.start(world.users["officer"], notice, notice.version, "更正错别字")
    db.session.commit()
    drafts.update_draft(
        world.users["officer"],
        amendment,
        {"body": NOTICE["body"].replace("评议", "民主评议")},
        amendment.version,
    )
    db.session.commit()
    world.to_state(amendment, "applied", override_reason="公示需要，公示期满后自动隐去")
    assert client.get(f"/public/items/{notice.id}/versions/1").status_code == 200

    moment.at("2026-11-30 01:00")  # the day after the end: the job takes the data down
    assert jobs.run_notice_takedowns().done != []
    db.session.expire_all()
    item = db.session.get(Item, notice.id)
    assert item.notice_taken_down_at is not None
    # the earlier version held the ID: it is no longer offered, nor served
    page = client.get(f"/public/items/{item.id}")
    assert ID_1 not in page.text and f"/public/items/{item.id}/versions/1" not in page.text
    assert client.get(f"/public/items/{item.id}/versions/1").status_code == 404
    with pytest.raises(Conflict):
        amendments.start(world.users["officer"], item, item.version, "再次修订")
