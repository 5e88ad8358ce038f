"""The system admin's pages (系统管理员, 三员分立): the body's accounts and departments.

Only an active sysadmin reaches them; business users, the security admin and the audit admin get
403 on every page and every POST. The sysadmin makes accounts without roles (the security admin
grants them), whose first password must be changed at the first login; disables (ending every
session at once), enables, resets passwords (ending sessions, clearing a lock) and unlocks; never
touches an admin account or another body's; keeps the departments, deleting only unused ones.
Every change is one audit entry saying what changed. Everything goes through the real pages
with real CSRF tokens, and the accounts log in through the real login form.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from approval.accounts import password_change as accounts
from approval.accounts import user_admin
from approval.core.clock import utcnow
from approval.core.errors import InvalidInput
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, Department, Notification, User
from approval.models.users import LoginFailure
from tests.conftest import Browser
from tests.db_snapshot import changed_tables, snapshot
from tests.factories import World, _with_password
from tests.helpers.mail import mail_on
from tests.helpers.pages import signed_in_as

USERS, NEW, DEPARTMENTS = "/admin/users", "/admin/users/new", "/admin/departments"
GOOD_PASSWORD = "Kx9#mPq2!vLw"
OTHER_PASSWORD = "Tq7$wRz4@nBe"
ACCOUNT_ACTIONS = (
    "create_user",
    "update_user",
    "disable_user",
    "enable_user",
    "reset_password",
    "unlock_user",
    "create_department",
    "update_department",
    "delete_department",
)


# ---------------------------------------------------------------- helpers


def entries(*actions: str) -> list[AuditEntry]:
    db.session.rollback()  # see what the requests committed
    return db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action.in_(actions or ACCOUNT_ACTIONS))
        .order_by(AuditEntry.id)
    ).all()


def detail(entry: AuditEntry) -> dict:
    return json.loads(entry.detail)


def fresh(user: User) -> User:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(User, user.id)


def field_errors(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", e)
        for e in re.findall(r'class="field-error"[^>]*>(.*?)</p>', html, re.S)
    ]


def create(
    b: Browser,
    username="zhang.san",
    name="张三",
    department=None,
    password=GOOD_PASSWORD,
    repeat=None,
    **extra,
):
    return b.post(
        NEW,
        {
            "username": username,
            "display_name": name,
            "department_id": "" if department is None else str(department),
            "password": password,
            "repeat_password": password if repeat is None else repeat,
            **extra,
        },
        token_from=NEW,
    )


def account_url(user) -> str:
    return f"{USERS}/{user.id}"


def login(app, username: str, password: str):
    return Browser(app.test_client()).login(username, password)


def add_user(world, username: str, department: str = "civil", roles=("officer",)) -> User:
    user = User(
        username=username,
        display_name=f"用户{username}",
        body=world.body,
        department=world.departments[department],
    )
    _with_password(user)
    user.set_roles(roles)
    db.session.add(user)
    db.session.commit()
    return user


def posts_for(user: User, department: Department) -> list[tuple[str, dict]]:
    """Every POST route of the pages, with a request that would succeed for the sysadmin."""
    return [
        (
            NEW,
            {
                "username": "intruder",
                "display_name": "越权",
                "department_id": department.id,
                "password": GOOD_PASSWORD,
                "repeat_password": GOOD_PASSWORD,
            },
        ),
        (account_url(user), {"display_name": "改名", "department_id": department.id}),
        (f"{account_url(user)}/disable", {}),
        (f"{account_url(user)}/enable", {}),
        (f"{account_url(user)}/unlock", {}),
        (
            f"{account_url(user)}/password",
            {"reset-password": GOOD_PASSWORD, "reset-repeat_password": GOOD_PASSWORD},
        ),
        (DEPARTMENTS, {"new-name": "越权科室", "new-position": ""}),
        (
            f"{DEPARTMENTS}/{department.id}",
            {f"d{department.id}-name": "改名科室", f"d{department.id}-position": "5"},
        ),
        (f"{DEPARTMENTS}/{department.id}/delete", {}),
    ]


@pytest.fixture
def sysadmin(login_as):
    return login_as("sysadmin")


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize(
    "who",
    [
        "officer",
        "leader",
        "office",
        "secrecy",
        "publisher",
        "office_and_secrecy",
        "secadmin",
        "auditor",
    ],
)
def test_nobody_but_the_sysadmin_reaches_the_pages(world, login_as, who):
    officer = world.users["officer_b"]
    empty = Department(body=world.body, name="空科室", position=9)
    db.session.add(empty)
    db.session.commit()
    b = login_as(who)
    for url in (USERS, NEW, account_url(officer), DEPARTMENTS):
        assert b.get(url).status_code == 403, url
    token = b.token("/")
    before = snapshot()
    for url, data in posts_for(officer, empty):
        response = b.client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 403, (who, url, response.status_code)
    assert changed_tables(before, snapshot()) == {}
    home = b.get("/").text
    assert f'href="{USERS}"' not in home and f'href="{DEPARTMENTS}"' not in home


def test_visitors_are_sent_to_the_login_page(app, world):
    b = Browser(app.test_client())
    for url in (USERS, NEW, account_url(world.users["officer"]), DEPARTMENTS):
        response = b.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_disabled_sysadmin_is_refused(world):
    sysadmin = world.users["sysadmin"]
    from approval import permissions

    assert permissions.can_manage_accounts(sysadmin)
    assert permissions.can_manage_accounts(sysadmin, world.body.id)
    assert not permissions.can_manage_accounts(sysadmin, world.body.id + 1)
    assert not permissions.can_manage_accounts(world.users["secadmin"])
    assert not permissions.can_manage_accounts(None)
    sysadmin.is_enabled = False
    assert not permissions.can_manage_accounts(sysadmin)


def test_the_admin_home_links_the_pages(sysadmin):
    home = sysadmin.get("/").text
    assert f'href="{USERS}"' in home and f'href="{DEPARTMENTS}"' in home


# ---------------------------------------------------------------- creating an account


def test_a_new_account_has_no_roles_and_must_change_its_password(app, world, sysadmin):
    civil = world.departments["civil"]
    response = create(sysadmin, "Zhang.San-2", "张三", civil.id, roles="officer")  # ignored
    assert response.status_code == 303
    account = db.session.scalar(select(User).where(User.username == "Zhang.San-2"))
    assert response.headers["Location"].endswith(account_url(account))
    assert account.body_id == world.body.id and account.department_id == civil.id
    assert account.display_name == "张三" and account.roles == frozenset()
    assert account.must_change_password and account.check_password(GOOD_PASSWORD)
    assert account.is_enabled and account.locked_until is None

    (entry,) = entries("create_user")
    assert entry.actor_username == world.users["sysadmin"].username
    assert entry.body_id == world.body.id
    assert detail(entry) == {
        "role": "sysadmin",
        "username": "Zhang.San-2",
        "display_name": "张三",
        "department": "民政办",
        "roles": [],
        "must_change_password": True,
        "via": "web",
    }
    assert GOOD_PASSWORD not in entry.detail and account.password_hash not in entry.detail

    page = sysadmin.get(account_url(account)).text
    assert "未授权" in page and "须修改密码" in page
    listing = sysadmin.get(USERS).text
    row = re.search(r'<tr data-username="Zhang.San-2">(.*?)</tr>', listing, re.S).group(1)
    assert "张三" in row and "民政办" in row and "未授权" in row and "须修改密码" in row

    # the owner logs in through the real form and must choose a password before anything else
    owner = Browser(app.test_client())
    assert owner.login("Zhang.San-2", GOOD_PASSWORD).status_code == 302
    assert owner.get("/").headers["Location"].endswith("/account/password")
    changed = owner.post(
        "/account/password",
        {
            "current_password": GOOD_PASSWORD,
            "new_password": OTHER_PASSWORD,
            "repeat_password": OTHER_PASSWORD,
        },
        token_from="/account/password",
    )
    assert changed.status_code == 302
    home = owner.get("/")
    assert home.status_code == 200 and signed_in_as(home.text) == "张三"
    assert "密码已修改" in home.text
    assert not fresh(account).must_change_password


def test_a_username_is_taken_whatever_its_case_and_the_form_keeps_what_was_typed(world, sysadmin):
    taken = world.users["officer"].username.upper()
    before = snapshot()
    response = create(sysadmin, taken, "王五", world.departments["agri"].id)
    assert response.status_code == 422
    assert field_errors(response.text) == [
        f"用户名“{world.users['officer'].username}”已被使用，请换一个"
    ]
    assert f'value="{taken}"' in response.text and 'value="王五"' in response.text
    assert re.search(
        rf'<option selected value="{world.departments["agri"].id}"|'
        rf'<option value="{world.departments["agri"].id}" selected',
        response.text,
    )
    assert GOOD_PASSWORD not in response.text  # a password is never sent back
    assert changed_tables(before, snapshot()) == {}


def test_a_weak_password_is_refused_with_the_policy_messages(world, sysadmin):
    before = snapshot()
    response = create(
        sysadmin,
        "wangwu",
        "王五",
        world.departments["civil"].id,
        password="wangwu1",
        repeat="wangwu2",
    )
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert "密码至少需要 12 个字符" in errors[0]
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 类" in errors[0]
    assert "密码不能包含用户名" in errors[0]
    assert errors[1] == "两次输入的密码不一致"
    assert 'value="wangwu"' in response.text and 'value="王五"' in response.text
    assert "wangwu1" not in response.text and "wangwu2" not in response.text

    common = create(
        sysadmin, "wangwu", "王五", world.departments["civil"].id, password="Password@2026"
    )
    assert common.status_code == 422 and "该密码过于常见" in common.text
    assert changed_tables(before, snapshot()) == {}


def test_every_missing_field_is_named_at_once(sysadmin):
    before = snapshot()
    response = create(sysadmin, "ab", "", None, password="", repeat="")
    assert response.status_code == 422
    assert field_errors(response.text) == [
        "用户名须为 3–64 个字符",
        "请填写姓名",
        "请选择科室",
        "请输入密码",
        "请再次输入密码",
    ]
    bad = create(sysadmin, "张三", "张三", 999999)
    assert bad.status_code == 422 and "所选科室不存在" in bad.text
    assert "用户名只能包含字母、数字" in bad.text
    assert changed_tables(before, snapshot()) == {}


def test_another_bodys_department_cannot_be_chosen(app, world, sysadmin):
    other = World.build(credit_code="11000000MB0000002X")
    response = create(sysadmin, "lisi", "李四", other.departments["civil"].id)
    assert response.status_code == 422 and "所选科室不存在" in response.text
    assert db.session.scalar(select(User).where(User.username == "lisi")) is None


# ---------------------------------------------------------------- disable, enable


def test_disabling_ends_the_sessions_at_once_and_refuses_logins(app, world, sysadmin, login_as):
    officer = world.users["officer"]
    signed_in = login_as("officer")
    home = signed_in.get("/")
    assert home.status_code == 200 and signed_in_as(home.text) == officer.display_name

    response = sysadmin.post(f"{account_url(officer)}/disable", {}, token_from=account_url(officer))
    assert response.status_code == 303
    assert signed_in.get("/").status_code == 302  # the copied cookie stopped working
    assert "/login" in signed_in.get("/items/new").headers["Location"]
    assert login(app, officer.username, world.password).status_code == 401
    assert not fresh(officer).is_enabled
    (entry,) = entries("disable_user")
    assert detail(entry) == {
        "role": "sysadmin",
        "username": officer.username,
        "display_name": officer.display_name,
        "changes": {"is_enabled": [True, False]},
        "sessions_ended": True,
    }
    listing = sysadmin.get(f"{USERS}?status=disabled").text
    assert f'data-username="{officer.username}"' in listing and "已停用" in listing

    again = sysadmin.post(f"{account_url(officer)}/disable", {}, token_from=account_url(officer))
    assert again.status_code == 303 and len(entries("disable_user")) == 1  # nothing to do

    enabled = sysadmin.post(f"{account_url(officer)}/enable", {}, token_from=account_url(officer))
    assert enabled.status_code == 303
    assert login(app, officer.username, world.password).status_code == 302
    (entry,) = entries("enable_user")
    assert detail(entry)["changes"] == {"is_enabled": [False, True]}


# ---------------------------------------------------------------- passwords and locks


def lock(user: User, failures: int = 2) -> None:
    user = fresh(user)
    user.locked_until = utcnow() + timedelta(minutes=30)
    db.session.add_all(LoginFailure(user_id=user.id, failed_at=utcnow()) for _ in range(failures))
    db.session.commit()


def test_resetting_a_password(app, world, sysadmin, login_as):
    officer = world.users["officer"]
    signed_in = login_as("officer")
    lock(officer)
    url = account_url(officer)
    assert "解除锁定" in sysadmin.get(url).text

    weak = sysadmin.post(
        f"{url}/password",
        {"reset-password": "short", "reset-repeat_password": "short"},
        token_from=url,
    )
    assert weak.status_code == 422 and "密码至少需要 12 个字符" in weak.text
    assert 'value="short"' not in weak.text  # a password is never sent back
    username_in = sysadmin.post(
        f"{url}/password",
        {
            "reset-password": f"{officer.username}#X1",
            "reset-repeat_password": f"{officer.username}#X1",
        },
        token_from=url,
    )
    assert username_in.status_code == 422 and "密码不能包含用户名" in username_in.text
    assert fresh(officer).check_password(world.password) and not entries("reset_password")

    response = sysadmin.post(
        f"{url}/password",
        {"reset-password": GOOD_PASSWORD, "reset-repeat_password": GOOD_PASSWORD},
        token_from=url,
    )
    assert response.status_code == 303
    account = fresh(officer)
    assert account.locked_until is None and user_admin.failure_count(account) == 0
    assert account.must_change_password
    assert signed_in.get("/").status_code == 302  # every session ended
    assert login(app, officer.username, world.password).status_code == 401
    owner = Browser(app.test_client())
    assert owner.login(officer.username, GOOD_PASSWORD).status_code == 302
    assert owner.get("/").headers["Location"].endswith("/account/password")
    (entry,) = entries("reset_password")
    changes = detail(entry)["changes"]
    assert changes["must_change_password"] == [False, True]
    assert changes["locked_until"][1] is None and changes["login_failures"] == [2, 0]
    assert detail(entry)["sessions_ended"] is True and detail(entry)["username"] == officer.username
    assert GOOD_PASSWORD not in entry.detail


def test_unlocking(app, world, sysadmin):
    officer = world.users["officer"]
    lock(officer, failures=3)
    assert login(app, officer.username, world.password).status_code == 401
    listing = sysadmin.get(f"{USERS}?status=locked").text
    assert f'data-username="{officer.username}"' in listing and "已锁定" in listing
    assert 'data-username="' + world.users["leader"].username not in listing

    url = account_url(officer)
    assert sysadmin.post(f"{url}/unlock", {}, token_from=url).status_code == 303
    account = fresh(officer)
    assert account.locked_until is None and user_admin.failure_count(account) == 0
    assert login(app, officer.username, world.password).status_code == 302
    (entry,) = entries("unlock_user")
    assert detail(entry)["changes"]["login_failures"] == [3, 0]
    assert detail(entry)["changes"]["locked_until"][1] is None
    assert f'action="{url}/unlock"' not in sysadmin.get(url).text  # the button is gone
    assert sysadmin.post(f"{url}/unlock", {}, token_from=url).status_code == 303
    assert len(entries("unlock_user")) == 1  # not locked: nothing to do, nothing audited


# ---------------------------------------------------------------- editing


def test_editing_the_name_and_department(app, world, sysadmin, login_as):
    officer = world.users["officer"]
    url = account_url(officer)
    agri = world.departments["agri"]
    world.item(title="民政的信息")
    world.item("officer_agri", title="农业的信息")
    # an account with roles does not move: what it may do follows its department (三员分立:
    # the security admin's decision)
    refused = sysadmin.post(
        url, {"display_name": " 李新名 ", "department_id": agri.id}, token_from=url
    )
    assert refused.status_code == 409 and "请安全管理员先取消它的角色" in refused.text
    assert fresh(officer).department_id == world.departments["civil"].id
    assert not entries("update_user")
    secadmin = login_as("secadmin")
    roles_url = f"/admin/roles/{officer.id}"
    assert secadmin.post(roles_url, {}, token_from=roles_url).status_code == 303  # none left
    response = sysadmin.post(
        url, {"display_name": " 李新名 ", "department_id": agri.id}, token_from=url
    )
    assert response.status_code == 303
    assert secadmin.post(roles_url, {"roles": ["officer"]}, token_from=roles_url).status_code == 303
    account = fresh(officer)
    assert account.display_name == "李新名" and account.department_id == agri.id
    (entry,) = entries("update_user")
    assert detail(entry)["changes"] == {
        "display_name": ["用户officer", "李新名"],
        "department": ["民政办", "农业农村办"],
    }
    assert detail(entry)["fields"] == ["display_name", "department"]
    # the officer now works in the new department: its items, not the old one's
    page = login_as("officer").get("/department").text
    assert "农业的信息" in page and "民政的信息" not in page

    same = sysadmin.post(url, {"display_name": "李新名", "department_id": agri.id}, token_from=url)
    assert same.status_code == 303 and len(entries("update_user")) == 1

    empty = sysadmin.post(url, {"display_name": "", "department_id": ""}, token_from=url)
    assert empty.status_code == 422
    assert field_errors(empty.text) == ["请填写姓名", "请选择科室"]


# ---------------------------------------------------------------- e-mail address


def edit(b: Browser, user: User, **changes):
    """The account page's form as the sysadmin would send it: what it shows, with ``changes``."""
    account = fresh(user)
    url = account_url(account)
    data = {
        "display_name": account.display_name,
        "department_id": str(account.department_id),
        "email": account.email or "",
        **changes,
    }
    return b.post(url, data, token_from=url)


