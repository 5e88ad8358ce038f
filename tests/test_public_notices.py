"""公示 (issue 24; docs/public-notices.md): the 公示期 on the form and the pages, the objections
staff log, and the take-down of the personal data by `flask jobs run` once the 公示期 is over."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import docx
import pytest
from sqlalchemy import func, select

from approval import jobs
from approval.core import notices
from approval.extensions import db
from approval.models import AuditEntry, Item, NoticeObjection
from approval.search import form as search_form
from approval.search import query as search_query
from tests.conftest import csrf_from
from tests.helpers.attachments import upload

ID_1 = "110105199001011232"  # GB 11643 check digits right: screening finds them
ID_2 = "320102198503152049"
ID_3 = "440304199207083312"
MOBILE = "13812345678"
BODY = (
    "经村民代表评议，拟将下列家庭纳入最低生活保障范围，现予公示。\n"
    f"张三 幸福村 {ID_1} 每月800元\n"
    "公示期间如有异议，请向镇民政办反映。"
)
NOTICE = {
    "title": "关于2026年第四季度新增低保对象的公示",
    "summary": "新增低保对象公示",
    "body": BODY,
    "formed_on": date(2026, 11, 20),
    "notice_starts_on": date(2026, 11, 23),
    "notice_ends_on": date(2026, 11, 29),
    "objection_channel": "公示期内如有异议，请向镇民政办反映，电话：0000-12345678",
}


def txt_file() -> bytes:
    return f"姓名\t村\t身份证号\n王五\t幸福村\t{ID_2}\n".encode()


def phone_only_txt() -> bytes:
    return f"咨询电话：{MOBILE}\n".encode()


def docx_file() -> bytes:
    document = docx.Document()
    document.add_paragraph("新增低保对象名单")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("姓名", "身份证号码", "金额")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("赵六", ID_3, "800")):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    opened = docx.Document(io.BytesIO(data))
    cells = [c.text for t in opened.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in opened.paragraphs] + cells)


PERSONAL = ("张三", ID_1, "王五", ID_2, "赵六", ID_3, MOBILE)


@pytest.fixture
def notice(world, moment, login_as):
    """A 公示 with a name and an ID in the 正文 and in a .txt and a .docx, and a .txt with only a
    mobile number, published on 2026-11-23 (公示期 11-23 to 11-29)."""
    moment.at("2026-11-23 09:00")
    item = world.item(**NOTICE)
    officer = login_as("officer")
    upload(officer, item.id, "低保名单.txt", txt_file())
    upload(officer, item.id, "低保名单.docx", docx_file())
    upload(officer, item.id, "咨询电话.txt", phone_only_txt())
    db.session.expire_all()
    item = db.session.get(Item, item.id)
    return world.to_state(item, "published", override_reason="公示需要，公示期满后自动隐去")


def portal_text(client, item: Item) -> str:
    """The item's public page and every attachment it offers, as a visitor gets them."""
    page = client.get(f"/public/items/{item.id}")
    assert page.status_code == 200
    texts = [page.text]
    for href in re.findall(r'href="(/public/items/\d+/attachments/\d+)"', page.text):
        data = client.get(href).data
        texts.append(docx_text(data) if data.startswith(b"PK") else data.decode())
    return "\n".join(texts)


def found(world, q: str) -> list[int]:
    form = search_form.read_form(world.body.id, {"q": q}, search_form.options(world.body.id))
    return [
        hit.item_id for hit in search_query.search(world.body.id, form.query, form.filters).hits
    ]


def takedown_entries() -> list[dict]:
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "notice_taken_down"))
    return [json.loads(row.detail) for row in rows]


# ---------------------------------------------------------------- the take-down


def test_before_the_end_everything_is_public_and_the_job_does_nothing(
    world, moment, notice, client
):
    moment.at("2026-11-29 23:30")  # the last day of the 公示期
    assert jobs.run_notice_takedowns().done == []
    shown = portal_text(client, notice)
    for personal in PERSONAL:
        assert personal in shown
    assert "公示中" in shown and "2026-11-23 至 2026-11-29" in shown
    assert "请向镇民政办反映，电话：0000-12345678" in shown
    assert found(world, "张三") == [notice.id]
    listing = client.get(f"/public/{world.body.id}/").text
    assert "公示中" in listing


