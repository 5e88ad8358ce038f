"""Counting the SQL a page sends, with items in every interesting state to make lists long."""

from __future__ import annotations

import json
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import event

from approval.core.workflow import Action
from approval.extensions import db


@contextmanager
def counting():
    """``with counting() as statements:`` every SQL statement sent inside the block, in order."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def add_items(world, n: int) -> list:
    """n items in each interesting state, with decisions by several people: 待审批的信息{i}
    (at 办公室审核), 退回的信息{i} (returned by the leader) and 已发布的信息{i}, in that order."""
    made = []
    for i in range(n):
        made.append(world.to_state(world.item(title=f"待审批的信息{i}"), "pending_office"))
        returned = world.item(title=f"退回的信息{i}")
        world.act("officer", returned, Action.SUBMIT)
        world.act("leader", returned, Action.RETURN, opinion="请补充")
        made.append(world.to_state(world.item(title=f"已发布的信息{i}"), "published"))
    return made


# The main pages: (who, path template, what the page shows after add_items(world, 2): an item's
# title, or the heading of a page or section that lists none of them). {id} is the last item
# add_items made (已发布的信息1, with decisions by several people), {body} the world's body. None:
# not signed in.
PAGES = [
    ("officer", "/", "退回的信息1"),
    ("officer", "/department", "已发布的信息1"),
    ("leader", "/", "待分管领导审批"),
    ("office", "/", "待审批的信息1"),
    ("publisher", "/", "待发布"),
    ("officer", "/items/{id}", "已发布的信息1"),
    ("office", "/items/{id}", "已发布的信息1"),
    ("auditor", "/items/{id}/history", "已发布的信息1"),
    ("auditor", "/admin/audit", "审计日志"),
    (None, "/public/{body}/", "已发布的信息1"),
    (None, "/public/{body}/catalog/06", "已发布的信息1"),
    (None, "/public/items/{id}", "已发布的信息1"),
    (None, "/public/{body}/search?q=低保", "已发布的信息1"),
    (None, "/public/{body}/feed.atom", "已发布的信息1"),
    (None, "/api/v1/bodies/{body}/items", "已发布的信息1"),
    (None, "/api/v1/items/{id}", "已发布的信息1"),
    ("office", "/office/catalog", "通知公告"),
    ("office", "/office/deadlines/", "期限看板"),
]


def shown(response) -> str:
    """What a response shows: its text, or for JSON the data with Chinese as Chinese."""
    if response.is_json:
        return json.dumps(response.json, ensure_ascii=False)
    return response.get_data(as_text=True)


def page_queries(login_as, client, who, path, shows: str | None = None) -> int:
    """How many statements ``who`` (None: a visitor) costs by opening ``path`` a second time; the
    page must answer 200 and, if ``shows`` is given, show that text."""
    browser = login_as(who).client if who else client
    browser.get(path)  # warm: the login itself, first-request work
    # a fresh app context, so a fresh, empty session, as every request has in production (the
    # test's own session would hand the request objects it already holds)
    with current_app.app_context(), counting() as statements:
        response = browser.get(path)
    assert response.status_code == 200, (path, response.status_code)
    if shows is not None:
        assert shows in shown(response), (path, shows)
    return len(statements)
