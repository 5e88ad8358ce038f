"""The request register (依申请公开): a request entered by the office, as the staff form would."""

from __future__ import annotations

from datetime import date

from approval.extensions import db
from approval.requests import operations as requests


def person(**overrides) -> requests.NewRequest:
    """A natural person's request handed in at the counter on ``submitted_on``."""
    values = dict(
        applicant_kind="person",
        applicant_name="张三",
        id_type="resident_id",
        id_number="110105194912310029",
        phone="13812345678",
        description="2026年本镇低保资金发放情况",
        provision="paper",
        pickup="collect",
        channel="in_person",
        submitted_on=date(2026, 10, 12),
    )
    values.update(overrides)
    return requests.NewRequest(**values)


def register(world, who: str = "office", **overrides):
    """Register a request as ``who`` and commit."""
    made = requests.register(world.users[who], person(**overrides))
    db.session.commit()
    return made
