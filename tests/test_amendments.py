"""修订 (issue 24; publication/amendments.py): a published item is revised through the chain while
its published version stays online; publishing the 修订 replaces the public version under the same
索引号; the 修订记录 shows every public version, earlier ones stay readable; search finds only the
current text; the feed and the API say the item was updated. Every step is audited, and a refused
step changes nothing."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.extensions import db
from approval.models import AuditEntry, Item, PublicVersion
from approval.publication import amendments, drafts
from tests.factories import CLEAR_CHECKLIST
from tests.helpers.attachments import PDF, upload

OLD = "二〇二六年秋季学期学生资助资金发放公告"
NEW_BODY = "补发名单已于十二月七日公布，资助标准调整为每生每学期一千二百五十元。"
OLD_BODY = "资助标准为每生每学期一千元。"


@pytest.fixture
def published(world):
    item = world.item(title=OLD, body=OLD_BODY)
    return world.to_state(item, "published")


def _amend(world, item, who="officer", note="更正资助标准") -> Item:
    amendment = amendments.start(world.users[who], item, item.version, note)
    db.session.commit()
    return amendment


def _revise_text(world, amendment, body=NEW_BODY) -> None:
    data = drafts.update_draft(world.users["officer"], amendment, {"body": body}, amendment.version)
    assert data == ["body"]
    db.session.commit()


def _entries(action):
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()


def _search(client, world, q) -> list[str]:
    page = client.get(f"/public/{world.body.id}/search", query_string={"q": q})
    assert page.status_code == 200
    return re.findall(r'<h3 class="item-title"><a href="/public/items/(\d+)">', page.text)


def test_the_published_version_stays_online_then_the_revision_replaces_it_keeping_the_number(
    world, published, client
):
    number, first_published = published.index_number, published.published_at
    amendment = _amend(world, published)
    _revise_text(world, amendment)
    world.to_state(amendment, "pending_secrecy")

    # during review: the public page, the search and the API still give the published text
    page = client.get(f"/public/items/{published.id}")
    assert OLD_BODY in page.text and NEW_BODY not in page.text
    assert _search(client, world, "一千元") == [str(published.id)]
    assert client.get(f"/api/v1/items/{published.id}").json["body"] == OLD_BODY
    assert amendment.index_number is None and amendment.published_at is None

    world.act("secrecy", amendment, "sign_off", checklist=dict(CLEAR_CHECKLIST), opinion="同意")
    world.act("publisher", amendment, "publish")
    db.session.expire_all()
    item = db.session.get(Item, published.id)
    assert item.state == "published" and item.index_number == number
    assert item.published_at == first_published and item.revised_at is not None
    assert item.published_revision_id == amendment.current_revision_id

    page = client.get(f"/public/items/{item.id}")
    assert NEW_BODY in page.text and OLD_BODY not in page.text
    assert number in page.text and "修订日期" in page.text
    # the 修订记录: both versions, the current one first, with the note
    history = page.text[page.text.index("修订记录") :]
    assert "第2版（现行）" in history and "第1版" in history and "更正资助标准" in history
    assert "首次发布" in history

    # search finds only the current text
    assert _search(client, world, "一千二百五十元") == [str(item.id)]
    assert _search(client, world, "一千元") == []

    # the amendment itself is never a public item
    assert client.get(f"/public/items/{amendment.id}").status_code == 404
    assert amendment.state == "applied"


def test_the_earlier_version_stays_viewable_marked_as_such(world, published, client):
    amendment = _amend(world, published)
    _revise_text(world, amendment)
    world.to_state(amendment, "applied")

    page = client.get(f"/public/items/{published.id}/versions/1")
    assert page.status_code == 200
    assert OLD_BODY in page.text and NEW_BODY not in page.text
    assert "这是本信息的历史版本（第1版" in page.text and "查看现行版本" in page.text
    assert "打印公开栏版" not in page.text  # the notice prints the current version only
    # the current version's own number redirects to the item page; an unknown one is a 404
    current = client.get(f"/public/items/{published.id}/versions/2")
    assert current.status_code == 301 and current.location.endswith(f"/public/items/{published.id}")
    assert client.get(f"/public/items/{published.id}/versions/3").status_code == 404


def test_an_earlier_versions_attachment_stays_downloadable_and_others_do_not(
    world, published, login_as, client
):
    # the first version had no attachment; the revision adds one
    amendment = _amend(world, published)
    officer = login_as("officer")
    upload(officer, amendment.id, "补发名单.pdf", PDF)
    db.session.expire_all()
    amendment = db.session.get(Item, amendment.id)
    [attachment] = amendment.current_revision.attachments
    # not downloadable while the revision is in review
    url = f"/public/items/{published.id}/attachments/{attachment.id}"
    assert client.get(url).status_code == 404
    world.to_state(amendment, "applied", override_reason="名单附件已人工核对")
    assert client.get(url).status_code == 200
    # an attachment of another item's public version is not served under this item
    other = world.to_state(world.item(title="另一条信息"), "published")
    assert client.get(f"/public/items/{other.id}/attachments/{attachment.id}").status_code == 404


def test_the_feed_and_the_api_say_the_item_was_updated(world, moment, published, client):
    newer = world.to_state(world.item(title="较新的一条信息"), "published")
    feed = client.get(f"/public/{world.body.id}/feed.atom").text
    assert feed.index("较新的一条信息") < feed.index(OLD)

    moment.at("2027-01-04 09:30")  # the revision is published weeks later
    amendment = _amend(world, published)
    _revise_text(world, amendment)
    world.to_state(amendment, "applied")
    db.session.expire_all()
    item = db.session.get(Item, published.id)

    feed = client.get(f"/public/{world.body.id}/feed.atom").text
    # the revised item comes back to the top, its <updated> after its <published>
    assert feed.index(OLD) < feed.index("较新的一条信息")
    entry = feed[feed.index(OLD) - 400 : feed.index("</entry>", feed.index(OLD))]
    published_at = re.search(r"<published>([^<]+)</published>", entry).group(1)
    updated_at = re.search(r"<updated>([^<]+)</updated>", entry).group(1)
    assert updated_at == "2027-01-04T09:30:00+08:00" and published_at < updated_at

    detail = client.get(f"/api/v1/items/{item.id}").json
    assert detail["body"] == NEW_BODY and detail["index_number"] == item.index_number
    assert detail["revised_at"] is not None
    assert [(v["number"], v["note"]) for v in detail["versions"]] == [(1, ""), (2, "更正资助标准")]
    listed = client.get(f"/api/v1/bodies/{world.body.id}/items").json
    row = next(r for r in listed["items"] if r["id"] == item.id)
    assert row["revised_at"] == detail["revised_at"]
    assert newer.revised_at is None


def test_starting_a_revision_is_audited_on_both_items_and_needs_a_note(world, published):
    with pytest.raises(InvalidInput) as refused:
        amendments.start(world.users["officer"], published, published.version, "  ")
    assert refused.value.field == "note"
    db.session.rollback()
    assert amendments.open_amendment(published) is None

    amendment = _amend(world, published, note="更正发文字号")
    assert amendment.department_id == published.department_id
    assert amendment.current_revision.title == OLD and amendment.state == "draft"
    [on_amendment, on_item] = _entries("amendment_started")
    assert on_amendment.item_id == amendment.id and on_item.item_id == published.id
    assert json.loads(on_item.detail)["note"] == "更正发文字号"

    world.to_state(amendment, "applied")
    [applied] = _entries("amendment_published")
    detail = json.loads(applied.detail)
    assert applied.item_id == published.id and detail["version"] == 2
    assert detail["content_hash"] == amendment.current_revision.content_hash
    assert detail["index_number"] == published.index_number


def test_one_open_revision_at_a_time_and_only_of_published_items(world, published):
    amendment = _amend(world, published)
    db.session.refresh(published)
    with pytest.raises(Conflict):
        amendments.start(world.users["officer_b"], published, published.version, "再次修订")
    db.session.rollback()
    # not of a draft, nor of an amendment
    draft = world.item(title="未发布的草稿")
    with pytest.raises(Conflict):
        amendments.start(world.users["officer"], draft, draft.version, "修订")
    db.session.rollback()
    with pytest.raises(Conflict):
        amendments.start(world.users["officer"], amendment, amendment.version, "修订的修订")
    db.session.rollback()
    # once applied, a new revision may start (version 3)
    world.to_state(amendment, "applied")
    db.session.refresh(published)
    second = _amend(world, published, note="第二次修订")
    _revise_text(world, second, body="第三版正文。")
    world.to_state(second, "applied")
    numbers = db.session.scalars(
        select(PublicVersion.number).where(PublicVersion.item_id == published.id)
    ).all()
    assert sorted(numbers) == [1, 2, 3]


def test_who_may_start_a_revision(world, published):
    for who in ("officer_agri", "leader", "office", "secrecy", "auditor", "sysadmin"):
        db.session.refresh(published)
        with pytest.raises(PermissionDenied):
            amendments.start(world.users[who], published, published.version, "修订")
        db.session.rollback()
    # the publisher may ask for one: the department writes it (the item's author is its
    # author), and the publisher, who wrote nothing of it, publishes what the chain approved
    db.session.refresh(published)
    amendment = _amend(world, published, who="publisher")
    assert amendment.author_id == published.author_id
    assert world.users["publisher"].id not in {c.user_id for c in amendment.contributors}
    _revise_text(world, amendment)
    world.to_state(amendment, "applied")
    assert amendment.state == "applied"


def test_a_withdrawn_item_is_not_revised_and_its_open_revision_cannot_go_online(world, published):
    amendment = _amend(world, published)
    world.to_state(amendment, "approved")
    db.session.refresh(published)
    world.act("publisher", published, "unpublish", opinion="信息有误")
    before = db.session.scalar(select(func.count()).select_from(PublicVersion))
    with pytest.raises(Conflict):
        world.act("publisher", amendment, "publish")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Item, amendment.id).state == "approved"
    assert db.session.scalar(select(func.count()).select_from(PublicVersion)) == before


def test_the_staff_page_offers_the_revision_and_keeps_a_refused_note(world, published, login_as):
    officer = login_as("officer")
    page = officer.get(f"/items/{published.id}")
    assert "发起修订" in page.text and "修订记录" in page.text
    refused = officer.post(
        f"/items/{published.id}/amend",
        {"version": str(published.version), "note": "x" * 501},
        token_from=f"/items/{published.id}",
    )
    assert refused.status_code == 422
    assert "修订说明不能超过500个字" in refused.text and "x" * 501 in refused.text
    assert amendments.open_amendment(published) is None

    done = officer.post(
        f"/items/{published.id}/amend",
        {"version": str(published.version), "note": "更正资助标准"},
        token_from=f"/items/{published.id}",
    )
    assert done.status_code == 303
    amendment = amendments.open_amendment(published)
    assert done.location.endswith(f"/items/{amendment.id}")
    page = officer.get(f"/items/{amendment.id}")
    assert "本稿是对已发布信息的修订" in page.text and "更正资助标准" in page.text
    preview = officer.get(f"/items/{amendment.id}/preview")  # as the portal would show it
    assert preview.status_code == 200 and OLD_BODY in preview.text
    # the published item now points to the open revision instead of offering another
    page = officer.get(f"/items/{published.id}")
    assert "修订稿正在办理" in page.text and "发起修订" not in page.text
    # a stale page is a conflict and makes nothing
    stale = officer.post(
        f"/items/{published.id}/amend",
        {"version": "1", "note": "再来一次"},
        token_from=f"/items/{published.id}",
    )
    assert stale.status_code == 409
    # another department's officer may not even see it
    other = login_as("officer_agri")
    assert other.get(f"/items/{published.id}").status_code == 404


def test_a_revision_is_not_counted_as_new_information(world, published):
    from approval.statistics import operations as stats

    amendment = _amend(world, published)
    world.to_state(amendment, "applied")
    assert (
        db.session.scalar(
            select(func.count()).select_from(Item).where(Item.published_at.is_not(None))
        )
        == 1
    )
    # the statistics count the department's first submissions: the amendment's is not one
    rows = stats._transitions(world.body.id, *_whole_period())
    submitted = sum(count for _, action, count in rows if action == "submit")
    assert submitted == 1


def _whole_period():
    from datetime import datetime, timedelta

    from approval.core.clock import utcnow

    return datetime(2000, 1, 1), utcnow() + timedelta(days=1)


def test_the_reviewers_see_what_the_revision_changes_against_the_public_version(
    world, published, login_as
):
    amendment = _amend(world, published)
    leader = login_as("leader")
    officer = login_as("officer")
    assert "修订稿与现行公开版本相同，尚未修改" in officer.get(f"/items/{amendment.id}").text
    _revise_text(world, amendment)
    world.act("officer", amendment, "submit")
    page = leader.get(f"/items/{amendment.id}").text
    changes = page[page.index("修订内容（与现行公开版本相比）") :]
    body = re.search(r'<div class="diff-text" data-field="body">(.*?)</div>', changes, re.S)
    inserted = "".join(re.findall(r"<ins>(.*?)</ins>", body.group(1), re.S))
    assert "补发名单已于十二月七日公布" in inserted and "二百五十" in inserted
    assert "<del>" not in body.group(1)  # nothing of the public text was taken out


def test_a_revision_given_up_changes_nothing_public_and_frees_the_item(world, published, client):
    amendment = _amend(world, published)
    _revise_text(world, amendment)
    world.to_state(amendment, "pending_leader")
    world.act("leader", amendment, "return", opinion="暂不修订")
    world.act("officer", amendment, "abandon")
    assert amendment.state == "abandoned"
    assert amendments.open_amendment(published) is None
    page = client.get(f"/public/items/{published.id}")
    assert OLD_BODY in page.text and NEW_BODY not in page.text and "修订记录" not in page.text
    # only a 修订 can be given up, and only as a draft
    other = world.item(title="普通草稿")
    with pytest.raises(Conflict):
        world.act("officer", other, "abandon")
    db.session.rollback()
    db.session.refresh(published)
    again = _amend(world, published, note="重新修订")
    world.to_state(again, "pending_leader")
    with pytest.raises(Conflict):
        world.act("officer", again, "abandon")
    db.session.rollback()


def test_a_revision_can_withdraw_the_earlier_versions_from_the_portal(world, published, client):
    """A 修订 that removes what must not stay public (a name published by mistake) takes the
    earlier versions and their files off the portal; the 修订记录 still lists them."""
    amendment = amendments.start(
        world.users["officer"], published, published.version, "删除误公开的个人信息", True
    )
    db.session.commit()
    _revise_text(world, amendment)
    world.to_state(amendment, "applied")
    page = client.get(f"/public/items/{published.id}")
    assert "第1版" in page.text and "（不再公开）" in page.text
    assert f"/public/items/{published.id}/versions/1" not in page.text
    assert client.get(f"/public/items/{published.id}/versions/1").status_code == 404
    [applied] = _entries("amendment_published")
    assert json.loads(applied.detail)["hides_earlier"] is True
    # a later revision that hides nothing keeps version 2 readable, version 1 stays withdrawn
    db.session.refresh(published)
    third = _amend(world, published, note="补充联系电话")
    _revise_text(world, third, body="第三版正文。")
    world.to_state(third, "applied")
    assert client.get(f"/public/items/{published.id}/versions/2").status_code == 200
    assert client.get(f"/public/items/{published.id}/versions/1").status_code == 404
