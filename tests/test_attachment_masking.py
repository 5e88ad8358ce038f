"""One-click masking of an attachment (一键脱敏): a .docx made with python-docx, an .xlsx made with
openpyxl (and as Excel keeps its text, in shared strings), a GB 18030 .csv, uploaded and masked
over HTTP. The masked copy is made in the extraction's child under its limits, stored as a new
file with the same name in the draft's working revision, screened like an upload; the original
stays on disk and in the sealed revision that has it."""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import time
import zipfile
import zlib
from pathlib import Path
from types import SimpleNamespace

import docx
import openpyxl
import pytest
from sqlalchemy import func, select

from approval.core.screening import mask_file
from approval.core.screening.extract import Unreadable
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, Item, Revision
from approval.platform import storage
from tests.conftest import Browser, csrf_from
from tests.helpers import hostile_files
from tests.helpers.attachments import PDF, upload
from tests.helpers.pages import VERSION_RE

ID, ID_MASKED = "11010519491231002X", "110105********002X"
MOBILE, MOBILE_MASKED = "13812345678", "138****5678"
UNCHANGED = "本公示期为7天，自2026年12月1日至12月7日。"  # digits, but no personal data
DONE = "已对附件中 %s 处个人信息作脱敏处理，请打开附件核对"


# ---------------------------------------------------------------- files as an office makes them


def _png() -> bytes:
    """A 1×1 white PNG: an image part the masking must copy unchanged."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def docx_file(split_number: bool = False) -> bytes:
    """A 公示 list: personal data in a paragraph, a table cell, the header and a comment; a
    picture and a paragraph without personal data. ``split_number``: one more mobile, typed in
    two runs of different formatting ("138" bold), which this pass cannot mask."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = f"联系人电话：{MOBILE}"
    applicant = document.add_paragraph(f"申请人张三，身份证号{ID}，联系电话{MOBILE}。")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("姓名", "身份证号码", "联系电话")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("李四", ID, MOBILE)):
        cell.text = text
    document.add_paragraph(UNCHANGED)
    document.add_picture(io.BytesIO(_png()))
    document.add_comment(applicant.runs, text=f"核实电话 {MOBILE}", author="信息员")
    if split_number:
        paragraph = document.add_paragraph("另一联系人：")
        paragraph.add_run("138").bold = True
        paragraph.add_run("87654321")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_file(shared_strings: bool = False) -> bytes:
    """A 名单 sheet: an ID as text, a mobile as a number (as it is typed) and one as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "身份证号码", "联系电话", "备注"])
    sheet.append(["张三", ID, int(MOBILE), UNCHANGED])
    sheet.append(["李四", "无", MOBILE, "已核实"])
    sheet.append(["合计", 2, 1234.5, None])
    out = io.BytesIO()
    book.save(out)
    return _with_shared_strings(out.getvalue()) if shared_strings else out.getvalue()


def _with_shared_strings(data: bytes) -> bytes:
    """The workbook as Excel keeps its text: in xl/sharedStrings.xml, not inline (openpyxl)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    strings: list[str] = []

    def shared(match) -> str:
        strings.append(match.group(2))
        return f'{match.group(1)} t="s"><v>{len(strings) - 1}</v></c>'

    sheet = re.sub(
        r'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t>([^<]*)</t></is></c>',
        shared,
        source.read("xl/worksheets/sheet1.xml").decode(),
    )
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    table = f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = sheet.encode()
            elif info.filename == "xl/_rels/workbook.xml.rels":
                link = f'<Relationship Id="rIdSS" Type="{kind}" Target="sharedStrings.xml"/>'
                part = part.replace(b"</Relationships>", link.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                override = (
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                )
                part = part.replace(b"</Types>", override.encode() + b"</Types>")
            target.writestr(info.filename, part)
        target.writestr("xl/sharedStrings.xml", table)
    return out.getvalue()


def csv_file() -> bytes:
    """As Excel saves a CSV on a Chinese Windows: GB 18030 (GBK), CRLF line ends."""
    rows = ["姓名,身份证号码,联系电话", f"张三,{ID},{MOBILE}", f"备注,{UNCHANGED},"]
    return "\r\n".join(rows).encode("gb18030") + b"\r\n"


# ---------------------------------------------------------------- what a person does and sees


@pytest.fixture
def officer(login_as):
    return login_as("officer")


def attachments(item_id: int) -> list[SimpleNamespace]:
    """The current revision's attachments as they are now (copies: they do not change later)."""
    db.session.expire_all()
    return [
        SimpleNamespace(
            **{f: getattr(a, f) for f in ("id", "filename", "storage_name", "sha256", "size")}
        )
        for a in db.session.get(Item, item_id).current_revision.attachments
    ]


def mask_button(page: str, attachment_id: int) -> bool:
    return f"/attachments/{attachment_id}/mask" in page


def press_mask(b: Browser, item_id: int, attachment_id: int, version: str | None = None):
    """Press 一键脱敏 beside the attachment on the item page; returns the page shown after."""
    page = b.get(f"/items/{item_id}")
    assert mask_button(page.text, attachment_id), "一键脱敏 is not offered"
    response = b.client.post(
        f"/items/{item_id}/attachments/{attachment_id}/mask",
        data={
            "csrf_token": csrf_from(page.text),
            "version": version or VERSION_RE.search(page.text).group(1),
        },
    )
    assert response.status_code == 303, response.status_code
    return b.get(response.headers["Location"])


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def assert_no_full_number(data: bytes) -> None:
    """Neither number anywhere: not in the file's bytes, not in any part once inflated."""
    for part in [data, *(entries(data).values() if data.startswith(b"PK") else [])]:
        for number in (ID, MOBILE):
            assert number.encode() not in part


def mask_entries() -> list[dict]:
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "mask_attachment"))
    return [json.loads(row.detail) for row in rows]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored(app, digest: str) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / digest[:2] / digest


