"""The audit admin exports the body's audit trail as CSV (for Excel) or JSON: the entries as
stored, with the page's filters, streamed, and the export itself audited. Nobody else may."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from approval.audit import export as audit_export
from approval.audit import trail as audit
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry
from tests.helpers.audit import independent_hash

AUDIT_PAGE = "/admin/audit"


@pytest.fixture
def trail(world):
    """Two items with history, and an entry of another body that must never be exported."""
    first = world.to_state(world.item(), "pending_office")
    second = world.item(author="officer_agri", title="农业补贴发放通知")
    world.act("officer_agri", second, Action.SUBMIT)
    audit.record(
        "create_user",
        body_id=world.body.id + 1000,
        actor_username="other_body_admin",
        detail={"username": "someone_else"},
    )
    db.session.commit()
    return SimpleNamespace(first=first, second=second)


def export(browser, fmt: str, **filters):
    return browser.post(f"/admin/audit/export/{fmt}", filters, token_from=AUDIT_PAGE)


def stored(world, below: int, **where) -> list:
    """The body's entries (and those of no body) before ``below``, oldest first."""
    table = AuditEntry.__table__
    query = select(table).where(
        ((table.c.body_id == world.body.id) | table.c.body_id.is_(None)), table.c.id < below
    )
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    return db.session.execute(query.order_by(table.c.id)).all()


def last_entry() -> AuditEntry:
    return db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))


def csv_rows(response) -> list[list[str]]:
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def as_text(value) -> str:
    return "" if value is None else str(value)


