"""The search and filters of the staff lists (issue 27): title text, state, department, author,
a date range and "mine", read from a GET form. Every value is checked against the body's own
choices; what was typed is kept for the form, and a bad value is a Chinese error naming the field
(the page answers 422), never a 500."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import exists, or_, select

from approval.core.msgids import N_
from approval.core.periods import utc_start
from approval.extensions import db
from approval.models import AuditEntry, Decision, Department, Item, Revision, User

MAX_TEXT = 100  # characters of title text searched for
BAD_DATE = N_("%(field)s格式不正确，请按“年-月-日”填写，例如 2026-03-01")
BAD_RANGE = N_("结束日期不能早于开始日期")
BAD_CHOICE = N_("请从列表中选择%(field)s")
TOO_LONG = N_("标题关键词不能超过 %(n)s 个字")
FIELD_NAMES = {
    "date_from": N_("开始日期"),
    "date_to": N_("结束日期"),
    "state": N_("状态"),
    "department": N_("部门"),
    "author": N_("撰稿人"),
}
FIELDS = ("q", "state", "department", "author", "date_from", "date_to", "mine")


@dataclass
class ListFilter:
    q: str = ""
    state: str = ""
    department_id: int | None = None
    author_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    mine: bool = False
    typed: dict = field(default_factory=dict)  # what was typed, for the form and the links
    errors: dict = field(default_factory=dict)  # field → message (translated)

    @property
    def is_set(self) -> bool:
        return any(self.typed.get(name) for name in FIELDS)

    def query_args(self) -> dict:
        """The filter as URL arguments (the "more" link keeps it)."""
        return {k: v for k, v in self.typed.items() if v}


def body_departments(body_id: int) -> list[Department]:
    return db.session.scalars(
        select(Department)
        .where(Department.body_id == body_id)
        .order_by(Department.position, Department.id)
    ).all()


def body_authors(body_id: int, department_id: int | None = None) -> list[User]:
    query = select(User).where(User.body_id == body_id)
    if department_id:
        query = query.where(User.department_id == department_id)
    return db.session.scalars(query.order_by(User.display_name, User.id)).all()


def parse(args, states: dict, departments=None, authors=None) -> ListFilter:
    """The filter in ``args`` (request.args); ``states``: state → label the list offers;
    ``departments``/``authors``: the choices (None: the list has no such filter)."""
    typed = {name: (args.get(name) or "").strip() for name in FIELDS}
    result = ListFilter(typed=typed)
    result.q = typed["q"]
    if len(result.q) > MAX_TEXT:
        result.errors["q"] = gettext(TOO_LONG, n=MAX_TEXT)
    if typed["state"]:
        if typed["state"] in states:
            result.state = typed["state"]
        else:
            result.errors["state"] = _choice_error("state")
    for name, choices, attr in (
        ("department", departments, "department_id"),
        ("author", authors, "author_id"),
    ):
        if not typed[name] or choices is None:
            continue
        ids = {str(c.id): c.id for c in choices}
        if typed[name] in ids:
            setattr(result, attr, ids[typed[name]])
        else:
            result.errors[name] = _choice_error(name)
    for name in ("date_from", "date_to"):
        if typed[name]:
            try:
                setattr(result, name, date.fromisoformat(typed[name]))
            except ValueError:
                result.errors[name] = gettext(BAD_DATE, field=gettext(FIELD_NAMES[name]))
    if result.date_from and result.date_to and result.date_to < result.date_from:
        result.errors["date_to"] = gettext(BAD_RANGE)
    result.mine = typed["mine"] in ("1", "on", "y")
    return result


def _choice_error(name: str) -> str:
    return gettext(BAD_CHOICE, field=gettext(FIELD_NAMES[name]))


def title_contains(text: str):
    """The item's current title contains ``text`` (a primary-key probe per row)."""
    return exists().where(
        Revision.id == Item.current_revision_id, Revision.title.contains(text, autoescape=True)
    )


def taken_part(user_id: int):
    """Items ``user_id`` wrote, decided on or published ("mine")."""
    return or_(
        Item.author_id == user_id,
        exists().where(Decision.item_id == Item.id, Decision.actor_id == user_id),
        exists().where(
            AuditEntry.item_id == Item.id,
            AuditEntry.action == "publish",
            AuditEntry.actor_id == user_id,
        ),
    )


def apply(query, chosen: ListFilter, user, time_column):
    """``query`` (of items) narrowed by the filter; the date range is on ``time_column``."""
    if chosen.q:
        query = query.where(title_contains(chosen.q))
    if chosen.state:
        query = query.where(Item.state == chosen.state)
    if chosen.department_id:
        query = query.where(Item.department_id == chosen.department_id)
    if chosen.author_id:
        query = query.where(Item.author_id == chosen.author_id)
    return query.where(*date_range(chosen, time_column)).where(
        *([taken_part(user.id)] if chosen.mine else [])
    )


def date_range(chosen: ListFilter, time_column) -> list:
    """Local days, both included, as conditions on a stored (naive UTC) time."""
    conditions = []
    if chosen.date_from:
        conditions.append(time_column >= utc_start(chosen.date_from))
    if chosen.date_to:
        conditions.append(time_column < utc_start(chosen.date_to + timedelta(days=1)))
    return conditions
