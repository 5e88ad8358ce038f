"""政策解读 (issue 24; publication/interpretations.py): a 解读 links to the policy it explains; a
policy the office marks as needing its 解读 cannot be published before the 解读 has passed the
chain, and publishing the policy publishes its 解读 with it; a 解读 never goes online first. The
portal links both ways. Every change is audited, and a refused publication changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.extensions import db
from approval.models import AuditEntry, Item
from approval.publication import drafts, interpretations
from tests.factories import CLEAR_CHECKLIST

POLICY = "示范镇困难群众临时救助实施办法"
EXPLAINED = "《示范镇困难群众临时救助实施办法》政策解读"


@pytest.fixture
def pair(world):
    """A 行政规范性文件 and its 解读, both drafts of 民政办, linked by the officer."""
    policy = world.item(title=POLICY, info_type="normative_document")
    reading = world.item(title=EXPLAINED, info_type="interpretation")
    interpretations.link(world.users["officer"], reading, policy.id, reading.version)
    db.session.commit()
    return policy, reading


def _entries(action):
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()


def test_a_policy_marked_by_the_office_is_not_published_without_its_interpretation(
    world, pair, login_as
):
    policy, reading = pair
    world.to_state(policy, "pending_office")  # the office sees it at its step
    office = login_as("office")
    page = office.get(f"/items/{policy.id}")
    assert "要求与政策解读同步发布" in page.text and EXPLAINED in page.text
    response = office.post(
        f"/items/{policy.id}/needs-interpretation",
        {"version": str(policy.version), "needed": "1"},
        token_from=f"/items/{policy.id}",
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert policy.needs_interpretation
    [entry] = _entries("require_interpretation")
    assert json.loads(entry.detail)["needs_interpretation"] == {"before": False, "after": True}

    world.act("office", policy, "approve")
    world.act("secrecy", policy, "sign_off", checklist=dict(CLEAR_CHECKLIST), opinion="同意公开")
    world.to_state(reading, "pending_secrecy")  # the 解读 is still in the chain
    publisher = login_as("publisher")
    response = publisher.post(
        f"/items/{policy.id}/act",
        {"action": "publish", "version": str(policy.version)},
        token_from=f"/items/{policy.id}",
    )
    assert response.status_code == 409
    assert "该政策需同步发布政策解读，但尚无通过审批的解读，不能发布" in response.text
    db.session.expire_all()
    assert policy.state == "approved" and policy.index_number is None  # nothing changed


def test_publishing_the_policy_publishes_its_interpretation_with_it(world, pair, client):
    policy, reading = pair
    interpretations.require(world.users["office"], policy, True, policy.version)
    db.session.commit()
    world.to_state(reading, "approved")
    # the 解读 alone cannot go first
    with pytest.raises(Conflict, match="政策解读须与所解读的政策同步发布"):
        world.act("publisher", reading, "publish")
    db.session.rollback()
    world.to_state(policy, "published")  # the publisher publishes the policy
    db.session.expire_all()
    assert reading.state == "published" and reading.index_number
    assert abs(reading.published_at - policy.published_at).total_seconds() < 1
    publications = [e for e in _entries("publish") if e.item_id in (policy.id, reading.id)]
    assert {e.item_id for e in publications} == {policy.id, reading.id}
    assert {e.actor_id for e in publications} == {world.users["publisher"].id}

    page = client.get(f"/public/items/{policy.id}").text
    assert f'href="/public/items/{reading.id}" data-interpretation' in page
    page = client.get(f"/public/items/{reading.id}").text
    assert f'href="/public/items/{policy.id}" data-policy' in page and POLICY in page


def test_an_interpretation_that_cannot_be_published_stops_the_policy_too(world, pair, login_as):
    """The 解读's own refusal refuses both, and nothing changes: here the publisher had a hand in
    the 解读 (a contributor, as when they edited it), so may not publish it."""
    policy, reading = pair
    world.to_state(reading, "approved")
    world.to_state(policy, "approved")
    drafts.add_contributor(world.users["publisher"], reading)
    db.session.commit()
    response = login_as("publisher").post(
        f"/items/{policy.id}/act",
        {"action": "publish", "version": str(policy.version)},
        token_from=f"/items/{policy.id}",
    )
    assert response.status_code == 409
    assert f"政策解读《{EXPLAINED}》不能同步发布" in response.text
    db.session.expire_all()
    assert policy.state == "approved" and reading.state == "approved"
    assert policy.index_number is None and reading.index_number is None


def test_an_unmarked_policy_is_published_alone_and_its_interpretation_follows_later(world, pair):
    policy, reading = pair
    world.to_state(policy, "published")
    assert reading.state == "draft"
    world.to_state(reading, "published")  # the policy is online: the 解读 may follow
    assert reading.state == "published"


def test_linking_is_the_draft_s_and_names_a_policy_of_the_body(world, pair, login_as):
    policy, reading = pair
    officer = login_as("officer")
    page = officer.get(f"/items/{reading.id}").text
    assert "所解读的政策" in page and f'data-policy="{policy.id}"' in page
    other = world.item(title="另一条通知", info_type="public_notice")
    response = officer.post(
        f"/items/{reading.id}/interprets",
        {"version": str(reading.version), "policy": str(other.id)},
        token_from=f"/items/{reading.id}",
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert reading.interprets_id == other.id
    [first, second] = _entries("link_interpretation")
    assert json.loads(second.detail)["policy"] == {"before": policy.id, "after": other.id}
    # a 解读 cannot explain a 解读; a non-解读 cannot link; a stale page changes nothing
    another = world.item(title="另一条解读", info_type="interpretation")
    with pytest.raises(InvalidInput, match="本身是政策解读"):
        interpretations.link(world.users["officer"], reading, another.id, reading.version)
    with pytest.raises(InvalidInput, match="只有信息类别为“政策解读”"):
        interpretations.link(world.users["officer"], other, policy.id, other.version)
    response = officer.post(
        f"/items/{reading.id}/interprets",
        {"version": "1", "policy": str(policy.id)},
        token_from=f"/items/{reading.id}",
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert reading.interprets_id == other.id
    # another department's officer may not link it; only the office marks a policy
    with pytest.raises(PermissionDenied):
        interpretations.link(world.users["officer_agri"], reading, policy.id, reading.version)
    with pytest.raises(PermissionDenied):
        interpretations.require(world.users["leader"], policy, True, policy.version)
    assert db.session.get(Item, policy.id).needs_interpretation is False
