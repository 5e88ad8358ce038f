"""Bulk data for benchmarks: N items of one body, written straight into the tables.

The services are far too slow for a million rows (each publish hashes, screens and audits), so this
writes the rows a long-running body would hold directly: one body, 12 departments with an officer
and a leader each, an office auditor, a secrecy reviewer and a publisher (password ``PASSWORD``),
a two-level catalog of 24 categories, one sealed revision per item. About 98% of the items are
published over ~6 years with 索引号 (a few 废止/失效); the rest are at work — drafts, waiting at
each step of the chain, approved — so every inbox has a few hundred rows per 100,000 items. As
the chain would have left them, every item has its author as a contributor and a decision for
each step it has passed (the leader's and the office's approval, the secrecy sign-off), so the
inboxes' "not decided by me, not written by me" probes read tables of a real body's size (about
three decisions per item). Each item has one entry in the hash-chained audit trail (its
publication, or its last step), so the chain stays valid and new entries append to it. Titles
and bodies are built from the vocabulary of real disclosure work; a few rare words (蝴蝶兰,
鱼腥草, 非遗传承, 古树名木) occur in a handful of items only, so searches for rare and common
terms can both be measured. The search index is then rebuilt with
``approval.search.reindex_all``. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import func, insert, select, text, update

from approval.audit.trail import entry_hash
from approval.core.hashing import PREFERRED, canonical_json
from approval.core.roles import Role
from approval.core.vocab import SECRECY_QUESTIONS
from approval.core.workflow import DEFAULT_STEPS
from approval.extensions import db
from approval.models import (
    AuditEntry,
    AuditHead,
    Body,
    Category,
    Contributor,
    Decision,
    Department,
    Item,
    Revision,
    User,
)

CREDIT_CODE = "11000000MB0000009X"
DEPARTMENTS = [
    "党政办公室",
    "民政办",
    "农业农村办",
    "财政所",
    "自然资源所",
    "司法所",
    "社会事务办",
    "经济发展办",
    "应急管理办",
    "综合执法队",
    "退役军人服务站",
    "文化站",
]
CATEGORIES = [  # code, name, parent
    ("01", "机构职能", None),
    ("0101", "机构设置", "01"),
    ("0102", "领导信息", "01"),
    ("02", "政策文件", None),
    ("0201", "行政规范性文件", "02"),
    ("0202", "其他文件", "02"),
    ("0203", "政策解读", "02"),
    ("03", "社会救助", None),
    ("0301", "最低生活保障", "03"),
    ("0302", "临时救助", "03"),
    ("0303", "特困供养", "03"),
    ("04", "财政信息", None),
    ("0401", "预算决算", "04"),
    ("0402", "惠民惠农资金", "04"),
    ("05", "工作动态", None),
    ("06", "通知公告", None),
    ("07", "重点领域", None),
    ("0701", "征地拆迁", "07"),
    ("0702", "乡村振兴", "07"),
    ("0703", "安全生产", "07"),
    ("08", "规划计划", None),
    ("09", "人事信息", None),
    ("10", "建议提案办理", None),
    ("11", "其他", None),
]
TOPICS = [
    "最低生活保障",
    "耕地地力保护补贴",
    "农机购置补贴",
    "高龄津贴",
    "临时救助",
    "征地补偿",
    "城乡居民医疗保险",
    "农村危房改造",
    "人居环境整治",
    "防汛抗旱",
    "森林防火",
    "秸秆禁烧",
    "高标准农田建设",
    "乡村振兴衔接资金",
    "退役军人优待",
    "残疾人两项补贴",
    "安全生产检查",
    "财政预算执行",
    "政府采购",
    "义务教育学生资助",
    "公共租赁住房",
    "特困人员供养",
    "低保边缘家庭认定",
]
KINDS = ["通知", "公告", "公示", "实施方案", "工作简报", "管理办法", "情况报告", "工作要点"]
SUBJECTS = [
    "镇人民政府",
    "村委会",
    "县民政局",
    "县财政局",
    "各村（社区）",
    "镇党委",
    "县农业农村局",
    "镇应急管理办",
    "县医疗保障局",
    "镇综合执法队",
]
VERBS = [
    "认真贯彻落实",
    "扎实推进",
    "全面开展",
    "持续深化",
    "进一步规范",
    "严格执行",
    "统筹做好",
    "切实加强",
    "稳步实施",
    "依法依规办理",
    "及时公开",
]
TAILS = [
    "，取得明显成效",
    "，群众满意度不断提升",
    "，切实保障困难群众基本生活",
    "，确保资金安全",
    "，按规定进行公示",
    "，接受社会监督",
    "，做到应公开尽公开",
    "，形成长效机制",
]
RARE = ["蝴蝶兰", "鱼腥草", "非遗传承", "古树名木"]  # each in about 1 item of 20,000
INFO_TYPES = ["work_news", "public_notice", "normative_document", "plan", "other_document"]
PASSWORD = "Bench@2026-approval"
WORKING_SHARE = 0.02  # items not (yet) published, spread over the states below
WORKING_STATES = ["draft", *(step.state for step in DEFAULT_STEPS), "approved"]
# how many of the default chain's steps (leader, office, secrecy) an item in this state has passed
STEPS_PASSED = {
    "draft": 0,
    **{step.state: position for position, step in enumerate(DEFAULT_STEPS)},
    "approved": len(DEFAULT_STEPS),
    "published": len(DEFAULT_STEPS),
}
CLEAR_CHECKLIST = json.dumps({q: False for q in SECRECY_QUESTIONS})


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(TOPICS)}工作{rng.choice(TAILS)}。"


def _content(rng: random.Random, n: int) -> tuple[str, str, str]:
    year = 2020 + n % 7
    topic = rng.choice(TOPICS)
    title = f"关于{year}年度{topic}{rng.choice(['', '资金', '工作', '对象'])}的{rng.choice(KINDS)}"
    body = "".join(_sentence(rng) for _ in range(rng.randint(4, 9)))
    if rng.random() < 1 / 20_000 * len(RARE):
        body += f"本镇{rng.choice(RARE)}保护工作同步推进。"
    return title, body[:60], body


def _staff(body, departments) -> dict[str, list[User]]:
    """Everyone the chain needs: an officer and a leader per department, one office auditor,
    one secrecy reviewer, one publisher. One argon2 hash for all (hashing is slow on purpose)."""

    def user(username, name, department, roles, led=()):
        made = User(
            username=username,
            display_name=name,
            body=body,
            department=department,
            password_hash=shared,
        )
        made.set_roles(roles)
        made.led_departments = list(led)
        db.session.add(made)
        return made

    probe = User(username="", display_name="")
    probe.set_password(PASSWORD)
    shared = probe.password_hash
    office = departments[0]
    return {
        "officers": [
            user(f"bench_officer_{i}", f"信息员{i}", d, [Role.OFFICER])
            for i, d in enumerate(departments)
        ],
        "leaders": [
            user(f"bench_leader_{i}", f"分管领导{i}", d, [Role.LEADER], led=[d])
            for i, d in enumerate(departments)
        ],
        "office": [user("bench_office", "办公室审核员", office, [Role.OFFICE_AUDITOR])],
        "secrecy": [user("bench_secrecy", "保密审查员", office, [Role.SECRECY_REVIEWER])],
        "publisher": [user("bench_publisher", "发布员", office, [Role.PUBLISHER])],
    }


def _decisions(
    item_id: int, revision_id: int, state: str, moment: datetime, deciders: list[User]
) -> list[dict]:
    """The decisions of the steps an item in ``state`` has passed, a day apart: the last one at
    ``moment`` (when it entered its state), or the day before its publication
    (``deciders``: who decides at each step of the default chain, in order)."""
    passed = STEPS_PASSED[state]
    last = moment - timedelta(days=1) if state == "published" else moment
    return [
        {
            "item_id": item_id,
            "revision_id": revision_id,
            "content_hash": "bench",
            "round": 1,
            "step_key": step.key,
            "step_name": step.name,
            "actor_id": who.id,
            "action": "sign_off" if step.key == "secrecy" else "approve",
            "role": step.role,
            "opinion": "同意",
            "checklist": CLEAR_CHECKLIST if step.key == "secrecy" else None,
            "created_at": last - timedelta(days=passed - 1 - position),
        }
        for position, (step, who) in enumerate(zip(DEFAULT_STEPS[:passed], deciders))
    ]


class _Trail:
    """Audit entries appended to the real hash chain, in bulk."""

    def __init__(self, body_id: int):
        head = db.session.get(AuditHead, 1)
        self.body_id, self.seq, self.last_hash = body_id, head.seq, head.last_hash

    def entry(self, when, actor, action, item_id, revision_id, round_, from_state, to_state):
        self.seq += 1
        row = {
            "id": self.seq,
            "occurred_at": when,
            "body_id": self.body_id,
            "actor_id": actor.id,
            "actor_username": actor.username,
            "actor_name": actor.display_name,
            "actor_roles": ",".join(sorted(actor.roles)),
            "action": action,
            "item_id": item_id,
            "revision_id": revision_id,
            "revision_hash": "bench",
            "round": round_,
            "from_state": from_state,
            "to_state": to_state,
            "ip": None,
            "detail": canonical_json({}),
            "hash_alg": PREFERRED,
            "prev_hash": self.last_hash,
        }
        row["entry_hash"] = self.last_hash = entry_hash(SimpleNamespace(**row))
        return row

    def save_head(self) -> None:
        db.session.execute(
            update(AuditHead)
            .where(AuditHead.id == 1)
            .values(seq=self.seq, last_hash=self.last_hash)
        )


def generate(n: int, seed: int = 2026, batch: int = 5_000, log=print) -> int:
    """Create the benchmark body, its staff and ``n`` items; returns the body id."""
    rng = random.Random(seed)
    started = time.perf_counter()
    body = Body(name="基准测试镇人民政府", credit_code=CREDIT_CODE)
    db.session.add(body)
    departments = [
        Department(body=body, name=name, is_general_office=(i == 0), position=i)
        for i, name in enumerate(DEPARTMENTS)
    ]
    db.session.add_all(departments)
    categories: dict[str, Category] = {}
    for position, (code, name, parent) in enumerate(CATEGORIES):
        categories[code] = Category(
            body=body, code=code, name=name, parent=categories.get(parent), position=position
        )
    db.session.add_all(categories.values())
    staff = _staff(body, departments)
    db.session.flush()
    officer_of = {o.department_id: o for o in staff["officers"]}
    leader_of = {u.department_id: u for u in staff["leaders"]}
    publisher = staff["publisher"][0]
    trail = _Trail(body.id)
    leaves = [
        c.id for code, c in categories.items() if not any(p == code for _, _, p in CATEGORIES)
    ]
    first_item = (db.session.scalar(select(func.max(Item.id))) or 0) + 1
    first_revision = (db.session.scalar(select(func.max(Revision.id))) or 0) + 1
    start = datetime(2020, 1, 2, 1, 0)
    span = (datetime(2026, 11, 1) - start).total_seconds()
    sequence = 0
    for offset in range(0, n, batch):
        items, revisions, entries, contributors, decisions = [], [], [], [], []
        for k in range(offset, min(n, offset + batch)):
            item_id, revision_id = first_item + k, first_revision + k
            moment = start + timedelta(seconds=span * k / n + rng.random())
            title, summary, body_text = _content(rng, k)
            category = rng.choice(leaves)
            department_id = rng.choice(departments).id
            author = officer_of[department_id]
            working = rng.random() < WORKING_SHARE
            state = rng.choice(WORKING_STATES) if working else "published"
            round_ = 0 if state == "draft" else 1
            if working:
                sequence_part = {"index_number": None, "published_at": None, "category_id": None}
                # the step that put it in this state: (action, state before, who took it)
                action, from_state, actor = {
                    "draft": ("create", None, author),
                    "pending_leader": ("submit", "draft", author),
                    "pending_office": ("approve", "pending_leader", leader_of[department_id]),
                    "pending_secrecy": ("approve", "pending_office", staff["office"][0]),
                    "approved": ("sign_off", "pending_secrecy", staff["secrecy"][0]),
                }[state]
            else:
                sequence += 1
                sequence_part = {
                    "index_number": f"{CREDIT_CODE}/{moment.year}-{sequence:07d}",
                    "published_at": moment,
                    "category_id": category,
                }
                action, from_state, actor = "publish", "approved", publisher
            items.append(
                {
                    "id": item_id,
                    "body_id": body.id,
                    "department_id": department_id,
                    "author_id": author.id,
                    "state": state,
                    "version": 9 if not working else 5,
                    "round": round_,
                    **sequence_part,
                    "validity": "valid"
                    if rng.random() > 0.03
                    else rng.choice(["repealed", "expired"]),
                    "created_at": moment - timedelta(days=3),
                    "updated_at": moment,
                }
            )
            revisions.append(
                {
                    "id": revision_id,
                    "item_id": item_id,
                    "number": 1,
                    "title": title,
                    "summary": summary,
                    "body": body_text,
                    "category_id": category,
                    "info_type": rng.choice(INFO_TYPES),
                    "document_number": "",
                    "formed_on": (moment - timedelta(days=5)).date(),
                    "disclosure_mode": "proactive",
                    "channels": "website",
                    "keywords": "",
                    "content_hash": "bench" if state != "draft" else None,
                    "sealed_at": moment - timedelta(days=3) if state != "draft" else None,
                    "created_by_id": author.id,
                    "created_at": moment - timedelta(days=4),
                }
            )
            entries.append(
                trail.entry(moment, actor, action, item_id, revision_id, round_, from_state, state)
            )
            contributors.append({"item_id": item_id, "user_id": author.id})
            decisions += _decisions(
                item_id,
                revision_id,
                state,
                moment,
                [leader_of[department_id], staff["office"][0], staff["secrecy"][0]],
            )
        db.session.execute(insert(Item), items)
        db.session.execute(insert(Revision), revisions)
        db.session.execute(insert(AuditEntry), entries)
        db.session.execute(insert(Contributor), contributors)
        if decisions:
            db.session.execute(insert(Decision), decisions)
        trail.save_head()
        db.session.commit()
        log(
            f"  items {min(n, offset + batch):>9,} / {n:,}  ({time.perf_counter() - started:.0f} s)"
        )
    revision_of_item = Item.id - first_item + first_revision
    db.session.execute(
        update(Item).where(Item.body_id == body.id).values(current_revision_id=revision_of_item)
    )
    db.session.execute(
        update(Item)
        .where(Item.body_id == body.id, Item.state == "published")
        .values(published_revision_id=revision_of_item)
    )
    db.session.commit()
    log(f"  revisions linked ({time.perf_counter() - started:.0f} s)")
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('items', 'id'), (SELECT max(id) FROM items))"
            )
        )
        db.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('revisions', 'id'), "
                "(SELECT max(id) FROM revisions))"
            )
        )
        db.session.commit()
    return body.id
