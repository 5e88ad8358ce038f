"""The audit admin's download of their body's audit trail: CSV (UTF-8 with a BOM, so Excel reads
the Chinese) or JSON, oldest first, with the audit page's filters.

``start`` records the export itself (``audit_export``) before anything is sent; the download then
holds exactly the matching entries *before* that record, so the trail says what was exported.
Rows are read in keyset batches by id, each batch on a short connection of its own, and written
out as they come: neither the rows nor the file are ever held in memory whole, and a slow download
holds no transaction open.

Values are exported as stored, so the JSON carries every hashed field in its hashed form
(``occurred_at`` is naive UTC, ``detail`` the canonical JSON text): anyone can recompute an
entry's hash from the file. In the CSV a text cell that a spreadsheet would run as a formula
(=, +, -, @ first) is prefixed with an apostrophe: a failed login's typed user name is attacker's
text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import or_, select

from approval import permissions
from approval.audit import trail as audit
from approval.audit.queries import audit_filters
from approval.core.clock import utcnow
from approval.core.errors import InvalidInput, PermissionDenied
from approval.core.roles import Role
from approval.core.vocab import ACTION_LABELS
from approval.models import AuditEntry
from approval.platform.i18n import N_
from approval.platform.office_files import csv_cell

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
BATCH = 500
BOM = "\ufeff"
LABEL = "action_label"  # a CSV column that is not a table column: the action in words
CSV_COLUMNS = (
    ("id", N_("序号")),
    ("occurred_at", N_("时间（UTC）")),
    ("body_id", N_("公开主体编号")),
    ("actor_id", N_("用户编号")),
    ("actor_username", N_("用户名")),
    ("actor_name", N_("姓名")),
    ("actor_roles", N_("角色")),
    ("action", N_("操作代码")),
    (LABEL, N_("操作")),
    ("item_id", N_("信息编号")),
    ("revision_id", N_("稿件编号")),
    ("revision_hash", N_("稿件哈希")),
    ("round", N_("轮次")),
    ("from_state", N_("原状态")),
    ("to_state", N_("新状态")),
    ("ip", N_("IP地址")),
    ("detail", N_("详情（JSON）")),
    ("hash_alg", N_("哈希算法")),
    ("prev_hash", N_("前一条哈希")),
    ("entry_hash", N_("本条哈希")),
)
DENIED = N_("只有安全审计员可以导出审计日志")


@dataclass(frozen=True)
class Filters:
    """The audit page's filters (None: not filtered)."""

    item_id: int | None = None
    username: str | None = None
    action: str | None = None
    from_day: date | None = None  # the body's local dates, both included
    to_day: date | None = None

    def as_dict(self) -> dict:
        return {
            k: v.isoformat() if isinstance(v, date) else v
            for k, v in vars(self).items()
            if v is not None
        }


@dataclass
class Export:
    fmt: str
    body_id: int
    filters: Filters
    before_id: int  # the export's own audit entry: it covers the entries before it
    exported_by: str
    exported_at: datetime
    headers: list[str] = field(default_factory=list)  # CSV headers, translated at the request
    action_labels: dict[str, str] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"audit-log-{self.exported_at:%Y%m%d-%H%M%S}.{self.fmt}"

    @property
    def mimetype(self) -> str:
        return FORMATS[self.fmt]

    def chunks(self, engine) -> Iterator[bytes]:
        """The file, piece by piece. Needs no app or request context: it runs while the response
        is sent, after the request's transaction was committed."""
        rows = entry_rows(engine, self)
        pieces = _csv(self, rows) if self.fmt == "csv" else _json(self, rows)
        for piece in pieces:
            yield piece.encode("utf-8")


def start(actor, fmt: str, filters: Filters) -> Export:
    """Record the export (the caller commits) and return what streams it."""
    if not permissions.can_read_audit_trail(actor):
        raise PermissionDenied(DENIED)
    if fmt not in FORMATS:
        raise InvalidInput("不支持的导出格式“%(fmt)s”", fmt=fmt)
    export = Export(
        fmt=fmt,
        body_id=actor.body_id,
        filters=filters,
        before_id=0,
        exported_by=actor.username,
        exported_at=utcnow(),
        headers=[gettext(title) for _, title in CSV_COLUMNS],
        action_labels={code: gettext(label) for code, label in ACTION_LABELS.items()},
    )
    entry = audit.record(
        "audit_export",
        actor=actor,
        detail={
            "role": Role.AUDIT_ADMIN,
            "format": fmt,
            "filename": export.filename,
            "filters": filters.as_dict(),
        },
    )
    export.before_id = entry.id
    return export


def entry_rows(engine, export: Export, batch: int = BATCH):
    """The exported entries as plain rows, oldest first, read batch by batch (keyset on id)."""
    table = AuditEntry.__table__
    conditions = [
        or_(table.c.body_id == export.body_id, table.c.body_id.is_(None)),
        table.c.id < export.before_id,
        *audit_filters(**vars(export.filters)),
    ]
    last_id = 0
    while True:
        query = (
            select(table).where(*conditions, table.c.id > last_id).order_by(table.c.id).limit(batch)
        )
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        yield from rows
        if len(rows) < batch:
            return
        last_id = rows[-1].id


def stored_values(row) -> dict:
    """An entry's columns as stored (the time in the hashed ISO form, naive UTC)."""
    values = row._asdict()
    values["occurred_at"] = row.occurred_at.isoformat(timespec="microseconds")
    return values


def _csv(export: Export, rows) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(export.headers)
    yield BOM + _drain(buffer)
    for number, row in enumerate(rows, start=1):
        values = stored_values(row)
        values[LABEL] = export.action_labels.get(row.action, row.action)
        writer.writerow([_cell(values[name]) for name, _ in CSV_COLUMNS])
        if number % BATCH == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _json(export: Export, rows) -> Iterator[str]:
    meta = {
        "exported_at": export.exported_at.isoformat(timespec="seconds") + "Z",
        "exported_by": export.exported_by,
        "body_id": export.body_id,
        "filters": export.filters.as_dict(),
        "before_entry": export.before_id,
        "time_zone": "UTC",
    }
    yield json.dumps(meta, ensure_ascii=False)[:-1] + ', "entries": ['
    buffer = io.StringIO()
    for number, row in enumerate(rows, start=1):
        buffer.write(
            ("," if number > 1 else "") + "\n" + json.dumps(stored_values(row), ensure_ascii=False)
        )
        if number % BATCH == 0:
            yield _drain(buffer)
    yield _drain(buffer) + "\n]}\n"


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _cell(value) -> str:
    return csv_cell(value)
