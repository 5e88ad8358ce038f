"""常用意见 (issue 27): each reviewer keeps reusable opinions (add, remove, reorder) on their own
page, and the decision panels offer them: a select that script copies into the opinion field,
and without script a 使用此意见 button that shows the panel again with the text filled in."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from approval.extensions import db
from approval.models import AuditEntry, SavedOpinion
from approval.opinions import operations as opinions
from tests.helpers.pages import VERSION_RE

PAGE = "/account/opinions"


def _texts(html: str) -> list[str]:
    return re.findall(r'<span class="opinion-text">([^<]*)</span>', html)


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-opinion="(\d+)"', html)]


def test_a_reviewer_adds_reorders_and_removes_their_opinions(world, login_as):
    leader = login_as("leader")
    audited = db.session.scalar(select(func.count()).select_from(AuditEntry))
    for text in ("同意。", "  请补充依据。 ", "内容属实，同意公开。"):
        response = leader.post(PAGE, {"text": text}, token_from=PAGE)
        assert response.status_code == 303
    page = leader.get(PAGE)
    assert _texts(page.text) == ["同意。", "请补充依据。", "内容属实，同意公开。"]
    first, second, third = _ids(page.text)

    assert leader.post(f"{PAGE}/{third}/move", {"direction": "up"}, PAGE).status_code == 303
    assert _texts(leader.get(PAGE).text) == ["同意。", "内容属实，同意公开。", "请补充依据。"]
    leader.post(f"{PAGE}/{first}/move", {"direction": "up"}, PAGE)  # already first: no change
    leader.post(f"{PAGE}/{first}/move", {"direction": "down"}, PAGE)
    assert _texts(leader.get(PAGE).text) == ["内容属实，同意公开。", "同意。", "请补充依据。"]

    assert leader.post(f"{PAGE}/{second}/delete", {}, PAGE).status_code == 303
    assert _texts(leader.get(PAGE).text) == ["内容属实，同意公开。", "同意。"]
    # a personal preference: not audited
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audited


def test_bad_text_is_refused_with_the_reason_and_kept(world, login_as):
    leader = login_as("leader")
    response = leader.post(PAGE, {"text": "   "}, token_from=PAGE)
    assert response.status_code == 422 and "请填写意见内容" in response.text
    long = "审" * 501
    response = leader.post(PAGE, {"text": long}, token_from=PAGE)
    assert response.status_code == 422 and "常用意见不能超过500字" in response.text
    assert long in response.text  # what was typed is kept
    leader.post(PAGE, {"text": "同意。"}, token_from=PAGE)
    response = leader.post(PAGE, {"text": "同意。"}, token_from=PAGE)
    assert response.status_code == 422 and "已有相同的常用意见" in response.text
    response = leader.post(
        f"{PAGE}/{_ids(leader.get(PAGE).text)[0]}/move", {"direction": "x"}, PAGE
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(SavedOpinion)) == 1


def test_only_the_owner_sees_and_changes_their_opinions(world, login_as):
    mine = opinions.add(world.users["leader"], "同意。")
    db.session.commit()
    other = login_as("secrecy")
    assert "同意。" not in other.get(PAGE).text
    assert other.post(f"{PAGE}/{mine.id}/delete", {}, PAGE).status_code == 404
    assert other.post(f"{PAGE}/{mine.id}/move", {"direction": "down"}, PAGE).status_code == 404
    assert db.session.get(SavedOpinion, mine.id) is not None
    # not a reviewer: no page at all
    for who in ("officer", "sysadmin"):
        assert login_as(who).get(PAGE).status_code == 403
    officer = login_as("officer")
    response = officer.client.post(
        PAGE, data={"text": "x", "csrf_token": officer.token("/account/password")}
    )
    assert response.status_code == 403


def test_without_a_token_nothing_changes(world, login_as):
    mine = opinions.add(world.users["leader"], "同意。")
    db.session.commit()
    leader = login_as("leader")
    assert leader.client.post(PAGE, data={"text": "新的"}).status_code == 400
    assert leader.client.post(f"{PAGE}/{mine.id}/delete").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(SavedOpinion)) == 1


def test_the_decision_panels_offer_ones_own_opinions(world, login_as):
    item = world.to_state(world.item(), "pending_leader")
    opinions.add(world.users["leader"], "同意，请按程序办理。")
    opinions.add(world.users["secrecy"], "经审查不涉密。")
    db.session.commit()
    page = login_as("leader").get(f"/items/{item.id}")
    for action in ("approve", "return"):
        assert f'data-fills="opinion-{action}"' in page.text
    assert '<option value="同意，请按程序办理。">' in page.text
    assert "经审查不涉密。" not in page.text  # only one's own
    assert "saved_opinions.js" in page.text and 'href="/account/opinions"' in page.text


def test_without_script_use_this_opinion_fills_the_panel_and_decides_nothing(world, login_as):
    item = world.to_state(world.item(), "pending_leader")
    opinions.add(world.users["leader"], "数据不全，请补充。")
    db.session.commit()
    leader = login_as("leader")
    url = f"/items/{item.id}"
    version = VERSION_RE.search(leader.get(url).text).group(1)
    response = leader.post(
        f"{url}/act",
        {
            "action": "return",
            "version": version,
            "opinion": "",
            "saved_opinion": "数据不全，请补充。",
            "use_saved_opinion": "1",
        },
        token_from=url,
    )
    assert response.status_code == 200
    panel = response.text[response.text.find("action-return") :]
    assert re.search(r'id="opinion-return"[^>]*>\s*数据不全，请补充。</textarea>', panel)
    assert "<details open>" in panel[:3000]  # the panel stays open
    db.session.refresh(item)
    assert item.state == "pending_leader" and str(item.version) == version
    # then the decision as usual
    done = leader.post(
        f"{url}/act", {"action": "return", "version": version, "opinion": "数据不全，请补充。"}, url
    )
    assert done.status_code == 303
    db.session.refresh(item)
    assert item.state == "draft"


def test_use_this_opinion_with_none_chosen_keeps_what_was_typed(world, login_as):
    item = world.to_state(world.item(), "pending_leader")
    opinions.add(world.users["leader"], "同意。")
    db.session.commit()
    leader = login_as("leader")
    url = f"/items/{item.id}"
    version = VERSION_RE.search(leader.get(url).text).group(1)
    fields = {"action": "approve", "version": version, "opinion": "已核对数据。"}
    fields |= {"saved_opinion": "", "use_saved_opinion": "1"}
    response = leader.post(f"{url}/act", fields, token_from=url)
    assert response.status_code == 200
    assert re.search(r'id="opinion-approve"[^>]*>\s*已核对数据。</textarea>', response.text)
