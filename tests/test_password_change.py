"""Changing a password: the page every user has, the first-login change of an account an
administrator made, expiry after PASSWORD_MAX_AGE_DAYS, and what a change does to other
sessions."""

from sqlalchemy import select

from approval.accounts.password_change import LOCKED
from approval.demo import ACCOUNTS, DEMO_PASSWORD
from approval.extensions import db
from approval.models import AuditEntry, User
from tests.conftest import Browser
from tests.helpers.pages import heading, signed_in_as

NEW = "Lantern-Quiet-42"
CHANGE = "/account/password"


def at_home(browser, name: str = "用户office") -> bool:
    """The home page opens (no detour to the change page), signed in as ``name``."""
    page = browser.get("/")
    return page.status_code == 200 and signed_in_as(page.text) == name


def change(browser, current, new=NEW, repeat=None):
    return browser.post(
        CHANGE,
        {
            "current_password": current,
            "new_password": new,
            "repeat_password": new if repeat is None else repeat,
        },
        token_from=CHANGE,
    )


def created_by_admin(runner, username="new_officer", password="Initial-Pass-2026"):
    result = runner.invoke(
        args=[
            "create-user",
            username,
            "--name",
            "新信息员",
            "--department",
            "民政办",
            "--role",
            "officer",
            "--password",
            password,
        ]
    )
    assert result.exit_code == 0, result.output
    return username, password


def test_every_page_has_a_link_to_change_the_password(world, login_as):
    assert f'href="{CHANGE}"' in login_as("leader").get("/").text


def test_the_page_states_the_policy(world, login_as):
    page = login_as("officer").get(CHANGE).text
    assert "至少 12 个字符，包含大写字母、小写字母、数字、符号中的至少 3 类" in page


def test_an_account_made_by_an_administrator_must_change_its_password_first(app, world, runner):
    username, password = created_by_admin(runner)
    browser = Browser(app.test_client())
    assert browser.login(username, password).status_code == 302
    for path in ("/", "/items/new", "/department", "/admin/audit", "/no-such-page"):
        response = browser.get(path)
        assert response.status_code == 302 and response.headers["Location"] == CHANGE, path
    refused = browser.post("/items/new", {"title": "趁机提交"}, token_from=CHANGE)
    assert refused.status_code == 302 and refused.headers["Location"] == CHANGE
    stylesheet = browser.get("/static/app.css")
    assert stylesheet.status_code == 200 and stylesheet.mimetype == "text/css"
    page = browser.get(CHANGE)
    assert page.status_code == 200 and "请先设置只有您自己知道的新密码" in page.text

    done = change(browser, password)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    home = browser.get("/")
    assert home.status_code == 200 and "密码已修改" in home.text
    user = db.session.scalar(select(User).where(User.username == username))
    assert not user.must_change_password and user.check_password(NEW)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "password_changed")
    ).one()
    assert (entry.actor_username, entry.body_id) == (username, world.body.id)


def test_logout_stays_open_while_a_change_is_due(app, world, runner):
    username, password = created_by_admin(runner)
    browser = Browser(app.test_client())
    browser.login(username, password)
    out = browser.post("/logout", {}, token_from=CHANGE)
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    assert browser.get("/").headers["Location"].startswith("/login")


def test_demo_accounts_are_not_forced_to_change(app, runner):
    runner.invoke(args=["seed-demo"])
    for username, name, *_ in ACCOUNTS:
        browser = Browser(app.test_client())
        assert browser.login(username, DEMO_PASSWORD).status_code == 302
        assert at_home(browser, name), username


def test_an_expired_password_must_be_changed_at_the_next_login(app, world, clock):
    clock.advance(days=90)
    browser = Browser(app.test_client())
    assert browser.login(world.users["office"].username, world.password).status_code == 302
    response = browser.get("/")
    assert response.status_code == 302 and response.headers["Location"] == CHANGE
    assert "您的密码已使用超过 90 天" in browser.get(CHANGE).text
    change(browser, world.password)
    assert at_home(browser)
    clock.advance(days=89)  # the new password's age counts from its change
    fresh = Browser(app.test_client())
    fresh.login(world.users["office"].username, NEW)
    assert at_home(fresh)


def test_a_password_a_day_younger_than_the_limit_is_fine(app, world, clock):
    clock.advance(days=89, hours=23)
    browser = Browser(app.test_client())
    browser.login(world.users["office"].username, world.password)
    assert at_home(browser)


def test_the_maximum_age_is_configurable_and_zero_means_never(app, world, clock):
    app.config["PASSWORD_MAX_AGE_DAYS"] = 0
    clock.advance(days=3650)
    browser = Browser(app.test_client())
    browser.login(world.users["office"].username, world.password)
    assert at_home(browser)
    app.config["PASSWORD_MAX_AGE_DAYS"] = 3650
    assert browser.get("/").headers["Location"] == CHANGE