def audit_rows(world, login_as, action: str) -> str:
    """The audit admin's trail of ``action``, its rows as text."""
    page = login_as("auditor").get(f"/admin/audit?action={action}").text
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split("<tbody>")[1]))


def email_shown(html: str) -> list[str]:
    return re.findall(r'<span class="(?:meta )?account-email">([^<]*)</span>', html)


def email_input(html: str) -> str:
    """The value of the form's e-mail field."""
    return re.search(r'<input [^>]*name="email" [^>]*type="email" value="([^"]*)"', html).group(1)


def test_a_new_account_with_an_email_address(world, sysadmin):
    civil = world.departments["civil"]
    response = create(sysadmin, "wang.er", "王二", civil.id, email="  Wang.Er@Mail.Example.GOV.cn ")
    assert response.status_code == 303
    account = db.session.scalar(select(User).where(User.username == "wang.er"))
    assert account.email == "Wang.Er@mail.example.gov.cn"  # trimmed; the domain in lower case
    (entry,) = entries("create_user")
    assert detail(entry)["email"] == "Wang.Er@mail.example.gov.cn"
    page = sysadmin.get(account_url(account)).text
    assert email_shown(page) == ["Wang.Er@mail.example.gov.cn"]
    assert email_input(page) == "Wang.Er@mail.example.gov.cn"
    assert "仅用于接收本系统的通知邮件" in page
    listing = sysadmin.get(USERS).text
    row = re.search(r'<tr data-username="wang.er">(.*?)</tr>', listing, re.S).group(1)
    assert email_shown(row) == ["Wang.Er@mail.example.gov.cn"]

    # the address is optional: blank (spaces included) is none, and the audit detail says nothing
    assert create(sysadmin, "li.si", "李四", civil.id, email="   ").status_code == 303
    assert db.session.scalar(select(User.email).where(User.username == "li.si")) is None
    assert "email" not in detail(entries("create_user")[-1])
    assert email_shown(sysadmin.get(USERS).text) == ["Wang.Er@mail.example.gov.cn"]
    # no uniqueness: two accounts may share an office mailbox
    assert (
        create(
            sysadmin, "zhao.wu", "赵五", civil.id, email="wang.er@MAIL.example.gov.cn"
        ).status_code
        == 303
    )
    assert (
        db.session.scalar(select(User.email).where(User.username == "zhao.wu"))
        == "wang.er@mail.example.gov.cn"
    )


