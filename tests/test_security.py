"""Findings of the security review, each as the attack that used to work."""

import os

import pytest
from sqlalchemy import select

from approval import permissions
from approval.core.errors import Conflict
from approval.core.hashing import canonical_json, digest, matches
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, chain_for
from approval.platform import storage
from approval.publication import drafts, queries
from tests.conftest import Browser, csrf_from
from tests.factories import World, content
from tests.helpers.attachments import PDF, upload
from tests.helpers.pages import heading, signed_in_as


@pytest.fixture
def officer_leader(world):
    """officer_b of 民政办 who is also its leader: may approve colleagues' work, never their own."""
    user = world.users["officer_b"]
    user.set_roles(["officer", "leader"])
    user.led_departments = [world.departments["civil"]]
    db.session.commit()
    return user


@pytest.mark.parametrize("contribution", ["edit", "attach", "submit"])
def test_a_hand_in_a_colleagues_draft_bars_deciding_on_it(app, world, officer_leader, contribution):
    item = world.item("officer")
    if contribution == "edit":
        drafts.update_draft(
            officer_leader,
            item,
            content(category_id=world.category.id, body="改过的正文"),
            item.version,
        )
    elif contribution == "attach":
        upload(Browser(_client(app, officer_leader, world)), item.id, "公示.pdf", PDF)
        db.session.expire_all()
    db.session.commit()
    world.act("officer_b" if contribution == "submit" else "officer", item, Action.SUBMIT)
    chain = chain_for(world.body.id)
    assert (
        permissions.denial(officer_leader, item, Action.APPROVE, chain)
        == "不能审批或发布自己撰写的信息"
    )
    inbox = {s.key: s for s in queries.inbox_sections(officer_leader, chain)}
    assert inbox["leader"].count == 0  # not offered in the inbox either


def _client(app, user, world):
    b = Browser(app.test_client())
    assert b.login(user.username, world.password).status_code == 302
    return b.client


def test_inbox_does_not_count_items_the_user_already_decided_this_round(world):
    item = world.item()
    world.act("officer", item, Action.SUBMIT)
    world.act("leader", item, Action.APPROVE)
    world.act("office_and_secrecy", item, Action.APPROVE)
    chain = chain_for(world.body.id)
    inbox = {s.key: s for s in queries.inbox_sections(world.users["office_and_secrecy"], chain)}
    assert inbox["secrecy"].count == 0  # another secrecy reviewer must sign it
    assert [i.id for i in queries.inbox_sections(world.users["secrecy"], chain)[-1].items] == [
        item.id
    ]


