"""Every kind of page, as each role sees it, on a desktop and on a phone: it renders, nothing is
wider than the screen, and the strict CSP blocks nothing. With E2E_SCREENSHOTS=1 this is also the
screenshot tour used to review the UI (test-artifacts/tour-<viewport>-<page>.png)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import DESKTOP, PHONE, has_no_horizontal_scroll, login, logout, screenshot

pytestmark = pytest.mark.e2e


class Tour:
    def __init__(self, page, viewport_name: str):
        self.page, self.viewport_name = page, viewport_name
        self.too_wide: list[str] = []

    def check(self, name: str, page=None) -> None:
        page = page or self.page
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if not has_no_horizontal_scroll(page):
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            self.too_wide.append(f"{name} ({width}px)")
        screenshot(page, f"tour-{self.viewport_name}-{name}")

    def visit(self, name: str, url: str, status: int = 200) -> None:
        response = self.page.goto(url)
        assert response.status == status, f"{name}: {url} answered {response.status}"
        self.check(name)


@pytest.mark.parametrize("viewport_name, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_every_page_renders_and_fits(new_page, live_server, viewport_name, viewport):
    ids = live_server.item_ids
    page = new_page(viewport)
    tour = Tour(page, viewport_name)

    tour.visit("login", "/login")
    page.get_by_label("用户名").fill("officer")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    tour.check("login-failed")
    tour.visit("public-home", "/public/")
    home = page.url
    tour.visit("public-catalog", f"{home}catalog/03")
    tour.visit("public-search", f"{home}search?q=低保")
    tour.visit("public-guide", f"{home}guide")
    tour.visit("public-item", f"/public/items/{ids['public_with_attachment']}")
    tour.visit("public-withdrawn", f"/public/items/{ids['withdrawn']}")

    login(page, "officer")
    tour.check("inbox-officer")
    tour.visit("department", "/department")
    tour.visit("item-draft", f"/items/{ids['draft']}")
    tour.visit("item-withheld-officer", f"/items/{ids['withheld']}")
    tour.visit("form-new", "/items/new")
    page.get_by_label("成文日期", exact=True).fill("2099-01-01")
    page.get_by_label("公开方式", exact=True).select_option(label="不予公开")
    page.get_by_label("政府网站").uncheck()
    page.get_by_role("button", name="保存草稿").click()
    for label in ("标题", "正文", "主题分类", "成文日期", "不予公开依据"):
        expect(
            page.locator(".has-error").filter(has=page.get_by_label(label, exact=True))
        ).to_have_count(1)
    expect(page.locator("fieldset.has-error")).to_contain_text("请至少选择一个公开渠道")
    tour.check("form-errors")
    tour.visit("form-edit", f"/items/{ids['draft']}/edit")
    logout(page)

    login(page, "officer2")
    tour.visit("item-returned", f"/items/{ids['returned']}")
    logout(page)

    login(page, "leader")
    tour.check("inbox-leader")
    tour.visit("item-pending-leader", f"/items/{ids['pending_leader']}")
    logout(page)

    login(page, "office")
    tour.check("inbox-office")
    tour.visit("item-pending-office", f"/items/{ids['pending_office']}")
    logout(page)

    login(page, "secrecy")
    tour.check("inbox-secrecy")
    tour.visit("item-sign-off", f"/items/{ids['pending_secrecy']}")
    page.locator("form.action-sign_off button[type=submit]").click()
    expect(page.locator(".actions .flash-error")).to_be_visible()
    tour.check("item-sign-off-error")
    tour.visit("item-withheld", f"/items/{ids['withheld']}")
    logout(page)

    login(page, "publisher")
    tour.check("inbox-publisher")
    tour.visit("office-catalog", "/office/catalog")
    tour.visit("office-page", "/office/pages/guide")
    tour.visit("item-approved", f"/items/{ids['approved']}")
    tour.visit("item-published", f"/items/{ids['published']}")
    tour.visit("history", f"/items/{ids['published']}/history")
    tour.visit("not-found", "/items/999999", status=404)
    page.goto(f"/items/{ids['approved']}")
    stale = page.context.new_page()
    stale.goto(f"/items/{ids['approved']}")
    page.once("dialog", lambda dialog: dialog.accept())  # 发布 asks first (confirm.js)
    page.locator("form.action-publish button[type=submit]").click()
    expect(page.locator(".badge[data-state]")).to_have_attribute("data-state", "published")
    stale.once("dialog", lambda dialog: dialog.accept())
    stale.locator("form.action-publish button[type=submit]").click()
    expect(stale.get_by_role("heading", level=1)).to_contain_text("操作冲突")
    tour.check("conflict-409", stale)
    stale.close()
    logout(page)

    login(page, "auditor")
    tour.check("admin-home")
    tour.visit("history-auditor", f"/items/{ids['withheld']}/history")

    assert not tour.too_wide, f"wider than the {viewport_name} screen: {tour.too_wide}"