# ---------------------------------------------------------------- .docx


def test_a_docx_list_is_masked_in_one_click(app, world, officer):
    item = world.item()
    original = docx_file()
    page = upload(officer, item.id, "低保对象公示名单.docx", original)
    (before,) = attachments(item.id)
    assert mask_button(page.text, before.id)
    assert 'data-confirm="' in page.text  # asked first (static/confirm.js); sent without script

    page = press_mask(officer, item.id, before.id)
    assert DONE % 6 in page.text  # paragraph (2), table (2), header, comment

    (after,) = attachments(item.id)
    assert (after.id, after.filename) == (before.id, "低保对象公示名单.docx")
    download = officer.get(f"/items/{item.id}/attachments/{after.id}")
    masked = download.data
    assert sha(masked) == after.sha256 != before.sha256
    assert after.size == len(masked)
    assert_no_full_number(masked)

    opened = docx.Document(io.BytesIO(masked))
    assert [p.text for p in opened.paragraphs if p.text] == [
        f"申请人张三，身份证号{ID_MASKED}，联系电话{MOBILE_MASKED}。",
        UNCHANGED,
    ]
    table = opened.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["姓名", "身份证号码", "联系电话"]
    assert [c.text for c in table.rows[1].cells] == ["李四", ID_MASKED, MOBILE_MASKED]
    assert opened.sections[0].header.paragraphs[0].text == f"联系人电话：{MOBILE_MASKED}"
    assert [c.text for c in opened.comments] == [f"核实电话 {MOBILE_MASKED}"]

    # the rest of the package as it was: every other part, its order and its compression
    old, new = entries(original), entries(masked)
    assert list(old) == list(new)
    changed = {name for name in old if old[name] != new[name]}
    assert changed == {"word/document.xml", "word/header1.xml", "word/comments.xml"}
    with zipfile.ZipFile(io.BytesIO(original)) as a, zipfile.ZipFile(io.BytesIO(masked)) as b:
        assert [i.compress_type for i in a.infolist()] == [i.compress_type for i in b.infolist()]
        assert [i.date_time for i in a.infolist()] == [i.date_time for i in b.infolist()]

    # the original is still on disk, unchanged; the copy is a new content-addressed file
    assert stored(app, before.sha256).read_bytes() == original
    assert stored(app, after.sha256).read_bytes() == masked

    (detail,) = mask_entries()
    assert detail == {
        "role": "officer",
        "filename": "低保对象公示名单.docx",
        "old_sha256": before.sha256,
        "new_sha256": after.sha256,
        "count": 6,
    }


