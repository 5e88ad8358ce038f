"""What every signed-in page reads and hardly ever changes, kept by each worker process between
requests: a body's chain (chain_steps), its step time limits and the working-day calendar.

Each body has a ``settings_version``. Every flush that adds, changes or deletes a chain step or
a step limit increments its body's version in the same transaction; a change of the calendar
(national) increments every body's. The user loader reads the version with the signed-in user
(the body is joined to that query already), so checking a copy costs no query: a copy is used
while its body's version is the one this request read, and read again once it moved, in every
process. Anonymous requests and code outside a signed-in request read as before, once per request.

Changes must go through the ORM unit of work (``session.add``/``delete``, attribute changes),
as every change in the app does; a bulk UPDATE or DELETE of these tables must call ``bump``.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import TypeVar

from flask import current_app, g, has_request_context
from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session

from approval.extensions import db

EXTENSION = "approval.platform.settings_cache"
T = TypeVar("T")


def init_app(app) -> None:
    app.extensions[EXTENSION] = {}
    if not event.contains(Session, "after_flush", _bump_changed):
        event.listen(Session, "before_flush", _note_changed)
        event.listen(Session, "after_flush", _bump_changed)


def remember_version(body_id: int, version: int) -> None:
    """The signed-in user's body and its settings version, as read with the user."""
    g._settings_version = (body_id, version)


def cached(kind: str, load: Callable[[], T], body_id: int | None = None) -> T:
    """``load()``'s result for ``body_id`` (None: the signed-in user's body, for national data),
    from this process's copy while the body's version is unchanged. A request that changed
    settings reads them itself: what it sees may still be rolled back."""
    known = g.get("_settings_version") if has_request_context() else None
    if (
        known is None
        or (body_id is not None and body_id != known[0])
        or g.get("_settings_written")
        or _pending(db.session)
    ):
        return load()
    store = current_app.extensions[EXTENSION]
    kept = store.get((kind, known[0]))
    if kept is not None and kept[0] == known[1]:
        return kept[1]
    value = load()
    if not g.get("_settings_written"):  # unless loading flushed a change of this request's
        store[(kind, known[0])] = (known[1], value)
    return value


def bump(session, body_ids: set[int] | None) -> None:
    """Increment the settings version of these bodies (None: of every body); the session's own
    copies of the version are expired, so that it reads the new one."""
    from approval.models import Body

    statement = update(Body).values(settings_version=Body.settings_version + 1)
    if body_ids is not None:
        statement = statement.where(Body.id.in_(sorted(body_ids)))
    session.connection().execute(statement)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Body) and (body_ids is None or obj.id in body_ids):
            session.expire(obj, ["settings_version"])


_NATIONAL = object()  # the calendar changed: every body's version


def _settings_rows(objects):
    """The bodies whose settings these objects are (``_NATIONAL`` for the calendar); a row moved
    to another body is the old body's too."""
    from approval.models import CalendarOverride, ChainStep, StepTimeLimit

    for obj in objects:
        if isinstance(obj, CalendarOverride):
            yield _NATIONAL
        elif isinstance(obj, ChainStep | StepTimeLimit):
            yield obj.body_id
            yield from inspect(obj).attrs.body_id.history.deleted


def _pending(session) -> bool:
    """Whether the session holds settings rows it has not flushed yet: this request's view of
    them is its own."""
    return any(True for _ in _settings_rows(chain(session.new, session.dirty, session.deleted)))


def _note_changed(session, _flush_context, _instances) -> None:
    """The bodies of changed and deleted rows, read before the flush (a deleted row's attributes
    may have expired and could not be loaded after it)."""
    session.info["_settings_changed"] = set(_settings_rows(chain(session.dirty, session.deleted)))


def _bump_changed(session, _flush_context) -> None:
    """... and of new rows, whose body id the flush has set."""
    changed = session.info.pop("_settings_changed", set()) | set(_settings_rows(session.new))
    if changed and has_request_context():
        g._settings_written = True
    if _NATIONAL in changed:
        bump(session, None)
    elif changed:
        bump(session, changed)
