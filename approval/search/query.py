"""Reading the index: the portal's search, with filters, highlighted snippets and keyset pages.

Order: items with every term in the title first, then the others; within each, the newest
first (the ordinal is the publication time). A discrete relevance like this keeps pages cheap
at any size: each page reads its rows from the index in order and stops (no scoring of every
match, no sort of all matches), and the cursor is (tier, ordinal), so a page never skips
rows with OFFSET. The count is exact up to ``COUNT_CAP``, then shown as "200+".

On PostgreSQL, whose pages are read in windows of publication time, the body's newest
``SAMPLE`` documents say how to read a term (``_ways``). One that none of them has is taken for
rare: the tier and ordinal of every match are read at once through the full-text index (up to
``FEW_MATCHES``), the page is cut from that list and fetched by ordinal, and the count is its
length, instead of a probe per window and tier and a count. One that ``DENSE`` of them have in a
tier is dense there: that tier's bounded windows walk the ordinal index, newest first, and stop
at a page, instead of reading every match in the table through the full-text index (the count
likewise, at ``DENSE_COUNT``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from approval.extensions import db
from approval.models import Department
from approval.platform.db_setup import prepared
from approval.search.documents import backend
from approval.search.schema import documents
from approval.search.snippets import Snippet, find_spans, snippet
from approval.search.tokens import ParsedQuery

PAGE_SIZE = 20
COUNT_CAP = 200  # each counted match is a phrase check on PostgreSQL: 1,000 cost 80 ms at 1M
FEW_MATCHES = COUNT_CAP  # PostgreSQL: up to this many matches of a rare term are listed whole
SAMPLE = 300  # a term that none of the body's newest 300 documents has is taken for rare
DENSE = 0.02  # a tier matched by 2% of the documents sampled is walked through its windows,
DENSE_COUNT = 0.10  # and the count at 10% anywhere: it needs 201 matches, a page 21
FEW = 3  # fewer matches than this in a tier say nothing of its density
_CURSOR = re.compile(r"([01])_(\d{1,19})")
_MAX_ORDINAL = 2**63 - 1
_departments = Department.__table__


@dataclass
class Filters:
    category_ids: tuple[int, ...] | None = None  # a category and everything under it
    department_id: int | None = None
    year: int | None = None
    validity: str | None = None


@dataclass
class Hit:
    item_id: int
    title: Snippet
    snippet: Snippet
    department: str
    published_at: datetime
    validity: str


@dataclass(frozen=True)
class Ways:
    """How a search reads its matches: ``rare``, listed whole; else tier by tier, window by
    window, the tiers in ``walked`` (1, 0; None: the count) through the ordinal index."""

    rare: bool = False
    walked: frozenset[int | None] = frozenset()


@dataclass
class Page:
    hits: list[Hit]
    total: int
    total_capped: bool  # more than COUNT_CAP matches
    next_cursor: str | None


def _select(
    body_id: int,
    query: ParsedQuery,
    filters: Filters,
    tier: int | None,
    columns,
    walk: bool = False,
):
    engine = backend()
    source, condition, order = engine.plan(query, tier, walk)
    doc, plain = documents.c, engine.unindexed  # the full-text index drives the query
    statement = (
        select(*columns(order)).select_from(source).where(condition, plain(doc.body_id) == body_id)
    )
    if filters.category_ids is not None:
        statement = statement.where(plain(doc.category_id).in_(filters.category_ids))
    if filters.department_id is not None:
        statement = statement.where(plain(doc.department_id) == filters.department_id)
    if filters.year is not None:
        statement = statement.where(plain(doc.year) == filters.year)
    if filters.validity is not None:
        statement = statement.where(plain(doc.validity) == filters.validity)
    return statement, order


def _hit_columns(order):
    doc = documents.c
    return (
        doc.item_id,
        doc.title,
        doc.text,
        doc.published_at,
        doc.validity,
        _departments.c.name.label("department"),
        order.label("ordinal"),
    )


def page_statement(
    body_id: int,
    query: ParsedQuery,
    filters: Filters,
    tier: int,
    before: int | None = None,
    limit: int = PAGE_SIZE + 1,
    since: int | None = None,
    walk: bool = False,
):
    """One tier's rows, newest first, from ``before`` (an ordinal) back to ``since``."""
    statement, order = _select(body_id, query, filters, tier, _hit_columns, walk)
    statement = statement.join(_departments, _departments.c.id == documents.c.department_id)
    statement = _between(statement, order, before, since)
    return statement.order_by(backend().order_for_page(order, walk).desc()).limit(limit)


