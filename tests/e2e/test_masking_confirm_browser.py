"""One-click masking of an attachment asks first (static/confirm.js), in a real browser; with
script turned off the same button sends the form at once (tests/test_attachment_masking.py has
the rest)."""

from __future__ import annotations

import re

import pytest

from approval.extensions import db
from tests.helpers.attachments import upload
from tests.helpers.server import serving
from tests.test_attachment_masking import DONE, attachments, docx_file


@pytest.mark.e2e
def test_the_button_asks_first_and_works_without_script(app, world, login_as, chromium):
    """static/confirm.js asks before the form is sent (no inline script: the CSP forbids it);
    with script turned off the same button sends the form at once."""
    officer = login_as("officer")
    items = [world.item(), world.item(title="另一份名单")]
    for item in items:
        upload(officer, item.id, "名单.docx", docx_file())
    ids, username = [item.id for item in items], world.users["officer"].username
    originals = [attachments(item_id)[0].sha256 for item_id in ids]
    blocked: list[str] = []

    def signed_in(browser, **options):
        page = browser.new_context(base_url=url, locale="zh-CN", **options).new_page()
        page.on("console", lambda m: "Content Security Policy" in m.text and blocked.append(m.text))
        page.goto("/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(world.password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r"/$"))
        return page

    browser = chromium  # the session's headless Chromium (tests/e2e/conftest.py)
    with serving(app) as url:
        page = signed_in(browser)
        page.goto(f"/items/{ids[0]}")
        asked: list[str] = []
        page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
        page.get_by_role("button", name="一键脱敏").click()
        page.wait_for_timeout(300)
        assert asked and "名单.docx" in asked[0]
        assert "已对附件中" not in page.content()  # cancelled: not sent
        assert attachments(ids[0])[0].sha256 == originals[0]
        db.session.remove()  # no connection held while the server works
        page.once("dialog", lambda d: d.accept())
        with page.expect_navigation():
            page.get_by_role("button", name="一键脱敏").click()
        assert DONE % 6 in page.content()

        without_script = signed_in(browser, java_script_enabled=False)
        without_script.goto(f"/items/{ids[1]}")
        with without_script.expect_navigation():
            without_script.get_by_role("button", name="一键脱敏").click()
        assert DONE % 6 in without_script.content()
    assert not blocked, blocked
    assert all(attachments(i)[0].sha256 != sha for i, sha in zip(ids, originals))
