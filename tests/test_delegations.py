"""请假代理: a reviewer names a deputy for a date range; the deputy decides in their place while
it lasts, recorded as "X（代 Y）", and never more than the principal could, nor anything the
deputy could not decide themself (their own item, twice in a round).

In the world, ``leader`` leads 民政办 (civil), where ``officer`` writes; ``leader_agri`` is another
leader (农业农村办), ``office`` an 办公室审核 who sees every submitted item but has no right at the
leader's step. "Today" is the body's date, moved by the ``day`` fixture.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from approval import permissions
from approval.audit.trail import detail_of
from approval.core import clock
from approval.core.errors import Conflict, InvalidInput, NotFound
from approval.core.workflow import DECISIONS
from approval.delegations import operations as delegations
from approval.extensions import db
from approval.models import AuditEntry, Decision, Delegation, Item, Notification, chain_for
from approval.publication import queries
from tests.factories import CLEAR_CHECKLIST, World
from tests.helpers.pages import heading
from tests.helpers.queries import add_items, page_queries
from tests.helpers.stateful import ChainMachine
from tests.helpers.users import make_user

OWN_ITEM = "不能审批或发布自己撰写的信息"
TWICE = "您已在本轮审批中作出过决定，不能重复审批"
NO_RIGHT = "您没有执行此操作的权限"


@pytest.fixture
def day(monkeypatch):
    """The body's date, as the delegation rules and checks read it; ``day.move(days=n)``."""

    class Day:
        value = clock.local_today()

        def move(self, **delta):
            self.value += timedelta(**delta)

    current = Day()
    monkeypatch.setattr(clock, "local_today", lambda: current.value)
    return current


def delegate(
    world, principal="leader", deputy="leader_agri", role="leader", start=0, days=3, reason="出差"
):
    """A delegation from today + ``start`` for ``days`` days, made and committed."""
    starts_on = clock.local_today() + timedelta(days=start)
    made = delegations.create(
        world.users[principal],
        role,
        world.users[deputy].id,
        starts_on,
        starts_on + timedelta(days=days - 1),
        reason,
    )
    db.session.commit()
    return made


def approve(browser, item, action="approve", **fields):
    """Post the action as the item's page would (its version), whatever the page offers."""
    db.session.refresh(item)
    return browser.post(
        f"/items/{item.id}/act",
        {"action": action, "version": str(item.version), **fields},
        token_from="/",
    )


def inbox_ids(world, name) -> set[int]:
    user = world.users[name]
    return {
        i.id
        for s in queries.inbox_sections(user, chain_for(user.body_id))
        if s.key not in ("drafts", "publish")
        for i in s.items
    }


def decidable_ids(world, name) -> set[int]:
    """What permissions let ``name`` decide on now: the inbox must list exactly this."""
    user, chain = world.users[name], chain_for(world.body.id)
    return {
        i.id
        for i in db.session.scalars(select(Item).where(Item.body_id == world.body.id))
        if any(permissions.can(user, i, a, chain) for a in DECISIONS)
    }


# ---------------------------------------------------------------- the page


def test_a_leader_names_a_deputy_and_both_see_it_listed(world, login_as, day):
    leader = login_as("leader")
    page = leader.get("/delegations")
    assert page.status_code == 200 and "请假代理" in page.text
    options = page.text[page.text.index('name="deputy_id"') :]
    options = options[: options.index("</select>")]
    for name in ("leader_agri", "office", "secrecy", "office_head", "office_and_secrecy"):
        assert f"用户{name}（" in options, name
    for name in ("leader", "officer", "publisher", "sysadmin", "auditor", "secadmin"):
        assert f"用户{name}（" not in options, name  # self, no reviewer, admin accounts

    start = day.value + timedelta(days=1)
    response = leader.post(
        "/delegations",
        {
            "role": "leader",
            "deputy_id": str(world.users["leader_agri"].id),
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=6)).isoformat(),
            "reason": "赴省里学习",
        },
        token_from="/delegations",
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/delegations")
    given = leader.get("/delegations").text
    assert "用户leader_agri" in given and "赴省里学习" in given and 'data-status="future"' in given
    received = login_as("leader_agri").get("/delegations").text
    assert "委托给我的" in received and "用户leader" in received

    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "delegation_created")
    ).one()
    assert entry.actor_username == world.users["leader"].username
    assert detail_of(entry) | {"delegation_id": 0} == {
        "role": "leader",
        "delegation_id": 0,
        "reason": "赴省里学习",
        "principal": {"username": world.users["leader"].username, "display_name": "用户leader"},
        "deputy": {
            "username": world.users["leader_agri"].username,
            "display_name": "用户leader_agri",
        },
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=6)).isoformat(),
    }