def _between(statement, order, upper: int | None, since: int | None):
    if upper is not None:
        statement = statement.where(order < upper)
    if since is not None:
        statement = statement.where(order >= since)
    return statement


def _newest(body_id: int) -> int | None:
    """Where windows start: the ordinal of the body's newest document (index body_id, ordinal);
    not needed (None) when the backend reads everything in one window."""
    if len(backend().WINDOWS) == 1:
        return None
    return db.session.scalar(
        select(func.max(documents.c.ordinal)).where(documents.c.body_id == body_id)
    )


def _windows(top: int | None, upper: int | None):
    """(upper, since) ordinal bounds of the backend's ``WINDOWS`` of publication time, newest
    first, counted back from ``top`` and starting below ``upper``; None: open."""
    for span in backend().WINDOWS:
        since = None
        if span is not None:
            if top is None:  # nothing indexed for this body
                return
            since = top - span // timedelta(microseconds=1) * 1000
        yield upper, since
        upper = since


def _tier_rows(
    body_id: int,
    query: ParsedQuery,
    filters: Filters,
    tier: int,
    before: int | None,
    newest: int | None,
    wanted: int,
    walk: bool = False,
) -> list:
    """Up to ``wanted`` rows of one tier, newest first, read window by window; ``walk``: the
    bounded windows through the ordinal index (the open one always through the full-text
    index, so a term that thins out in older documents never walks the whole body)."""
    rows: list = []
    for upper, since in _windows(before if before is not None else newest, before):
        rows += db.session.execute(
            page_statement(
                body_id,
                query,
                filters,
                tier,
                upper,
                wanted - len(rows),
                since,
                walk and since is not None,
            )
        ).all()
        if len(rows) >= wanted:
            break
    return rows


def _ways(body_id: int, query: ParsedQuery, filters: Filters) -> Ways:
    """How to read this search, from how many of the body's newest ``SAMPLE`` documents match in
    the title, and in the text alone (read once per document, and not where the title matches).
    The planner's estimates cannot tell (docs/architecture.md, "PostgreSQL reads a page in
    windows"). None: rare, listed whole. A tier whose share of the sample is ``DENSE`` is walked,
    and the count at ``DENSE_COUNT`` (walking it for a 2% term read 10,000 rows). The sample
    ignores the filters, so a filtered search walks nothing: a filter that keeps few documents
    would make a walk read many."""
    if not backend().SAMPLES_TERMS:
        return Ways()
    doc, matches = documents.c, backend().matches
    newest = (
        select(doc.title_tsv, doc.tsv)
        .where(doc.body_id == body_id)
        .order_by(doc.ordinal.desc())
        .limit(SAMPLE)
        .subquery()
    )
    in_title = matches(newest.c.title_tsv, query)
    # prepared: planning it took as long as running it, and its plan is the same for every term
    sampled, in_titles, in_texts = db.session.execute(
        prepared(
            select(
                func.count(),
                func.count().filter(in_title),
                func.count().filter(~in_title & matches(newest.c.tsv, query)),
            )
        )
    ).one()
    if not in_titles and not in_texts:
        return Ways(rare=True)
    if filters != Filters():
        return Ways()
    shares = (
        (1, in_titles, DENSE),
        (0, in_texts, DENSE),
        (None, in_titles + in_texts, DENSE_COUNT),
    )
    return Ways(
        walked=frozenset(
            tier for tier, matched, dense in shares if matched >= FEW and matched >= dense * sampled
        )
    )


def _every_match(
    body_id: int, query: ParsedQuery, filters: Filters
) -> list[tuple[int, int]] | None:
    """(tier, ordinal) of every match in page order, if they are at most ``FEW_MATCHES``; else
    None. For a rare term (``_ways``), which would otherwise cost a probe per window and tier,
    and a count: one query through the GIN index reads both tiers (no title or text), and the
    page is fetched by ordinal. A term missing from the newest documents but frequent in older
    ones pays for the sample and up to 201 matches, then is read by window."""
    statement, _ = _select(
        body_id, query, filters, None, lambda order: (order, backend().in_title(query))
    )
    found = [
        (1 if in_title else 0, ordinal)
        for ordinal, in_title in db.session.execute(statement.limit(FEW_MATCHES + 1))
    ]
    return sorted(found, reverse=True) if len(found) <= FEW_MATCHES else None


def _rows_at(body_id: int, ordinals: list[int]) -> dict[int, object]:
    """The hit rows of these documents of the body, by ordinal."""
    statement = (
        select(*_hit_columns(documents.c.ordinal))
        .select_from(documents)
        .join(_departments, _departments.c.id == documents.c.department_id)
        .where(documents.c.body_id == body_id, documents.c.ordinal.in_(ordinals))
    )
    return {row.ordinal: row for row in db.session.execute(statement)}


