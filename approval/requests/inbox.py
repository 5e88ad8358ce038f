"""The 依申请公开 panel of the staff home (待办, ``templates/publication/inbox.html``): the open
requests the user may see (and, for the office, those filed online and awaiting its confirmation) (the office: every open request of its body; a department: those
assigned to it), most urgent first, with the register's badges. The inbox belongs to
``publication``, which may not import a capability: the panel reaches it as a template global.

One query: the open requests with their department and pauses (the clock needs them), only the
columns the clock and the row read. A body has a few dozen open requests at most (each is closed
within 20 to 40 working days), so all are read and sorted by the clock, which SQL cannot compute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, load_only

from approval.core import clock, request_vocab
from approval.core.request_vocab import OPEN_STATES, SUBMITTED
from approval.extensions import db
from approval.models import Department, InformationRequest
from approval.permissions import requests as may
from approval.requests.queries import Standing, standing
from approval.requests.routes import bp

SHOWN = 10  # the panel lists this many; the register has the rest

# the order of urgency: overdue (a reply late, or a 补正 whose deadline passed), then by working
# days left, then the clocks that stand still (paused, awaiting the corrected request)
# (an online request awaiting the office's confirmation of receipt comes with the due soon: its
# clock starts only when the office confirms it)
_RANK = {"overdue": 0, "unconfirmed": 1, "due_soon": 1, "on_time": 1, "paused": 2, "waiting": 3}


@dataclass
class Panel:
    rows: list[tuple[InformationRequest, Standing]]
    total: int  # open requests the user may see

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _urgency(row: tuple[InformationRequest, Standing]):
    info_request, s = row
    left = s.clock.left if s.clock is not None and s.clock.left is not None else 0
    return (_RANK.get(s.level, 4), left, info_request.received_on or date.max, info_request.id)


def open_requests(user, today: date, shown: int = SHOWN) -> Panel:
    """The open requests ``user`` may see, the ``shown`` most urgent first."""
    found = (
        db.session.scalars(
            select(InformationRequest)
            .where(
                may.visible_requests(user),
                InformationRequest.state.in_((SUBMITTED, *OPEN_STATES)),
            )
            .options(
                load_only(
                    InformationRequest.id,
                    InformationRequest.body_id,
                    InformationRequest.number,
                    InformationRequest.state,
                    InformationRequest.department_id,
                    InformationRequest.received_on,
                    InformationRequest.correction_requested_on,
                    InformationRequest.correction_received_on,
                    InformationRequest.correction_deadline,
                    InformationRequest.extension_days,
                ),
                joinedload(InformationRequest.department).load_only(Department.name),
                joinedload(InformationRequest.pauses),
            )
        )
        .unique()
        .all()
    )
    rows = sorted(((r, standing(r, today)) for r in found), key=_urgency)
    return Panel(rows[:shown], len(rows))


# the register's code lists, for the panel's state badges on the inbox (another blueprint's page)
bp.add_app_template_global(request_vocab, "request_vocab")


@bp.app_template_global()
def request_inbox() -> Panel | None:
    """For the inbox: the panel, or None for a user who has no register to open."""
    if not may.can_open_register(current_user):
        return None
    return open_requests(current_user, clock.local_today())
