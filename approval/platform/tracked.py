"""A visitor's proof, kept in the session, that they know a public record's 查询码 (the portal's
request tracker, the messages' tracker): the ids of the last few records they proved, each for a
while. Nothing of the record but its id is kept, and an entry that cannot be read is dropped."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import session

from approval.core import clock


class Tracked:
    def __init__(self, key: str, keep: int = 5, minutes: int = 30):
        self.key, self.keep, self.minutes = key, keep, minutes  # session[key]: [[id, UTC ISO]]

    def remember(self, record_id: int) -> None:
        """This session proved it knows ``record_id``'s code (the newest ``keep``)."""
        now = clock.utcnow().isoformat()
        kept = [entry for entry in self._entries() if entry[0] != record_id]
        session[self.key] = [*kept, [record_id, now]][-self.keep :]

    def has(self, record_id: int) -> bool:
        """Whether this session proved it within the last ``minutes``."""
        return any(entry[0] == record_id for entry in self._entries())

    def _entries(self) -> list[list]:
        oldest = clock.utcnow() - timedelta(minutes=self.minutes)
        entries = []
        for entry in session.get(self.key) or []:
            try:
                record_id, at = int(entry[0]), datetime.fromisoformat(entry[1])
            except (TypeError, ValueError, IndexError):
                continue
            if at >= oldest:
                entries.append([record_id, entry[1]])
        return entries