def test_the_day_after_the_end_the_portal_shows_no_personal_data(world, moment, notice, client):
    original_id = notice.published_revision_id
    original_hash = notice.published_revision.content_hash
    originals = {a.filename: a.id for a in notice.published_revision.attachments}
    moment.at("2026-11-30 00:10")
    result = jobs.run_notice_takedowns()
    assert result.done == [notice.id] and result.failed == []

    db.session.expire_all()
    item = db.session.get(Item, notice.id)
    shown = portal_text(client, item)
    for personal in PERSONAL:
        assert personal not in shown, personal
    assert "公示期已结束，个人信息已依法隐去" in shown
    assert "公示已结束" in shown and item.index_number in shown  # the 要素 stay
    assert "张*" in shown and "110105********1232" in shown  # masked, not gone
    # the files with names are withdrawn; the one with only a mobile is masked
    public = {a.filename: a for a in item.published_revision.attachments}
    assert set(public) == {"咨询电话.txt"}
    assert "138****5678" in shown
    for attachment_id in originals.values():
        assert client.get(f"/public/items/{item.id}/attachments/{attachment_id}").status_code == 404
    assert "公示已结束" in client.get(f"/public/{world.body.id}/").text

    # search and the feed no longer find it
    assert found(world, "张三") == [] and found(world, "王五") == []
    assert found(world, "低保对象") == [item.id]  # still found by what stays
    feed = client.get(f"/public/{world.body.id}/feed.atom").text
    assert "张三" not in feed and ID_1 not in feed

    # the take-down is audited with both hashes; the original stays, sealed, for staff
    (entry,) = takedown_entries()
    assert entry["original_revision_id"] == original_id
    assert entry["original_hash"] == original_hash
    assert entry["new_hash"] == item.published_revision.content_hash != original_hash
    outcomes = {a["filename"]: a["outcome"] for a in entry["attachments"]}
    assert outcomes == {
        "低保名单.txt": notices.WITHDRAWN,
        "低保名单.docx": notices.WITHDRAWN,
        "咨询电话.txt": notices.MASKED,
    }
    assert item.notice_original_revision.still_matches_seal()
    assert item.published_revision.still_matches_seal()


def test_staff_still_see_the_original(world, moment, notice, login_as):
    originals = {a.filename: a.id for a in notice.published_revision.attachments}
    moment.at("2026-11-30 08:00")
    jobs.run_notice_takedowns()
    officer = login_as("officer")
    page = officer.get(f"/items/{notice.id}/notice").text
    assert "张三" in page and ID_1 in page
    assert "已从门户网站撤下" in page
    txt = officer.get(f"/items/{notice.id}/attachments/{originals['低保名单.txt']}")
    assert txt.status_code == 200 and "王五" in txt.data.decode()
    docx_data = officer.get(f"/items/{notice.id}/attachments/{originals['低保名单.docx']}").data
    assert "赵六" in docx_text(docx_data) and ID_3 in docx_text(docx_data)
    item_page = officer.get(f"/items/{notice.id}").text
    assert "公示与异议登记" in item_page and "不一致" not in item_page
    # the publisher (who may see the item) sees the original too; another department does not
    assert "张三" in login_as("publisher").get(f"/items/{notice.id}/notice").text
    assert login_as("officer_agri").get(f"/items/{notice.id}/notice").status_code == 404


def test_a_second_run_does_nothing(world, moment, notice):
    moment.at("2026-11-30 08:00")
    assert jobs.run_notice_takedowns().done == [notice.id]
    entries = db.session.scalar(select(func.count()).select_from(AuditEntry))
    revisions = len(db.session.get(Item, notice.id).revisions)
    moment.at("2026-12-01 08:00")
    assert jobs.run_notice_takedowns().done == []
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == entries
    db.session.expire_all()
    assert len(db.session.get(Item, notice.id).revisions) == revisions
    assert "公示期满隐去个人信息 (public notice take-down)" in [r.name for r in jobs.run_all()]