@pytest.mark.parametrize("name", ["officer", "publisher", "sysadmin", "auditor", "secadmin"])
def test_the_page_is_for_reviewers_only(world, login_as, name):
    user = login_as(name)
    assert user.get("/delegations").status_code == 403
    assert user.post("/delegations", {"role": "leader"}, token_from="/").status_code == 403
    assert "/delegations" not in user.get("/").text  # no link
    assert 'href="/delegations"' in login_as("leader").get("/").text


def _form(world, **overrides):
    today = clock.local_today()
    data = {
        "role": "leader",
        "deputy_id": str(world.users["leader_agri"].id),
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=2)).isoformat(),
        "reason": "休假",
    }
    return {**data, **overrides}


def _deputy(world, name) -> str:
    """The deputy select's value for a kind of account."""
    if name == "disabled":
        world.users["office"].is_enabled = False
        db.session.commit()
        return str(world.users["office"].id)
    if name == "other_body":
        return str(World.build(credit_code="11000000MB0000002D").users["leader"].id)
    return str(world.users[name].id) if name in world.users else name


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"role": "secrecy_reviewer"}, "请选择您在审批流程中担任、可以委托的角色"),
        ({"role": ""}, "请选择委托的角色"),
        ({"deputy_id": ""}, "请选择代理人"),
        ({"deputy_id": "leader"}, "不能委托给自己"),
        ({"deputy_id": "officer"}, "代理人须是本单位的审批人员"),
        ({"deputy_id": "publisher"}, "代理人须是本单位的审批人员"),
        ({"deputy_id": "sysadmin"}, "代理人须是本单位的审批人员"),
        ({"deputy_id": "disabled"}, "用户office 的账号已停用，不能作为代理人"),
        ({"deputy_id": "other_body"}, "请选择代理人"),
        ({"deputy_id": "999999"}, "请选择代理人"),
        ({"starts_on": -1}, "开始日期不能早于今天"),
        ({"starts_on": ""}, "请填写开始日期"),
        ({"starts_on": "2026-13-40"}, "请输入有效的日期"),
        ({"ends_on": ""}, "请填写结束日期"),
        ({"starts_on": 3, "ends_on": 2}, "结束日期不能早于开始日期"),
        ({"starts_on": 0, "ends_on": 90}, "代理期限最长 90 天"),
        ({"reason": "长" * 201}, "事由不能超过200字"),
    ],
)
def test_a_refused_delegation_says_why_in_chinese_and_keeps_the_input(
    world, login_as, day, overrides, message
):
    typed = {
        key: (day.value + timedelta(days=value)).isoformat()
        if isinstance(value, int)
        else _deputy(world, value)
        if key == "deputy_id"
        else value
        for key, value in overrides.items()
    }
    leader = login_as("leader")
    response = leader.post("/delegations", _form(world, **typed), token_from="/delegations")
    assert response.status_code == 422, response.status_code
    assert message in response.text
    assert f'value="{typed.get("reason", "休假")}"' in response.text  # what was typed stays
    assert db.session.scalar(select(Delegation.id)) is None
    assert (
        db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "delegation_created"))
        is None
    )


