"""The audit admin's pages (安全审计员, 三员分立): read, verify and export the audit trail."""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.audit import export as audit_export
from approval.audit import queries
from approval.audit import trail as audit
from approval.audit.anchor import AnchorError, anchor_path, read_anchors
from approval.audit.trail import detail_of
from approval.core.roles import Role
from approval.extensions import db
from approval.models import chains_for
from approval.platform.access import requires
from approval.platform.routing import db_id

bp = Blueprint("audit", __name__, url_prefix="/admin")


@bp.route("/audit")
@requires(permissions.can_read_audit_trail)
def audit_trail():
    filters = _audit_filters(request.args)
    entries, next_before = queries.audit_page(
        current_user.body_id, before_id=request.args.get("before", type=db_id), **vars(filters)
    )
    return render_template(
        "audit/trail.html",
        rows=[(e, detail_of(e)) for e in entries],
        next_before=next_before,
        filters=filters,
        chain=chains_for(current_user.body_id),  # names the states of every version
    )


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
    """Walk the whole hash chain and check it against the anchors (as ``flask audit verify``
    does), then say whether it holds; the check itself is audited. The chain is the whole
    deployment's, so the page gives no counts or details of other bodies' entries: the command
    does, for whoever runs the deployment."""
    try:
        anchors = read_anchors(anchor_path(current_app)) or []
    except AnchorError as exc:
        current_app.logger.error("audit anchor file: %s", exc)
        flash(
            gettext(
                "锚点文件无法读取或已损坏：请运维人员用命令 flask --app approval audit verify 查看详情"
            ),
            "error",
        )
        anchors, result = None, None
    else:
        result = audit.verify(anchors=anchors)
        if result.ok:
            flash(gettext("哈希链完整，与 %(a)s 个锚点一致", a=len(anchors)), "success")
        else:
            flash(
                gettext(
                    "哈希链在第 %(id)s 条记录处断开：请运维人员用命令 flask --app approval audit verify 查看详情",
                    id=result.broken_id,
                ),
                "error",
            )
        if not anchors:
            flash(
                gettext(
                    "尚无锚点：无法发现删去最新记录或整条链被重算，请定期运行 flask audit anchor"
                ),
                "info",
            )
    audit.record(
        "audit_verified",
        actor=current_user,
        detail={
            "role": Role.AUDIT_ADMIN,
            "ok": bool(result and result.ok),
            "checked": result.checked if result else 0,
            "broken_id": result.broken_id if result else None,
            "anchors": len(anchors) if anchors is not None else None,
        },
    )
    db.session.commit()
    return redirect(url_for("audit.audit_trail"), 303)


def _audit_filters(source) -> audit_export.Filters:
    """The audit page's filters, from its query string or the export form."""
    return audit_export.Filters(
        item_id=source.get("item", type=db_id),
        username=(source.get("user") or "").strip()[:64] or None,
        action=(source.get("action") or "")[:32] or None,
    )
