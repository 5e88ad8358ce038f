"""Issue 27, "Forms an office signs and files", in Chromium on a 390 px phone: the 保密审查单's
opinions no longer squeeze to one character a line; each opinion reads on a line of its own, under
its label, with no sideways scrolling. E2E_SCREENSHOTS=1 keeps test-artifacts/forms-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import DESKTOP, PHONE, has_no_horizontal_scroll, login, screenshot

pytestmark = pytest.mark.e2e

OPINION_WIDTHS = """() => [...document.querySelectorAll('#sf-decisions td.sf-text')]
    .map(td => td.getBoundingClientRect().width)"""


def test_the_secrecy_forms_opinions_read_on_a_phone(new_page, live_server):
    page = new_page(PHONE)
    login(page, "auditor")
    page.goto(f"/items/{live_server.item_ids['approved']}/secrecy-form")
    expect(page.locator("#sf-decisions tr.sf-round").first).to_be_visible()
    widths = page.evaluate(OPINION_WIDTHS)
    assert widths and min(widths) > 250  # the whole phone's width, not one character
    label = page.evaluate(
        "() => getComputedStyle(document.querySelector('#sf-decisions td.sf-text'), '::before')"
        ".content"
    )
    assert label == '"意见："'
    assert has_no_horizontal_scroll(page)
    screenshot(page, "forms-secrecy-phone")


def test_on_a_desktop_the_opinions_stay_a_table(new_page, live_server):
    page = new_page(DESKTOP)
    login(page, "auditor")
    page.goto(f"/items/{live_server.item_ids['approved']}/secrecy-form")
    header = page.locator("#sf-decisions thead th").first
    expect(header).to_be_visible()
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('#sf-decisions tbody tr:nth-child(2)'))"
            ".display"
        )
        == "table-row"
    )
    screenshot(page, "forms-secrecy-desktop")
