"""The secrecy reviewer sees what the pre-check found, highlighted, and cannot sign off over a
high-severity finding without writing down why."""

import pytest
from playwright.sync_api import expect

from .helpers import login, screenshot

pytestmark = pytest.mark.e2e
ID = "11010519491231002X"


def test_reviewer_sees_the_highlighted_id_and_must_give_a_reason_to_sign_off(page, live_server):
    item_id = live_server.item_ids["flagged"]
    login(page, "secrecy")
    page.goto(f"/items/{item_id}")

    highlighted = page.locator(".body-text mark")
    expect(highlighted).to_have_text(ID)
    finding = page.locator(".finding[data-kind=resident_id]").filter(has_text="正文")
    expect(finding).to_contain_text("身份证号码")
    expect(finding).to_contain_text("110105********002X")  # what to publish instead

    form = page.locator("form.action-sign_off")
    for answer in form.get_by_role("radio", name="否").all():
        answer.check()
    form.locator("#opinion-sign_off").fill("已审查")
    form.get_by_role("button", name="保密审查通过").click()
    expect(page.locator(".flash-error").filter(has_text="须填写放行理由")).to_be_visible()
    expect(page.locator(".badge[data-state]").first).to_have_attribute(
        "data-state", "pending_secrecy"
    )
    expect(page.locator("#opinion-sign_off")).to_have_value("已审查")  # nothing typed is lost
    screenshot(page, "s01-sign-off-blocked-by-finding")

    page.locator("#override_reason").fill("经核实，该对象本人书面同意公示完整信息")
    page.locator("form.action-sign_off").get_by_role("button", name="保密审查通过").click()
    expect(page.locator(".flash-success").filter(has_text="保密审查已通过")).to_be_visible()
    expect(page.locator(".badge[data-state]").first).to_have_attribute("data-state", "approved")
