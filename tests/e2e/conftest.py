"""Browser fixtures: the app served over real HTTP on the test's database and headless Chromium.

The server runs werkzeug's threaded server in a background thread of this process. It is
function-scoped because ``app`` (and so the database) is; Chromium itself starts once per session.
Set E2E_SCREENSHOTS=1 to save full-page screenshots to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from approval import demo
from approval.extensions import db
from approval.models import Item, Revision
from tests.helpers.server import serving

from .helpers import DESKTOP

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # as scripts/test.sh
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Seeded demo items the tests start from (approval/demo.py), by state.
DEMO_TITLES = {
    "draft": "关于开展2026年度高龄津贴资格认证的通知",
    "pending_leader": "2026年第四季度最低生活保障金发放情况公示",
    "pending_office": "我镇召开秋冬季农业生产工作推进会",
    "pending_secrecy": "临时救助审批流程说明",
    "approved": "2026年耕地地力保护补贴发放工作方案",
    "published": "示范镇困难群众基本生活救助实施办法",
    "returned": "农村人居环境整治工作简报",
    "withheld": "低保对象家庭经济状况核对明细",
    "flagged": "2026年11月城乡低保新增对象公示",  # at 保密审查, with an unmasked resident ID
    "public_with_attachment": "关于调整2026年城乡最低生活保障标准的公告",  # in 最低生活保障
    "expired": "关于2025年秋季农机购置补贴申报的通知",
    "withdrawn": "关于调整镇村公交线路的通知",
}


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_E2E"):  # CI: a missing browser is a failure, not a skip
            pytest.fail(f"REQUIRE_E2E is set but there is no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, url: str, item_ids: dict[str, int]):
        self.url = url
        self.item_ids = item_ids  # demo item ids by DEMO_TITLES key


@pytest.fixture
def live_server(app):
    """The demo seeded into this test's database and served on 127.0.0.1:<free port>."""
    demo.seed()
    db.session.commit()
    ids = {}
    for key, title in DEMO_TITLES.items():
        ids[key] = db.session.scalar(
            select(Item.id).join(Item.current_revision).where(Revision.title == title)
        )
    # serving() releases this thread's connection: on SQLite even a read here would hold the
    # write lock.
    with serving(app, name="e2e-server") as url:
        yield LiveServer(url, ids)


@pytest.fixture
def new_page(chromium, live_server):
    """new_page(viewport=DESKTOP, **context_options) → a Page in a fresh browser context."""
    contexts = []

    def _new(viewport=DESKTOP, **options):
        options.setdefault("is_mobile", viewport["width"] < 600)
        options.setdefault("has_touch", options["is_mobile"])
        context = chromium.new_context(
            viewport=viewport,
            base_url=live_server.url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and "Content Security Policy" in msg.text
                and csp_violations.append(msg.text)
            ),
        )
        return page

    csp_violations: list[str] = []
    yield _new
    for context in contexts:
        context.close()
    assert not csp_violations, f"the strict CSP blocked something: {csp_violations}"


@pytest.fixture
def page(new_page):
    return new_page()