def test_an_overlapping_delegation_of_the_same_role_is_a_conflict(world, login_as, day):
    delegate(world, deputy="office", start=2, days=5)  # today+2 … today+6
    leader = login_as("leader")
    clash = _form(
        world,
        starts_on=(day.value + timedelta(days=6)).isoformat(),
        ends_on=(day.value + timedelta(days=8)).isoformat(),
        reason="第二次出差",
    )
    response = leader.post("/delegations", clash, token_from="/delegations")
    assert response.status_code == 409
    assert "已委托给 用户office，代理期间不能重叠" in response.text
    assert 'value="第二次出差"' in response.text
    # the day after it ends is free; so are dates of a revoked one
    after = _form(
        world,
        starts_on=(day.value + timedelta(days=7)).isoformat(),
        ends_on=(day.value + timedelta(days=8)).isoformat(),
    )
    assert leader.post("/delegations", after, token_from="/delegations").status_code == 303
    first = db.session.scalars(select(Delegation).order_by(Delegation.id)).first()
    delegations.revoke(world.users["leader"], first.id)
    db.session.commit()
    assert leader.post("/delegations", clash, token_from="/delegations").status_code == 409
    again = _form(
        world,
        starts_on=(day.value + timedelta(days=2)).isoformat(),
        ends_on=(day.value + timedelta(days=6)).isoformat(),
    )
    assert leader.post("/delegations", again, token_from="/delegations").status_code == 303
    # another role of the same person is another delegation
    delegate(world, principal="office_and_secrecy", deputy="leader_agri", role="office_auditor")
    delegate(world, principal="office_and_secrecy", deputy="leader", role="secrecy_reviewer")


def test_only_the_principal_revokes_and_not_a_past_one(world, login_as, day):
    current, future = delegate(world), delegate(world, start=5)
    for name in ("leader_agri", "office"):  # the deputy, a colleague: as if it did not exist
        user = login_as(name)
        assert user.post(f"/delegations/{current.id}/revoke", {}, token_from="/").status_code == 404
    leader = login_as("leader")
    assert leader.post(f"/delegations/{future.id}/revoke", {}, token_from="/").status_code == 303
    page = leader.get("/delegations").text
    assert 'data-status="revoked"' in page and 'data-status="current"' in page
    assert leader.post(f"/delegations/{future.id}/revoke", {}, token_from="/").status_code == 409
    day.move(days=3)  # the current one ended yesterday
    response = leader.post(f"/delegations/{current.id}/revoke", {}, token_from="/")
    assert response.status_code == 409 and "已经结束" in response.text
    revoked = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "delegation_revoked")
    ).all()
    assert [detail_of(e)["status"] for e in revoked] == ["future"]
    with pytest.raises(NotFound):
        delegations.revoke(world.users["leader"], 999999)


# ---------------------------------------------------------------- deciding on someone's behalf


def test_a_deputy_approves_on_behalf_of_the_leader_and_the_record_says_so(world, login_as, day):
    delegate(world)
    item = world.to_state(world.item(), "pending_leader")
    deputy = login_as("leader_agri")
    assert item.id in inbox_ids(world, "leader_agri")
    page = deputy.get(f"/items/{item.id}").text
    assert 'name="action" value="approve"' in page and "data-acting-for=" in page
    assert approve(deputy, item, opinion="同意").status_code == 303

    decision = db.session.scalars(select(Decision).where(Decision.item_id == item.id)).one()
    assert (decision.actor_id, decision.on_behalf_of_id, decision.role) == (
        world.users["leader_agri"].id,
        world.users["leader"].id,
        "leader",
    )
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.item_id == item.id, AuditEntry.action == "approve")
    ).one()
    assert entry.actor_username == world.users["leader_agri"].username
    assert detail_of(entry)["on_behalf_of"] == {
        "username": world.users["leader"].username,
        "display_name": "用户leader",
    }
    history = login_as("auditor").get(f"/items/{item.id}/history").text
    assert "用户leader_agri（代 用户leader）" in history
    assert "用户leader_agri（代 用户leader）" in login_as("officer").get(f"/items/{item.id}").text
    # the principal's authority was used in this round: they do not decide again in it, either
    db.session.refresh(item)
    assert permissions.has_decided_in_round(world.users["leader"], item)