def test_changing_and_clearing_an_email_address_is_audited(world, sysadmin, login_as):
    officer = world.users["officer"]
    url = account_url(officer)
    assert email_input(sysadmin.get(url).text) == ""

    set_ = edit(sysadmin, officer, email="Li.Ming@Civil.Example.gov.cn")
    assert set_.status_code == 303 and "已保存账号信息" in sysadmin.get(url).text
    assert fresh(officer).email == "Li.Ming@civil.example.gov.cn"
    changed = edit(sysadmin, officer, email=" liming@qq.com ")
    assert changed.status_code == 303 and fresh(officer).email == "liming@qq.com"
    unchanged = edit(sysadmin, officer)
    assert unchanged.status_code == 303 and "账号信息没有变化" in sysadmin.get(url).text
    cleared = edit(sysadmin, officer, email="")
    assert cleared.status_code == 303 and fresh(officer).email is None
    assert email_shown(sysadmin.get(url).text) == []

    first, second, third = entries("update_user")  # one per change, none for "no change"
    assert detail(first)["changes"] == {"email": [None, "Li.Ming@civil.example.gov.cn"]}
    assert detail(first)["fields"] == ["email"]
    assert detail(first)["username"] == officer.username
    assert detail(second)["changes"] == {"email": ["Li.Ming@civil.example.gov.cn", "liming@qq.com"]}
    assert detail(third)["changes"] == {"email": ["liming@qq.com", None]}
    # the audit admin reads each change, before → after
    trail = audit_rows(world, login_as, "update_user")
    assert "email: — → Li.Ming@civil.example.gov.cn" in trail
    assert "email: Li.Ming@civil.example.gov.cn → liming@qq.com" in trail
    assert "email: liming@qq.com → —" in trail


