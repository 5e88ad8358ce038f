"""Database details that differ per engine.

SQLite: foreign keys on, WAL, a busy timeout, and write requests start their transaction with
BEGIN IMMEDIATE so that the compare-and-swap read and the write happen under one lock (a request that
waits sees the winner's commit and gets a clean 409 instead of "database is locked"). Reads, and
work outside a request (CLI commands, tests), begin normally and never hold the write lock idle,
except inside ``write_transactions()`` (``flask jobs run``: read what is due, then write it).
"""
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app, has_request_context, request
from sqlalchemy import event

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITING_OUTSIDE_REQUEST: ContextVar[bool] = ContextVar("approval_writing", default=False)


@contextmanager
def write_transactions():
    """Transactions begun inside take SQLite's write lock at once, as write requests do."""
    token = _WRITING_OUTSIDE_REQUEST.set(True)
    try:
        yield
    finally:
        _WRITING_OUTSIDE_REQUEST.reset(token)


def reads_before_writing(view):
    """Mark a write route that first does slow reading (login: argon2) and must not hold SQLite's
    write lock meanwhile; it commits its read before it writes."""
    view.reads_before_writing = True
    return view


def _takes_write_lock_at_once() -> bool:
    if _WRITING_OUTSIDE_REQUEST.get():
        return True
    if not has_request_context() or request.method in _READ_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return not getattr(view, "reads_before_writing", False)


def install_sqlite_pragmas(engine) -> None:
    if engine.dialect.name != "sqlite" or getattr(engine, "_approval_pragmas", False):
        return
    engine._approval_pragmas = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _takes_write_lock_at_once() else "BEGIN")
