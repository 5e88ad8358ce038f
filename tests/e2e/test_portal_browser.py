"""A citizen on the public portal, in Chromium: browse the catalog, search two characters, open an
item, download its attachment, meet a withdrawn item's notice; axe-core on every kind of page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from docx import Document
from playwright.sync_api import expect

from .helpers import PHONE, screenshot

pytestmark = pytest.mark.e2e

STANDARD = "关于调整2026年城乡最低生活保障标准的公告"


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.x A/AA)."""
    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            }
        },
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_citizen_finds_an_item_by_catalog_and_downloads_its_attachment(page, live_server):
    page.goto("/public/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("政府信息公开专栏")
    catalog = page.get_by_role("navigation", name="信息公开目录")
    catalog.get_by_role("link", name="社会救助").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("社会救助")
    page.get_by_role("region", name="下级分类").get_by_role("link", name="最低生活保障").click()
    page.get_by_role("link", name=STANDARD).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(STANDARD)
    attributes = page.get_by_role("region", name="信息公开要素")
    for label in (
        "索引号",
        "发布机构",
        "主题分类",
        "信息类别",
        "发文字号",
        "成文日期",
        "发布日期",
        "有效性",
        "公开方式",
        "主题词",
    ):
        expect(attributes.get_by_role("rowheader", name=label)).to_be_visible()
    expect(attributes).to_contain_text("示民发〔2026〕2号")
    screenshot(page, "portal-item")
    with page.expect_download() as info:
        page.get_by_role("link", name="2026年低保标准明细表.docx").click()
    download = info.value
    assert download.suggested_filename == "2026年低保标准明细表.docx"
    text = [p.text for p in Document(io.BytesIO(Path(download.path()).read_bytes())).paragraphs]
    assert "城市低保：每人每月900元" in text


def test_a_citizen_finds_an_item_by_a_two_character_search(page, live_server):
    page.goto("/public/")
    page.get_by_role("searchbox", name="搜索公开信息").fill("低保")
    page.get_by_role("searchbox", name="搜索公开信息").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    result = page.get_by_role("link", name=STANDARD)
    expect(result).to_be_visible()
    expect(page.locator("mark").first).to_have_text("低保")
    # never-published items (the 低保 list still at 保密审查) are not found
    expect(page.get_by_text("2026年11月城乡低保新增对象公示")).to_have_count(0)
    screenshot(page, "portal-search")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(STANDARD)


def test_a_withdrawn_item_shows_its_notice_and_an_expired_one_is_marked(page, live_server):
    page.goto(f"/public/items/{live_server.item_ids['withdrawn']}")
    notice = page.get_by_role("region", name="该信息已撤稿")
    expect(notice).to_contain_text("改由县交通运输局统一发布")
    expect(page.get_by_text("镇村公交2路调整为经停中心小学")).to_have_count(0)
    page.goto("/public/")
    row = page.locator(
        ".item-row", has=page.get_by_role("link", name="关于2025年秋季农机购置补贴申报的通知")
    )
    expect(row.locator(".badge")).to_have_text("失效")
    expect(page.get_by_role("link", name="关于调整镇村公交线路的通知")).to_have_count(0)


def test_keyboard_users_skip_to_the_content_and_can_enlarge_the_text(page, live_server):
    page.goto("/public/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    toggle = page.get_by_role("button", name="大字模式")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    size = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    larger = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    assert float(larger[:-2]) >= float(size[:-2]) * 1.2
    page.reload()  # remembered
    expect(page.get_by_role("button", name="大字模式")).to_have_attribute("aria-pressed", "true")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_public_pages_have_no_serious_accessibility_violations(new_page, live_server, viewport):
    page = new_page(viewport) if viewport else new_page()
    ids = live_server.item_ids
    page.goto("/public/")
    body_home = page.url
    pages = {
        "home": body_home,
        "catalog": f"{body_home}catalog/0301",
        "search": f"{body_home}search?q=低保",
        "search-empty": f"{body_home}search?q=无此内容的查询",
        "item": f"/public/items/{ids['public_with_attachment']}",
        "item-expired": f"/public/items/{ids['expired']}",
        "item-withdrawn": f"/public/items/{ids['withdrawn']}",
        "guide": f"{body_home}guide",
    }
    page.goto(pages["home"])  # first show that the check can fail, on this very page under its CSP
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    assert any(v.startswith("image-alt") for v in serious_violations(page))
    found = {}
    for name, url in pages.items():
        assert page.goto(url).status == 200, name
        if problems := serious_violations(page):
            found[name] = problems
    page.get_by_role("button", name="大字模式").click()  # the larger-text mode too
    page.goto(pages["home"])
    if problems := serious_violations(page):
        found["home-large-text"] = problems
    assert not found, found