BAD_ADDRESSES = [
    "zhangsan",
    "zhangsan@localhost",
    "@example.gov.cn",
    "zhang@san@example.gov.cn",
    "zhang san@example.gov.cn",
    "zhangsan@example.gov.cn\u200b",
    "zhang\tsan@x.cn",
    "zhangsan@example..gov.cn",
    "zhangsan@.example.cn",
    "zhangsan@example.cn.",
    "zhang..san@example.cn",
    ".zhangsan@example.cn",
    "张三@example.gov.cn",
    "zhangsan@例子.中国",
    "zhangsan＠example.gov.cn",
    "张三 <zhangsan@example.cn>",
    '"zhang san"@example.cn',
    "zhangsan@[10.0.0.1]",
    "zhangsan@-example.cn",
]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_an_invalid_email_address_is_refused_and_kept(world, sysadmin, address):
    before = snapshot()
    created = create(sysadmin, "zhou.liu", "", world.departments["civil"].id, email=address)
    assert created.status_code == 422
    assert field_errors(created.text) == ["请填写姓名", "电子邮箱格式不正确"]  # both at once
    assert 'id="email-error"' in created.text
    assert f'value="{escape(address)}"' in created.text  # kept as typed

    edited = edit(sysadmin, world.users["officer"], display_name="改了名", email=address)
    assert edited.status_code == 422
    assert field_errors(edited.text) == ["电子邮箱格式不正确"]
    assert f'value="{escape(address)}"' in edited.text and 'value="改了名"' in edited.text
    both = edit(sysadmin, world.users["officer"], display_name="", email=address)
    assert both.status_code == 422
    assert field_errors(both.text) == ["请填写姓名", "电子邮箱格式不正确"]
    assert changed_tables(before, snapshot()) == {}