def test_logout_ends_every_copy_of_the_session(app, world, login_as):
    officer = login_as("officer")
    stolen = app.test_client()
    stolen.set_cookie("session", officer.client.get_cookie("session").value)
    page = stolen.get("/")  # a copied cookie works while the session lives
    assert page.status_code == 200 and signed_in_as(page.text) == "用户officer"
    officer.post("/logout", {}, token_from="/")
    response = stolen.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/%0a/x\n",
        "javascript:alert(1)",
    ],
)
def test_login_never_redirects_off_site(browser, world, target):
    page = browser.get("/login")
    response = browser.client.post(
        "/login",
        query_string={"next": target},
        data={
            "username": world.users["officer"].username,
            "password": world.password,
            "csrf_token": csrf_from(page.text),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_messages_quoting_user_input_are_shown_verbatim_never_formatted(app, world, login_as):
    """Service messages quote what the user typed; pages print them, they never run them
    through gettext's %-formatting (which turned "%(x)s" into a 500 on every page)."""
    from flask import flash, render_template

    with app.test_request_context("/"):
        flash("附件“名单.%(x)s”有误 <b>", "error")
        html = render_template("error.html", status=409, title="冲突", detail="稿件 %(y)s 已变化")
    assert "附件“名单.%(x)s”有误 &lt;b&gt;" in html and "稿件 %(y)s 已变化" in html
    officer = login_as("officer")
    page = upload(officer, world.item().id, "名单.%(x)s", b"abc")
    assert page.status_code == 200 and "不支持的附件类型“(x)s”" in page.text
    later = officer.get("/")  # and every later page still renders
    assert later.status_code == 200 and heading(later.text) == "待办事项"


def test_an_upload_without_a_file_says_so(world, login_as):
    officer = login_as("officer")
    item = world.item()
    page = officer.get(f"/items/{item.id}")
    response = officer.client.post(
        f"/items/{item.id}/attachments",
        data={"csrf_token": csrf_from(page.text), "version": str(item.version)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert "请选择要上传的文件" in officer.get(response.headers["Location"]).text


def test_the_audit_admin_reads_only_their_own_bodys_trail(world, login_as):
    other = World.build(credit_code="11000000MB0000002X")
    foreign = other.item()
    world.item(title="本单位的信息")
    page = login_as("auditor").get("/admin/audit")
    assert f"/items/{foreign.id}/history" not in page.text
    assert (
        login_as("auditor").get(f"/admin/audit?item={foreign.id}").text.count('data-label="#"') == 0
    )


@pytest.mark.parametrize(
    "path",
    [
        "/items/99999999999999999999",
        "/public/items/4294967296",
        "/items/1/attachments/99999999999999999999",
    ],
)
def test_ids_beyond_the_database_range_are_not_found(world, login_as, path):
    assert login_as("officer").get(path).status_code == 404


def test_cursors_beyond_the_database_range_are_ignored(world, login_as):
    world.item(title="本部门的草稿")
    listed = login_as("officer").get("/department?after=2026-01-01T00:00:00_99999999999999")
    assert listed.status_code == 200 and heading(listed.text) == "本部门信息"
    assert "本部门的草稿" in listed.text  # the first page, as without the cursor
    trail = login_as("auditor").get("/admin/audit?before=99999999999999999")
    assert trail.status_code == 200 and heading(trail.text) == "审计日志"
    assert trail.text.count('data-label="#"') >= 1  # the newest entries, as without the cursor


def test_creating_a_user_from_the_command_line_is_audited(world, runner):
    result = runner.invoke(
        args=[
            "create-user",
            "new_officer",
            "--name",
            "新信息员",
            "--department",
            "民政办",
            "--role",
            "officer",
            "--password",
            "Str0ng-Password!",
        ]
    )
    assert result.exit_code == 0, result.output
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "create_user")).one()
    assert "new_officer" in entry.detail and entry.body_id == world.body.id


def test_bidi_and_control_characters_do_not_reach_the_trail(browser, world):
    page = browser.get("/login")
    browser.client.post(
        "/login",
        data={
            "username": "evil\r\nINFO forged\u202egnp.exe",
            "password": "x",
            "csrf_token": csrf_from(page.text),
        },
    )
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).one()
    assert entry.actor_username == "evilINFO forgedgnp.exe"
    assert storage.safe_filename("inv\u202egpj.txt") == "invgpj.txt"


def test_a_file_changed_on_disk_after_sign_off_is_not_published(app, world, login_as):
    item = world.item()
    upload(login_as("officer"), item.id, "名单.txt", "张三 低保对象".encode())
    db.session.expire_all()
    world.to_state(item, "approved")
    stored = storage.path_of(item.current_revision.attachments[0].storage_name)
    assert not os.access(stored, os.W_OK) or os.geteuid() == 0  # stored read-only
    os.chmod(stored, 0o644)
    stored.write_bytes("张三 110105194912310021 低保对象".encode())
    with pytest.raises(Conflict):
        world.act("publisher", item, Action.PUBLISH)
    db.session.rollback()
    assert item.state == "approved" and item.index_number is None


def test_a_seal_made_with_another_algorithm_still_verifies():
    value = {"title": "公告", "attachments": []}
    sealed_elsewhere = "sha256:" + digest(canonical_json(value).encode(), "sha256")
    assert matches(sealed_elsewhere, value)
    assert not matches(sealed_elsewhere, {**value, "title": "改过"})
