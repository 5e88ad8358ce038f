"""The portal's search form as read from the URL: the query, and the filters a body offers
(categories with their subcategories, departments, years, validity). A value that is not offered
is ignored with a notice; nothing here raises. Reading the index is ``query``'s."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select

from approval.core.clock import local_today
from approval.core.vocab import VALIDITY
from approval.extensions import db
from approval.models import Department
from approval.platform.i18n import N_
from approval.platform.routing import db_id
from approval.portal import public
from approval.publication import categories
from approval.search.query import Filters
from approval.search.schema import documents
from approval.search.tokens import MAX_CLAUSES, MAX_QUERY, ParsedQuery, parse_query


@dataclass
class Options:
    """What the filter selects offer."""

    categories: list[tuple[str, str, int]] = field(default_factory=list)  # code, name, depth
    departments: list[tuple[int, str]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    validities: list[tuple[str, str]] = field(default_factory=lambda: list(VALIDITY.items()))
    tree: list = field(default_factory=list, repr=False)  # the catalog, for subcategories


@dataclass
class Form:
    """The search form as read from the URL: accepted values (as strings) and what was ignored."""

    q: str = ""
    query: ParsedQuery = field(default_factory=ParsedQuery)
    filters: Filters = field(default_factory=Filters)
    chosen: dict[str, str] = field(default_factory=dict)
    notices: list[tuple[str, dict]] = field(default_factory=list)  # (msgid, parameters)


def options(body_id: int) -> Options:
    found = Options()

    def walk(nodes, depth):
        for node in nodes:
            found.categories.append((node.category.code, node.category.name, depth))
            walk(node.children, depth + 1)

    found.tree = categories.category_tree(body_id)
    walk(found.tree, 0)
    found.departments = [
        (d.id, d.name)
        for d in db.session.scalars(
            select(Department)
            .where(Department.body_id == body_id)
            .order_by(Department.position, Department.id)
        )
    ]
    first = db.session.scalar(
        select(func.min(documents.c.year)).where(documents.c.body_id == body_id)
    )
    if first is not None:
        found.years = list(range(max(local_today().year, first), first - 1, -1))
    return found


def _descendant_ids(tree, code: str) -> tuple[int, ...] | None:
    node, _ = public.find_node(tree, code)
    if node is None:
        return None
    ids, stack = [], [node]
    while stack:
        current = stack.pop()
        ids.append(current.category.id)
        stack += current.children
    return tuple(ids)


def read_form(body_id: int, args: Mapping, offered: Options) -> Form:
    """The query and filters from GET parameters. A value that is not offered is ignored, with
    a notice; nothing here raises."""
    form = Form(q=(args.get("q") or "").strip())
    form.query = parse_query(form.q)
    if form.query.truncated:
        form.notices.append(
            (
                N_("搜索词过长，只按前 %(chars)s 个字、%(terms)s 个词搜索"),
                {"chars": MAX_QUERY, "terms": MAX_CLAUSES},
            )
        )
    elif form.q and not form.query:
        form.notices.append((N_("请输入要搜索的汉字、字母或数字"), {}))
    code = (args.get("category") or "").strip()
    if code:
        ids = _descendant_ids(offered.tree, code) if len(code) <= 32 else None
        if ids is None:
            form.notices.append((N_("没有这个主题分类，已按全部分类搜索"), {}))
        else:
            form.filters.category_ids, form.chosen["category"] = ids, code
    department = _as_int(args.get("department"))
    if args.get("department"):
        if department in dict(offered.departments):
            form.filters.department_id, form.chosen["department"] = department, str(department)
        else:
            form.notices.append((N_("没有这个发布机构，已按全部发布机构搜索"), {}))
    year = _as_int(args.get("year"))
    if args.get("year"):
        if year in offered.years:
            form.filters.year, form.chosen["year"] = year, str(year)
        else:
            form.notices.append((N_("年份无效，已按全部年份搜索"), {}))
    validity = args.get("validity") or ""
    if validity:
        if validity in VALIDITY:
            form.filters.validity, form.chosen["validity"] = validity, validity
        else:
            form.notices.append((N_("有效性无效，已按全部有效性搜索"), {}))
    return form


def _as_int(raw) -> int | None:
    try:
        return db_id(str(raw).strip())
    except (TypeError, ValueError):
        return None
