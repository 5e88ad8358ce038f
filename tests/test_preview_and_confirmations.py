"""Fewer surprises (issue 27): what is public or cannot be undone asks first (static/confirm.js,
``data-confirm`` on the form, so that without script the form is simply sent), and the public
page can be previewed, from the current revision, before it is published."""

from __future__ import annotations

import re

import pytest

from approval.core.workflow import Action
from approval.extensions import db
from approval.publication import drafts
from tests.test_csrf_walk import text_file


def _form_of(html: str, marker: str) -> str:
    """The opening <form …> tag of the form that holds ``marker``."""
    at = html.find(marker)
    assert at >= 0, marker
    start = html.rfind("<form", 0, at)
    return html[start : html.find(">", start) + 1]


@pytest.mark.parametrize(
    ("state", "who", "action", "question"),
    [
        ("approved", "publisher", "publish", "发布后将在政府信息公开专栏公开，确定发布吗？"),
        ("approved", "publisher", "schedule", "到所选时间将自动在政府信息公开专栏公开"),
        ("published", "publisher", "unpublish", "撤稿不能撤销，确定撤稿吗？"),
        ("pending_secrecy", "secrecy", "withhold", "确定不予公开吗？"),
    ],
)
def test_public_and_final_actions_ask_first(world, login_as, state, who, action, question):
    item = world.to_state(world.item(), state)
    page = login_as(who).get(f"/items/{item.id}")
    form = _form_of(page.text, f'name="action" value="{action}"')
    assert "data-confirm=" in form and question in form
    assert "confirm.js" in page.text and "<script>" not in page.text  # no inline script (CSP)


def test_decisions_that_move_on_do_not_ask(world, login_as):
    item = world.to_state(world.item(), "pending_leader")
    page = login_as("leader").get(f"/items/{item.id}")
    assert "data-confirm" not in _form_of(page.text, 'name="action" value="approve"')
    assert "data-confirm" not in _form_of(page.text, 'name="action" value="return"')


def test_deleting_an_attachment_and_masking_the_text_ask_first(world, login_as):
    item = world.item(body="联系人：张三，电话13812345678。")
    drafts.add_attachment(world.users["officer"], item, text_file(), item.version)
    db.session.commit()
    page = login_as("officer").get(f"/items/{item.id}")
    remove = _form_of(page.text, "/delete")
    assert "将从稿件中删除附件“说明.txt”，确定删除吗？" in remove
    mask = _form_of(page.text, 'class="mask-form"')
    assert "data-confirm=" in mask and "确定脱敏吗？" in mask


def test_sending_a_reply_asks_first(world, login_as):
    from approval.requests import operations as requests  # noqa: PLC0415
    from approval.requests import replies  # noqa: PLC0415
    from tests.helpers.requests import person  # noqa: PLC0415

    request = requests.register(world.users["office"], person())
    requests.assign(world.users["office"], request, request.version, world.departments["civil"].id)
    reply = replies.start_reply(world.users["officer"], request, request.version)
    replies.update_reply(
        world.users["officer"],
        reply,
        {"reply_type": "granted", "body": "现予提供。"},
        None,
        reply.version,
    )
    db.session.commit()
    world.to_state(reply, "approved")
    page = login_as("publisher").get(f"/items/{reply.id}")
    assert "确定签发吗？" in _form_of(page.text, 'name="action" value="send"')
    assert "预览公开页面" not in page.text  # a reply is sent, never published


# ---------------------------------------------------------------- preview


@pytest.mark.parametrize("state", ["draft", "pending_leader", "pending_secrecy", "approved"])
def test_the_item_page_links_the_preview_before_publication(world, login_as, state):
    item = world.to_state(world.item(), state)
    page = login_as("officer").get(f"/items/{item.id}")
    assert f'href="/items/{item.id}/preview"' in page.text


def test_the_preview_is_the_portal_page_of_the_current_revision(world, login_as):
    item = world.item(title="关于调整低保标准的公告", body="标准调整为每人每月900元。")
    drafts.add_attachment(world.users["officer"], item, text_file(), item.version)
    db.session.commit()
    officer = login_as("officer")
    preview = officer.get(f"/items/{item.id}/preview")
    assert preview.status_code == 200
    assert "预览，尚未公开" in preview.text
    assert "<h1>关于调整低保标准的公告</h1>" in preview.text
    assert "标准调整为每人每月900元。" in preview.text
    assert "政府信息公开专栏" in preview.text and "信息公开要素" in preview.text  # the portal's
    assert '<meta name="robots" content="noindex, nofollow">' in preview.text
    assert preview.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert preview.headers["Cache-Control"] == "no-store"
    # the attachment is offered from the staff side (the portal has nothing of it yet)
    link = re.search(r'href="(/items/\d+/attachments/\d+)"', preview.text).group(1)
    assert officer.get(link).status_code == 200
    # the public page itself is still not there
    assert officer.get(f"/public/items/{item.id}").status_code == 404

    # after an edit the preview follows the current text
    drafts.update_draft(
        world.users["officer"], item, {"body": "标准调整为每人每月950元。"}, item.version
    )
    db.session.commit()
    assert "每人每月950元" in officer.get(f"/items/{item.id}/preview").text


def test_only_those_who_may_see_the_item_preview_it(world, login_as, client):
    item = world.item()
    assert login_as("officer_agri").get(f"/items/{item.id}/preview").status_code == 404
    assert login_as("leader").get(f"/items/{item.id}/preview").status_code == 404  # a draft
    assert client.get(f"/items/{item.id}/preview").status_code == 302  # to the login page
    world.act("officer", item, Action.SUBMIT)
    assert login_as("leader").get(f"/items/{item.id}/preview").status_code == 200


def test_a_reply_to_a_request_has_no_preview(world, login_as):
    from approval.requests import operations as requests  # noqa: PLC0415
    from approval.requests import replies  # noqa: PLC0415
    from tests.helpers.requests import person  # noqa: PLC0415

    request = requests.register(world.users["office"], person())
    requests.assign(world.users["office"], request, request.version, world.departments["civil"].id)
    reply = replies.start_reply(world.users["officer"], request, request.version)
    db.session.commit()
    assert login_as("officer").get(f"/items/{reply.id}/preview").status_code == 404


@pytest.mark.parametrize("state", ["withheld", "published", "unpublished"])
def test_the_preview_answers_in_every_later_state_too(world, login_as, state):
    item = world.item()
    if state == "withheld":
        world.to_state(item, "pending_secrecy")
        world.act(
            "secrecy", item, Action.WITHHOLD, opinion="涉及个人隐私", basis="personal_privacy"
        )
    else:
        world.to_state(item, "published")
        if state == "unpublished":
            world.act("publisher", item, Action.UNPUBLISH, opinion="内容有误")
    response = login_as("office").get(f"/items/{item.id}/preview")
    assert response.status_code == 200 and "预览，尚未公开" in response.text
