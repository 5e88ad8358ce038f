"""A clock the test moves by hand: everything that asks ``approval.clock.utcnow()`` at call time
(sessions, logins, password ages) sees it; audit timestamps keep the real time."""
from __future__ import annotations

from datetime import datetime, timedelta

import approval.clock


class Clock:
    def __init__(self, monkeypatch, start: datetime | None = None):
        self.now = start or approval.clock.utcnow()
        monkeypatch.setattr(approval.clock, "utcnow", lambda: self.now)

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)