def test_outside_the_range_or_once_revoked_the_deputy_is_refused(world, login_as, day):
    """``office`` sees submitted items (the office step), so the refusal is a 403, not a 404."""
    future = delegate(world, deputy="office", start=1, days=2)
    item = world.to_state(world.item(), "pending_leader")

    def refused():
        response = approve(login_as("office"), item)
        assert response.status_code == 403 and NO_RIGHT in response.text
        assert item.id not in inbox_ids(world, "office")
        assert db.session.scalar(select(Decision.id).where(Decision.item_id == item.id)) is None

    refused()  # before it starts
    day.move(days=3)
    refused()  # after it ended
    day.move(days=-2)
    assert item.id in inbox_ids(world, "office")  # on its first day
    delegations.revoke(world.users["leader"], future.id)
    db.session.commit()
    refused()  # revoked
    # a deputy who could not see the item otherwise: it does not exist for them (404)
    assert approve(login_as("leader_agri"), item).status_code == 404


def test_a_deputy_never_approves_their_own_item_nor_twice_in_a_round(world, login_as, day):
    # a leader of 农业农村办 who also writes for 民政办, deputy of 民政办's leader
    make_user(world, "writer_leader", "civil", ["officer", "leader"], led=["agri"])
    delegate(world, deputy="writer_leader")
    own = world.to_state(world.item("writer_leader"), "pending_leader")
    response = approve(login_as("writer_leader"), own)
    assert response.status_code == 403 and OWN_ITEM in response.text
    assert own.id not in inbox_ids(world, "writer_leader")

    # office decides in its own right, then may not sign off as the secrecy reviewer's deputy
    delegate(world, principal="secrecy", deputy="office", role="secrecy_reviewer")
    item = world.to_state(world.item(), "pending_office")
    assert approve(login_as("office"), item).status_code == 303
    db.session.refresh(item)
    assert item.state == "pending_secrecy" and item.id not in inbox_ids(world, "office")
    response = approve(
        login_as("office"), item, "sign_off", opinion="同意", **{q: "no" for q in CLEAR_CHECKLIST}
    )
    assert response.status_code == 403 and TWICE in response.text


def test_a_decision_taken_for_someone_counts_as_theirs_in_the_round(world, login_as, day):
    """office_and_secrecy hands its 办公室审核 to leader_agri; once the deputy approved for it,
    it may not also sign off the same round as 保密审查员."""
    delegate(world, principal="office_and_secrecy", deputy="leader_agri", role="office_auditor")
    item = world.to_state(world.item(), "pending_office")
    assert approve(login_as("leader_agri"), item).status_code == 303
    db.session.refresh(item)
    assert item.state == "pending_secrecy"
    assert item.id not in inbox_ids(world, "office_and_secrecy")
    assert item.id in inbox_ids(world, "secrecy")
    response = approve(
        login_as("office_and_secrecy"),
        item,
        "sign_off",
        opinion="同意",
        **{q: "no" for q in CLEAR_CHECKLIST},
    )
    assert response.status_code == 403 and TWICE in response.text


def test_the_principals_own_item_is_not_approved_on_their_behalf(world, login_as, day):
    make_user(world, "writing_leader", "civil", ["officer", "leader"], led=["civil"])
    delegate(world, principal="writing_leader", deputy="leader_agri")
    item = world.to_state(world.item("writing_leader"), "pending_leader")
    deputy = login_as("leader_agri")
    page = deputy.get(f"/items/{item.id}")  # the principal's department
    assert page.status_code == 200 and heading(page.text) == item.current_revision.title
    response = approve(deputy, item)
    assert response.status_code == 403 and NO_RIGHT in response.text
    assert item.id not in inbox_ids(world, "leader_agri")
    assert approve(login_as("leader"), item).status_code == 303  # the other leader of 民政办