def test_a_number_split_across_runs_is_left_and_said(world, officer):
    item = world.item()
    upload(officer, item.id, "名单.docx", docx_file(split_number=True))
    (attachment,) = attachments(item.id)
    page = press_mask(officer, item.id, attachment.id)
    assert DONE % 6 in page.text
    # the upload's screening of the new file still finds the one it could not reach
    assert "附件中仍有 1 处个人信息未能自动脱敏" in page.text
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(file_of(attachments(item.id)[0]))).paragraphs
    )
    assert "13887654321" in text and ID not in text

    # a file with nothing else to mask: nothing changes, and the officer is told why
    only_split = docx.Document()
    paragraph = only_split.add_paragraph("联系人：")
    paragraph.add_run("138").bold = True
    paragraph.add_run("87654321")
    data = io.BytesIO()
    only_split.save(data)
    item = world.item(title="另一份名单")
    upload(officer, item.id, "名单.docx", data.getvalue())
    (attachment,) = attachments(item.id)
    page = press_mask(officer, item.id, attachment.id)
    assert "附件中有 1 处个人信息未能自动脱敏" in page.text and "已对附件中" not in page.text
    assert attachments(item.id)[0].sha256 == attachment.sha256


def file_of(attachment) -> bytes:
    return storage.path_of(attachment.storage_name).read_bytes()


# ---------------------------------------------------------------- .xlsx, .csv