def test_the_service_itself_refuses_an_invalid_address(app, world):
    """Not only the page: whoever calls the service gets the same refusal, and nothing changes."""
    sysadmin, officer = world.users["sysadmin"], world.users["officer"]
    with app.test_request_context("/"):
        with pytest.raises(InvalidInput) as refused:
            user_admin.update_user(
                sysadmin,
                officer.id,
                display_name=officer.display_name,
                department_id=officer.department_id,
                email="zhangsan@localhost",
            )
        assert (refused.value.message, refused.value.field) == ("电子邮箱格式不正确", "email")
        db.session.rollback()
        assert user_admin.new_account_problems(
            sysadmin, "zhou.qi", "周七", officer.department_id, "zhou qi@example.cn"
        ) == {"email": ["电子邮箱格式不正确"]}
    assert fresh(officer).email is None and not entries()


def test_an_email_address_is_at_most_254_characters(world, sysadmin):
    longest = "a" * 64 + "@" + ("b" * 63 + ".") * 2 + "c" * 61
    assert len(longest) == 254
    before = snapshot()
    too_long = edit(sysadmin, world.users["officer"], email="a" + longest)
    assert too_long.status_code == 422
    assert field_errors(too_long.text) == ["电子邮箱不能超过 254 个字符"]
    assert f'value="a{longest}"' in too_long.text
    assert changed_tables(before, snapshot()) == {}
    assert edit(sysadmin, world.users["officer"], email=f"  {longest}  ").status_code == 303
    assert fresh(world.users["officer"]).email == longest


