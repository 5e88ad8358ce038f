"""Database details that differ per engine.

SQLite: foreign keys on, WAL, a busy timeout, and write requests start their transaction with
BEGIN IMMEDIATE so that the compare-and-swap read and the write happen under one lock (a request that
waits sees the winner's commit and gets a clean 409 instead of "database is locked"). Reads, and
work outside a request (CLI commands, tests), begin normally and never hold the write lock idle,
except inside ``write_transactions()`` (``flask jobs run``: read what is due, then write it).

PostgreSQL: the queries every signed-in page runs, marked ``prepared``, are prepared once per
connection and kept; a request that only reads runs in a READ ONLY transaction, ended by COMMIT
instead of ROLLBACK, so that the connection keeps them (``install_postgres_reads``).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITING_OUTSIDE_REQUEST: ContextVar[bool] = ContextVar("approval_writing", default=False)
PREPARED = {"approval_prepared": True}  # execution options of a ``prepared`` query


def prepared(statement):
    """Mark a query that PostgreSQL should prepare once per connection and keep
    (``install_postgres_reads``); SQLite ignores the mark. PostgreSQL may then settle on one
    generic plan, made without the parameters' values, so a value that changes the best plan (a
    state, a LIMIT) must be written into the SQL instead (``bindparam(…, literal_execute=True)``),
    making one prepared query per value."""
    return statement.execution_options(**PREPARED)


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


def audited_read(view):
    """Mark a GET route that writes: a page whose every read is audited (a request for
    government information, issue 28). It runs in a read-write transaction (PostgreSQL: not READ
    ONLY; SQLite: BEGIN IMMEDIATE, as a write request) and commits its audit entry itself."""
    view.audited_read = True
    return view


def _is_audited_read() -> bool:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, "audited_read", False))


def _takes_write_lock_at_once() -> bool:
    if _WRITING_OUTSIDE_REQUEST.get():
        return True
    if not has_request_context():
        return False
    if request.method in _READ_METHODS:
        return _is_audited_read()
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


def install_postgres_reads(app, db) -> None:
    """On PostgreSQL: queries marked ``prepared`` are prepared on the connection and kept, and a
    GET, HEAD or OPTIONS request runs in a READ ONLY transaction that ends with COMMIT when the
    request ends without an error.

    Why: PostgreSQL planned each of a page's queries afresh on every visit, and planning was most
    of their time (1.6 of the 1.9 ms of an inbox's list). A prepared query is planned with its
    values for its first five runs on a connection; then PostgreSQL keeps a generic plan where
    that one is estimated to cost no more, and stops planning it. Other queries are not prepared
    (psycopg's own preparing, at a query's fifth use, is turned off for them): a generic plan can
    be far worse where a parameter's value matters (an inbox's count took 16 ms instead of 1.4
    with its LIMIT a parameter). psycopg forgets every prepared statement at a ROLLBACK, and
    every read request ended with one (the session closing); READ ONLY is what makes ending them
    with COMMIT safe: PostgreSQL refuses any write in such a transaction, so a read request that
    tried to write fails loudly instead of having its write kept. (A pooler in transaction mode,
    such as PgBouncer's, does not keep prepared statements: point DATABASE_URL past it.)"""
    engine = db.engine
    if engine.dialect.name != "postgresql" or getattr(engine, "_approval_reads", False):
        return
    engine._approval_reads = True

    @event.listens_for(engine, "do_execute")
    def _execute(cursor, statement, parameters, context):
        # of the queries with parameters, what is marked and nothing else (psycopg would prepare
        # any at its fifth use on the connection)
        cursor.execute(
            statement, parameters, prepare=bool(context.execution_options.get("approval_prepared"))
        )
        return True

    @app.before_request  # before the others, which read the signed-in user
    def _mark_read_request():
        if request.method in _READ_METHODS and not _is_audited_read():
            g._approval_reading = True

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        reading = has_app_context() and g.get("_approval_reading", False)
        # psycopg begins its next transaction with BEGIN READ ONLY, or plain BEGIN
        connection.connection.driver_connection.read_only = reading
        if reading:
            g._approval_read_transaction = True

    @app.teardown_request  # before Flask-SQLAlchemy closes the session (app context teardown)
    def _end_read(exc):
        g.pop("_approval_reading", None)
        if exc is not None or not g.pop("_approval_read_transaction", False):
            return
        session = db.session()
        if session.in_transaction() and not (session.new or session.dirty or session.deleted):
            session.commit()  # nothing to write: the transaction was read-only
