"""Finished work found again (issue 27): 已办, 已发布信息 and 全部信息, each with the same GET
filter form (list_filters.py). A bad filter value answers 422 with the form as typed."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from approval.core.vocab import STATE_LABELS
from approval.core.workflow import PUBLISHED, UNPUBLISHED
from approval.models import chains_for
from approval.permissions import lists as may
from approval.platform.access import requires
from approval.platform.template_helpers import state_label
from approval.publication import finished, list_filters

bp = Blueprint("finished", __name__)


@bp.app_template_global()
def can_see_done() -> bool:
    """For the navigation's links."""
    return may.can_see_done(current_user)


@bp.app_template_global()
def can_list_published() -> bool:
    return may.can_list_published(current_user)


@bp.app_template_global()
def can_list_body_items() -> bool:
    return may.can_list_body_items(current_user)


def all_states(body_id: int) -> dict[str, str]:
    """Every state an item of the body may be in, in workflow order, with its name."""
    chains = chains_for(body_id)
    states = ["draft", *(s.state for s in chains.steps), *list(STATE_LABELS)[1:]]
    return {s: state_label(s, chains) for s in dict.fromkeys(states)}


def _list(kind: str, states: dict, load, *, departments=True, authors=True):
    body_id = current_user.body_id
    department_rows = list_filters.body_departments(body_id) if departments else None
    author_rows = list_filters.body_authors(body_id) if authors else None
    chosen = list_filters.parse(request.args, states, department_rows, author_rows)
    rows, next_cursor, status = [], None, 200
    if chosen.errors:
        status = 422
    else:
        rows, next_cursor = load(current_user, chosen, cursor=request.args.get("after"))
    return render_template(
        "publication/finished_list.html",
        kind=kind,
        rows=rows,
        next_cursor=next_cursor,
        chosen=chosen,
        states=states,
        departments=department_rows,
        authors=author_rows,
    ), status


@bp.route("/done")
@requires(may.can_see_done)
def done():
    return _list("done", all_states(current_user.body_id), finished.done)


@bp.route("/published")
@requires(may.can_list_published)
def published():
    states = {s: state_label(s) for s in (PUBLISHED, UNPUBLISHED)}
    return _list("published", states, finished.published_items)


@bp.route("/all-items")
@requires(may.can_list_body_items)
def all_items():
    return _list("all", all_states(current_user.body_id), finished.body_items)


def department_page():
    """本部门信息 (drafts.department), with the same filters: the department is fixed."""
    user = current_user
    states = all_states(user.body_id)
    authors = list_filters.body_authors(user.body_id, user.department_id)
    chosen = list_filters.parse(request.args, states, None, authors)
    rows, next_cursor, status = [], None, 200
    if chosen.errors:
        status = 422
    else:
        rows, next_cursor = finished.department_items(
            user, chosen, cursor=request.args.get("after")
        )
    return render_template(
        "publication/department.html",
        items=rows,
        next_cursor=next_cursor,
        chosen=chosen,
        states=states,
        authors=authors,
    ), status
