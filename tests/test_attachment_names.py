"""Attachments' public names, previews and uploads on the new-item form (issue 24), over HTTP: the
author names each file; the portal and the staff pages send it under that name (RFC 5987
``filename*``), never the storage name, and nothing typed becomes a header; PDFs and images open
in the browser with a fixed type, nosniff and a CSP that loads nothing (images also sandboxed; a
sandboxed PDF would not open in Chrome), Office files only download; the
new-item form takes files, and a refused form keeps what was typed."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from approval.extensions import db
from approval.models import Attachment, AuditEntry, Item
from approval.publication import attachment_names
from tests.conftest import csrf_from
from tests.helpers.attachments import PDF, upload
from tests.helpers.pages import VERSION_RE
from tests.helpers.request_records import png_bytes

DOCX = b"PK\x03\x04" + b"\x00" * 60  # a zip header: the upload checks the magic bytes only


def portal_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="(/public/items/\d+/attachments/\d+)">([^<]+)</a>', html)


def rename(b, item_id: int, attachment_id: int, name: str, version: str | None = None):
    page = b.get(f"/items/{item_id}")
    return b.client.post(
        f"/items/{item_id}/attachments/{attachment_id}/name",
        data={
            "csrf_token": csrf_from(page.text),
            "version": version or VERSION_RE.search(page.text).group(1),
            "display_name": name,
        },
    )


def only_attachment(item_id: int) -> Attachment:
    db.session.expire_all()
    (attachment,) = db.session.get(Item, item_id).current_revision.attachments
    return attachment


def publish(world, item_id: int) -> Item:
    """Through the chain; the reviewer looked at the test files by hand (they have no text)."""
    item = db.session.get(Item, item_id)
    return world.to_state(item, "published", override_reason="已人工审查附件")


@pytest.fixture
def officer(login_as):
    return login_as("officer")


# ---------------------------------------------------------------- the public name


def test_the_portal_downloads_under_the_name_the_author_gave(world, officer, client):
    item = world.item()
    upload(officer, item.id, "scan_0042.pdf", PDF)
    attachment = only_attachment(item.id)
    response = rename(officer, item.id, attachment.id, "2026年低保对象名单")
    assert response.status_code == 303
    page = officer.get(f"/items/{item.id}").text
    assert "附件的公开名称已保存" in page and "2026年低保对象名单" in page
    publish(world, item.id)

    public = client.get(f"/public/items/{item.id}").text
    ((href, shown),) = portal_links(public)
    assert shown == "2026年低保对象名单"
    assert "scan_0042" not in public and attachment.storage_name not in public
    download = client.get(href)
    assert download.status_code == 200 and download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # the RFC 5987 form carries the Chinese name, with the stored file's real extension
    assert f"filename*=UTF-8''{quote('2026年低保对象名单.pdf', safe='')}" in disposition
    assert 'filename="2026.pdf"' in disposition  # the plain-ASCII fallback
    assert attachment.sha256 not in disposition and "scan_0042" not in disposition


def test_without_a_name_given_the_uploaded_file_name_cleaned_is_the_public_name(world, officer):
    item = world.item()
    upload(officer, item.id, "../..\\附件：一览表?.pdf", PDF)
    attachment = only_attachment(item.id)
    assert attachment.display_name is None and attachment.shown_name == "附件：一览表.pdf"
    published = publish(world, item.id)
    download = officer.get(f"/public/items/{published.id}/attachments/{attachment.id}")
    assert quote("附件：一览表.pdf", safe="") in download.headers["Content-Disposition"]


@pytest.mark.parametrize(
    "typed",
    [
        '名单"; filename="evil.exe',
        "名单\r\nSet-Cookie: session=stolen",
        "名单\nX-Injected: 1",
        "名单\\..\\..\\evil.bat",
        "名单\u202egpj.exe",
        "名单'; ",
    ],
)
def test_nothing_typed_in_a_name_becomes_a_header(world, officer, client, typed):
    item = world.item()
    upload(officer, item.id, "名单.pdf", PDF)
    attachment = only_attachment(item.id)
    assert rename(officer, item.id, attachment.id, typed).status_code == 303
    stored = only_attachment(item.id).display_name
    for bad in ('"', "'", "\r", "\n", "\\", "/", ";", "\u202e"):
        assert bad not in stored
    publish(world, item.id)
    response = client.get(f"/public/items/{item.id}/attachments/{only_attachment(item.id).id}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and "X-Injected" not in response.headers
    (disposition,) = response.headers.get_all("Content-Disposition")
    assert disposition.count(";") == 2  # attachment; filename=…; filename*=…
    assert disposition.count('"') == 2  # only the fallback's own quotes
    assert disposition.endswith(".pdf")  # the real extension, whatever the name said
    assert "\r" not in disposition and "\n" not in disposition


def test_renaming_is_audited_and_checks_the_version_the_page_showed(world, officer):
    item = world.item()
    upload(officer, item.id, "a.pdf", PDF)
    attachment = only_attachment(item.id)
    stale = str(db.session.get(Item, item.id).version - 1)
    assert rename(officer, item.id, attachment.id, "新名称", version=stale).status_code == 409
    assert only_attachment(item.id).display_name is None

    assert rename(officer, item.id, attachment.id, "新名称").status_code == 303
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "rename_attachment")
    ).one()
    assert '"from":"a.pdf"' in entry.detail and '"to":"新名称"' in entry.detail
    history = officer.get(f"/items/{item.id}/history").text
    assert "修改附件公开名称" in history and "a.pdf → 新名称" in history


def test_an_empty_name_is_refused_and_changes_nothing(world, officer):
    item = world.item()
    upload(officer, item.id, "a.pdf", PDF)
    attachment = only_attachment(item.id)
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = rename(officer, item.id, attachment.id, ' "\r\n/ ')
    assert response.status_code == 303
    assert "请填写附件的公开名称" in officer.get(response.headers["Location"]).text
    assert only_attachment(item.id).display_name is None
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_a_name_can_be_changed_only_while_the_item_is_a_draft(world, officer, login_as):
    item = world.item()
    upload(officer, item.id, "a.pdf", PDF)
    attachment = only_attachment(item.id)
    version = str(db.session.get(Item, item.id).version)
    world.to_state(db.session.get(Item, item.id), "pending_leader")
    page = officer.get(f"/items/{item.id}")
    assert "保存公开名称" not in page.text
    response = officer.client.post(
        f"/items/{item.id}/attachments/{attachment.id}/name",
        data={"csrf_token": csrf_from(page.text), "version": version, "display_name": "x"},
    )
    assert response.status_code == 409
    other = login_as("officer_agri")
    page = other.get("/")
    response = other.client.post(
        f"/items/{item.id}/attachments/{attachment.id}/name",
        data={"csrf_token": csrf_from(page.text), "version": version, "display_name": "x"},
    )
    assert response.status_code in (403, 404)
    assert only_attachment(item.id).display_name is None


def test_the_name_is_part_of_the_sealed_content_and_a_rename_after_a_return_is_shown(
    world, officer
):
    item = world.item()
    upload(officer, item.id, "a.pdf", PDF)
    world.to_state(db.session.get(Item, item.id), "pending_leader")
    sealed = db.session.get(Item, item.id).current_revision.content_hash
    world.act("leader", db.session.get(Item, item.id), "return", opinion="附件名称不规范")
    attachment = only_attachment(item.id)
    assert rename(officer, item.id, attachment.id, "规范的名称").status_code == 303
    world.act("officer", db.session.get(Item, item.id), "submit")
    revision = db.session.get(Item, item.id).current_revision
    assert revision.content_hash != sealed and revision.still_matches_seal()
    page = officer.get(f"/items/{item.id}").text
    assert 'data-change="renamed"' in page and "规范的名称" in page


def test_clean_name_keeps_chinese_and_drops_syntax():
    assert attachment_names.clean_name("  ..关于  “低保”\t名单（2026）.pdf ") == (
        "关于 “低保” 名单（2026）.pdf"
    )
    assert attachment_names.clean_name("a\"b'c;d\\e/f<g>h|i?j*k%l:m") == "abcdefghijklm"


# ---------------------------------------------------------------- preview


def test_pdf_and_images_open_in_the_browser_office_files_only_download(world, officer, client):
    item = world.item()
    for name, data in (("通知.pdf", PDF), ("现场.png", png_bytes()), ("表格.docx", DOCX)):
        upload(officer, item.id, name, data)
    item = publish(world, item.id)
    files = {a.filename: a for a in item.published_revision.attachments}
    public = client.get(f"/public/items/{item.id}").text
    assert public.count("在线预览") == 2

    pdf = client.get(f"/public/items/{item.id}/attachments/{files['通知.pdf'].id}/view")
    assert pdf.status_code == 200 and pdf.data == PDF
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.headers["Content-Disposition"].startswith("inline;")
    assert quote("通知.pdf", safe="") in pdf.headers["Content-Disposition"]
    csp = [d.strip() for d in pdf.headers["Content-Security-Policy"].split(";")]
    assert "default-src 'none'" in csp and "form-action 'none'" in csp
    assert "sandbox" not in csp  # Chrome would refuse to start its PDF viewer

    png = client.get(f"/public/items/{item.id}/attachments/{files['现场.png'].id}/view")
    assert png.status_code == 200 and png.headers["Content-Type"] == "image/png"
    assert png.headers["Content-Disposition"].startswith("inline;")
    assert png.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in [d.strip() for d in png.headers["Content-Security-Policy"].split(";")]

    docx = files["表格.docx"].id
    assert client.get(f"/public/items/{item.id}/attachments/{docx}/view").status_code == 404
    download = client.get(f"/public/items/{item.id}/attachments/{docx}")
    assert download.headers["Content-Disposition"].startswith("attachment;")

    # staff: the same previews on the item page, for whoever may see the item
    staff = officer.get(f"/items/{item.id}/attachments/{files['通知.pdf'].id}/view")
    assert staff.status_code == 200 and staff.headers["Content-Type"] == "application/pdf"
    assert "default-src 'none'" in staff.headers["Content-Security-Policy"]
    assert staff.headers["Cache-Control"] == "no-store"
    assert officer.get(f"/items/{item.id}/attachments/{docx}/view").status_code == 404
    assert "在线预览" in officer.get(f"/items/{item.id}").text


def test_a_draft_attachment_is_not_previewable_on_the_portal(world, officer, client, login_as):
    item = world.item()
    upload(officer, item.id, "通知.pdf", PDF)
    attachment = only_attachment(item.id)
    assert (
        client.get(f"/public/items/{item.id}/attachments/{attachment.id}/view").status_code == 404
    )
    staff_page = officer.get(f"/items/{item.id}/attachments/{attachment.id}/view")
    assert staff_page.status_code == 200
    outsider = login_as("officer_agri").get(f"/items/{item.id}/attachments/{attachment.id}/view")
    assert outsider.status_code == 404


# ---------------------------------------------------------------- upload on the new-item form


def new_item_fields(world, **overrides) -> dict:
    data = {
        "title": "关于发放临时救助金的公示",
        "summary": "",
        "body": "经审核，以下对象符合临时救助条件。",
        "category_id": str(world.category.id),
        "info_type": "public_notice",
        "document_number": "",
        "formed_on": "2026-01-05",
        "disclosure_mode": "proactive",
        "non_disclosure_basis": "",
        "channels": "website",
        "keywords": "",
    }
    data.update(overrides)
    return data


def post_new(b, fields: dict, files: list[tuple[bytes, str]]):
    page = b.get("/items/new")
    assert 'enctype="multipart/form-data"' in page.text and 'name="files"' in page.text
    data = {**fields, "csrf_token": csrf_from(page.text)}
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return b.client.post("/items/new", data=data, content_type="multipart/form-data")


def test_files_chosen_on_the_new_item_form_are_attached_to_the_new_draft(world, officer):
    response = post_new(
        officer, new_item_fields(world), [(PDF, "公示名单.pdf"), (png_bytes(), "照片.png")]
    )
    assert response.status_code == 302
    page = officer.get(response.headers["Location"]).text
    assert "草稿已保存" in page and "公示名单.pdf" in page and "照片.png" in page
    item = db.session.scalars(select(Item)).one()
    assert sorted(a.filename for a in item.current_revision.attachments) == [
        "公示名单.pdf",
        "照片.png",
    ]
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.item_id == item.id).order_by(AuditEntry.id)
    ).all()
    assert actions == ["create", "attach", "attach"]


def test_a_refused_file_keeps_what_was_typed_and_creates_nothing(world, officer):
    typed = new_item_fields(world, body="正文：请保留我输入的内容。", keywords="救助 公示")
    response = post_new(officer, typed, [(PDF, "好的.pdf"), (b"MZ\x90\x00", "病毒.exe")])
    assert response.status_code == 422
    assert "不支持的附件类型" in response.text
    assert "正文：请保留我输入的内容。" in response.text and 'value="救助 公示"' in response.text
    assert db.session.scalar(select(func.count()).select_from(Item)) == 0


def test_a_form_refused_for_a_field_keeps_what_was_typed_and_asks_for_the_files_again(
    world, officer
):
    typed = new_item_fields(world, title="", body="正文不要丢。")
    response = post_new(officer, typed, [(PDF, "名单.pdf")])
    assert response.status_code == 422
    assert "请填写标题" in response.text and "正文不要丢。" in response.text
    assert "请修正后重新选择附件" in response.text
    assert db.session.scalar(select(func.count()).select_from(Item)) == 0
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_the_new_item_form_without_files_works_as_before(world, officer):
    response = post_new(officer, new_item_fields(world), [])
    assert response.status_code == 302
    item = db.session.scalars(select(Item)).one()
    assert item.current_revision.attachments == []