def test_an_account_with_an_address_receives_notification_email(app, world, runner, smtp, sysadmin):
    mail_on(app, smtp.port)
    leader = world.users["leader"]
    assert edit(sysadmin, leader, email="Leader@Civil.Example.gov.cn").status_code == 303
    world.act("officer", world.item(title="关于秋季征兵的通告"), Action.SUBMIT)
    (note,) = db.session.scalars(select(Notification).where(Notification.user_id == leader.id))
    assert note.mail_pending

    # the address is read when the mail is sent: a change after queueing goes to the new one
    assert edit(sysadmin, leader, email="lingdao@civil.example.gov.cn").status_code == 303
    outcome = runner.invoke(args=["jobs", "run"])
    assert outcome.exit_code == 0, outcome.output
    assert smtp.to("Leader@civil.example.gov.cn") == []
    (message,) = smtp.to("lingdao@civil.example.gov.cn")
    assert "关于秋季征兵的通告" in message["Subject"]
    db.session.expire_all()
    assert db.session.get(Notification, note.id).emailed_at is not None

    # cleared: the next notification is not queued for mail
    assert edit(sysadmin, leader, email="").status_code == 303
    world.act("officer", world.item(title="第二条"), Action.SUBMIT)
    latest = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == leader.id)
        .order_by(Notification.id.desc())
    ).first()
    assert not latest.mail_pending and latest.emailed_at is None


def test_admin_accounts_are_read_only(world, sysadmin):
    department = world.departments["civil"]
    for name in ("auditor", "secadmin", "sysadmin"):
        admin = world.users[name]
        page = sysadmin.get(account_url(admin))
        assert page.status_code == 200
        main = page.text.split("<main")[1].split("</main>")[0]
        assert "部署" in main and "<form" not in main  # no buttons
        token = sysadmin.token(account_url(admin))
        admin_row = re.search(
            rf'<tr data-username="{admin.username}">(.*?)</tr>', sysadmin.get(USERS).text, re.S
        ).group(1)
        assert "只读" in admin_row
        lock(admin)
        before = snapshot()
        for url, data in posts_for(admin, department)[1:6]:
            response = sysadmin.client.post(url, data={"csrf_token": token, **data})
            assert response.status_code == 409, (name, url, response.status_code)
            assert "部署命令" in response.text
        assert changed_tables(before, snapshot()) == {}
    assert not entries()


def test_another_bodys_accounts_and_departments_are_not_found(app, world, sysadmin):
    other = World.build(credit_code="11000000MB0000002X")
    foreign_user, foreign_department = other.users["officer"], other.departments["agri"]
    listing = sysadmin.get(USERS).text
    assert foreign_user.username not in listing
    assert sysadmin.get(DEPARTMENTS).text.count("data-department=") == 3  # our own only
    assert sysadmin.get(account_url(foreign_user)).status_code == 404
    token = sysadmin.token(USERS)
    before = snapshot()
    for url, data in posts_for(foreign_user, foreign_department)[1:]:
        if url == DEPARTMENTS:
            continue  # adding a department names no id
        response = sysadmin.client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 404, (url, response.status_code)
    assert changed_tables(before, snapshot()) == {}
    # a department filter naming another body's department finds nothing of theirs
    filtered = sysadmin.get(f"{USERS}?department={foreign_department.id}").text
    assert foreign_user.username not in filtered and "没有符合条件的账号" in filtered