@pytest.mark.parametrize("app_config", [{"NOTICE_RETENTION_DAYS": 3}])
def test_the_retention_keeps_it_online_for_the_days_set(world, moment, notice, client):
    moment.at("2026-12-02 23:00")  # end + 3 days
    assert jobs.run_notice_takedowns().done == []
    moment.at("2026-12-03 00:30")
    assert jobs.run_notice_takedowns().done == [notice.id]
    assert "张三" not in client.get(f"/public/items/{notice.id}").text


def test_an_item_that_is_no_notice_is_never_touched(world, moment, published):
    moment.at("2027-06-01 08:00")
    assert jobs.run_notice_takedowns().done == []
    assert "notice_starts_on" not in published.published_revision.content()


# ---------------------------------------------------------------- the form


def form_data(page_text: str, **fields) -> dict:
    return {
        "csrf_token": csrf_from(page_text),
        "title": "关于低保对象的公示",
        "summary": "",
        "body": "张三 幸福村",
        "category_id": "",
        "info_type": "public_notice",
        "document_number": "",
        "formed_on": "2026-11-20",
        "disclosure_mode": "proactive",
        "non_disclosure_basis": "",
        "channels": ["website"],
        "keywords": "",
        **fields,
    }


def test_the_form_checks_the_period_and_keeps_what_was_typed(world, moment, login_as):
    moment.at("2026-11-23 09:00")
    officer = login_as("officer")
    page = officer.get("/items/new")
    assert "公示开始日期" in page.text and "异议反映渠道" in page.text
    data = form_data(
        page.text,
        category_id=str(world.category.id),
        notice_starts_on="2026-11-30",
        notice_ends_on="2026-11-23",
        objection_channel="请向镇民政办反映",
    )
    refused = officer.client.post("/items/new", data=data)
    assert refused.status_code == 422
    assert "公示结束日期不能早于开始日期" in refused.text
    assert 'value="2026-11-30"' in refused.text and "请向镇民政办反映" in refused.text

    data.update(notice_ends_on="2026-12-06", objection_channel="")
    refused = officer.client.post("/items/new", data=data)
    assert refused.status_code == 422 and "请填写异议反映渠道" in refused.text

    data.update(objection_channel="请向镇民政办反映，电话：0000-12345678")
    saved = officer.client.post("/items/new", data=data)
    assert saved.status_code in (302, 303)
    item = db.session.scalars(select(Item).order_by(Item.id.desc())).first()
    revision = item.current_revision
    assert (revision.notice_starts_on, revision.notice_ends_on) == (
        date(2026, 11, 30),
        date(2026, 12, 6),
    )
    shown = officer.get(f"/items/{item.id}").text
    assert "2026-11-30 至 2026-12-06" in shown and "公示未开始" in shown
    # sealed with it: the hash covers the 公示期
    assert revision.content()["notice_ends_on"] == "2026-12-06"


# ---------------------------------------------------------------- objections


def log(b, item_id, **fields):
    page = b.get(f"/items/{item_id}/notice")
    seen = re.search(r'name="seen"[^>]*value="(\d+)"', page.text)
    data = {
        "csrf_token": csrf_from(page.text),
        "received_on": "2026-11-25",
        "channel": "phone",
        "summary": "村民孙某来电反映张三家庭有经营性收入",
        "seen": seen.group(1) if seen else "0",
        **fields,
    }
    return b.client.post(f"/items/{item_id}/notice/objections", data=data)


