"""PostgreSQL: a read request runs in a READ ONLY transaction, ended by COMMIT so that the
connection keeps the queries marked ``prepared``, and only those (approval/db_setup.py). The gain
itself is measured by bench/bench_http.py; these tests hold the promises it rests on."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from approval.extensions import db
from approval.models import Department
from tests.conftest import PG_URL
from tests.helpers.pages import heading

pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason="PostgreSQL only: SQLite prepares nothing across transactions and ends reads as before",
)


def test_a_read_request_cannot_write(app, world):
    department = world.departments["civil"]
    name = department.name

    def rename():  # a GET view that (wrongly) writes
        db.session.get(Department, department.id).name = "改过的名字"
        db.session.flush()
        return "written"

    app.add_url_rule("/_test/rename", view_func=rename)
    db.session.rollback()  # the request begins its own transaction, as in production
    with pytest.raises(DBAPIError, match="read-only transaction"):
        app.test_client().get("/_test/rename")
    db.session.rollback()
    assert db.session.scalar(select(Department.name).where(Department.id == department.id)) == name


def test_the_inbox_queries_stay_prepared_between_requests(app, world, login_as):
    officer = login_as("officer")
    for _ in range(3):
        inbox = officer.get("/")
        assert inbox.status_code == 200 and heading(inbox.text) == "待办事项"
    for _ in range(6):  # the portal's home, not marked, however often it is read
        home = officer.get(f"/public/{world.body.id}/")
        assert home.status_code == 200 and heading(home.text) == "测试镇人民政府 政府信息公开专栏"
    # the requests' connection, back in the pool
    kept = db.session.execute(
        text("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
    ).all()
    db.session.commit()  # (a rollback would make psycopg drop them)
    # the inbox's lists, whatever their order (by urgency since issue 27)
    lists = [
        runs
        for statement, runs in kept
        if "FROM items" in statement and statement.lstrip().upper().startswith("SELECT")
    ]
    assert lists and max(lists) >= 3, kept
    assert not [
        statement for statement, _ in kept if "ORDER BY items.published_at DESC" in statement
    ], kept
