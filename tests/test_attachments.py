"""Attachments: real files uploaded over HTTP, checked, stored content-addressed, downloaded with
their Chinese names, covered by the content hash, frozen once sealed, public only when published."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from approval.core.errors import Conflict
from approval.extensions import db
from approval.models import Attachment, Item
from approval.platform import extraction
from approval.publication import drafts
from tests.conftest import Browser, csrf_from
from tests.helpers.attachments import PDF, upload
from tests.helpers.pages import VERSION_RE

HASH_RE = re.compile(r"当前稿件：<code>([^<]+)</code>")


# ---------------------------------------------------------------- helpers


def attachment_links(html: str, prefix: str = "/items") -> list[tuple[str, str]]:
    """(href, filename) of each attachment link on a page."""
    return re.findall(rf'<a href="({prefix}/\d+/attachments/\d+)">([^<]+)</a>', html)


def stored_files(app, sidecars: bool = False) -> list[Path]:
    """The stored files (or, with ``sidecars``, the text read from them at upload)."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    found = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
    found = [p for p in found if not any(n.startswith(".") for n in p.relative_to(folder).parts)]
    return [p for p in found if p.name.endswith(extraction.SUFFIX) == sidecars]


def attachment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment))


def content_hash_on_page(b: Browser, item_id: int) -> str:
    return HASH_RE.search(b.get(f"/items/{item_id}").text).group(1)


@pytest.fixture
def officer(login_as):
    return login_as("officer")


# ---------------------------------------------------------------- a real file


def test_pdf_is_stored_content_addressed_listed_and_downloadable(app, world, officer):
    item = world.item()
    page = upload(officer, item.id, "公示.pdf", PDF)
    assert "附件已上传" in page.text

    sha = hashlib.sha256(PDF).hexdigest()
    assert stored_files(app) == [Path(app.config["UPLOAD_FOLDER"]) / sha[:2] / sha]
    assert stored_files(app)[0].read_bytes() == PDF

    links = attachment_links(page.text)
    assert [name for _, name in links] == ["公示.pdf"]
    download = officer.get(links[0][0])
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=UTF-8''{quote('公示.pdf')}" in disposition


def test_same_bytes_are_stored_once(app, world, officer):
    first, second = world.item(), world.item(title="另一条信息")
    upload(officer, first.id, "公示.pdf", PDF)
    upload(officer, second.id, "名单.pdf", PDF)
    assert len(stored_files(app)) == 1
    assert len(stored_files(app, sidecars=True)) == 1  # and its text was read once
    assert attachment_count() == 2


def test_other_departments_cannot_download(world, officer, login_as):
    item = world.item()
    href = attachment_links(upload(officer, item.id, "公示.pdf", PDF).text)[0][0]
    assert login_as("officer_agri").get(href).status_code == 404


# ---------------------------------------------------------------- refused files


def assert_refused(app, page, message: str) -> None:
    assert message in page.text
    assert attachment_count() == 0
    assert stored_files(app) == []  # nothing left behind, not even a temporary file


def test_pdf_name_with_other_bytes_is_refused(app, world, officer):
    page = upload(officer, world.item().id, "通知.pdf", b"<html><script>alert(1)</script></html>")
    assert_refused(app, page, "文件内容与扩展名")


