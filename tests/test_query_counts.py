"""The main pages cost a fixed number of queries, however many items there are (no N+1)."""

from datetime import date

import pytest
from flask import current_app

from tests.helpers.queries import PAGES, add_items, counting, page_queries, shown

# PostgreSQL reads search results window by window of publication time (two tiers, five windows
# each, and the count): more queries, as many for 6 items as for 24 and a million.
CEILING = {"/public/{body}/search?q=低保": 25}


@pytest.mark.parametrize("who,path,shows", PAGES)
def test_page_queries_do_not_grow_with_the_number_of_items(
    world, login_as, client, who, path, shows
):
    first = add_items(world, 2)
    target = first[-1].id  # a published item with a full chain of decisions
    ceiling = CEILING.get(path, 15)
    path = path.format(id=target, body=world.body.id)
    few = page_queries(login_as, client, who, path, shows)
    add_items(world, 6)
    many = page_queries(login_as, client, who, path, shows)
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


SHOWING = [  # (who, path template, an item the page shows): pages that show items and decide
    # nothing about any of them
    ("officer", "/department", "已发布的信息1"),
    ("office", "/office/deadlines/", "逾期的信息"),
    (None, "/public/{body}/", "已发布的信息1"),
    (None, "/public/{body}/catalog/06", "已发布的信息1"),
    (None, "/public/items/{id}", "已发布的信息1"),
    (None, "/public/{body}/feed.atom", "已发布的信息1"),
    (None, "/api/v1/bodies/{body}/items", "已发布的信息1"),
]


@pytest.mark.parametrize("who,path,shows", SHOWING)
def test_a_page_that_decides_nothing_does_not_read_who_wrote_its_items(
    world, login_as, client, who, path, shows
):
    """Who contributed to an item matters only to someone about to decide on it (the item page,
    the services; the inboxes ask the database in their own query): a page that loaded its
    items' contributors paid one more query for nothing (the portal's home: 4 queries, now 3)."""
    published = add_items(world, 2)[-1]
    world.to_state(world.item(title="逾期的信息", formed_on=date(2026, 1, 5)), "pending_office")
    browser = login_as(who).client if who else client
    path = path.format(body=world.body.id, id=published.id)
    browser.get(path)
    with current_app.app_context(), counting() as statements:
        response = browser.get(path)
    assert response.status_code == 200
    assert shows in shown(response), (path, shows)
    assert not [s for s in statements if "item_contributors" in s], path
