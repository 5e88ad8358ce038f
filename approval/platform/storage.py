"""Attachment files: checked (size, extension, magic bytes agree), stored content-addressed under
the instance folder with a server-made name, never executed or served inline. Each stored file's
text is read once, as it is stored, in a child process under hard limits (platform/extraction.py);
call ``store`` with no transaction open."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from approval.core.errors import InvalidInput
from approval.core.msgids import N_, translate
from approval.core.text import strip_invisible
from approval.platform import extraction

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office / WPS compound files
_ZIP = (b"PK\x03\x04",)
MAGIC = {
    "pdf": ((b"%PDF-",), "application/pdf"),
    "doc": ((_OLE,), "application/msword"),
    "xls": ((_OLE,), "application/vnd.ms-excel"),
    "wps": ((_OLE,), "application/vnd.ms-works"),
    "et": ((_OLE,), "application/vnd.ms-excel"),
    "docx": (_ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ofd": (_ZIP, "application/ofd"),
    "zip": (_ZIP, "application/zip"),
    "png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    "jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "txt": (None, "text/plain"),
    "csv": (None, "text/csv"),
}


@dataclass(frozen=True)
class StoredFile:
    filename: str
    storage_name: str
    content_type: str
    size: int
    sha256: str
    unreadable: str | None = None  # why its text could not be read: a person must look at it


def human_size(size: int) -> str:
    """20 MB, 1.5 MB, 512 KB: a limit shown to people, never rounded down to a wrong number."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} B"


def safe_filename(name: str) -> str:
    """Keep Chinese and ordinary characters; drop paths, control characters and leading dots."""
    name = strip_invisible(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[<>:\"|?*%]", "", name).strip().lstrip(".")
    return name[:200] or "附件"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    # a multi-byte character may be cut at the end of the sample
    try:
        head[:-3].decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def store(upload) -> StoredFile:
    """Check and store a werkzeug FileStorage; raise InvalidInput with a message for the user."""
    config = current_app.config
    filename = safe_filename(upload.filename)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in config["ATTACHMENT_EXTENSIONS"] or extension not in MAGIC:
        shown = extension or translate(N_("无扩展名"))
        allowed = translate(N_("、")).join(config["ATTACHMENT_EXTENSIONS"])
        raise InvalidInput(
            "不支持的附件类型“%(extension)s”，允许：%(allowed)s",
            "file",
            extension=shown,
            allowed=allowed,
        )
    limit = config["ATTACHMENT_MAX_BYTES"]
    folder = Path(config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := upload.stream.read(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise InvalidInput(
                        "附件超过大小限制（%(limit)s）", "file", limit=human_size(limit)
                    )
                if len(head) < 4096:
                    head += chunk[: 4096 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise InvalidInput("附件是空文件", "file")
        signatures, content_type = MAGIC[extension]
        agrees = (
            _looks_like_text(head)
            if signatures is None
            else any(head.startswith(sig) for sig in signatures)
        )
        if not agrees:
            raise InvalidInput("文件内容与扩展名“.%(extension)s”不符", "file", extension=extension)
        sha = digest.hexdigest()
        target = folder / sha[:2] / sha
        target.parent.mkdir(exist_ok=True)
        os.chmod(tmp_name, 0o444)
        try:  # write once, never over an existing file: the stored bytes are what was hashed
            os.link(tmp_name, target)
        except FileExistsError:
            pass  # the same content is stored already
        os.unlink(tmp_name)
        tmp_name = None
    finally:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)
    outcome = extraction.prepare(target, extension)
    return StoredFile(filename, f"{sha[:2]}/{sha}", content_type, size, sha, outcome.reason)


def file_matches(storage_name: str, sha256: str) -> bool:
    """Whether the stored file still has the bytes it was stored with."""
    digest = hashlib.sha256()
    try:
        with path_of(storage_name).open("rb") as stored:
            while chunk := stored.read(1024 * 1024):
                digest.update(chunk)
    except OSError:
        return False
    return digest.hexdigest() == sha256


def path_of(storage_name: str) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / storage_name