# ---------------------------------------------------------------- the list


def usernames(html: str) -> list[str]:
    return re.findall(r'<tr data-username="([^"]+)">', html)


def test_the_list_pages_by_username_fifty_at_a_time(world, sysadmin):
    for i in range(110):
        user = User(
            username=f"bulk{i:03d}",
            display_name=f"批量{i}",
            body=world.body,
            department=world.departments["agri"],
        )
        _with_password(user)
        db.session.add(user)
    db.session.commit()
    everyone = sorted(
        u.username for u in db.session.scalars(select(User).where(User.body_id == world.body.id))
    )
    seen, url, pages = [], USERS, 0
    while url:
        page = sysadmin.get(url).text
        names = usernames(page)
        assert len(names) == (50 if len(everyone) - len(seen) >= 50 else len(everyone) - len(seen))
        seen += names
        pages += 1
        more = re.search(r'<a href="([^"]+)">更多', page)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert seen == everyone and pages == 3  # 123 accounts: 50, 50, 23; in order, none twice

    # filters are kept across pages
    first = sysadmin.get(f"{USERS}?department={world.departments['agri'].id}&q=bulk").text
    assert len(usernames(first)) == 50 and all(n.startswith("bulk") for n in usernames(first))
    more = re.search(r'<a href="([^"]+)">更多', first).group(1).replace("&amp;", "&")
    assert "q=bulk" in more and f"department={world.departments['agri'].id}" in more
    second = sysadmin.get(more).text
    assert usernames(second)[0] == "bulk050"


def test_the_list_filters_by_text_department_and_status(world, sysadmin):
    officer = world.users["officer"]
    texts = usernames(sysadmin.get(f"{USERS}?q=OFFICER").text)
    assert set(texts) == {u.username for k, u in world.users.items() if "officer" in k}
    by_name = usernames(sysadmin.get(f"{USERS}?q=用户leader").text)
    assert set(by_name) == {world.users["leader"].username, world.users["leader_agri"].username}
    percent = usernames(sysadmin.get(f"{USERS}?q=%25").text)  # a % is a character, not a wildcard
    assert percent == []
    civil = usernames(sysadmin.get(f"{USERS}?department={world.departments['civil'].id}").text)
    assert set(civil) == {world.users["officer"].username, world.users["officer_b"].username}

    account = fresh(officer)
    account.must_change_password = True
    db.session.commit()
    assert usernames(sysadmin.get(f"{USERS}?status=must_change").text) == [officer.username]
    active = usernames(sysadmin.get(f"{USERS}?status=active").text)
    assert officer.username in active and len(active) == len(world.users)
    lock(officer)
    assert officer.username not in usernames(sysadmin.get(f"{USERS}?status=active").text)
    assert usernames(sysadmin.get(f"{USERS}?status=locked").text) == [officer.username]
    ignored = sysadmin.get(f"{USERS}?status=nonsense&department=x")  # bad filters: everyone
    assert ignored.status_code == 200
    assert set(usernames(ignored.text)) == {u.username for u in world.users.values()}


def test_the_list_shows_roles_in_chinese(world, sysadmin):
    listing = sysadmin.get(USERS).text
    row = re.search(
        rf'<tr data-username="{world.users["office_and_secrecy"].username}">(.*?)</tr>',
        listing,
        re.S,
    ).group(1)
    assert "办公室审核、保密审查员" in row and "党政办公室" in row and "正常" in row


# ---------------------------------------------------------------- departments


def department_named(world, name: str) -> Department | None:
    db.session.rollback()
    return db.session.scalar(
        select(Department).where(Department.body_id == world.body.id, Department.name == name)
    )


