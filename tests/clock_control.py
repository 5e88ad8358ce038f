"""A clock the test moves by hand: everything that asks ``approval.core.clock.utcnow()`` at call time
(sessions, logins, password ages) sees it; audit timestamps keep the real time."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import approval.core.clock


class Clock:
    def __init__(self, monkeypatch, start: datetime | None = None):
        self.now = start or approval.core.clock.utcnow()
        monkeypatch.setattr(approval.core.clock, "utcnow", lambda: self.now)

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


BEIJING = ZoneInfo("Asia/Shanghai")


class Moment:
    """The time every part of the app reads: ``approval.core.clock.utcnow`` and every module that
    imported it (the services stamp audit entries, publications and sessions with it)."""

    def __init__(self, monkeypatch):
        self.now = approval.core.clock.utcnow()
        original = approval.core.clock.utcnow
        for name, module in list(sys.modules.items()):
            if name.startswith("approval") and getattr(module, "utcnow", None) is original:
                monkeypatch.setattr(module, "utcnow", self._now)

    def _now(self) -> datetime:
        return self.now

    def at(self, local: str) -> None:
        """``local``: "2026-10-31 23:30", Beijing time."""
        moment = datetime.fromisoformat(local).replace(tzinfo=BEIJING)
        self.now = moment.astimezone(UTC).replace(tzinfo=None)
