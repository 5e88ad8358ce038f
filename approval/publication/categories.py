"""The body's catalog (主题分类) as a draft's form and the portal read it: a tree, one query, each
level in its configured order, and the same tree flattened for a select. The office keeps the
catalog (portal/catalog.py); every item is filed under one of its categories."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from approval.extensions import db
from approval.models import Category


@dataclass
class CategoryNode:
    category: Category
    children: list[CategoryNode] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    """One line of the flattened tree: the category, its depth, and its place among siblings."""

    category: Category
    depth: int
    is_first: bool
    is_last: bool


def category_tree(body_id: int) -> list[CategoryNode]:
    """The body's catalog as a tree (one query), each level in its configured order."""
    rows = db.session.scalars(
        select(Category)
        .where(Category.body_id == body_id)
        .order_by(Category.position, Category.code)
    ).all()
    nodes = {c.id: CategoryNode(c) for c in rows}
    roots = []
    for category in rows:
        parent = nodes.get(category.parent_id)
        (parent.children if parent else roots).append(nodes[category.id])
    return roots


def rows(body_id: int, tree: list[CategoryNode] | None = None) -> list[Row]:
    """The body's catalog in tree order (parents before children, siblings in order); from
    ``tree`` (``category_tree(body_id)``) when the caller already has it."""
    out: list[Row] = []

    def walk(nodes: list[CategoryNode], depth: int) -> None:
        for i, node in enumerate(nodes):
            out.append(Row(node.category, depth, i == 0, i == len(nodes) - 1))
            walk(node.children, depth + 1)

    walk(category_tree(body_id) if tree is None else tree, 0)
    return out
