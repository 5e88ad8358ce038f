"""The audit admin's pages (安全审计员, 三员分立): read, verify and export the audit trail."""

from datetime import date

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from approval import permissions
from approval.audit import export as audit_export
from approval.audit import queries, verification_jobs
from approval.audit.trail import detail_of
from approval.core.errors import InvalidInput
from approval.extensions import db
from approval.models import Item, chains_for
from approval.platform.access import requires
from approval.platform.routing import db_id

bp = Blueprint("audit", __name__, url_prefix="/admin")


@bp.route("/audit")
@requires(permissions.can_read_audit_trail)
def audit_trail():
    try:
        filters, error = _audit_filters(request.args), None
    except InvalidInput as exc:  # what was typed stays in the form, with the message by it
        filters, error = audit_export.Filters(), exc
    entries, next_before = (
        queries.audit_page(
            current_user.body_id, before_id=request.args.get("before", type=db_id), **vars(filters)
        )
        if error is None
        else ([], None)
    )
    return render_template(
        "audit/trail.html",
        rows=[(e, detail_of(e)) for e in entries],
        next_before=next_before,
        filters=filters,
        typed=request.args,
        error=error,
        chain=chains_for(current_user.body_id),  # names the states of every version
        verifications=verification_jobs.latest(),
    ), (422 if error else 200)


@bp.route("/audit/export/<any(csv, json):fmt>", methods=["POST"])
@requires(permissions.can_read_audit_trail)
def export_audit_trail(fmt):
    """The trail with the page's filters as a download; the export is audited first."""
    export = audit_export.start(current_user, fmt, _audit_filters(request.form))
    db.session.commit()
    return Response(
        export.chunks(db.engine),
        mimetype=export.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@bp.route("/audit/verify", methods=["POST"])
@requires(permissions.can_read_audit_trail)
def verify_audit_trail():
    """Ask for the whole hash chain to be walked and checked against the anchors (as ``flask
    audit verify`` does). It runs as a job (audit/verification_jobs.py, ``flask jobs run``):
    a million entries take longer than a request may. The page shows its progress and result;
    the chain is the whole deployment's, so no details of other bodies' entries: the command
    gives them, to whoever runs the deployment."""
    verification_jobs.request_verification(current_user)
    db.session.commit()
    flash(gettext("已提交校验请求，由后台任务逐批校验；进度和结果见下方“哈希链校验”"), "success")
    return redirect(url_for("audit.audit_trail", _anchor="verifications"), 303)


def _audit_filters(source) -> audit_export.Filters:
    """The audit page's filters, from its query string or the export form: the item by its
    number or its 索引号, the dates as YYYY-MM-DD (InvalidInput names the field at fault)."""
    from_day = _day(source, "from")
    to_day = _day(source, "to")
    if from_day and to_day and to_day < from_day:
        raise InvalidInput("结束日期不能早于开始日期", "to")
    return audit_export.Filters(
        item_id=_item_id(source.get("item")),
        username=(source.get("user") or "").strip()[:64] or None,
        action=(source.get("action") or "")[:32] or None,
        from_day=from_day,
        to_day=to_day,
    )


def _day(source, name: str) -> date | None:
    raw = (source.get(name) or "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        if name == "from":
            raise InvalidInput("开始日期请按“年-月-日”填写，如 2026-12-01", name) from None
        raise InvalidInput("结束日期请按“年-月-日”填写，如 2026-12-31", name) from None


def _item_id(raw: str | None) -> int | None:
    """An item's number (信息编号), or the 索引号 of one of the body's published items."""
    raw = (raw or "").strip()[:64]
    if not raw:
        return None
    if raw.isdigit():
        try:
            return db_id(raw)
        except ValueError:
            raise InvalidInput("没有编号为 %(value)s 的信息", "item", value=raw) from None
    item_id = db.session.scalar(
        select(Item.id).where(Item.body_id == current_user.body_id, Item.index_number == raw)
    )
    if item_id is None:
        raise InvalidInput("没有索引号为 %(value)s 的信息", "item", value=raw)
    return item_id
