"""The statistics tests' October 2026: items walking the real chain at set (Beijing) times, every
figure of which is computed by hand in tests/test_statistics.py's docstring; and the dashboard's
ranking table as text. The ``october`` fixture of conftest.py builds it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Category, Department, DepartmentTarget, Item, Revision
from tests.factories import CLEAR_CHECKLIST

DASHBOARD = "/office/statistics/"


@dataclass
class October:
    world: object
    items: dict
    finance: Department
    categories: dict


def walk(world, moment, item, steps) -> None:
    for when, who, action, given in steps:
        moment.at(when)
        world.act(who, item, action, **given)


def chain(officer, leader, times, publish=None):
    """submit, leader, office, secrecy (and publish) at the given local times."""
    steps = [
        (times[0], officer, Action.SUBMIT, {}),
        (times[1], leader, Action.APPROVE, {}),
        (times[2], "office", Action.APPROVE, {}),
        (
            times[3],
            "secrecy",
            Action.SIGN_OFF,
            {"checklist": dict(CLEAR_CHECKLIST), "opinion": "同意公开"},
        ),
    ]
    if publish:
        steps.append((publish, "publisher", Action.PUBLISH, {}))
    return steps


def build_october(world, moment) -> October:
    """The October of tests/test_statistics.py's docstring. Leaves the clock at 2026-11-05 10:00
    Beijing time."""
    body = world.body
    finance = Department(body=body, name="财政所", position=3)
    c01 = Category(body=body, code="01", name="机构职能")
    c0101 = Category(body=body, code="0101", name="机构设置", parent=c01, stale_after_days=30)
    c02 = Category(body=body, code="02", name="政策文件")
    db.session.add_all([finance, c01, c0101, c02])
    db.session.commit()

    def item(key, author, formed):
        return world.item(author, title=f"{key} 测试信息", formed_on=date.fromisoformat(formed))

    civil, agri = ("officer", "leader"), ("officer_agri", "leader_agri")
    items = {}
    moment.at("2026-08-01 08:00")
    for key, author, formed in (
        ("C1", "officer", "2026-09-30"),
        ("C2", "officer", "2026-09-01"),
        ("C3", "officer", "2026-08-03"),
        ("C4", "officer", "2026-10-10"),
        ("C5", "officer", "2026-10-15"),
        ("C6", "officer", "2026-10-28"),
        ("A0", "officer_agri", "2026-09-08"),
        ("A1", "officer_agri", "2026-10-08"),
        ("A2", "officer_agri", "2026-10-16"),
        ("A3", "officer_agri", "2026-09-20"),
    ):
        items[key] = item(key, author, formed)

    walk(
        world,
        moment,
        items["C3"],
        chain(
            *civil,
            ["2026-09-28 09:00", "2026-09-28 10:00", "2026-09-28 11:00", "2026-09-29 09:00"],
            "2026-10-09 09:00",
        ),
    )
    walk(world, moment, items["A0"], [("2026-09-30 23:30", "officer_agri", Action.SUBMIT, {})])
    walk(world, moment, items["A3"], [("2026-10-01 00:30", "officer_agri", Action.SUBMIT, {})])
    walk(
        world,
        moment,
        items["C1"],
        chain(
            *civil,
            ["2026-10-09 09:00", "2026-10-09 11:00", "2026-10-09 15:00", "2026-10-10 09:00"],
            "2026-10-12 09:00",
        ),
    )
    walk(
        world,
        moment,
        items["A1"],
        [
            ("2026-10-10 09:00", "officer_agri", Action.SUBMIT, {}),
            ("2026-10-10 12:00", "leader_agri", Action.RETURN, {"opinion": "格式不规范"}),
            ("2026-10-12 09:00", "officer_agri", Action.SUBMIT, {}),
            ("2026-10-12 11:00", "leader_agri", Action.APPROVE, {}),
            ("2026-10-12 17:00", "office", Action.RETURN, {"opinion": " 请补充附件 "}),
        ],
    )
    walk(
        world,
        moment,
        items["C2"],
        [
            ("2026-10-12 10:00", "officer", Action.SUBMIT, {}),
            ("2026-10-12 14:00", "leader", Action.RETURN, {"opinion": "请补充附件"}),
            *chain(
                *civil,
                ["2026-10-13 09:00", "2026-10-13 10:00", "2026-10-13 12:00", "2026-10-14 12:00"],
                "2026-10-31 23:30",
            ),
        ],
    )
    walk(
        world,
        moment,
        items["C4"],
        [
            ("2026-10-15 09:00", "officer", Action.SUBMIT, {}),
            ("2026-10-15 10:00", "leader", Action.APPROVE, {}),
            ("2026-10-15 13:00", "office", Action.RETURN, {"opinion": "请补充附件。"}),
        ],
    )
    walk(
        world,
        moment,
        items["A2"],
        chain(
            *agri,
            ["2026-10-16 09:00", "2026-10-16 10:00", "2026-10-16 12:00", "2026-10-16 16:00"],
            "2026-10-19 09:00",
        ),
    )
    walk(
        world,
        moment,
        items["C5"],
        [
            ("2026-10-20 09:00", "officer", Action.SUBMIT, {}),
            ("2026-10-20 09:30", "leader", Action.APPROVE, {}),
            ("2026-10-20 10:30", "office", Action.APPROVE, {}),
            (
                "2026-10-21 10:30",
                "secrecy",
                Action.WITHHOLD,
                {"opinion": "涉及个人隐私", "basis": "personal_privacy"},
            ),
        ],
    )
    walk(
        world,
        moment,
        items["C6"],
        chain(
            *civil,
            ["2026-10-29 09:00", "2026-10-29 10:00", "2026-10-29 11:00", "2026-10-30 11:00"],
            "2026-11-01 00:10",
        ),
    )
    bulk_publish(world, finance, c0101, 482)
    db.session.add_all(
        [
            DepartmentTarget(department_id=world.departments["civil"].id, year=2026, target=10),
            DepartmentTarget(department_id=finance.id, year=2026, target=300),
        ]
    )
    db.session.commit()
    moment.at("2026-11-05 10:00")
    return October(world, items, finance, {"01": c01, "0101": c0101, "02": c02})


def bulk_publish(world, department, category, n: int) -> None:
    """``n`` published items as rows: 2026-03-02 10:00 onwards a minute apart, the last on
    2026-09-15 10:00 (Beijing), each formed the day before (on time)."""
    first = datetime(2026, 3, 2, 2, 0)  # 10:00 Beijing
    author = world.users["officer"]
    for i in range(n):
        published = first + timedelta(minutes=i) if i < n - 1 else datetime(2026, 9, 15, 2, 0)
        item = Item(
            body_id=world.body.id,
            department_id=department.id,
            author_id=author.id,
            state="published",
            round=1,
            published_at=published,
            category_id=category.id,
            index_number=f"{world.body.credit_code}/2026-9{i:04d}",
        )
        revision = Revision(
            item=item,
            number=1,
            title=f"财政信息{i}",
            info_type="work_news",
            formed_on=published.date() - timedelta(days=1),
            disclosure_mode="proactive",
            created_by_id=author.id,
            category_id=category.id,
            content_hash="sha256:bulk",
            sealed_at=published,
        )
        item.current_revision = item.published_revision = revision
        db.session.add_all([item, revision])
    db.session.commit()


def department_cells(page: str, key) -> list[str]:
    """The cells of the dashboard's ranking row ``data-department="{key}"`` (an id, or "total"),
    as text."""
    row = re.search(rf'<tr data-department="{key}"[^>]*>(.*?)</tr>', page, re.S).group(1)
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    ]
