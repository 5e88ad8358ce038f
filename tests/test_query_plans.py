"""Every list query of the main pages is served by an index in filter and order: no full scan of
the big tables and no sort of their rows, so a page costs the same at 24 items and at a million
(bench/bench_http.py measures it). SQLite's planner is rule-based without statistics, so its plans
are stable enough to assert; PostgreSQL picks plans from statistics and is left to the benchmark."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from approval.extensions import db
from tests.conftest import PG_URL
from tests.helpers.queries import PAGES, add_items, shown

pytestmark = pytest.mark.skipif(
    bool(PG_URL), reason="PostgreSQL plans depend on statistics; the benchmark measures them"
)

BIG_TABLES = ("items", "revisions", "audit_entries", "search_documents", "decisions")


@contextmanager
def statements():
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)


def _plan(statement, parameters) -> list[str]:
    raw = db.session.connection().connection.driver_connection
    return [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]


# Pages allowed to sort in a paged query, and why the sorted rows are bounded. The 期限看板 ranks
# the flagged unfinished items of one body by how late they are (a 成文日期 of the joined
# revision, or the time the item entered its step): the rows come from ix_items_body_state for
# the open states only — the body's work in hand, never its published history, whatever its size.
# The inboxes (publication/queries.py URGENT_ORDER) rank one section's rows by 公开期限, then time
# waiting: one state of one body (ix_items_body_state), or of one department for its drafts.
BOUNDED_SORTS = {
    "/office/deadlines/": ("ix_items_body_state",),
    "/": ("ix_items_body_state", "ix_items_department_state"),
}


def _problems(statement: str, plan: list[str], sort_allowed: bool = False) -> list[str]:
    """Full scans of a big table anywhere; sorts in a paged query (LIMIT). Eager loads sort only
    the rows of the page's own items (WHERE … IN (ids)), which is bounded and allowed."""
    paged = " LIMIT " in statement.upper().replace("\n", " ") and not sort_allowed
    bad = []
    for step in plan:
        if paged and "TEMP B-TREE FOR ORDER BY" in step:
            bad.append(step)
        for table in BIG_TABLES:
            if step.startswith(f"SCAN {table}") and "USING" not in step:
                bad.append(step)
    return bad


@pytest.mark.parametrize("who,path,shows", PAGES)
def test_list_queries_use_an_index_for_filter_and_order(world, login_as, client, who, path, shows):
    target = add_items(world, 2)[-1].id
    path = path.format(id=target, body=world.body.id)
    browser = login_as(who).client if who else client
    with statements() as seen:
        response = browser.get(path)
    assert response.status_code == 200
    assert shows in shown(response), (path, shows)
    assert seen, "the page ran no query"
    bounded = BOUNDED_SORTS.get(path, ())
    for statement, parameters in seen:
        plan = _plan(statement, parameters)
        paged = " LIMIT " in statement.upper().replace("\n", " ")
        sorts = paged and any("TEMP B-TREE FOR ORDER BY" in step for step in plan)
        if bounded and sorts:  # only over the rows of the named index's range
            assert any(index in step for step in plan for index in bounded), (path, plan)
        problems = _problems(statement, plan, sort_allowed=bool(bounded))
        assert not problems, f"{path}: {problems}\n{statement}"


# The office's statistics (services/statistics.py): each figure is one GROUP BY over an index range
# of the period — audit entries by (body, action, time), items by (body, publication time) — and
# the step times look up each decision's arrival by item. Never all of a body's trail or items.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATISTICS_PAGES = [
    "/office/statistics/?period={year}",
    "/office/statistics/?period={month}&department={department}",
    "/office/statistics/export.xlsx?period={month}",
]
STATISTICS_INDEXES = {
    "audit_entries": ("ix_audit_entries_body_action_time", "ix_audit_entries_item_id"),
    "items": ("ix_items_published", "ix_items_public_category", "PRIMARY KEY"),
    "decisions": ("sqlite_autoindex_decisions",),
}


@pytest.mark.parametrize("path", STATISTICS_PAGES)
def test_statistics_read_index_ranges_of_the_period(world, login_as, path):
    from approval.core.periods import current_month

    add_items(world, 2)
    month = current_month()
    path = path.format(year=month.year, month=month.key, department=world.departments["civil"].id)
    with statements() as seen:
        response = login_as("office").client.get(path)
    assert response.status_code == 200
    if "export.xlsx" in path:  # the workbook of the same figures, as a download
        assert response.mimetype == XLSX and "attachment" in response.headers["Content-Disposition"]
    else:
        assert "<h1>信息统计</h1>" in response.text, path
    read = set()
    for statement, parameters in seen:
        plan = _plan(statement, parameters)
        assert not _problems(statement, plan), f"{path}: {plan}\n{statement}"
        for step in plan:
            for table, indexes in STATISTICS_INDEXES.items():
                if step.startswith((f"SEARCH {table} ", f"SEARCH {table}_1 ")):
                    assert any(index in step for index in indexes), f"{path}: {step}\n{statement}"
                    read.add(table)
    assert {"audit_entries", "items"} <= read
