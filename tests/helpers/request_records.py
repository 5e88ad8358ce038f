"""A request's documents and records (requests/documents.py, deliveries.py, cases.py): requests
brought by hand to the states whose documents exist."""

from __future__ import annotations

import struct
import zlib
from datetime import date

from approval.extensions import db
from approval.models import Attachment, InformationRequest
from approval.requests import operations as ops
from tests.helpers.requests import register

ID_NUMBER = "110105194912310029"  # tests/helpers/requests.person's
PHONE = "13812345678"


def assigned(world, r: InformationRequest, department: str = "civil") -> InformationRequest:
    ops.assign(world.users["office"], r, r.version, world.departments[department].id)
    db.session.commit()
    return r


def with_correction(world, r, missing: str = "1. 请写明所需信息的年份\n2、请写明所在村组") -> None:
    ops.request_correction(
        world.users["office"], r, r.version, date(2026, 10, 14), missing, date(2026, 10, 28)
    )
    db.session.commit()


def with_pause(world, r, starts_on: date, party: str | None = "某某养殖专业合作社", note=None):
    pause = ops.start_pause(world.users["officer"], r, r.version, "third_party", starts_on, note)
    pause.party = party
    db.session.commit()
    return pause


def answered(
    world,
    r: InformationRequest,
    reply_type: str = "partial",
    *,
    body: str = "经审查，你申请的信息中涉及个人隐私的部分已作区分处理。\n现提供区分处理后的名单。",
    attachments: tuple[str, ...] = ("低保名单（已区分处理）.pdf", "发放明细.xlsx"),
    public_item=None,
    closed_on: date = date(2026, 10, 30),
) -> InformationRequest:
    """The request answered as the chain's 签发 leaves it: a reply item (its current revision
    with the reply's type and attachments), the state 已答复, the outcome and the day sent."""
    item = world.item(title=f"关于{r.number}政府信息公开申请的答复", body=body)
    item.request_id = r.id
    revision = item.current_revision
    revision.reply_type = reply_type
    revision.reply_public_item_id = public_item.id if public_item else None
    for name in attachments:
        db.session.add(
            Attachment(
                revision=revision,
                filename=name,
                storage_name="00/" + "0" * 64,
                content_type="application/pdf",
                size=2048,
                sha256="0" * 64,
                uploaded_by_id=world.users["officer"].id,
            )
        )
    r.state, r.outcome, r.closed_on = "answered", reply_type, closed_on
    db.session.commit()
    return r


def answered_request(world, **given) -> InformationRequest:
    """A request received on 2026-10-12, handled by 民政办, answered on 2026-10-30."""
    return answered(world, assigned(world, register(world)), **given)


def png_bytes() -> bytes:
    """A real 1×1 PNG: signature, IHDR, IDAT, IEND with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
