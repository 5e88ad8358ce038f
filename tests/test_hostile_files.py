"""Hostile attachments (issue "Hostile files and hostile text", F1 and F2): each file of the
corpus (tests/helpers/hostile_files.py) is uploaded over real HTTP to the threaded server while a
colleague signs in. The upload answers within the extraction's wall limit, the web worker's
memory does not grow with the file, the sign-in succeeds meanwhile (no "database is locked"), and
a file that could not be read is kept and flagged for a person. Sealing and publishing read the
text kept at upload; they never parse a file again."""

from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from approval.core.screening import extract as extract_module
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Attachment, Item, ScreeningFinding
from approval.platform import extraction, storage
from approval.search import documents
from tests.conftest import csrf_from
from tests.helpers import hostile_files
from tests.helpers.attachments import upload
from tests.helpers.pages import VERSION_RE
from tests.helpers.server import serving
from tests.http_client import Client

WALL = 12  # the extraction's wall limit in these tests (the default is 15 s; CPU stays 10 s)
MARGIN = 10  # for the upload's own work around the child: storing, the page after it
RSS_GROWTH_KB = 150 * 1024  # the web worker's peak may grow this much, the file's text aside

# what each file of the corpus must come to: None (its text is read) or a part of the reason
EXPECTED = {
    "far_row_xlsx": "内容过大",
    "shared_stream_pdf": "内容过大",
    "inflated_docx": "内容过大",
    "streamed_docx": ("内容过大", "读取超过处理时限"),  # its work limit, or on a slow machine CPU
    "three_million_cells_xlsx": "单元格过多",
    "xxe_docx": "DTD",
    "billion_laughs_docx": "需人工审查",
    "polyglot_pdf": None,
}


SLOW = {"streamed_docx", "three_million_cells_xlsx"}  # read for a second or more


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture
def limited(app):
    app.config.update(EXTRACT_WALL_SECONDS=WALL)
    return app


def _post_file(tab: Client, item_id: int, path: Path) -> int:
    fields = tab.form_fields(f"/items/{item_id}")
    return tab.upload(f"/items/{item_id}/attachments", fields, path.name, path.read_bytes())


def _signed_in(base: str, username: str, password: str) -> tuple[int, float]:
    tab = Client(base)
    fields = tab.form_fields("/login")
    started = time.monotonic()
    status, _ = tab.request("/login", {"username": username, "password": password, **fields})
    return status, time.monotonic() - started


def _reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from the current RSS


def _peak_rss_kb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])


@pytest.mark.parametrize("name", list(EXPECTED))
def test_a_hostile_file_is_kept_flagged_and_blocks_nobody(limited, world, corpus, name):
    app = limited
    path = hostile_files.make(name, corpus / name)
    item = world.item()
    item_id, world_officer = item.id, world.users["officer"].username
    colleagues = [world.users[who].username for who in ("leader", "office", "secrecy")]
    uploads = Path(app.config["UPLOAD_FOLDER"])

    with serving(app) as base:
        officer = Client(base)
        fields = officer.form_fields("/login")
        status, _ = officer.request(
            "/login", {"username": world_officer, "password": world.password, **fields}
        )
        assert status == 302
        result: dict = {}

        def send():
            started = time.monotonic()
            result["status"] = _post_file(officer, item_id, path)
            result["seconds"] = time.monotonic() - started

        _reset_peak_rss()
        rss_before = _peak_rss_kb()
        sender = threading.Thread(target=send)
        sender.start()
        # sign in while the file is being read (its scratch file exists while the child runs)
        deadline = time.monotonic() + WALL + MARGIN
        while not list(uploads.glob("*/.extract-*")) and sender.is_alive():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        sign_ins = [_signed_in(base, username, world.password) for username in colleagues]
        overlapped = sender.is_alive()
        sender.join(WALL + MARGIN + 30)
        rss_growth = _peak_rss_kb() - rss_before

    assert result["status"] == 303
    assert result["seconds"] < WALL + MARGIN, result
    assert [status for status, _ in sign_ins] == [302, 302, 302]
    # had the upload held SQLite's write lock, a sign-in would wait for it (busy_timeout 15 s)
    assert max(seconds for _, seconds in sign_ins) < 3, sign_ins
    if name in SLOW:
        assert overlapped, "the sign-ins were meant to happen while the file was being read"
    assert rss_growth < RSS_GROWTH_KB, f"the web worker's peak grew by {rss_growth} KB"

    db.session.expire_all()
    (attachment,) = db.session.scalars(select(Attachment)).all()
    assert storage.file_matches(attachment.storage_name, attachment.sha256)  # kept, as sent
    kept = json.loads(
        extraction.sidecar_path(storage.path_of(attachment.storage_name), path.suffix).read_text(
            encoding="utf-8"
        )
    )
    expected = EXPECTED[name]
    if expected is None:
        assert kept.get("reason") is None and kept["segments"]
    else:
        assert (
            any(part in kept["reason"] for part in expected)
            if isinstance(expected, tuple)
            else expected in kept["reason"]
        )
        assert "需人工审查" in kept["reason"]
        for row in (world.body, world.category, *world.users.values()):
            db.session.add(row)  # back into this thread's session, which serving() ended
        item = world.to_state(db.session.get(Item, item_id), "pending_secrecy")
        (finding,) = [f for f in item.current_revision.findings if f.kind == "unreadable"]
        assert finding.severity == "high" and finding.excerpt == kept["reason"]
    assert "root:" not in json.dumps(kept)  # the XXE's /etc/passwd was never read


