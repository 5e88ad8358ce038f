"""校验哈希链 as a job (issue 27): the audit page records a request, ``flask jobs run`` walks
the chain page by page, stores its progress and keeps the result; only the audit admin asks,
with a CSRF token."""

import re

import pytest
from sqlalchemy import select, text

from approval.audit import verification_jobs
from approval.extensions import db
from approval.models import AuditEntry, AuditVerification
from tests.helpers.audit import past_the_triggers, rows, write_row


def verifications() -> list[AuditVerification]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditVerification).order_by(AuditVerification.id)))


def entries(action: str) -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def anchors(app, tmp_path):
    app.config["AUDIT_ANCHOR_PATH"] = str(tmp_path / "anchors.jsonl")


def test_an_intact_chain_is_reported_with_its_count(world, login_as, anchors, runner):
    world.to_state(world.item(), "published")
    auditor = login_as("auditor")
    response = auditor.post("/admin/audit/verify", {}, token_from="/admin/audit")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/audit#verifications")
    (waiting,) = verifications()
    assert waiting.outcome == "pending" and waiting.requested_by_id == world.users["auditor"].id
    assert "等待后台任务" in auditor.get("/admin/audit").text
    auditor.post("/admin/audit/verify", {}, token_from="/admin/audit")
    assert len(verifications()) == 1  # asking again while one waits adds none

    result = runner.invoke(args=["jobs", "run"])
    assert "审计日志校验 (audit chain verification): verified 1, failed 0" in result.output
    (done,) = verifications()
    total = db.session.scalar(text("SELECT seq FROM audit_head"))
    assert done.outcome == "intact" and done.first_broken_entry is None
    assert done.entries_checked == done.total >= total - 1 and done.finished_at is not None
    page = auditor.get("/admin/audit").text
    assert "哈希链完整" in page and f"{done.entries_checked} / {done.total}" in page
    (entry,) = entries("audit_verified")
    assert entry.actor_username == world.users["auditor"].username
    assert len(entries("audit_verify_requested")) == 1
    runner.invoke(args=["jobs", "run"])
    assert len(verifications()) == 1  # nothing waiting: nothing run again


def test_a_tampered_entry_is_the_first_broken_one(world, anchors, app):
    for _ in range(4):
        world.item()
    verification_jobs.request_verification(world.users["auditor"])
    db.session.commit()
    tampered = rows()[2]
    with past_the_triggers():  # what the triggers forbid the app, done by hand
        write_row(tampered.id, {"detail": '{"x":1}'})
    verification_jobs.run_pending(batch_size=2)
    (done,) = verifications()
    assert done.outcome == "broken" and done.first_broken_entry == tampered.id
    assert done.entries_checked == tampered.id - 1
    assert "does not match its hash" in done.error


def test_progress_is_stored_between_pages(world, anchors, app):
    for _ in range(3):
        world.item()
    verification = verification_jobs.request_verification(world.users["auditor"])
    db.session.commit()
    seen = []
    original = verification_jobs._progress

    def watching(verification_id, checked):  # what the page would read between two pages
        original(verification_id, checked)
        db.session.rollback()
        seen.append(db.session.get(AuditVerification, verification_id).entries_checked)

    verification_jobs._progress = watching
    try:
        verification_jobs.run_pending(batch_size=3)
    finally:
        verification_jobs._progress = original
    assert seen and seen == sorted(seen) and seen[0] == 3
    assert db.session.get(AuditVerification, verification.id).outcome == "intact"


@pytest.mark.parametrize("who", ["secadmin", "sysadmin", "office", "officer"])
def test_only_the_audit_admin_asks_and_sees(world, login_as, who):
    browser = login_as(who)
    response = browser.client.post(
        "/admin/audit/verify", data={"csrf_token": browser.token("/account/password")}
    )
    assert response.status_code == 403 and verifications() == []
    assert browser.get("/admin/audit").status_code == 403


def test_without_a_csrf_token_nothing_is_asked(world, login_as):
    auditor = login_as("auditor")
    response = auditor.client.post("/admin/audit/verify", data={})
    assert response.status_code == 400 and verifications() == []


def test_an_unreadable_anchor_file_fails_the_verification(world, app, tmp_path):
    (tmp_path / "anchors.jsonl").write_text("not an anchor\n")
    app.config["AUDIT_ANCHOR_PATH"] = str(tmp_path / "anchors.jsonl")
    verification_jobs.request_verification(world.users["auditor"])
    db.session.commit()
    verification_jobs.run_pending()
    (done,) = verifications()
    assert done.outcome == "failed" and re.search("not a valid anchor", done.error)
