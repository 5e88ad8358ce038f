"""What a person does in the browser, shared by the e2e tests."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from approval.demo import DEMO_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real login form and land on the home page (the inbox)."""
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    # on a phone the button is in the folded menu
    expect(page.get_by_role("button", name="退出", include_hidden=True)).to_be_attached()
    expect(page).to_have_url(re.compile(r"/$"))


def logout(page) -> None:
    open_menu(page)
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("button", name="退出")).to_have_count(0)


def open_menu(page) -> None:
    """On a phone the header's navigation and account links are folded into 菜单: open it.
    Decided by the viewport (app.css folds below 720 px), not by what is visible: a page still
    loading shows the menu's summary until its stylesheet hides it on a wide screen."""
    if (page.viewport_size or {}).get("width", 1280) >= 720:
        return
    menu = page.locator("header details.menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()


def screenshot(page, name: str) -> Path | None:
    """Save a full-page screenshot when E2E_SCREENSHOTS=1."""
    if os.environ.get("E2E_SCREENSHOTS") != "1":
        return None
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def has_no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


def small_pdf(text: str = "E2E attachment") -> bytes:
    """A valid one-page PDF (header, objects, xref table, trailer) with one line of text."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def flash(page, text: str):
    return page.locator(".flash").filter(has_text=text)


CONFIRMING = {
    "publish",
    "withhold",
    "send",
    "schedule",
    "unpublish",
    "abandon",
}  # they ask first (confirm.js)


def act(page, action: str, opinion: str | None = None) -> None:
    """Open the action's panel if it is folded, write the opinion, press its button."""
    form = page.locator(f"form.action-{action}")
    details = form.locator("details")
    if details.count() and details.get_attribute("open") is None:
        form.locator("summary").click()
    if opinion is not None:
        form.locator(f"#opinion-{action}").fill(opinion)
    if action in CONFIRMING:
        form.page.once("dialog", lambda dialog: dialog.accept())
    form.locator("button[type=submit]").click()