@pytest.mark.parametrize(
    "filename, data",
    [
        ("通知.html", b"<html><body>hi</body></html>"),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("图.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("公示.pdf.exe", b"MZ\x90\x00"),
        ("无扩展名", PDF),
    ],
)
def test_dangerous_types_are_refused(app, world, officer, filename, data):
    page = upload(officer, world.item().id, filename, data)
    assert_refused(app, page, "不支持的附件类型")


def test_file_over_the_size_limit_is_refused(app, world, officer):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024
    item = world.item()
    page = upload(officer, item.id, "大文件.pdf", PDF + b"0" * 2048)
    assert_refused(app, page, "附件超过大小限制（1 KB）")
    page = upload(officer, item.id, "小文件.pdf", PDF)  # under the limit still works
    assert [name for _, name in attachment_links(page.text)] == ["小文件.pdf"]


def test_the_upload_hint_states_the_real_limit(app, world, officer):
    app.config["ATTACHMENT_MAX_BYTES"] = 1536 * 1024
    page = officer.get(f"/items/{world.item().id}")
    assert "单个文件不超过 1.5 MB" in page.text


# ---------------------------------------------------------------- the content hash


def test_attachments_are_part_of_the_sealed_hash(world, officer):
    item = world.item()
    world.act("officer", item, "submit")
    sealed_without = content_hash_on_page(officer, item.id)
    world.act("leader", item, "return", opinion="请附上公示名单")
    world.act("officer", item, "submit")  # unchanged: the same sealed revision, the same hash
    assert content_hash_on_page(officer, item.id) == sealed_without
    world.act("leader", item, "return", opinion="请附上公示名单")

    upload(officer, item.id, "公示名单.pdf", PDF)
    world.act("officer", item, "submit")
    sealed_with = content_hash_on_page(officer, item.id)
    assert sealed_with != sealed_without
    revision = db.session.get(Item, item.id).current_revision
    assert revision.number == 2 and [a.filename for a in revision.attachments] == ["公示名单.pdf"]


# ---------------------------------------------------------------- sealed attachments are frozen


def submitted_with_attachment(world, officer) -> tuple[Item, Attachment]:
    item = world.item()
    upload(officer, item.id, "公示.pdf", PDF)
    world.act("officer", item, "submit")
    item = db.session.get(Item, item.id)
    return item, item.current_revision.attachments[0]


def test_service_refuses_to_change_attachments_once_submitted(world, officer):
    item, attachment = submitted_with_attachment(world, officer)
    with pytest.raises(Conflict):  # the officer may edit drafts; the item's state says no
        drafts.remove_attachment(world.users["officer"], item, attachment.id, item.version)
    db.session.rollback()
    page = officer.get(f"/items/{item.id}")
    assert 'enctype="multipart/form-data"' not in page.text and "/delete" not in page.text
    token, version = csrf_from(page.text), str(item.version)
    response = officer.client.post(
        f"/items/{item.id}/attachments/{attachment.id}/delete",
        data={"version": version, "csrf_token": token},
    )
    assert response.status_code == 409
    response = officer.client.post(
        f"/items/{item.id}/attachments",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(PDF), "补充.pdf"), "version": version, "csrf_token": token},
    )
    assert response.status_code == 409
    assert attachment_count() == 1


def test_database_refuses_to_change_a_sealed_attachment(world, officer):
    item, attachment = submitted_with_attachment(world, officer)
    sealed = item.current_revision
    db.session.commit()
    statements = [
        ("DELETE FROM attachments WHERE id = :id", {"id": attachment.id}),
        ("UPDATE attachments SET filename = '改名.pdf' WHERE id = :id", {"id": attachment.id}),
        (
            "INSERT INTO attachments (revision_id, filename, storage_name, content_type, size, "
            "sha256, uploaded_by_id, created_at) VALUES (:rev, 'x.pdf', 'ab/ab', 'application/pdf', "
            "1, 'ab', :user, CURRENT_TIMESTAMP)",
            {"rev": sealed.id, "user": world.users["officer"].id},
        ),
    ]
    for statement, params in statements:
        with pytest.raises(DBAPIError, match="sealed"):
            db.session.execute(text(statement), params)
        db.session.rollback()
    db.session.expire_all()
    assert [
        (a.id, a.filename) for a in db.session.get(Item, item.id).current_revision.attachments
    ] == [(attachment.id, "公示.pdf")]


def test_removing_after_return_leaves_the_sealed_revision_intact(world, officer):
    item, attachment = submitted_with_attachment(world, officer)
    sealed_id, sealed_hash = item.current_revision.id, item.current_revision.content_hash
    world.act("leader", item, "return", opinion="附件有误")
    response = officer.post(
        f"/items/{item.id}/attachments/{attachment.id}/delete",
        {"version": VERSION_RE.search(officer.get(f"/items/{item.id}").text).group(1)},
        token_from=f"/items/{item.id}",
    )
    assert response.status_code == 303
    page = officer.get(f"/items/{item.id}")
    assert "附件已删除" in page.text and attachment_links(page.text) == []
    db.session.expire_all()
    sealed = db.session.get(Item, item.id).revisions[0]
    assert sealed.id == sealed_id and [a.id for a in sealed.attachments] == [attachment.id]
    assert sealed.compute_hash() == sealed_hash


# ---------------------------------------------------------------- public downloads


def test_public_download_only_while_published(world, officer, client):
    item = world.item()
    upload(officer, item.id, "公示.pdf", PDF)
    # this PDF has no text layer: the pre-check cannot read it, a person has to
    world.to_state(item, "approved", override_reason="已人工审阅附件，无个人信息")
    attachment = db.session.get(Item, item.id).current_revision.attachments[0]
    public_href = f"/public/items/{item.id}/attachments/{attachment.id}"
    assert client.get(public_href).status_code == 404

    world.act("publisher", item, "publish")
    page = client.get(f"/public/items/{item.id}")
    assert attachment_links(page.text, "/public/items") == [(public_href, "公示.pdf")]
    download = client.get(public_href)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/public/items/{item.id}/attachments/{attachment.id + 1}").status_code == 404

    world.act("publisher", item, "unpublish", opinion="名单有误，已撤下")
    assert client.get(public_href).status_code == 404