def test_the_deputys_inbox_lists_exactly_what_they_may_decide(world, login_as, day):
    delegate(world, deputy="office")  # 民政办's leader step
    delegate(world, principal="leader_agri", deputy="office", start=1)  # not yet
    make_user(world, "writing_leader", "civil", ["officer", "leader"], led=["civil"])
    civil = world.to_state(world.item(title="民政办待审"), "pending_leader")
    world.act("officer_agri", world.item("officer_agri", title="农业办待审"), "submit")
    world.to_state(world.item(title="待办公室审核"), "pending_office")
    world.to_state(world.item(title="待保密审查"), "pending_secrecy")
    world.to_state(world.item("writing_leader"), "pending_leader")
    world.act(
        "leader",
        world.to_state(world.item(title="被退回"), "pending_leader"),
        "return",
        opinion="补充",
    )

    listed = inbox_ids(world, "office")
    assert civil.id in listed and listed == decidable_ids(world, "office")
    sections = {
        s.key: s.count
        for s in queries.inbox_sections(world.users["office"], chain_for(world.body.id))
    }
    assert sections == {"leader": 2, "office": 1}  # civil twice: its own and writing_leader's
    for name in ("leader", "leader_agri", "secrecy", "office_and_secrecy", "writing_leader"):
        assert inbox_ids(world, name) == decidable_ids(world, name), name
    page = login_as("office").get("/").text
    assert "民政办待审" in page and "农业办待审" not in page


def test_submission_notifies_the_deputies_of_the_first_step(world, day):
    delegate(world)  # active
    delegate(world, deputy="office", start=3)  # not yet
    item = world.to_state(world.item(), "pending_leader")
    told = set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.item_id == item.id, Notification.kind == "submitted_to_you"
            )
        )
    )
    assert told == {world.users["leader"].id, world.users["leader_agri"].id}


def test_the_deputy_is_told_when_named_and_when_the_delegation_is_revoked(world, login_as, day):
    start = day.value + timedelta(days=1)
    end = start + timedelta(days=6)
    leader = login_as("leader")
    assert (
        leader.post(
            "/delegations",
            {
                "role": "leader",
                "deputy_id": str(world.users["leader_agri"].id),
                "starts_on": start.isoformat(),
                "ends_on": end.isoformat(),
                "reason": "赴省里学习",
            },
            token_from="/delegations",
        ).status_code
        == 303
    )
    deputy = login_as("leader_agri")
    page = deputy.get("/notifications").text
    assert f"用户leader 请您在 {start} 至 {end} 代理其“分管领导”审批（事由：赴省里学习）" in page
    assert 'data-kind="delegated"' in page and 'data-unread-total="1"' in page
    (made,) = db.session.scalars(select(Delegation)).all()
    assert leader.post(f"/delegations/{made.id}/revoke", {}, token_from="/").status_code == 303
    page = deputy.get("/notifications").text
    assert f"用户leader 已撤销请您在 {start} 至 {end} 代理其“分管领导”审批的委托" in page
    assert 'data-unread-total="2"' in page
    told = db.session.scalars(
        select(Notification.user_id).where(
            Notification.kind.in_(["delegated", "delegation_revoked"])
        )
    ).all()
    assert told == [world.users["leader_agri"].id] * 2  # the principal is not told
    deputy.post("/language", {"lang": "en"}, token_from="/notifications")
    english = deputy.get("/notifications").text
    assert (
        f"用户leader asks you to act as their Supervising leader from {start} to {end} "
        "(reason: 赴省里学习)"
    ) in english
    assert (
        f"用户leader revoked your delegation as their Supervising leader ({start} to {end})"
        in english
    )


def test_the_deputys_name_and_the_principals_are_escaped(world, login_as, day):
    world.users["leader"].display_name = "张<b>三</b>"
    db.session.commit()
    delegate(world)
    item = world.to_state(world.item(), "pending_leader")
    assert approve(login_as("leader_agri"), item).status_code == 303
    history = login_as("auditor").get(f"/items/{item.id}/history").text
    assert "（代 张&lt;b&gt;三&lt;/b&gt;）" in history and "<b>三" not in history


def test_the_service_refuses_what_the_form_would(app, world, day):
    with app.test_request_context(), pytest.raises(InvalidInput) as refused:  # messages: gettext
        delegations.create(
            world.users["leader"],
            "leader",
            world.users["leader_agri"].id,
            day.value,
            day.value + timedelta(days=90),
            "",
        )
    assert refused.value.field == "ends_on"
    delegate(world, days=90)
    with app.test_request_context(), pytest.raises(Conflict):
        delegate(world, deputy="office", start=89, days=1)
    assert (
        delegations.active_for_deputy(world.users["leader_agri"], day.value + timedelta(days=90))
        == []
    )


