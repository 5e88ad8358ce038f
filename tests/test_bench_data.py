"""The benchmark's bulk data (bench/generate.py) is what the chain would have left behind: the
pages it measures read the same rows a real body's pages would, and the app takes the next
decision on a generated item (its audit chain stays valid). Generated revisions carry a
placeholder content hash, so a generated approved item cannot be published: the benchmark's
chain publishes the items it creates itself."""

from collections import Counter

from sqlalchemy import func, select

from approval import permissions
from approval.audit import trail as audit
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Contributor, Decision, Item, User, chain_for
from approval.publication import queries, transitions
from bench.generate import PASSWORD, generate
from tests.factories import World

N = 2000  # about 40 items at work, some in every state


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_every_item_carries_the_decisions_and_contributor_the_chain_would_have_left(app):
    body_id = generate(N, batch=500, log=lambda message: None)
    decided = dict(
        db.session.execute(
            select(
                Decision.item_id,
                func.group_concat(Decision.step_key)
                if db.engine.dialect.name == "sqlite"
                else func.string_agg(Decision.step_key, ","),
            ).group_by(Decision.item_id)
        ).all()
    )
    contributors = db.session.execute(select(Contributor.item_id, Contributor.user_id)).all()
    assert len(contributors) == N  # the author, once
    authors = dict(contributors)
    items = db.session.scalars(select(Item).where(Item.body_id == body_id)).all()
    assert len(items) == N
    expected = {
        "draft": set(),
        "pending_leader": set(),
        "pending_office": {"leader"},
        "pending_secrecy": {"leader", "office"},
        "approved": {"leader", "office", "secrecy"},
        "published": {"leader", "office", "secrecy"},
    }
    states = Counter()
    for item in items:
        states[item.state] += 1
        steps = decided.get(item.id, "")
        assert set(filter(None, steps.split(","))) == expected[item.state], (item.id, item.state)
        assert authors[item.id] == item.author_id
    assert set(states) == set(expected)  # every state is there, so every inbox has rows
    # the leader who approved is the one who leads the item's department
    leaders = db.session.execute(
        select(Decision.actor_id, Item.department_id)
        .join(Item)
        .where(Decision.step_key == "leader")
    ).all()
    led = {
        u.id: {d.id for d in u.led_departments}
        for u in db.session.scalars(select(User).where(User.username.like("bench_leader_%")))
    }
    assert all(department in led[actor] for actor, department in leaders)
    assert audit.verify().ok


def _as_written(decision: Decision) -> tuple:
    """What a decision says, apart from who, when and on which item."""
    return (
        decision.step_key,
        decision.step_name,
        decision.action,
        decision.role,
        decision.round,
        decision.content_hash == decision.revision.content_hash,
        decision.checklist,
        decision.on_behalf_of_id,
        decision.basis,
    )


def test_generated_decisions_read_as_those_the_chain_writes(app):
    generate(N, batch=500, log=lambda message: None)
    generated = db.session.scalar(select(Item).where(Item.state == "approved").limit(1))
    world = World.build()
    walked = world.to_state(world.item(), "approved")
    assert sorted(map(_as_written, generated.decisions)) == sorted(
        map(_as_written, walked.decisions)
    )


def test_an_item_page_shows_the_steps_already_passed_and_the_office_takes_the_next(app, browser):
    body_id = generate(N, batch=500, log=lambda message: None)
    chain = chain_for(body_id)
    office, secrecy = _user("bench_office"), _user("bench_secrecy")
    at_secrecy = db.session.scalar(select(Item).where(Item.state == "pending_secrecy").limit(1))
    leader = db.session.scalar(
        select(Decision).where(Decision.item_id == at_secrecy.id, Decision.step_key == "leader")
    ).actor
    assert browser.login("bench_office", PASSWORD).status_code == 302
    page = browser.get(f"/items/{at_secrecy.id}").text
    progress = page[page.index('id="prog-h"') :]
    assert progress.count('<li class="done">') == 2  # the leader's and the office's approval
    assert leader.display_name in progress and office.display_name in progress

    sections = {s.key: s for s in queries.inbox_sections(office, chain)}
    at_office = db.session.scalar(select(func.count()).where(Item.state == "pending_office"))
    assert sections["office"].count == min(at_office, queries.COUNT_CAP + 1)
    item = sections["office"].items[0]
    transitions.perform(office, item, Action.APPROVE, item.version)
    db.session.commit()
    assert item.state == "pending_secrecy"
    assert Action.SIGN_OFF in permissions.actions_for(secrecy, item, chain)
    assert audit.verify().ok