def test_a_file_that_hits_the_cpu_limit_is_stopped_and_flagged(app, world, corpus, login_as):
    app.config.update(EXTRACT_CPU_SECONDS=1)
    path = hostile_files.make("busy_docx", corpus / "cpu")
    item = world.item()
    page = upload(login_as("officer"), item.id, path.name, path.read_bytes())
    assert "附件已上传" in page.text
    assert "附件内容未能自动检查（读取超过处理时限）" in page.text
    (attachment,) = item.current_revision.attachments
    stored = storage.path_of(attachment.storage_name)
    kept = json.loads(extraction.sidecar_path(stored, "docx").read_text(encoding="utf-8"))
    assert kept["limit"] == "cpu"  # killed by RLIMIT_CPU, and kept: the same bytes fail again
    with pytest.raises(extract_module.Unreadable, match="读取超过处理时限"):
        extraction.segments(stored, "docx")


def test_a_file_that_hits_the_wall_limit_is_killed_and_flagged(app, world, corpus, login_as):
    app.config.update(EXTRACT_WALL_SECONDS=0.3)
    path = hostile_files.make("busy_docx", corpus / "wall")
    item = world.item()
    started = time.monotonic()
    page = upload(login_as("officer"), item.id, path.name, path.read_bytes())
    assert time.monotonic() - started < 1 + MARGIN
    assert "读取超过处理时限" in page.text
    # a wall-clock limit says as much about the server's load as about the file: not kept, so
    # the next upload of the same bytes, or ``flask attachments extract``, reads it again
    (attachment,) = item.current_revision.attachments
    stored = storage.path_of(attachment.storage_name)
    assert not extraction.sidecar_path(stored, "docx").exists()
    with pytest.raises(extract_module.Unreadable, match="附件文本尚未读取"):
        extraction.segments(stored, "docx")


def test_a_file_that_needs_more_memory_than_allowed_is_flagged(app, world, corpus, login_as):
    """Under a memory limit (RLIMIT_AS) the parser runs out of memory in the child, which says
    so; the file still lands, flagged. (35 MB leaves room for the interpreter and lxml only.)"""
    app.config.update(EXTRACT_MEMORY_MB=35)
    path = hostile_files.make("streamed_docx", corpus / "memory")
    page = upload(login_as("officer"), world.item().id, path.name, path.read_bytes())
    assert "附件已上传" in page.text
    assert "附件内容未能自动检查（读取所需内存超过限制）" in page.text


def test_seal_and_publish_use_the_text_read_at_upload(world, login_as, monkeypatch):
    """No parser runs in the web worker: with every reader broken in this process, sealing
    still finds the ID in the attachment, and publishing still indexes its text."""
    item = world.item()
    upload(login_as("officer"), item.id, "名单.txt", "张三 11010519491231002X\n".encode())

    def no_parsing(*_args):
        raise AssertionError("a file was parsed after its upload")

    monkeypatch.setattr(extract_module, "extract", no_parsing)
    for extension in list(extract_module._READERS):
        monkeypatch.setitem(extract_module._READERS, extension, no_parsing)
    db.session.expire_all()
    world.to_state(item, "published", override_reason="名单经本人同意公示")
    kinds = {f.kind for f in item.current_revision.findings}
    assert "resident_id" in kinds
    assert "11010519491231002X" in documents.document_text(item.published_revision)


def test_an_attachment_stored_before_sidecars_needs_review_until_the_backfill(app, world, login_as):
    item = world.item()
    upload(login_as("officer"), item.id, "名单.txt", "张三 11010519491231002X\n".encode())
    (attachment,) = item.current_revision.attachments
    sidecar = extraction.sidecar_path(storage.path_of(attachment.storage_name), "txt")
    sidecar.unlink()
    with pytest.raises(extract_module.Unreadable, match="附件文本尚未读取"):
        extraction.segments(storage.path_of(attachment.storage_name), "txt")

    result = app.test_cli_runner().invoke(args=["attachments", "extract"])
    assert result.exit_code == 0, result.output
    assert "1 files have their text kept; 0 need manual review" in result.output
    assert sidecar.exists()
    db.session.expire_all()
    world.act("officer", item, Action.SUBMIT)
    assert "resident_id" in {f.kind for f in db.session.scalars(select(ScreeningFinding)).all()}


def test_a_roster_of_thousands_is_reviewed_as_a_file_not_row_by_row(world, login_as):
    """Sealing screens the kept text inside its transaction: the findings stored per attachment
    are capped, and one high finding says how many there were."""
    roster = "".join(f"村民{n} 139{n:08d}\n" for n in range(1000))
    item = world.item()
    upload(login_as("officer"), item.id, "名单.txt", roster.encode())
    db.session.expire_all()
    world.to_state(item, "pending_secrecy")
    found = item.current_revision.findings
    assert len([f for f in found if f.kind == "mobile"]) == 200
    (summary,) = [f for f in found if f.kind == "unreadable"]
    assert summary.severity == "high" and "发现 1000 处" in summary.excerpt


def test_no_file_is_stored_or_read_for_someone_who_may_not_attach(app, world, login_as):
    """The right to the item is checked before the file is stored or read."""
    item = world.item()
    page = login_as("officer").get(f"/items/{item.id}")
    other = login_as("leader")  # the leader does not see a draft before it is submitted
    response = other.client.post(
        f"/items/{item.id}/attachments",
        data={
            "file": (io.BytesIO(b"%PDF-1.4\n"), "x.pdf"),
            "csrf_token": csrf_from(other.get(f"/items/{item.id}").text),
            "version": VERSION_RE.search(page.text).group(1),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    assert not Path(app.config["UPLOAD_FOLDER"]).exists() or not any(
        Path(app.config["UPLOAD_FOLDER"]).rglob("*.json")
    )
