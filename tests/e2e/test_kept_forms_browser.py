"""Nothing typed is lost when a session times out (issue 27): a draft typed past the idle limit
(the test's clock) and saved lands on the login page, and after signing in again the text is
there to check and save; before the limit, a banner offers 继续工作."""

import re

import pytest
from playwright.sync_api import expect

from approval.demo import DEMO_PASSWORD

from .helpers import login, screenshot

pytestmark = pytest.mark.e2e
TYPED = "第二段：超时之前录入的内容，一个字也不能丢。"


def sign_in_here(page, username: str) -> None:
    """The login form on the page the browser is on (the login helper starts from /login)."""
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_draft_saved_after_the_idle_limit_is_kept_across_the_login(page, live_server, clock):
    item_id = live_server.item_ids["draft"]
    login(page, "officer")
    page.goto(f"/items/{item_id}/edit")
    body = page.locator("#body")  # the 正文 editor (static/rich_editor.js)
    typed = body.inner_text().strip() + "\n" + TYPED
    body.fill(typed)
    clock.advance(minutes=31)  # past the idle limit while typing
    page.get_by_role("button", name="保存草稿").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator(".flash-info")).to_contain_text("登录已超时，您填写的内容已保留")
    screenshot(page, "kf01-kept-on-login")

    sign_in_here(page, "officer")
    expect(page).to_have_url(re.compile(rf"/items/{item_id}/edit$"))
    expect(page.locator(".flash-warning")).to_contain_text("请检查后再次提交")
    expect(page.locator("#body")).to_contain_text(TYPED)
    screenshot(page, "kf02-restored")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".flash-success").first).to_be_visible()
    expect(page.locator("main")).to_contain_text(TYPED)


def test_the_warning_before_the_idle_limit_keeps_the_session_on_a_click(page, live_server):
    page.clock.install()
    login(page, "officer")
    page.goto(f"/items/{live_server.item_ids['draft']}/edit")
    page.locator("#body").fill(TYPED)
    banner = page.locator("#session-warning")
    expect(banner).to_be_hidden()
    page.clock.fast_forward("26:00")  # 4 minutes before the 30-minute limit
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("登录将在几分钟后超时")
    screenshot(page, "kf03-warning")
    banner.get_by_role("button", name="继续工作").click()
    expect(banner).to_be_hidden()
    expect(page.locator("#body")).to_have_text(TYPED)  # the page and its text stay
