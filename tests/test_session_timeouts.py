"""Sessions end on the server: after 30 minutes without a request and 12 hours after logging
in (both configurable), with a message on the login page; a copied cookie stops working when
the session it was copied from would have ended, at logout and at a password change."""

import pytest

from approval.accounts.gate import IDLE, TOO_LONG
from approval.extensions import db
from approval.models import Item
from tests.conftest import Browser
from tests.helpers.pages import heading, signed_in_as


def signed_in(response, page_heading: str = "待办事项") -> bool:
    """The page itself (not a redirect), with the officer's name in the header: still signed in."""
    return (
        response.status_code == 200
        and signed_in_as(response.text) == "用户officer"
        and heading(response.text) == page_heading
    )


def signed_out(response, next_path=None) -> bool:
    location = response.headers.get("Location", "")
    wanted = "/login" + (f"?next={next_path}" if next_path else "")
    return response.status_code == 302 and location.replace("%2F", "/") == wanted


def test_thirty_idle_minutes_end_the_session(world, login_as, clock):
    officer = login_as("officer")
    clock.advance(minutes=29)
    assert signed_in(officer.get("/"))
    clock.advance(minutes=29)  # each request starts the idle time again
    assert signed_in(officer.get("/department"), "本部门信息")
    clock.advance(minutes=30)
    response = officer.get("/department")
    assert signed_out(response, "/department")
    login_page = officer.get(response.headers["Location"])
    assert IDLE in login_page.text  # 您长时间未操作，已自动退出，请重新登录
    assert signed_out(officer.get("/"), "/")  # the session is over, not only this request


def test_twelve_hours_after_login_the_session_ends_however_active(world, login_as, clock):
    officer = login_as("officer")
    for _ in range(35):  # a request every 20 minutes: 11 h 40 min
        clock.advance(minutes=20)
        assert signed_in(officer.get("/"))
    clock.advance(minutes=20)
    response = officer.get("/")
    assert signed_out(response, "/")
    assert TOO_LONG in officer.get("/login").text


def test_an_action_posted_after_the_session_ended_is_not_carried_out(world, login_as, clock):
    item = world.item()
    officer = login_as("officer")
    token = officer.token(f"/items/{item.id}")
    clock.advance(minutes=31)
    response = officer.client.post(
        f"/items/{item.id}/act",
        data={"action": "submit", "version": item.version, "csrf_token": token},
    )
    assert signed_out(response)
    db.session.expire_all()
    assert db.session.get(Item, item.id).state == "draft"


def test_the_limits_are_configurable(app, world, login_as, clock):
    app.config.update(SESSION_IDLE_MINUTES=5, SESSION_MAX_HOURS=1)
    officer = login_as("officer")
    clock.advance(minutes=5)
    assert signed_out(officer.get("/"), "/")
    officer = login_as("officer")
    for _ in range(14):
        clock.advance(minutes=4)
        assert signed_in(officer.get("/"))
    clock.advance(minutes=4)  # 60 minutes after login
    assert signed_out(officer.get("/"), "/")


def test_logging_in_again_starts_a_new_session(app, world, login_as, clock):
    officer = login_as("officer")
    clock.advance(hours=13)
    assert signed_out(officer.get("/"), "/")
    again = officer.login(world.users["officer"].username, world.password)
    assert again.status_code == 302
    assert signed_in(officer.get("/"))


def test_a_copied_cookie_ends_with_the_idle_time_it_carries(app, world, login_as, clock):
    """The owner keeps working; a copy taken at login is still refused after 30 minutes,
    because the times are in the signed cookie and cannot be moved forward."""
    officer = login_as("officer")
    copied = app.test_client()
    copied.set_cookie("session", officer.client.get_cookie("session").value)
    for _ in range(4):
        clock.advance(minutes=10)
        assert signed_in(officer.get("/"))
    assert signed_out(copied.get("/"), "/")
    assert signed_in(officer.get("/"))


def test_a_copied_cookie_stops_working_at_logout(app, world, login_as):
    officer = login_as("officer")
    copied = app.test_client()
    copied.set_cookie("session", officer.client.get_cookie("session").value)
    assert signed_in(copied.get("/"))
    officer.post("/logout", {}, token_from="/")
    assert signed_out(copied.get("/"), "/")


def test_a_copied_cookie_stops_working_at_a_password_change(app, world, login_as):
    officer = login_as("officer")
    copied = app.test_client()
    copied.set_cookie("session", officer.client.get_cookie("session").value)
    new = "Lantern-Quiet-42"
    changed = officer.post(
        "/account/password",
        {"current_password": world.password, "new_password": new, "repeat_password": new},
        token_from="/account/password",
    )
    assert changed.status_code == 302
    assert signed_out(copied.get("/"), "/")
    assert signed_in(officer.get("/"))


def test_the_language_survives_an_expired_session(app, world, clock):
    browser = Browser(app.test_client())
    browser.post("/language", {"lang": "en", "next": "/login"}, token_from="/login")
    browser.login(world.users["officer"].username, world.password)
    clock.advance(minutes=30)
    response = browser.get("/")
    assert signed_out(response, "/")
    assert 'lang="en"' in browser.get("/login").text


@pytest.mark.parametrize(
    "path, status",
    [
        ("/public/{body}/", 200),
        ("/public/{body}/search?q=低保", 200),
        ("/public/{body}/feed.atom", 200),
        ("/api/v1/bodies/{body}/items", 200),
        ("/api/v1/no-such-thing", 404),
    ],
)
def test_an_expired_session_on_a_public_page_carries_on_as_a_visitor(
    world, login_as, clock, path, status
):
    """The portal, its feeds and the API need no login: an expired session ends without a
    detour to the login page (an API client would get HTML instead of JSON)."""
    officer = login_as("officer")
    clock.advance(minutes=31)
    response = officer.get(path.format(body=world.body.id))
    assert response.status_code == status
    if path.startswith("/api/"):
        assert response.is_json
    else:
        assert world.users["officer"].display_name not in response.text  # as a visitor
    assert signed_out(officer.get("/department"), "/department")  # the session has ended
    assert IDLE not in officer.get("/login").text  # silently