def test_adding_renaming_and_deleting_a_department(world, sysadmin):
    added = sysadmin.post(
        DEPARTMENTS, {"new-name": " 社会事务办 ", "new-position": ""}, token_from=DEPARTMENTS
    )
    assert added.status_code == 303
    department = department_named(world, "社会事务办")
    assert department.position == 3 and not department.is_general_office  # after 0, 1, 2
    page = sysadmin.get(DEPARTMENTS).text
    assert re.findall(r'data-department="([^"]+)"', page) == [
        "党政办公室",
        "民政办",
        "农业农村办",
        "社会事务办",
    ]
    assert 'class="badge general-office"' in page

    url = f"{DEPARTMENTS}/{department.id}"
    renamed = sysadmin.post(
        url,
        {f"d{department.id}-name": "社会事务服务中心", f"d{department.id}-position": "0"},
        token_from=DEPARTMENTS,
    )
    assert renamed.status_code == 303
    department = department_named(world, "社会事务服务中心")
    assert department.position == 0

    taken = sysadmin.post(
        url,
        {f"d{department.id}-name": "民政办", f"d{department.id}-position": "0"},
        token_from=DEPARTMENTS,
    )
    assert taken.status_code == 422 and "本单位已有名为“民政办”的科室" in taken.text
    assert 'value="民政办"' in taken.text  # the row keeps what was typed
    bad_position = sysadmin.post(
        DEPARTMENTS, {"new-name": "新科室", "new-position": "-1"}, token_from=DEPARTMENTS
    )
    assert (
        bad_position.status_code == 422 and "排序号须为 0 至 9999 之间的整数" in bad_position.text
    )
    assert 'value="新科室"' in bad_position.text

    deleted = sysadmin.post(f"{url}/delete", {}, token_from=DEPARTMENTS)
    assert deleted.status_code == 303
    assert department_named(world, "社会事务服务中心") is None

    create_entry, update_entry, delete_entry = entries()
    assert detail(create_entry) == {"role": "sysadmin", "name": "社会事务办", "position": 3}
    assert detail(update_entry)["changes"] == {
        "name": ["社会事务办", "社会事务服务中心"],
        "position": [3, 0],
    }
    assert detail(delete_entry) == {"role": "sysadmin", "name": "社会事务服务中心", "position": 0}
    assert create_entry.actor_username == world.users["sysadmin"].username


def test_a_department_in_use_is_not_deleted_and_the_page_says_why(world, sysadmin):
    civil, agri, office = (world.departments[k] for k in ("civil", "agri", "office"))
    world.item()  # an item of the 民政办
    before = snapshot()
    refused = sysadmin.post(f"{DEPARTMENTS}/{civil.id}/delete", {}, token_from=DEPARTMENTS)
    assert refused.status_code == 409
    assert (
        "不能删除科室“民政办”：还有 2 个账号（含已停用的）属于该科室；有 1 位分管领导分管该科室；"
        "有 1 条信息（含草稿、审批中和已发布的）由该科室发布" in refused.text
    )
    general = sysadmin.post(f"{DEPARTMENTS}/{office.id}/delete", {}, token_from=DEPARTMENTS)
    assert general.status_code == 409 and "党政办公室" in general.text
    assert changed_tables(before, snapshot()) == {}

    # an account alone keeps a department too; once it moves, the department can go
    leader = fresh(world.users["leader_agri"])
    leader.led_departments = []
    db.session.commit()
    refused = sysadmin.post(f"{DEPARTMENTS}/{agri.id}/delete", {}, token_from=DEPARTMENTS)
    assert refused.status_code == 409
    assert "不能删除科室“农业农村办”：还有 1 个账号（含已停用的）属于该科室。" in refused.text
    assert not entries("delete_department")
    mover = fresh(world.users["officer_agri"])
    mover.set_roles([])  # its roles withdrawn first (the security admin's page, tested there)
    db.session.commit()
    assert (
        sysadmin.post(
            account_url(mover),
            {"display_name": mover.display_name, "department_id": civil.id},
            token_from=account_url(mover),
        ).status_code
        == 303
    )
    assert (
        sysadmin.post(f"{DEPARTMENTS}/{agri.id}/delete", {}, token_from=DEPARTMENTS).status_code
        == 303
    )
    assert department_named(world, "农业农村办") is None


def test_the_new_accounts_department_choice_lists_the_bodys_departments_in_order(world, sysadmin):
    page = sysadmin.get(NEW).text
    options = re.findall(r'<option (?:selected )?value="(\d+)"', page)
    assert options == [str(world.departments[k].id) for k in ("office", "civil", "agri")]


def test_a_due_password_shows_in_the_list(world, sysadmin):
    account = fresh(world.users["publisher"])
    account.password_changed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert accounts.change_due(account) == "expired"
    listing = sysadmin.get(f"{USERS}?status=must_change").text
    assert usernames(listing) == [account.username] and "密码已过期" in listing


def test_a_department_with_only_an_annual_target_is_deleted_with_its_target(world, sysadmin):
    from approval.models.targets import DepartmentTarget

    added = sysadmin.post(
        DEPARTMENTS, {"new-name": "财政所", "new-position": ""}, token_from=DEPARTMENTS
    )
    assert added.status_code == 303
    department = department_named(world, "财政所")
    db.session.add(DepartmentTarget(department_id=department.id, year=2026, target=300))
    db.session.commit()
    response = sysadmin.post(f"{DEPARTMENTS}/{department.id}/delete", {}, token_from=DEPARTMENTS)
    assert response.status_code == 303
    assert department_named(world, "财政所") is None
    assert db.session.scalar(select(DepartmentTarget)) is None
    assert detail(entries("delete_department")[0])["targets_removed"] == 1
