"""The security admin's pages (三员分立): granting business roles, and the body's security policy,
which then governs lockout, sessions and password expiry; and the audit admin's verify button.
Each change is audited; nobody else may reach these pages."""

import html
import json
import re

import pytest
from sqlalchemy import select

from approval.audit import verification_jobs
from approval.extensions import db
from approval.models import AuditEntry, Department, User
from tests.conftest import Browser
from tests.factories import World
from tests.helpers.pages import heading, signed_in_as


def entries(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def new_account(world, name="newcomer") -> User:
    """An account as the system admin makes it: a department, no roles yet."""
    user = User(
        username=name, display_name="新同事", body=world.body, department=world.departments["agri"]
    )
    user.password_hash = world.users["officer"].password_hash
    db.session.add(user)
    db.session.commit()
    return user


POLICY = {
    "password_max_age_days": "60",
    "login_max_failures": "3",
    "login_failure_window_minutes": "10",
    "login_lock_minutes": "60",
    "session_idle_minutes": "15",
    "session_max_hours": "8",
}


# ------------------------------------------------------------------ role grants


def test_a_new_account_gets_its_roles_from_the_security_admin(world, login_as, app):
    user = new_account(world)
    newcomer = Browser(app.test_client())
    newcomer.login("newcomer", world.password)
    assert "尚未授权任何角色" in newcomer.get("/").text
    secadmin = login_as("secadmin")
    page = secadmin.get(f"/admin/roles/{user.id}")
    assert page.status_code == 200 and "新同事" in page.text
    response = secadmin.post(
        f"/admin/roles/{user.id}",
        {"roles": ["officer", "leader"], "led_departments": [world.departments["agri"].id]},
        token_from=f"/admin/roles/{user.id}",
    )
    assert response.status_code == 303
    user = fresh(user)
    assert {r.value for r in user.roles} == {"officer", "leader"}
    assert [d.name for d in user.led_departments] == ["农业农村办"]
    assert "尚未授权" not in newcomer.get("/").text  # the newcomer's open session: at once
    (entry,) = entries("roles_granted")
    assert entry.actor_id == world.users["secadmin"].id
    trail = login_as("auditor").get("/admin/audit?action=roles_granted").text
    assert "新同事（newcomer）" in trail and "roles: — → leader、officer" in trail
    assert json.loads(entry.detail) == {
        "role": "security_admin",
        "username": "newcomer",
        "display_name": "新同事",
        "roles": {"from": [], "to": ["leader", "officer"]},
        "led_departments": {"from": [], "to": ["农业农村办"]},
    }


def test_the_grant_takes_effect_at_the_next_request(world, login_as, app):
    """An officer whose role is withdrawn loses the department's drafts at once."""
    officer = login_as("officer")
    form = officer.get("/items/new")
    assert form.status_code == 200 and heading(form.text) == "新建信息"
    assert ">标题</label>" in form.text
    secadmin = login_as("secadmin")
    officer_id = world.users["officer"].id
    response = secadmin.post(
        f"/admin/roles/{officer_id}",
        {"roles": ["publisher"]},
        token_from=f"/admin/roles/{officer_id}",
    )
    assert response.status_code == 303
    assert officer.get("/items/new").status_code == 403


@pytest.mark.parametrize(
    "form,field_error",
    [
        ({"roles": ["leader"]}, "分管领导须至少分管一个科室"),
        ({"roles": ["officer"], "led_departments": ["{agri}"]}, "只有分管领导才能分管科室"),
        ({"roles": ["sysadmin"]}, "所选的选项无效"),
        ({"roles": ["officer"], "led_departments": ["{other}"]}, "所选的选项无效"),
    ],
)
def test_a_wrong_grant_changes_nothing_and_says_why(world, login_as, form, field_error):
    other = World.build(credit_code="11000000MB0000002X")
    values = {"agri": world.departments["agri"].id, "other": other.departments["civil"].id}
    form = {
        k: [v.format(**values) if isinstance(v, str) else v for v in vs] for k, vs in form.items()
    }
    user = new_account(world)
    secadmin = login_as("secadmin")
    response = secadmin.post(f"/admin/roles/{user.id}", form, token_from=f"/admin/roles/{user.id}")
    assert response.status_code == 422
    assert field_error in response.text
    if form["roles"] != ["sysadmin"]:
        assert "checked" in response.text  # the ticked boxes stay ticked
    assert fresh(user).roles == frozenset() and entries("roles_granted") == []


def test_admin_accounts_and_other_bodies_are_out_of_reach(world, login_as):
    other = World.build(credit_code="11000000MB0000002X")
    secadmin = login_as("secadmin")
    for name in ("sysadmin", "auditor", "secadmin"):
        assert secadmin.get(f"/admin/roles/{world.users[name].id}").status_code == 409
    assert secadmin.get(f"/admin/roles/{other.users['officer'].id}").status_code == 404
    response = secadmin.post(
        f"/admin/roles/{world.users['auditor'].id}",
        {"roles": ["officer"]},
        token_from="/admin/policy",
    )
    assert response.status_code == 409
    assert fresh(world.users["auditor"]).roles == {"audit_admin"}
    assert entries("roles_granted") == []


@pytest.mark.parametrize("who", ["officer", "leader", "office", "publisher", "sysadmin", "auditor"])
def test_nobody_else_grants_roles_or_sets_the_policy(world, login_as, who):
    target = world.users["officer_b"].id
    browser = login_as(who)
    token = browser.token("/account/password")
    assert browser.get(f"/admin/roles/{target}").status_code == 403
    assert browser.get("/admin/policy").status_code == 403
    assert (
        browser.client.post(
            f"/admin/roles/{target}", data={"roles": ["publisher"], "csrf_token": token}
        ).status_code
        == 403
    )
    assert (
        browser.client.post("/admin/policy", data={**POLICY, "csrf_token": token}).status_code
        == 403
    )
    assert fresh(world.users["officer_b"]).roles == {"officer"}
    assert entries("roles_granted") == [] and entries("policy_changed") == []


# ------------------------------------------------------------------ the security policy


def test_the_policy_page_shows_the_defaults_then_saves_within_bounds(world, login_as, app):
    secadmin = login_as("secadmin")
    page = secadmin.get("/admin/policy")
    assert page.status_code == 200
    assert 'name="session_idle_minutes"' in page.text and 'value="30"' in page.text
    assert "目前使用部署默认值" in page.text
    response = secadmin.post("/admin/policy", POLICY, token_from="/admin/policy")
    assert response.status_code == 303
    assert "安全策略已更新（6 项）" in secadmin.get("/admin/policy").text
    (entry,) = entries("policy_changed")
    assert json.loads(entry.detail)["session_idle_minutes"] == {"from": 30, "to": 15}
    assert json.loads(entry.detail)["login_max_failures"] == {"from": 5, "to": 3}


@pytest.mark.parametrize(
    "name,value",
    [
        ("session_idle_minutes", "31"),
        ("session_max_hours", "0"),
        ("login_max_failures", "11"),
        ("password_max_age_days", "365"),
        ("login_lock_minutes", "abc"),
        ("login_lock_minutes", ""),
    ],
)
def test_a_value_outside_the_bounds_is_refused_and_kept(world, login_as, name, value):
    secadmin = login_as("secadmin")
    response = secadmin.post("/admin/policy", {**POLICY, name: value}, token_from="/admin/policy")
    assert response.status_code == 422
    assert "之间的整数" in response.text
    assert f'value="{value}"' in response.text or not value  # the typed value is kept
    kept = [v for k, v in POLICY.items() if k != name]
    assert all(f'value="{v}"' in response.text for v in kept)  # and the others
    assert entries("policy_changed") == []
    assert world.body.policy is None


def test_saving_the_same_values_changes_nothing(world, login_as):
    secadmin = login_as("secadmin")
    secadmin.post("/admin/policy", POLICY, token_from="/admin/policy")
    response = secadmin.post("/admin/policy", POLICY, token_from="/admin/policy")
    assert response.status_code == 303
    assert "安全策略没有变化" in secadmin.get("/admin/policy").text
    assert len(entries("policy_changed")) == 1


def test_the_policy_governs_lockout_sessions_and_expiry(world, login_as, app, clock):
    secadmin = login_as("secadmin")
    secadmin.post("/admin/policy", POLICY, token_from="/admin/policy")
    # lockout: 3 failures now lock the account (the deployment default is 5)
    victim = world.users["officer_b"]
    client = Browser(app.test_client())
    for _ in range(3):
        assert client.login(victim.username, "wrong-Password-1").status_code == 401
    assert client.login(victim.username, world.password).status_code == 401
    assert len(entries("account_locked")) == 1
    assert json.loads(entries("account_locked")[0].detail)["window_minutes"] == 10
    # sessions: 15 idle minutes end one (the default is 30)
    officer = login_as("officer")
    clock.advance(minutes=16)
    assert officer.get("/").headers.get("Location", "").startswith("/login")
    # expiry: a password 61 days old must be changed (the default allows 90)
    clock.advance(days=61)
    officer = login_as("officer")
    assert officer.get("/").headers["Location"].endswith("/account/password")


def test_another_bodys_policy_is_its_own(world, login_as, app, clock):
    other = World.build(credit_code="11000000MB0000002X")
    secadmin = login_as("secadmin")
    secadmin.post("/admin/policy", POLICY, token_from="/admin/policy")
    browser = Browser(app.test_client())
    assert browser.login(other.users["officer"].username, other.password).status_code == 302
    clock.advance(minutes=16)
    page = browser.get("/")  # still the default 30 minutes there
    assert page.status_code == 200 and signed_in_as(page.text) == "用户officer"


# ------------------------------------------------------------------ verifying the audit trail


def test_the_audit_admin_verifies_the_chain_from_the_page(world, login_as, app, tmp_path):
    world.to_state(world.item(), "published")
    app.config["AUDIT_ANCHOR_PATH"] = str(tmp_path / "anchors.jsonl")
    auditor = login_as("auditor")
    response = auditor.post("/admin/audit/verify", {}, token_from="/admin/audit")
    assert response.status_code == 303
    assert "等待后台任务" in auditor.get("/admin/audit").text
    verification_jobs.run_pending()  # flask jobs run
    page = auditor.get("/admin/audit").text
    assert "哈希链完整" in page
    (entry,) = entries("audit_verified")
    detail = json.loads(entry.detail)
    assert detail["ok"] is True and detail["checked"] > 5 and detail["anchors"] == 0


def test_a_broken_chain_is_reported_on_the_page(world, login_as, app, tmp_path):
    from approval.audit.anchor import take_anchor

    world.item()
    path = tmp_path / "anchors.jsonl"
    app.config["AUDIT_ANCHOR_PATH"] = str(path)
    take_anchor(path)
    line = json.loads(path.read_text())
    line["entry_hash"] = "f" * 64  # the anchor no longer agrees with the chain
    path.write_text(json.dumps(line) + "\n")
    auditor = login_as("auditor")
    auditor.post("/admin/audit/verify", {}, token_from="/admin/audit")
    verification_jobs.run_pending()  # flask jobs run
    assert "条记录处断开" in auditor.get("/admin/audit").text
    assert json.loads(entries("audit_verified")[0].detail)["ok"] is False


@pytest.mark.parametrize("who", ["secadmin", "sysadmin", "office"])
def test_only_the_audit_admin_verifies(world, login_as, who):
    browser = login_as(who)
    response = browser.client.post(
        "/admin/audit/verify", data={"csrf_token": browser.token("/account/password")}
    )
    assert response.status_code == 403 and entries("audit_verified") == []


def test_departments_listed_for_a_grant_are_the_bodys_own(world, login_as):
    World.build(credit_code="11000000MB0000002X")
    user = new_account(world)
    page = login_as("secadmin").get(f"/admin/roles/{user.id}").text
    own = db.session.scalars(
        select(Department.name).where(Department.body_id == world.body.id)
    ).all()
    assert all(name in page for name in own)
    assert page.count('name="led_departments"') == len(own)


# ------------------------------------------------------------------ an admin account's password


def test_an_admin_account_is_reset_only_by_the_deployment_command(world, runner, app):
    auditor = world.users["auditor"]
    session = Browser(app.test_client())
    assert session.login(auditor.username, world.password).status_code == 302
    weak = runner.invoke(args=["reset-password", auditor.username], input="short\nshort\n")
    assert weak.exit_code != 0 and "12" in weak.output
    new = "Temporary-Reset-2026!"
    result = runner.invoke(args=["reset-password", auditor.username], input=f"{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert session.get("/admin/audit").status_code == 302  # the old session has ended
    fresh_login = Browser(app.test_client())
    assert fresh_login.login(auditor.username, world.password).status_code == 401
    assert fresh_login.login(auditor.username, new).status_code == 302
    assert fresh_login.get("/admin/audit").headers["Location"].endswith("/account/password")
    (entry,) = entries("reset_password")
    assert json.loads(entry.detail)["via"] == "cli" and entry.actor_username.startswith("(flask")
    unknown = runner.invoke(args=["reset-password", "nobody"], input=f"{new}\n{new}\n")
    assert unknown.exit_code != 0 and "no account named nobody" in unknown.output


def test_the_grants_list_shows_business_accounts_and_filters_the_ungranted(world, login_as):
    new_account(world)
    secadmin = login_as("secadmin")
    page = secadmin.get("/admin/roles").text
    listed = set(re.findall(r'<tr data-username="([^"]+)"', page))
    assert "newcomer" in listed and world.users["officer"].username in listed
    assert not listed & {world.users[n].username for n in ("sysadmin", "auditor", "secadmin")}
    ungranted = secadmin.get("/admin/roles?role=none").text
    assert re.findall(r'<tr data-username="([^"]+)"', ungranted) == ["newcomer"]
    assert "未授权" in ungranted
    leaders = secadmin.get("/admin/roles?role=leader").text
    assert set(re.findall(r'<tr data-username="([^"]+)"', leaders)) == {
        world.users[n].username for n in ("leader", "leader_agri", "office_head")
    }


# ------------------------------------------------------------------ work nobody can take


def _unattended(page: str) -> list[str]:
    """The entries of the grants page's 有待办无人可以办理 card, as text."""
    if "data-unattended" not in page:
        return []
    card = page[
        page.index("data-unattended") : page.index("</section>", page.index("data-unattended"))
    ]
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", li)).split())
        for li in re.findall(r"<li[^>]*>(.*?)</li>", card, re.S)
    ]


def _grant(secadmin, user, roles, led=()):
    response = secadmin.post(
        f"/admin/roles/{user.id}",
        {"roles": roles, "led_departments": [d.id for d in led]},
        token_from=f"/admin/roles/{user.id}",
    )
    assert response.status_code == 303, response.text


def test_a_department_left_without_its_leader_is_named_until_someone_leads_it(world, login_as):
    world.to_state(world.item(), "pending_leader")
    world.to_state(world.item(), "pending_leader")
    secadmin = login_as("secadmin")
    assert _unattended(secadmin.get("/admin/roles").text) == []
    leader = world.users["leader"]
    civil, agri = world.departments["civil"], world.departments["agri"]
    _grant(secadmin, leader, ["leader"], [agri])  # moved to another department
    assert _unattended(secadmin.get("/admin/roles").text) == [
        "民政办 · 分管领导审批 ：2 条待办，没有启用的账号以“分管领导”身份分管该科室"
    ]
    assert login_as("leader").get("/").text.count('class="item-row"') == 0
    _grant(secadmin, world.users["leader_agri"], ["leader"], [agri, civil])  # the successor
    assert _unattended(secadmin.get("/admin/roles").text) == []
    assert login_as("leader_agri").get("/").text.count('class="item-row"') == 2


def test_a_body_wide_step_with_no_enabled_holder_is_named_in_either_language(world, login_as):
    world.to_state(world.item(), "pending_secrecy")
    world.to_state(world.item(), "approved")
    secadmin = login_as("secadmin")
    _grant(secadmin, world.users["secrecy"], ["officer"])
    assert _unattended(secadmin.get("/admin/roles").text) == []  # office_and_secrecy still holds it
    world.users["office_and_secrecy"].is_enabled = False  # the system admin disabled the account
    db.session.commit()
    _grant(secadmin, world.users["publisher"], ["officer"])
    assert _unattended(secadmin.get("/admin/roles").text) == [
        "保密审查 ：1 条待办，没有启用的账号担任“保密审查员”",
        "发布 ：1 条待办，没有启用的账号担任“发布员”",
    ]
    secadmin.post("/language", {"lang": "en"}, token_from="/admin/roles")
    assert _unattended(secadmin.get("/admin/roles").text) == [
        "Secrecy review : 1 waiting; no enabled account holds the role Secrecy reviewer",
        "Publish : 1 waiting; no enabled account holds the role Publisher",
    ]


def test_a_holder_barred_by_the_review_rules_does_not_count(world, login_as):
    """The only secrecy reviewer left also approved the item at the office in this round: the
    step has a holder, but nobody may sign this item off."""
    item = world.to_state(world.item(), "pending_office")
    world.act("office_and_secrecy", item, "approve")
    other = world.to_state(world.item(), "pending_secrecy")  # approved by another office auditor
    secadmin = login_as("secadmin")
    _grant(secadmin, world.users["secrecy"], ["officer"])
    assert _unattended(secadmin.get("/admin/roles").text) == [
        "保密审查 ：1 条待办，能办理的人都撰写过这些信息或已在本轮作出决定"
    ]
    sections = login_as("office_and_secrecy").get("/").text
    assert f"/items/{other.id}" in sections and f"/items/{item.id}" not in sections


def test_a_general_office_step_names_the_office_and_department_names_stay_text(world, login_as):
    world.add_step("office_head", "办公室分管负责人审核", "leader", 2, scope="general_office")
    world.departments["office"].name = "党政办<b>公室</b>"
    db.session.commit()
    item = world.to_state(world.item(), "pending_office")
    world.act("office", item, "approve")
    assert item.state == "pending_office_head"
    secadmin = login_as("secadmin")
    assert _unattended(secadmin.get("/admin/roles").text) == []
    _grant(secadmin, world.users["office_head"], ["leader"], [world.departments["agri"]])
    page = secadmin.get("/admin/roles").text
    assert _unattended(page) == [
        "党政办<b>公室</b> · 办公室分管负责人审核 ：1 条待办，没有启用的账号以“分管领导”身份分管该科室"
    ]
    assert "<b>公室</b>" not in page


def test_work_of_another_body_is_not_listed(world, login_as, app):
    other = World.build(credit_code="11000000MB0000002X")
    other.to_state(other.item(), "pending_leader")
    other.users["leader"].led_departments = []
    other.users["leader"].set_roles(["officer"])
    db.session.commit()
    world.to_state(world.item(), "pending_leader")
    assert _unattended(login_as("secadmin").get("/admin/roles").text) == []
    theirs = Browser(app.test_client())
    theirs.login(other.users["secadmin"].username, other.password)
    assert _unattended(theirs.get("/admin/roles").text) == [
        "民政办 · 分管领导审批 ：1 条待办，没有启用的账号以“分管领导”身份分管该科室"
    ]
