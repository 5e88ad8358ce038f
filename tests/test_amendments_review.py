"""Review of the 修订 feature (issue 24; publication/amendments.py): the holes found, one test each.

Each test states what a user would meet; each failed before its fix."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from approval.core.errors import Conflict, InvalidInput
from approval.extensions import db
from approval.models import Item
from approval.publication import amendments, interpretations
from tests.helpers.attachments import PDF, upload

OLD_BODY = "资助标准为每生每学期一千元。"


@pytest.fixture
def published(world):
    item = world.item(title="二〇二六年秋季学期学生资助资金发放公告", body=OLD_BODY)
    return world.to_state(item, "published")


def _amend(world, item, who="officer", note="更正资助标准") -> Item:
    amendment = amendments.start(world.users[who], item, item.version, note)
    db.session.commit()
    return amendment


def test_the_publisher_who_starts_a_revision_can_open_it(world, published, login_as):
    """The publisher may start a 修订 (docs/amendments.md); the app then sends them to the
    amendment's page. The amendment is a never-submitted draft of another department, so
    ``can_view_item`` says no and the redirect lands on a 404."""
    publisher = login_as("publisher")
    done = publisher.post(
        f"/items/{published.id}/amend",
        {"version": str(published.version), "note": "更正发文字号"},
        token_from=f"/items/{published.id}",
    )
    assert done.status_code == 303
    assert publisher.get(done.location).status_code == 200


def test_staff_can_download_the_attachments_of_a_revised_items_public_version(
    world, published, login_as
):
    """Once a 修订 is published, the item's current/published revision belongs to the amendment
    item; the staff page links its files as /items/<item>/attachments/<a>, and
    ``review.download`` (and ``review.preview_attachment``) refuse them because
    ``attachment.revision.item_id != item.id``."""
    amendment = _amend(world, published)
    officer = login_as("officer")
    upload(officer, amendment.id, "补发名单.pdf", PDF)
    world.to_state(amendment, "applied", override_reason="名单附件已人工核对")
    db.session.expire_all()
    item = db.session.get(Item, published.id)
    [attachment] = item.published_revision.attachments
    page = officer.get(f"/items/{item.id}")
    link = f"/items/{item.id}/attachments/{attachment.id}"
    assert link in page.text
    assert officer.get(link).status_code == 200
    assert officer.get(link + "/view").status_code == 200


def test_a_policy_interpretation_cannot_be_linked_to_an_amendment(world, published):
    """The 解读's policy list and ``link`` accept an amendment (a draft, or an applied one, which
    is never 'published'): a 解读 linked to it can then never be published."""
    amendment = _amend(world, published)
    world.to_state(amendment, "applied")
    interpretation = world.item(
        title="《学生资助资金发放公告》政策解读", info_type="interpretation"
    )
    offered = [item_id for item_id, _ in interpretations.candidates(interpretation)]
    assert amendment.id not in offered
    with pytest.raises(InvalidInput):
        interpretations.link(
            world.users["officer"], interpretation, amendment.id, interpretation.version
        )
    db.session.rollback()


def test_a_fresh_revision_is_not_overdue_from_its_first_publication(world):
    """An amendment copies the 成文日期 of the version it revises, and its 公开期限 is counted
    from it: a revision of a policy formed two months ago is flagged 逾期 the moment it is
    started (期限看板, reminders). The 条例 counts 20 working days from when the information
    was formed *or changed*."""
    from approval.deadlines import operations as deadlines

    item = world.item(title="两个月前成文的公告", formed_on=date.today() - timedelta(days=60))
    item = world.to_state(item, "published")
    amendment = _amend(world, item)
    due = deadlines.of_item(amendment)
    assert due is None or due.publication.level is deadlines.Level.ON_TIME


def test_the_publication_notice_of_a_revision_gives_the_items_index_number(world, published):
    """The author's notification says 《…》已发布，索引号：<number>; for a 修订 it is read from the
    amendment, which has none, so the message ends in an empty 索引号."""
    from sqlalchemy import select

    from approval.models import Notification

    amendment = _amend(world, published)
    world.to_state(amendment, "applied")
    notice = db.session.scalars(
        select(Notification)
        .where(Notification.item_id == amendment.id, Notification.kind == "published")
        .limit(1)
    ).first()
    assert notice is not None
    assert published.index_number in notice.params


def test_an_open_revision_of_a_notice_taken_down_can_be_closed(world, published):
    """A 公示's personal data comes down while its 修订 is in the chain: the 修订 can never be
    published (``apply`` refuses). The item page must not offer to publish it (it is returned,
    then given up: 放弃修订)."""
    from approval import permissions
    from approval.core.clock import utcnow
    from approval.models import chain_of

    amendment = _amend(world, published)
    world.to_state(amendment, "approved")
    db.session.refresh(published)
    published.notice_taken_down_at = utcnow()  # as the take-down job would have
    db.session.commit()
    assert not permissions.can(world.users["publisher"], amendment, "publish", chain_of(amendment))
    with pytest.raises(Conflict):
        world.act("publisher", amendment, "publish")
    db.session.rollback()
