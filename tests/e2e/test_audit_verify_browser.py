"""校验哈希链 as a job, in a real browser (issue 27): the audit admin asks for a verification, the
page says it waits for the background job; `flask jobs run` (its function, called here) walks
the chain in pages; the page then shows it complete, with the number of entries checked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from approval.audit import verification_jobs
from approval.extensions import db
from approval.models import AuditEntry

from .helpers import login, screenshot

pytestmark = pytest.mark.e2e


def test_the_audit_admin_asks_for_a_verification_and_reads_its_result(page, live_server):
    login(page, "auditor")
    page.goto("/admin/audit")
    page.get_by_role("button", name="校验哈希链").click()
    rows = page.locator("#verifications tbody tr")
    expect(rows.first).to_contain_text("等待后台任务")
    expect(rows.first).to_contain_text("郑审计")

    result = verification_jobs.run_pending(batch_size=25)  # `flask jobs run`, in pages of 25
    checked = db.session.scalar(select(func.count()).select_from(AuditEntry))
    db.session.remove()  # the live server's thread writes next: hold no connection
    assert len(result.done) == 1 and not result.failed

    page.reload()
    expect(rows.first).to_contain_text("已完成")
    expect(rows.first).to_contain_text("哈希链完整")
    entries = int(re.search(r"(\d+)", rows.first.locator("td").nth(3).inner_text()).group(1))
    assert entries >= checked - 1 > 25  # the whole chain, across several pages
    screenshot(page, "v01-audit-verification-done")