def test_objections_are_logged_handled_and_audited(world, moment, notice, login_as):
    moment.at("2026-11-25 10:00")
    officer = login_as("officer")
    assert log(officer, notice.id).status_code == 303
    (objection,) = db.session.scalars(select(NoticeObjection)).all()
    page = officer.get(f"/items/{notice.id}/notice").text
    assert "村民孙某来电反映张三家庭有经营性收入" in page and "待处理" in page
    # the portal never shows it
    assert "孙某" not in login_as("officer_b").client.get(f"/public/items/{notice.id}").text

    office = login_as("office")
    form_page = office.get(f"/items/{notice.id}/notice").text
    handled = office.client.post(
        f"/items/{notice.id}/notice/objections/{objection.id}",
        data={
            "csrf_token": csrf_from(form_page),
            f"o{objection.id}-handling": "经入户核查，经营收入已计入，仍符合条件，已答复反映人",
            f"o{objection.id}-handled_on": "2026-11-27",
            f"o{objection.id}-version": str(objection.version),
        },
    )
    assert handled.status_code == 422  # 11-27 is after "today" (11-25)
    assert "处理日期不能晚于今天" in handled.text and "经入户核查" in handled.text
    moment.at("2026-11-27 16:00")
    office = login_as("office")  # two days later: signed in again
    form_page = office.get(f"/items/{notice.id}/notice").text
    handled = office.client.post(
        f"/items/{notice.id}/notice/objections/{objection.id}",
        data={
            "csrf_token": csrf_from(form_page),
            f"o{objection.id}-handling": "经入户核查，经营收入已计入，仍符合条件，已答复反映人",
            f"o{objection.id}-handled_on": "2026-11-27",
            f"o{objection.id}-version": str(objection.version),
        },
    )
    assert handled.status_code == 303
    # the same form again (a stale page) changes nothing
    again = office.client.post(
        f"/items/{notice.id}/notice/objections/{objection.id}",
        data={
            "csrf_token": csrf_from(form_page),
            f"o{objection.id}-handling": "另一处理",
            f"o{objection.id}-handled_on": "2026-11-27",
            f"o{objection.id}-version": "1",
        },
    )
    assert again.status_code == 409
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.action.like("notice_objection_%"))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["notice_objection_logged", "notice_objection_handled"]
    db.session.expire_all()
    assert "经入户核查" in db.session.get(NoticeObjection, objection.id).handling


def test_a_stale_log_form_and_people_without_the_right_log_nothing(world, moment, notice, login_as):
    moment.at("2026-11-25 10:00")
    officer = login_as("officer")
    page = officer.get(f"/items/{notice.id}/notice").text
    first = {
        "csrf_token": csrf_from(page),
        "received_on": "2026-11-25",
        "channel": "visit",
        "summary": "来访反映",
        "seen": "0",
    }
    assert (
        officer.client.post(f"/items/{notice.id}/notice/objections", data=first).status_code == 303
    )
    # a double click: the page still said "0 objections"
    assert (
        officer.client.post(f"/items/{notice.id}/notice/objections", data=first).status_code == 409
    )
    assert log(officer, notice.id, received_on="2026-11-26").status_code == 422  # after today
    # the secrecy reviewer may see the item and its 公示 page, but not log objections
    secrecy = login_as("secrecy")
    assert secrecy.get(f"/items/{notice.id}/notice").status_code == 200
    assert log(secrecy, notice.id).status_code == 403
    assert log(login_as("officer_agri"), notice.id).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(NoticeObjection)) == 1


def test_objections_only_against_a_notice(world, published, login_as):
    assert login_as("officer").get(f"/items/{published.id}/notice").status_code == 404


# ---------------------------------------------------------------- the rules, alone


def test_names_are_found_by_label_table_cell_and_next_to_personal_data():
    text = f"户主：欧阳娜娜\n张三、李小明\n1 韦一 {ID_1}\n金额 幸福村"
    starts = [[text.index(ID_1)]]
    assert notices.names_in([text], starts) == {"欧阳娜娜", "张三", "李小明", "韦一"}
    masked, count = notices.mask_names("张三家庭，欧阳娜娜", {"张三", "欧阳娜娜"})
    assert (masked, count) == ("张*家庭，欧阳**", 2)


def test_the_period_rules():
    d = date
    assert notices.status(d(2026, 11, 23), d(2026, 11, 29), d(2026, 11, 22)) == notices.UPCOMING
    assert notices.status(d(2026, 11, 23), d(2026, 11, 29), d(2026, 11, 29)) == notices.RUNNING
    assert notices.status(d(2026, 11, 23), d(2026, 11, 29), d(2026, 11, 30)) == notices.ENDED
    assert notices.take_down_on(d(2026, 11, 29), 0) == d(2026, 11, 30)
    assert notices.take_down_on(d(2026, 11, 29), 3) == d(2026, 12, 3)
    from approval.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        notices.check_period(d(2026, 11, 29), d(2026, 11, 23), "镇民政办")
    with pytest.raises(InvalidInput):
        notices.check_period(d(2026, 11, 23), d(2026, 11, 29), "")
    assert notices.check_period(None, None, "").starts_on is None
