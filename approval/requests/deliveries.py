"""送达记录: that a request's document went out (to the applicant, or to the third party), how and
when, with an optional proof: a scan of the 送达回证, the postal receipt, the e-mail sent.

The proof is a PDF, JPEG or PNG of at most ``PROOF_MAX_BYTES``, its type told by its first bytes
(never by its name: a text file named .png is refused). It is kept in the attachments'
content-addressed store (``platform.storage``: ``<sha[:2]>/<sha>`` under UPLOAD_FOLDER, written
once, read-only) and is never parsed, so its text is not extracted. It is stored only once
every other check has passed.

The operation follows the register's: guard permission → guard the input → guard the version the
page showed → mutate → ``audit.record`` → flush; never commit. The audit entry names the
request, the document, the method, the date and the proof's SHA-256, never the applicant's data
(the note is counted, not copied). ``record_read`` audits a staff read of a document or a proof,
as a request's page is.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from approval.audit import trail as audit
from approval.core.errors import InvalidInput, NotFound, PermissionDenied
from approval.core.request_vocab import DELIVERY_METHODS, DOCUMENTS
from approval.models import InformationRequest, RequestDelivery
from approval.models.requests import NOTE_MAX
from approval.permissions import requests as may
from approval.platform import storage
from approval.platform.guards import changing, guard_version
from approval.requests import documents
from approval.requests.common import not_future, reference, touch, trimmed
from approval.requests.operations import VIEWED

DELIVERED = "request_document_delivered"
PROOF_MAX_BYTES = 10 * 1024 * 1024
PROOF_TYPES = (  # (extension, first bytes, content type)
    ("pdf", b"%PDF-", "application/pdf"),
    ("png", b"\x89PNG\r\n\x1a\n", "image/png"),
    ("jpg", b"\xff\xd8\xff", "image/jpeg"),
)


@dataclass(frozen=True)
class Proof:
    filename: str
    storage_name: str
    content_type: str
    size: int
    sha256: str


def record_read(user, request: InformationRequest, **what) -> None:
    """A staff read of one of the request's documents or proofs: audited as the page is."""
    if not may.can_view_request(user, request):
        raise NotFound("申请不存在")
    audit.record(VIEWED, actor=user, detail={**reference(request), **what})


def record_delivery(
    user, request: InformationRequest, seen, document, method, delivered_on, note, upload=None
) -> RequestDelivery:
    """Record that ``document`` went out on ``delivered_on`` by ``method``; ``upload``: the
    proof (a werkzeug FileStorage, or None / an empty one for none)."""
    if not may.can_record_delivery(user, request):
        raise PermissionDenied("您没有登记此申请送达情况的权限")
    if document not in DOCUMENTS:
        raise InvalidInput("请选择送达的文书", "document")
    dated = documents.document_date(request, document)
    if dated is None:
        raise InvalidInput("该文书尚未生成，不能登记送达", "document")
    if method not in DELIVERY_METHODS:
        raise InvalidInput("请选择送达方式", "method")
    if delivered_on is None:
        raise InvalidInput("请填写送达日期", "delivered_on")
    not_future(delivered_on, "delivered_on")
    if delivered_on < dated:
        raise InvalidInput(
            "送达日期不能早于文书的日期（%(day)s）", "delivered_on", day=dated.isoformat()
        )
    note = trimmed(note, "note", NOTE_MAX)
    guard_version(request, seen)  # a stale page stores no file
    proof = store_proof(upload) if upload is not None and upload.filename else None
    with changing(request, seen):
        delivery = RequestDelivery(
            document=document,
            method=method,
            delivered_on=delivered_on,
            note=note,
            created_by_id=user.id,
        )
        if proof is not None:
            delivery.proof_filename = proof.filename
            delivery.proof_storage_name = proof.storage_name
            delivery.proof_content_type = proof.content_type
            delivery.proof_size = proof.size
            delivery.proof_sha256 = proof.sha256
        request.deliveries.append(delivery)
        touch(request)
    audit.record(
        DELIVERED,
        actor=user,
        detail={
            **reference(request),
            "delivery_id": delivery.id,
            "document": document,
            "method": method,
            "delivered_on": delivered_on.isoformat(),
            "proof_sha256": proof.sha256 if proof else None,
            "note_chars": len(note or ""),
        },
    )
    return delivery


def proof_of(user, request: InformationRequest, delivery_id: int) -> RequestDelivery:
    """The delivery whose proof ``user`` may download (NotFound otherwise)."""
    delivery = next((d for d in request.deliveries if d.id == delivery_id), None)
    if (
        delivery is None
        or delivery.proof_storage_name is None
        or not may.can_record_delivery(user, request)
    ):
        raise NotFound("送达凭证不存在")
    return delivery


def store_proof(upload) -> Proof:
    """Check the proof by its bytes and keep it in the content-addressed store."""
    data = upload.stream.read(PROOF_MAX_BYTES + 1)
    if len(data) > PROOF_MAX_BYTES:
        raise InvalidInput(
            "送达凭证超过大小限制（%(limit)s）",
            "proof",
            limit=storage.human_size(PROOF_MAX_BYTES),
        )
    if not data:
        raise InvalidInput("送达凭证是空文件", "proof")
    kind = next(((ext, ct) for ext, magic, ct in PROOF_TYPES if data.startswith(magic)), None)
    if kind is None:
        raise InvalidInput("送达凭证只能是 PDF、JPEG 或 PNG 文件", "proof")
    extension, content_type = kind
    sha = hashlib.sha256(data).hexdigest()
    _write_once(Path(current_app.config["UPLOAD_FOLDER"]), sha, data)
    stem = storage.safe_filename(upload.filename)
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    filename = f"{stem[:190] or '送达凭证'}.{extension}"  # the name says what the bytes are
    return Proof(filename, f"{sha[:2]}/{sha}", content_type, len(data), sha)


def _write_once(folder: Path, sha: str, data: bytes) -> None:
    """As ``storage.store`` keeps a file: under its hash, read-only, never written over."""
    target = folder / sha[:2] / sha
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp_name, 0o444)
        try:
            os.link(tmp_name, target)
        except FileExistsError:
            pass  # the same bytes were kept meanwhile
    finally:
        os.unlink(tmp_name)
