"""The 公示 take-down (tests/test_public_notices.py) of a rich 正文 whose names and IDs stand in an
HTML table: the masked public revision keeps the table, and neither its HTML nor its text holds
a name or an ID; staff still see the original table. Also the comparison of a returned table."""

from __future__ import annotations

import re

from approval import jobs
from approval.core import rich_text
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Item
from approval.publication import compare
from tests.test_public_notices import ID_1, ID_2, NOTICE, found, portal_text

TABLE = (
    "<p>经村民代表评议，拟将下列家庭纳入最低生活保障范围，现予公示。</p>"
    "<table><thead><tr><th>户主姓名</th><th>所在村</th><th>身份证号</th><th>月补助（元）</th></tr></thead>"
    f"<tbody><tr><td>张三</td><td>幸福村</td><td>{ID_1}</td><td>800</td></tr>"
    f"<tr><td><b>李四</b></td><td>光明村</td><td>{ID_2[:6]}<i>{ID_2[6:]}</i></td><td>650</td></tr>"
    "</tbody></table><p>如有异议，请向镇民政办反映。</p>"
)


def rich_notice(world):
    html = rich_text.from_input(TABLE)
    item = world.item(**{**NOTICE, "body": rich_text.text_of(html), "body_html": html})
    return world.to_state(item, "published", override_reason="公示需要，公示期满后自动隐去")


def test_the_take_down_masks_the_table_cells_and_keeps_the_table(world, moment, client, login_as):
    moment.at("2026-11-23 09:00")
    item = rich_notice(world)
    shown = portal_text(client, item)
    assert "张三" in shown and ID_1 in shown and "<table>" in shown

    moment.at("2026-11-30 00:10")
    assert jobs.run_notice_takedowns().done == [item.id]
    db.session.expire_all()
    item = db.session.get(Item, item.id)
    public = item.published_revision
    for text in (public.body, public.body_html, portal_text(client, item)):
        for personal in ("张三", "李四", ID_1, ID_2, ID_2[6:]):
            assert personal not in text, personal
    assert "<td>张*</td>" in public.body_html and "<td><b>李*</b></td>" in public.body_html
    assert public.body_html.count("<tr>") == 3 and "<th>户主姓名</th>" in public.body_html
    assert "张* | 幸福村 | 110105********1232 | 800" in public.body.splitlines()
    assert public.body == rich_text.text_of(public.body_html)
    assert public.still_matches_seal() and "body_html" in public.content()
    assert found(world, "张三") == [] and found(world, "幸福村") == [item.id]
    page = client.get(f"/public/items/{item.id}").text
    assert '<div class="table-scroll" tabindex="0"><table>' in page

    original = login_as("officer").get(f"/items/{item.id}/notice").text
    assert "张三" in original and ID_1 in original


def test_the_comparison_shows_a_changed_cell(world, login_as):
    html = rich_text.from_input(TABLE.replace(ID_1, "110105********1232").replace(ID_2[6:], ""))
    item = world.item(body=rich_text.text_of(html), body_html=html)
    world.to_state(item, "pending_leader")
    world.act("leader", item, Action.RETURN, opinion="金额有误")
    changed = html.replace("<td>800</td>", "<td>850</td>")
    officer = login_as("officer")
    page = officer.get(f"/items/{item.id}/edit").text
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    form = {
        "title": item.current_revision.title,
        "summary": "",
        "body": "",
        "body_html": changed,
        "body_editor": "1",
        "category_id": str(world.category.id),
        "info_type": "public_notice",
        "formed_on": item.current_revision.formed_on.isoformat(),
        "disclosure_mode": "proactive",
        "non_disclosure_basis": "",
        "channels": "website",
        "version": version,
    }
    saved = officer.post(f"/items/{item.id}/edit", form, token_from=f"/items/{item.id}/edit")
    assert saved.status_code == 302, re.findall(r'field-error"[^>]*>([^<]*)', saved.text)
    db.session.expire_all()
    item = db.session.get(Item, item.id)
    world.act("officer", item, Action.SUBMIT)
    comparison = compare.changes_since_return(item)
    (body,) = [t for t in comparison.texts if t.field == "body"]
    deleted = [s.text for s in body.segments if s.op == compare.DELETE]
    inserted = [s.text for s in body.segments if s.op == compare.INSERT]
    assert deleted == ["800"] and inserted == ["850"]
    shown = login_as("leader").get(f"/items/{item.id}").text
    assert "850" in shown and "<table>" in shown