@pytest.mark.parametrize("shared_strings", [False, True], ids=["inline", "shared_strings"])
def test_an_xlsx_list_is_masked_in_one_click(app, world, officer, shared_strings):
    item = world.item()
    original = xlsx_file(shared_strings)
    upload(officer, item.id, "名单.xlsx", original)
    (before,) = attachments(item.id)
    page = press_mask(officer, item.id, before.id)
    assert DONE % 3 in page.text

    (after,) = attachments(item.id)
    masked = file_of(after)
    assert after.filename == "名单.xlsx" and after.sha256 == sha(masked) != before.sha256
    assert_no_full_number(masked)
    sheet = openpyxl.load_workbook(io.BytesIO(masked))["名单"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["姓名", "身份证号码", "联系电话", "备注"],
        ["张三", ID_MASKED, MOBILE_MASKED, UNCHANGED],  # the number cell is text now
        ["李四", "无", MOBILE_MASKED, "已核实"],
        ["合计", 2, 1234.5, None],
    ]
    old, new = entries(original), entries(masked)
    assert list(old) == list(new)
    changed = {name for name in old if old[name] != new[name]}
    assert changed == (
        {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"}  # the number cell, the strings
        if shared_strings
        else {"xl/worksheets/sheet1.xml"}
    )
    assert stored(app, before.sha256).read_bytes() == original
    assert mask_entries()[0]["count"] == 3


def test_a_gb18030_csv_is_masked_in_its_own_encoding(world, officer):
    item = world.item()
    upload(officer, item.id, "名单.csv", csv_file())
    (attachment,) = attachments(item.id)
    assert DONE % 2 in press_mask(officer, item.id, attachment.id).text
    masked = file_of(attachments(item.id)[0])
    assert masked == csv_file().replace(ID.encode(), ID_MASKED.encode()).replace(
        MOBILE.encode(), MOBILE_MASKED.encode()
    )


def test_nothing_to_mask_changes_nothing(app, world, officer):
    item = world.item()
    upload(officer, item.id, "说明.txt", f"{UNCHANGED}\n联系电话：0571-88886666".encode())
    (attachment,) = attachments(item.id)
    page = press_mask(officer, item.id, attachment.id)
    assert "附件中没有可自动脱敏的个人信息" in page.text
    assert attachments(item.id)[0].sha256 == attachment.sha256
    assert mask_entries() == []
    assert not list(Path(app.config["UPLOAD_FOLDER"]).glob("*/.mask-*"))  # no scratch left


# ---------------------------------------------------------------- revisions and screening


def test_the_sealed_revision_keeps_the_original_and_screening_sees_the_masked_text(
    app, world, officer
):
    item = world.item()
    original = docx_file()
    upload(officer, item.id, "名单.docx", original)
    item = db.session.get(Item, item.id)
    world.act("officer", item, Action.SUBMIT)
    first = item.current_revision
    assert {f.kind for f in first.findings if f.field == "attachment"} >= {"resident_id"}
    world.act("leader", item, Action.RETURN, opinion="请对附件中的个人信息脱敏")

    (attachment,) = attachments(item.id)
    page = press_mask(officer, item.id, attachment.id)
    assert DONE % 6 in page.text

    db.session.expire_all()
    item = db.session.get(Item, item.id)
    revisions = db.session.scalars(
        select(Revision).where(Revision.item_id == item.id).order_by(Revision.number)
    ).all()
    assert [r.number for r in revisions] == [1, 2]
    (sealed,), (working,) = revisions[0].attachments, revisions[1].attachments
    assert sealed.sha256 == sha(original) and file_of(sealed) == original
    assert working.sha256 != sealed.sha256 and working.filename == sealed.filename
    assert item.current_revision.id == revisions[1].id

    world.act("officer", item, Action.SUBMIT)
    personal = [f for f in item.current_revision.findings if f.masked is not None]
    assert personal == []
    # the masking is the officer's own action in the item's history
    history = officer.get(f"/items/{item.id}/history").text
    assert "附件一键脱敏" in history


# ---------------------------------------------------------------- refusals


def test_who_may_mask(world, officer, login_as):
    item = world.item()
    upload(officer, item.id, "名单.docx", docx_file())
    (attachment,) = attachments(item.id)
    url = f"/items/{item.id}/attachments/{attachment.id}/mask"

    def post(b: Browser, page: str):
        version = str(db.session.get(Item, item.id).version)
        return b.client.post(url, data={"csrf_token": csrf_from(page), "version": version})

    # another department's officer does not see the draft at all
    other = login_as("officer_agri")
    assert post(other, other.get("/").text).status_code == 404

    world.act("officer", db.session.get(Item, item.id), Action.SUBMIT)
    # the leader sees it now, is offered nothing, and may not mask it
    leader = login_as("leader")
    page = leader.get(f"/items/{item.id}").text
    assert "名单.docx" in page and not mask_button(page, attachment.id)
    assert post(leader, page).status_code == 403
    # nor may its officer while it is not a draft: no button, and 409
    page = officer.get(f"/items/{item.id}").text
    assert not mask_button(page, attachment.id)
    assert post(officer, page).status_code == 409

    assert mask_entries() == []
    assert attachments(item.id)[0].sha256 == attachment.sha256


def test_stale_page_missing_token_and_other_formats_are_refused(world, officer):
    item = world.item()
    upload(officer, item.id, "名单.docx", docx_file())
    page = upload(officer, item.id, "公示.pdf", PDF)
    assert "PDF、图片、WPS 等其他格式不能自动脱敏" in page.text  # the hint under the upload
    word, pdf = attachments(item.id)
    assert mask_button(page.text, word.id) and not mask_button(page.text, pdf.id)
    version = VERSION_RE.search(page.text).group(1)
    token = csrf_from(page.text)

    url = f"/items/{item.id}/attachments/{word.id}/mask"
    response = officer.client.post(url, data={"version": version})
    assert response.status_code == 400  # no CSRF token
    response = officer.client.post(
        url, data={"csrf_token": token, "version": str(int(version) - 1)}
    )
    assert response.status_code == 409 and "已过期" in response.text

    response = officer.client.post(
        f"/items/{item.id}/attachments/{pdf.id}/mask",
        data={"csrf_token": token, "version": version},
    )
    assert response.status_code == 303
    shown = officer.get(response.headers["Location"]).text
    assert "只有 Word（.docx）、Excel（.xlsx）和文本（.txt、.csv）附件可以一键脱敏" in shown

    response = officer.client.post(
        f"/items/{item.id}/attachments/999999/mask", data={"csrf_token": token, "version": version}
    )
    assert "附件不存在或已删除" in officer.get(response.headers["Location"]).text
    assert [a.sha256 for a in attachments(item.id)] == [word.sha256, pdf.sha256]
    assert mask_entries() == []


# ---------------------------------------------------------------- hostile files

WALL = 12  # the extraction's wall limit here (as tests/test_hostile_files.py)


@pytest.mark.parametrize(
    "name, reason",
    [
        ("inflated_docx", "内容过大"),  # a zip bomb: 290 MB of document.xml in 1 MB
        ("streamed_docx", ("内容过大", "读取超过处理时限")),  # 120 MB: under the part cap
        ("xxe_docx", "DTD"),
        ("billion_laughs_docx", "不是有效的 Word"),
        ("three_million_cells_xlsx", ("单元格过多", "读取超过处理时限")),
    ],
)
def test_a_hostile_file_ends_within_the_limits_and_changes_nothing(
    app, world, officer, tmp_path, name, reason
):
    app.config.update(EXTRACT_WALL_SECONDS=WALL)
    path = hostile_files.make(name, tmp_path / name)
    item = world.item()
    upload(officer, item.id, path.name, path.read_bytes())
    (attachment,) = attachments(item.id)
    files = sorted(p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file())
    audit_size = db.session.scalar(select(func.count()).select_from(AuditEntry))

    started = time.monotonic()
    page = press_mask(officer, item.id, attachment.id).text
    assert time.monotonic() - started < WALL + 10
    assert "附件未能自动脱敏（" in page
    assert any(r in page for r in ((reason,) if isinstance(reason, str) else reason))

    assert attachments(item.id)[0].sha256 == attachment.sha256
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit_size
    assert sorted(p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()) == files


# ---------------------------------------------------------------- the masking itself


def _masked_bytes(data: bytes, encoding: str = "ascii") -> bytes:
    for number, masked in ((ID, ID_MASKED), (MOBILE, MOBILE_MASKED)):
        data = data.replace(number.encode(encoding), masked.encode(encoding))
    return data


@pytest.mark.parametrize(
    "name, data, encoding",
    [
        ("utf-16.txt", b"\xff\xfe" + f"电话 {MOBILE}\r\n{ID}".encode("utf-16-le"), "utf-16-le"),
        ("utf-16-be.txt", b"\xfe\xff" + f"电话 {MOBILE}\n".encode("utf-16-be"), "utf-16-be"),
        ("utf-8-bom.csv", b"\xef\xbb\xbf" + f"{ID},x\r{MOBILE}".encode(), "ascii"),
        # bytes GB 18030 cannot decode: the reader replaces them; the copy keeps them
        ("gb18030.txt", "名单 ".encode("gb18030") + b"\xff\x80 " + MOBILE.encode(), "ascii"),
    ],
)
def test_a_text_file_keeps_its_encoding_and_every_other_byte(tmp_path, name, data, encoding):
    source, out = tmp_path / name, tmp_path / "masked"
    source.write_bytes(data)
    made = mask_file.mask(source, name.rsplit(".", 1)[1], out)
    assert made == mask_file.Masked(2 if ID.encode(encoding) in data else 1, out)
    assert out.read_bytes() == _masked_bytes(data, encoding)


@pytest.mark.filterwarnings("ignore:Duplicate name")  # made on purpose below
def test_mask_file_refuses_what_it_cannot_read(tmp_path):
    source = tmp_path / "a.pdf"
    source.write_bytes(PDF)
    with pytest.raises(Unreadable, match="不支持一键脱敏"):
        mask_file.mask(source, "pdf", tmp_path / "out")
    broken = tmp_path / "b.docx"
    broken.write_bytes(xlsx_file())  # a workbook named .docx
    with pytest.raises(Unreadable, match="不是有效的 Word"):
        mask_file.mask(broken, "docx", tmp_path / "out")
    twice = tmp_path / "c.docx"
    with zipfile.ZipFile(twice, "w") as archive, zipfile.ZipFile(io.BytesIO(docx_file())) as good:
        for info in good.infolist():
            archive.writestr(info.filename, good.read(info))
        archive.writestr("word/document.xml", b"<x/>")  # a second entry of the same name
    with pytest.raises(Unreadable, match="不是有效的 Word"):
        mask_file.mask(twice, "docx", tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- in a browser (strict CSP)