def count(
    body_id: int,
    query: ParsedQuery,
    filters: Filters,
    cap: int = COUNT_CAP,
    newest: int | None = None,
    walk: bool = False,
) -> int:
    """The number of matches, counted up to cap + 1, window by window as pages are read: a common
    term is counted among the newest documents instead of through its whole GIN posting list
    (67 ms for 防汛抗旱 at a million documents); ``walk`` as in ``_tier_rows``."""
    newest = newest if newest is not None else _newest(body_id)
    total = 0
    for upper, since in _windows(newest, None):
        statement, order = _select(
            body_id, query, filters, None, lambda order: (order,), walk and since is not None
        )
        statement = _between(statement, order, upper, since)
        total += db.session.scalar(
            select(func.count()).select_from(statement.limit(cap + 1 - total).subquery())
        )
        if total > cap:
            break
    return total


def _parse_cursor(raw: str | None) -> tuple[int, int | None]:
    match = _CURSOR.fullmatch(raw or "")
    if not match or int(match.group(2)) > _MAX_ORDINAL:
        return 1, None
    return int(match.group(1)), int(match.group(2))


def _page_of(
    body_id: int, every: list[tuple[int, int]], start_tier: int, before: int | None, size: int
):
    """(rows, next position, total) of the page after the cursor, from every match's (tier,
    ordinal). A row withdrawn since the list was read is left out; the page still ends where the
    list says."""
    position = (start_tier, before if before is not None else _MAX_ORDINAL + 1)
    after = [match for match in every if match < position]
    found = _rows_at(body_id, [ordinal for _, ordinal in after[:size]])
    rows = [(tier, found[ordinal]) for tier, ordinal in after[:size] if ordinal in found]
    return rows, after[size - 1] if len(after) > size else None, len(every)


def _page_by_tier(
    body_id: int,
    query: ParsedQuery,
    filters: Filters,
    start_tier: int,
    before: int | None,
    newest: int | None,
    size: int,
    ways: Ways,
):
    """(rows, next position, total) of the page after the cursor, read tier by tier in page
    order."""
    rows = []
    for tier in (1, 0):
        if tier > start_tier:
            continue
        rows += [
            (tier, row)
            for row in _tier_rows(
                body_id,
                query,
                filters,
                tier,
                before if tier == start_tier else None,
                newest,
                size + 1 - len(rows),
                tier in ways.walked,
            )
        ]
        if len(rows) > size:
            break
    more = len(rows) > size
    rows = rows[:size]
    # a first page that holds every match needs no count
    first_page = start_tier == 1 and before is None
    total = (
        len(rows)
        if first_page and not more
        else count(body_id, query, filters, newest=newest, walk=None in ways.walked)
    )
    return rows, (rows[-1][0], rows[-1][1].ordinal) if more else None, total


def search(
    body_id: int,
    query: ParsedQuery,
    filters: Filters | None = None,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """A page of results; an empty query has none."""
    filters = filters or Filters()
    if not query:
        return Page([], 0, False, None)
    start_tier, before = _parse_cursor(cursor)
    ways = _ways(body_id, query, filters)
    every = _every_match(body_id, query, filters) if ways.rare else None
    if every is not None:
        rows, next_at, total = _page_of(body_id, every, start_tier, before, size)
    else:
        rows, next_at, total = _page_by_tier(
            body_id, query, filters, start_tier, before, _newest(body_id), size, ways
        )
    hits = [
        Hit(
            row.item_id,
            Snippet(row.title, find_spans(row.title, query.needles)),
            snippet(row.text, query.needles),
            row.department,
            row.published_at,
            row.validity,
        )
        for _, row in rows
    ]
    return Page(
        hits,
        min(total, COUNT_CAP),
        total > COUNT_CAP,
        f"{next_at[0]}_{next_at[1]}" if next_at else None,
    )


def explain(
    body_id: int,
    query: ParsedQuery,
    filters: Filters | None = None,
    tier: int = 1,
    since: int | None = None,
    walk: bool = False,
) -> str:
    """The database's plan for a page of results (EXPLAIN QUERY PLAN / EXPLAIN), as text."""
    statement = page_statement(body_id, query, filters or Filters(), tier, since=since, walk=walk)
    bind = db.session.get_bind()
    sql = str(statement.compile(bind=bind, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN " if bind.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    rows = db.session.execute(db.text(prefix + sql)).all()
    return "\n".join(str(row[-1]) for row in rows)