# ---------------------------------------------------------------- cheap lists, sound walks


@pytest.mark.parametrize("path", ["/", "/items/{id}", "/items/{id}/history", "/delegations"])
def test_a_deputys_pages_cost_the_same_whatever_the_number_of_items(
    world, login_as, client, day, path
):
    delegate(world)
    delegate(world, principal="office_and_secrecy", deputy="leader_agri", role="secrecy_reviewer")

    def more(n):
        made = add_items(world, n)
        for i in range(n):
            made.append(world.to_state(world.item(title=f"待分管领导审批{i}"), "pending_leader"))
        return made

    target = more(2)[0].id  # pending_office: the deputy sees it through the leader's step
    path = path.format(id=target)
    few = page_queries(login_as, client, "leader_agri", path)
    more(6)
    many = page_queries(login_as, client, "leader_agri", path)
    assert many == few, f"{path}: {few} queries with few items, {many} with more"
    # the inbox has one section more than a leader's (the delegated 保密审查): its count and page
    assert few <= (17 if path == "/" else 15), f"{path}: {few} queries"


def test_random_actions_with_deputies_keep_the_chain_sound(app):
    """tests/test_stateful.py's random walk (tests/helpers/stateful.py), with a deputy at every
    step of the chain: what an item page offers is never refused, refusals change nothing, the
    trail stays exact."""
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import initialize, run_state_machine_as_test

    class DelegatedChainMachine(ChainMachine):
        @initialize()
        def a_new_body(self):
            super().a_new_body()
            today = clock.local_today()
            for principal, deputy, role in (
                ("leader", "leader_agri", "leader"),
                ("office", "office_head", "office_auditor"),
                ("secrecy", "office", "secrecy_reviewer"),
            ):
                delegations.create(
                    self.world.users[principal], role, self.world.users[deputy].id, today, today, ""
                )
            db.session.commit()

    run_state_machine_as_test(
        DelegatedChainMachine,
        settings=settings(
            max_examples=8,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    assert db.session.scalar(select(Decision.id).where(Decision.on_behalf_of_id.is_not(None)))


@pytest.mark.parametrize(
    "change",
    [
        "principal disabled",
        "principal loses the role",
        "principal no longer leads the department",
        "deputy loses every reviewer role",
    ],
)
def test_a_delegation_lapses_when_either_side_no_longer_qualifies(world, login_as, day, change):
    """A delegation hands over what the principal may do today, and only to a reviewer: when the
    principal is disabled, loses the role or the department, or the deputy stops being a
    reviewer, the deputy is refused and the item leaves their inbox, over HTTP."""
    delegate(world)
    item = world.to_state(world.item(), "pending_leader")
    assert item.id in inbox_ids(world, "leader_agri")
    principal, deputy = world.users["leader"], world.users["leader_agri"]
    if change == "principal disabled":
        principal.is_enabled = False
    elif change == "principal loses the role":
        principal.set_roles([])
    elif change == "principal no longer leads the department":
        principal.led_departments = [world.departments["agri"]]
    else:
        deputy.set_roles(["officer"])
    db.session.commit()
    assert item.id not in inbox_ids(world, "leader_agri")
    assert approve(login_as("leader_agri"), item).status_code in (403, 404)
    assert db.session.scalar(select(Decision.id).where(Decision.item_id == item.id)) is None


def test_the_secrecy_form_names_the_principal_of_a_deputys_sign_off(world, login_as, day):
    """The 保密审查单 is the formal record of the review: a deputy's sign-off reads
    "X（代 Y）" there too, on the page and in the downloaded document."""
    delegate(world, principal="secrecy", deputy="leader_agri", role="secrecy_reviewer")
    item = world.to_state(world.item(), "pending_secrecy")
    response = approve(
        login_as("leader_agri"),
        item,
        "sign_off",
        opinion="同意公开",
        **{q: "no" for q in CLEAR_CHECKLIST},
    )
    assert response.status_code == 303, response.text
    page = login_as("secrecy").get(f"/items/{item.id}/secrecy-form").text
    assert "用户leader_agri（代 用户secrecy）" in page
