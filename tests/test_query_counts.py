"""The main pages cost a fixed number of queries, however many items there are (no N+1)."""
from contextlib import contextmanager
from datetime import date

import pytest
from flask import current_app
from sqlalchemy import event

from approval.extensions import db
from approval.core.workflow import Action


@contextmanager
def counting():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _add_items(world, n: int) -> list:
    """n items in each interesting state, with decisions by several people."""
    made = []
    for i in range(n):
        made.append(world.to_state(world.item(title=f"待审批的信息{i}"), "pending_office"))
        returned = world.item(title=f"退回的信息{i}")
        world.act("officer", returned, Action.SUBMIT)
        world.act("leader", returned, Action.RETURN, opinion="请补充")
        made.append(world.to_state(world.item(title=f"已发布的信息{i}"), "published"))
    return made


PAGES = [  # (who, path template) — {id} is an item with decisions by several people
    ("officer", "/"), ("officer", "/department"), ("leader", "/"), ("office", "/"),
    ("publisher", "/"), ("officer", "/items/{id}"), ("office", "/items/{id}"),
    ("auditor", "/items/{id}/history"), ("auditor", "/admin/audit"),
    (None, "/public/{body}/"), (None, "/public/{body}/catalog/06"), (None, "/public/items/{id}"),
    (None, "/public/{body}/search?q=低保"), (None, "/public/{body}/feed.atom"),
    (None, "/api/v1/bodies/{body}/items"), (None, "/api/v1/items/{id}"),
    ("office", "/office/catalog"), ("office", "/office/deadlines/"),
]


# PostgreSQL reads search results window by window of publication time (two tiers, five windows
# each, and the count): more queries, as many for 6 items as for 24 and a million.
CEILING = {"/public/{body}/search?q=低保": 25}


def _queries(login_as, client, who, path) -> int:
    browser = login_as(who).client if who else client
    browser.get(path)  # warm: the login itself, first-request work
    # a fresh app context, so a fresh, empty session, as every request has in production (the
    # test's own session would hand the request objects it already holds)
    with current_app.app_context(), counting() as statements:
        assert browser.get(path).status_code == 200
    return len(statements)


@pytest.mark.parametrize("who,path", PAGES)
def test_page_queries_do_not_grow_with_the_number_of_items(world, login_as, client, who, path):
    first = _add_items(world, 2)
    target = first[-1].id  # a published item with a full chain of decisions
    ceiling = CEILING.get(path, 15)
    path = path.format(id=target, body=world.body.id)
    few = _queries(login_as, client, who, path)
    _add_items(world, 6)
    many = _queries(login_as, client, who, path)
    assert many == few, f"{path}: {few} queries with 6 items, {many} with 24"
    assert few <= ceiling, f"{path}: {few} queries"


def test_an_inbox_section_counts_exactly_up_to_the_cap_then_says_so(world, login_as, monkeypatch):
    """Counting every waiting row on each visit would grow with the queue; past the cap the
    section says "N+" (the cap is lowered here so a few items reach it)."""
    from approval.publication import queries
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    for i in range(3):
        world.to_state(world.item(title=f"待审核{i}"), "pending_office")
    page = login_as("office").get("/").text
    assert 'data-count="office">3<' in page
    world.to_state(world.item(title="第四条"), "pending_office")
    page = login_as("office").get("/").text
    assert 'data-count="office">3+<' in page and "第四条" in page


SHOWING = [  # (who, path template): pages that show items and decide nothing about any of them
    ("officer", "/department"), ("office", "/office/deadlines/"), (None, "/public/{body}/"),
    (None, "/public/{body}/catalog/06"), (None, "/public/items/{id}"),
    (None, "/public/{body}/feed.atom"), (None, "/api/v1/bodies/{body}/items"),
]


@pytest.mark.parametrize("who,path", SHOWING)
def test_a_page_that_decides_nothing_does_not_read_who_wrote_its_items(world, login_as, client,
                                                                       who, path):
    """Who contributed to an item matters only to someone about to decide on it (the item page,
    the services; the inboxes ask the database in their own query): a page that loaded its
    items' contributors paid one more query for nothing (the portal's home: 4 queries, now 3)."""
    published = _add_items(world, 2)[-1]
    world.to_state(world.item(title="逾期的信息", formed_on=date(2026, 1, 5)), "pending_office")
    browser = login_as(who).client if who else client
    path = path.format(body=world.body.id, id=published.id)
    browser.get(path)
    with current_app.app_context(), counting() as statements:
        assert browser.get(path).status_code == 200
    assert not [s for s in statements if "item_contributors" in s], path