def test_csv_export_holds_every_entry_of_the_body_as_stored(world, trail, login_as):
    auditor = login_as("auditor")
    response = export(auditor, "csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.csv"')

    header, *body = csv_rows(response)
    assert header[:3] == ["序号", "时间（UTC）", "公开主体编号"] and "本条哈希" in header
    expected = stored(world, below=last_entry().id)
    assert [int(r[0]) for r in body] == [e.id for e in expected]
    columns = [name for name, _ in audit_export.CSV_COLUMNS]
    for row, entry in zip(body, expected):
        values = dict(zip(columns, row))
        assert values.pop("action_label")
        assert values.pop("occurred_at") == entry.occurred_at.isoformat(timespec="microseconds")
        assert values == {name: as_text(getattr(entry, name)) for name in values}
    assert "other_body_admin" not in response.data.decode("utf-8-sig")
    submitted = next(r for r in body if r[columns.index("action")] == "submit")
    assert submitted[columns.index("action_label")] == "提交"


def test_json_export_holds_every_entry_and_each_hash_can_be_recomputed(world, trail, login_as):
    response = export(login_as("auditor"), "json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].endswith('.json"')
    data = json.loads(response.data)
    exported = data["entries"]
    assert data["before_entry"] == last_entry().id and data["time_zone"] == "UTC"
    assert data["exported_by"] == world.users["auditor"].username
    expected = stored(world, below=data["before_entry"])
    assert [e["id"] for e in exported] == [e.id for e in expected]
    for entry, row in zip(exported, expected):
        assert entry == {
            **row._asdict(),
            "occurred_at": row.occurred_at.isoformat(timespec="microseconds"),
        }
        as_row = SimpleNamespace(**{**row._asdict(), **{"occurred_at": row.occurred_at}})
        assert entry["entry_hash"] == independent_hash(as_row, entry["hash_alg"])


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("which", ["item", "user", "action", "all three"])
def test_the_export_honours_the_pages_filters(world, trail, login_as, fmt, which):
    leader = world.users["leader"].username
    filters = {
        "item": {"item": str(trail.first.id)},
        "user": {"user": leader},
        "action": {"action": "submit"},
        "all three": {"item": str(trail.first.id), "user": leader, "action": "approve"},
    }[which]
    response = export(login_as("auditor"), fmt, **filters)
    assert response.status_code == 200
    if fmt == "csv":
        ids = [int(r[0]) for r in csv_rows(response)[1:]]
    else:
        ids = [e["id"] for e in json.loads(response.data)["entries"]]
    where = {"item_id": int(filters["item"])} if "item" in filters else {}
    where.update({"actor_username": filters["user"]} if "user" in filters else {})
    where.update({"action": filters["action"]} if "action" in filters else {})
    expected = [e.id for e in stored(world, below=last_entry().id, **where)]
    assert ids == expected and expected  # something matched, and only that
    assert audit.detail_of(last_entry())["filters"] == {
        {"item": "item_id", "user": "username"}.get(k, k): (int(v) if k == "item" else v)
        for k, v in filters.items()
    }


def test_the_export_is_audited_and_shown_on_the_audit_page(world, trail, login_as):
    auditor = login_as("auditor")
    response = export(auditor, "csv", action="submit")
    entry = last_entry()
    assert (entry.action, entry.actor_username) == ("audit_export", world.users["auditor"].username)
    assert entry.body_id == world.body.id
    detail = audit.detail_of(entry)
    assert detail["format"] == "csv" and detail["filters"] == {"action": "submit"}
    assert detail["filename"] in response.headers["Content-Disposition"]
    page = auditor.get(f"{AUDIT_PAGE}?action=audit_export")
    assert "导出审计日志" in page.text and detail["filename"] in page.text
    json_export = json.loads(export(auditor, "json", action="audit_export").data)
    assert [e["id"] for e in json_export["entries"]] == [entry.id]  # earlier exports only


@pytest.mark.parametrize(
    "name", ["officer", "leader", "office", "secrecy", "publisher", "sysadmin", "secadmin"]
)
def test_only_the_audit_admin_may_export(world, trail, login_as, name):
    before = last_entry().id
    browser = login_as(name)
    for fmt in ("csv", "json"):
        response = browser.post(f"/admin/audit/export/{fmt}", {}, token_from="/")
        assert response.status_code == 403, (name, fmt)
    assert last_entry().action == "login" and last_entry().id == before + 1  # nothing exported


def test_an_export_needs_a_login_and_a_csrf_token(world, trail, browser, login_as):
    before = last_entry().id
    anonymous = browser.post("/admin/audit/export/csv", {}, token_from="/login")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    auditor = login_as("auditor")
    assert auditor.client.post("/admin/audit/export/csv").status_code == 400  # no token
    assert auditor.client.get("/admin/audit/export/csv").status_code == 405
    assert [e.action for e in stored(world, below=10**9) if e.id > before] == ["login"]


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(world, browser, login_as):
    typed = '=HYPERLINK("http://evil.example","点此")'
    assert browser.login(typed, "wrong").status_code == 401  # recorded as typed
    response = export(login_as("auditor"), "csv", action="login_failed")
    (row,) = csv_rows(response)[1:]
    assert "'" + typed in row
    (entry,) = json.loads(export(login_as("auditor"), "json", action="login_failed").data)[
        "entries"
    ]
    assert entry["actor_username"] == typed  # the JSON keeps the stored value


def test_the_audit_page_offers_both_downloads_with_its_filters(world, trail, login_as):
    page = login_as("auditor").get(f"{AUDIT_PAGE}?action=submit&user=x")
    assert 'action="/admin/audit/export/csv"' in page.text
    assert 'formaction="/admin/audit/export/json"' in page.text
    assert '<input type="hidden" name="action" value="submit">' in page.text
    assert '<input type="hidden" name="user" value="x">' in page.text


def test_entries_are_read_in_keyset_batches(world, trail, app):
    """Several small batches give the same rows, in order, as one big one."""
    auditor = world.users["auditor"]
    with app.test_request_context():
        started = audit_export.start(auditor, "json", audit_export.Filters())
    db.session.commit()
    whole = [r.id for r in audit_export.entry_rows(db.engine, started, batch=10_000)]
    assert len(whole) == 5  # three batches of 2
    assert [r.id for r in audit_export.entry_rows(db.engine, started, batch=2)] == whole
    assert [r.id for r in audit_export.entry_rows(db.engine, started, batch=len(whole))] == whole


def test_every_column_of_an_entry_is_in_the_csv():
    columns = {name for name, _ in audit_export.CSV_COLUMNS}
    assert {c.name for c in AuditEntry.__table__.columns} <= columns