def test_a_change_ends_every_other_session_and_keeps_this_one(app, world, login_as):
    here = login_as("officer")
    elsewhere = login_as("officer")
    copied = app.test_client()  # this session's cookie, copied before the change
    copied.set_cookie("session", here.client.get_cookie("session").value)
    assert at_home(elsewhere, "用户officer") and at_home(copied, "用户officer")

    assert change(here, world.password).status_code == 302
    assert at_home(here, "用户officer")
    assert elsewhere.get("/").headers["Location"].startswith("/login")
    assert copied.get("/").headers["Location"].startswith("/login")
    assert (
        Browser(app.test_client())
        .login(world.users["officer"].username, world.password)
        .status_code
        == 401
    )
    assert Browser(app.test_client()).login(world.users["officer"].username, NEW).status_code == 302


def test_a_wrong_current_password_changes_nothing(app, world, login_as):
    officer = login_as("officer")
    page = change(officer, "not-the-password")
    assert page.status_code == 422 and "当前密码不正确" in page.text
    assert not db.session.scalar(select(AuditEntry).where(AuditEntry.action == "password_changed"))
    assert (
        Browser(app.test_client())
        .login(world.users["officer"].username, world.password)
        .status_code
        == 302
    )


def test_changing_needs_a_login_and_a_csrf_token(world, client, login_as):
    anonymous = client.get(CHANGE)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    officer = login_as("officer")
    refused = officer.client.post(
        CHANGE,
        data={"current_password": world.password, "new_password": NEW, "repeat_password": NEW},
    )
    assert refused.status_code == 400
    db.session.expire_all()
    assert world.users["officer"].check_password(world.password)


def test_public_pages_stay_open_while_a_change_is_due(app, world, runner):
    """The portal, its feeds and the JSON API are for everyone: a due change does not send
    their readers to the change page (the API would answer HTML instead of JSON)."""
    username, password = created_by_admin(runner)
    browser = Browser(app.test_client())
    browser.login(username, password)
    body = world.body.id
    for path, title in (
        (f"/public/{body}/", "测试镇人民政府 政府信息公开专栏"),
        (f"/public/{body}/search?q=低保", "搜索公开信息"),
    ):
        page = browser.get(path)
        assert page.status_code == 200 and heading(page.text) == title, path
    feed = browser.get(f"/public/{body}/feed.atom")
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    assert "<feed" in feed.text and world.body.name in feed.text
    listing = browser.get(f"/api/v1/bodies/{body}/items")
    assert listing.status_code == 200 and listing.json["items"] == []
    missing = browser.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.is_json
    assert browser.get("/").headers["Location"] == CHANGE  # the rest still waits for the change


def actions(*names):
    db.session.rollback()  # see what the requests committed
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(names)).order_by(AuditEntry.id)
    ).all()


def test_five_wrong_current_passwords_lock_the_account_and_end_its_sessions(app, world, login_as):
    officer = login_as("officer")
    elsewhere = login_as("officer")
    for _ in range(4):
        page = change(officer, "not-the-password")
        assert page.status_code == 422 and "当前密码不正确" in page.text
    fifth = change(officer, "not-the-password")
    assert fifth.status_code == 302 and fifth.headers["Location"] == "/login"
    assert LOCKED in officer.get("/login").text
    assert officer.get("/").headers["Location"].startswith("/login")
    assert elsewhere.get("/").headers["Location"].startswith("/login")
    username = world.users["officer"].username
    assert Browser(app.test_client()).login(username, world.password).status_code == 401
    entries = actions("password_change_failed", "account_locked", "password_changed")
    assert [e.action for e in entries] == ["password_change_failed"] * 5 + ["account_locked"]
    assert {e.actor_username for e in entries} == {username}
    assert '"failures":5' in entries[-1].detail


def test_wrong_logins_and_wrong_current_passwords_count_together(app, world, login_as):
    officer = login_as("officer")
    username = world.users["officer"].username
    for _ in range(3):
        assert Browser(app.test_client()).login(username, "wrong-password-1").status_code == 401
    assert change(officer, "not-the-password").status_code == 422
    assert change(officer, "not-the-password").headers["Location"] == "/login"
    assert Browser(app.test_client()).login(username, world.password).status_code == 401


def test_a_locked_account_cannot_change_its_password(app, world, login_as):
    """Locked by wrong logins elsewhere: this session may not guess on, nor change the password
    with the right one, and its tries are not counted."""
    officer = login_as("officer")
    username = world.users["officer"].username
    for _ in range(5):
        Browser(app.test_client()).login(username, "wrong-password-1")
    for current in (world.password, "not-the-password"):
        page = change(officer, current)
        assert page.status_code == 422 and LOCKED in page.text
        assert "当前密码不正确" not in page.text
    assert actions("password_change_failed", "password_changed") == []
    assert world.users["officer"].check_password(world.password)
