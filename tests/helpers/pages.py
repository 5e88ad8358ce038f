"""What a person sees on a page (its heading, who is signed in) and does on the item page, through
the test client (a ``Browser`` of conftest.py)."""

from __future__ import annotations

import re

from tests.conftest import Browser

VERSION_RE = re.compile(r'name="version" value="(\d+)"')  # the version the page's forms send


def item_url(item_id: int) -> str:
    return f"/items/{item_id}"


def act(b: Browser, item_id: int, action: str, version: str | None = None, **fields):
    """Press an action button on the item page (it must be offered there)."""
    page = b.get(item_url(item_id))
    assert f'name="action" value="{action}"' in page.text, f"{action} is not offered"
    version = version or VERSION_RE.search(page.text).group(1)
    return b.post(
        f"{item_url(item_id)}/act",
        {"action": action, "version": version, **fields},
        token_from=item_url(item_id),
    )


def heading(html: str) -> str:
    """The page's ``<h1>`` as a person reads it (tags dropped, spaces collapsed), e.g. "待办事项"."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "the page has no <h1>"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def signed_in_as(html: str) -> str | None:
    """The display name the header shows beside 退出 ("用户officer"), or None on a page for a
    visitor (the login page, the portal)."""
    match = re.search(r'<div class="who">\s*<span>([^<（]+)（', html)
    return match.group(1) if match else None
