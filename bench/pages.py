"""The pages a benchmark requests, found in the benchmark database (run inside an app context).

Each entry is (label, who, path): ``who`` is None for an anonymous visitor, else the username of
the generated member of staff whose session requests the page.
"""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import func, select

from approval.extensions import db
from approval.models import Category, Department, Item

SEARCHES = [
    ("2 字 常见", "补贴"),
    ("2 字 罕见", "古树"),
    ("3 字 常见", "村委会"),
    ("3 字 罕见", "鱼腥草"),
    ("4 字 常见", "防汛抗旱"),
    ("4 字 罕见", "非遗传承"),
]
# the department whose officer and leader are measured (民政办, position 1)
DEPARTMENT_POSITION = 1


def _deep_cursor(query) -> str:
    """The keyset cursor 90% of the way down a newest-first listing (found once, by OFFSET)."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    row = db.session.execute(
        query.with_only_columns(Item.published_at, Item.id)
        .order_by(Item.published_at.desc(), Item.id.desc())
        .offset(int(total * 0.9))
        .limit(1)
    ).one()
    return quote(f"{row.published_at.isoformat()}_{row.id}")


def portal_pages(body_id: int) -> list[tuple[str, str]]:
    """(label, path) of the public pages: home, catalog, deep pages of both, an item, searches."""
    category = db.session.scalar(
        select(Category).where(Category.body_id == body_id, Category.code == "0301")
    )
    published = select(Item).where(Item.body_id == body_id, Item.state == "published")
    middle = db.session.scalar(
        published.with_only_columns(Item.id)
        .order_by(Item.id)
        .offset(db.session.scalar(select(func.count()).select_from(published.subquery())) // 2)
        .limit(1)
    )
    home = f"/public/{body_id}/"
    catalog = f"/public/{body_id}/catalog/{category.code}"
    pages = [
        ("首页", home),
        ("目录页（第一页）", catalog),
        ("首页深翻页（90%）", f"{home}?after={_deep_cursor(published)}"),
        (
            "目录深翻页（90%）",
            f"{catalog}?after={_deep_cursor(published.where(Item.category_id == category.id))}",
        ),
        ("信息页", f"/public/items/{middle}"),
    ]
    pages += [
        (f"搜索 {label}「{term}」", f"/public/{body_id}/search?q={quote(term)}")
        for label, term in SEARCHES
    ]
    return pages


def staff_pages(body_id: int) -> list[tuple[str, str | None, str]]:
    """(label, username, path) of the signed-in pages: the inboxes of an officer, a leader and
    the office, the officer's department list, and the review page of an item waiting for the
    leader (the middle one of their queue)."""
    department = db.session.scalar(
        select(Department).where(
            Department.body_id == body_id, Department.position == DEPARTMENT_POSITION
        )
    )
    waiting = (
        select(Item.id)
        .where(Item.department_id == department.id, Item.state == "pending_leader")
        .order_by(Item.id)
    )
    count = db.session.scalar(select(func.count()).select_from(waiting.subquery()))
    if not count:
        raise SystemExit(
            "too few items: none waits for the measured leader (use --n 10000 or more)"
        )
    review = db.session.scalar(waiting.offset(count // 2).limit(1))
    officer = f"bench_officer_{DEPARTMENT_POSITION}"
    leader = f"bench_leader_{DEPARTMENT_POSITION}"
    return [
        ("登录页", None, "/login"),
        ("信息员待办", officer, "/"),
        ("本部门信息", officer, "/department"),
        ("分管领导待办", leader, "/"),
        ("办公室待办", "bench_office", "/"),
        ("审批页（待分管领导审批）", leader, f"/items/{review}"),
    ]
