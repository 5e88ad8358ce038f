"""The admin area (三员分立): the audit admin reads, verifies and exports the audit trail; the
security admin manages the body's sensitive-word list (敏感词库). The system admin's pages are in
accounts_routes.py and calendar_routes.py, the security admin's grants and policy in
grants_routes.py."""
from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import permissions
from ..extensions import db
from ..models import chain_for
from ..routing import db_id
from ..services import audit, audit_export, queries, word_list
from ..services.audit_anchor import AnchorError, anchor_path, read_anchors
from ..services.audit import detail_of
from ..services.errors import InvalidInput
from ..roles import Role
from ..vocab import SEVERITY_LABELS
from .forms import ImportForm, WordsForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
LISTED_IN_FLASH = 20  # words quoted in a message; the rest are counted


@bp.route("/audit")
@login_required
def audit_trail():
    if not permissions.can_read_audit_trail(current_user):
        abort(403)
    filters = _audit_filters(request.args)
    entries, next_before = queries.audit_page(
        current_user.body_id, before_id=request.args.get("before", type=db_id), **vars(filters))
    return render_template("admin/audit.html", rows=[(e, detail_of(e)) for e in entries],
                           next_before=next_before, filters=filters,
                           chain=chain_for(current_user.body_id))


@bp.route("/audit/export/<any(csv, json):fmt>", methods=["POST"])
@login_required
def export_audit_trail(fmt):
    """The trail with the page's filters as a download; the export is audited first."""
    if not permissions.can_read_audit_trail(current_user):
        abort(403)
    export = audit_export.start(current_user, fmt, _audit_filters(request.form))
    db.session.commit()
    return Response(export.chunks(db.engine), mimetype=export.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{export.filename}"'})


@bp.route("/audit/verify", methods=["POST"])
@login_required
def verify_audit_trail():
    """Walk the whole hash chain and check it against the anchors (as ``flask audit verify``
    does), then say whether it holds; the check itself is audited. The chain is the whole
    deployment's, so the page gives no counts or details of other bodies' entries: the command
    does, for whoever runs the deployment."""
    if not permissions.can_read_audit_trail(current_user):
        abort(403)
    try:
        anchors = read_anchors(anchor_path(current_app)) or []
    except AnchorError as exc:
        current_app.logger.error("audit anchor file: %s", exc)
        flash(gettext("锚点文件无法读取或已损坏：请运维人员用命令 flask --app approval audit verify 查看详情"),
              "error")
        anchors, result = None, None
    else:
        result = audit.verify(anchors=anchors)
        if result.ok:
            flash(gettext("哈希链完整，与 %(a)s 个锚点一致", a=len(anchors)), "success")
        else:
            flash(gettext("哈希链在第 %(id)s 条记录处断开：请运维人员用命令 flask --app approval audit verify 查看详情",
                          id=result.broken_id), "error")
        if not anchors:
            flash(gettext("尚无锚点：无法发现删去最新记录或整条链被重算，请定期运行 flask audit anchor"),
                  "info")
    audit.record("audit_verified", actor=current_user, detail={
        "role": Role.AUDIT_ADMIN, "ok": bool(result and result.ok), "checked": result.checked if result else 0,
        "broken_id": result.broken_id if result else None,
        "anchors": len(anchors) if anchors is not None else None})
    db.session.commit()
    return redirect(url_for("admin.audit_trail"), 303)


def _audit_filters(source) -> audit_export.Filters:
    """The audit page's filters, from its query string or the export form."""
    return audit_export.Filters(item_id=source.get("item", type=db_id),
                                username=(source.get("user") or "").strip()[:64] or None,
                                action=(source.get("action") or "")[:32] or None)


# ------------------------------------------------------------------ the sensitive-word list

def _require_word_admin() -> None:
    if not permissions.can_manage_word_list(current_user):
        abort(403)


def _word_filters() -> dict:
    severity = request.args.get("severity")
    return {"category": (request.args.get("category") or "").strip()[:32] or None,
            "severity": severity if severity in SEVERITY_LABELS else None,
            "q": (request.args.get("q") or "").strip()[:100] or None}


def _words_page(add_form=None, import_form=None, status=200):
    body_id, filters = current_user.body_id, _word_filters()
    words, next_before = word_list.word_page(
        body_id, category=filters["category"], severity=filters["severity"],
        contains=filters["q"], before_id=request.args.get("before", type=db_id))
    return render_template(
        "admin/words.html", words=words, next_before=next_before, filters=filters,
        counts=word_list.severity_counts(body_id, filters["category"]),
        categories=word_list.categories(body_id),
        add_form=add_form or WordsForm(formdata=None),
        import_form=import_form or ImportForm(prefix="import", formdata=None),
        max_import=word_list.MAX_IMPORT_BYTES), status


def _listing(words: list[str]) -> str:
    shown = "、".join(words[:LISTED_IN_FLASH])
    if len(words) > LISTED_IN_FLASH:
        shown += gettext("等")
    return shown


def _report(change: word_list.WordChange) -> None:
    """Say what was added and what was already there (the words are quoted as typed)."""
    parts = []
    if change.added:
        parts.append(gettext("已添加 %(n)s 个敏感词：", n=len(change.added))
                     + _listing(change.added_words))
    if change.present:
        parts.append(gettext("%(n)s 个已在词库中，未重复添加：", n=len(change.present))
                     + _listing(change.present))
    if change.repeated:
        parts.append(gettext("%(n)s 行重复，已跳过", n=change.repeated))
    flash("；".join(parts), "success" if change.added else "info")


def _change(form, run, default_field: str):
    """Run one word-list service call on a valid form: commit, report and redirect (303); else
    None, the form carrying why not, and the caller shows it again with what was typed (422)."""
    if form.validate_on_submit():
        try:
            change = run(form)
        except InvalidInput as exc:
            db.session.rollback()
            field = getattr(form, exc.field or default_field, None) or form[default_field]
            field.errors.append(exc.message)
        else:
            db.session.commit()
            _report(change)
            return redirect(url_for("admin.words"), 303)
    return None


@bp.route("/words")
@login_required
def words():
    _require_word_admin()
    return _words_page()


@bp.route("/words", methods=["POST"])
@login_required
def add_words():
    _require_word_admin()
    form = WordsForm()
    done = _change(form, lambda f: word_list.add_words(
        current_user, current_user.body_id, f.words.data, f.category.data, f.severity.data), "words")
    return done or _words_page(add_form=form, status=422)


@bp.route("/words/import", methods=["POST"])
@login_required
def import_words():
    _require_word_admin()
    form = ImportForm(prefix="import")
    done = _change(form, lambda f: word_list.import_words(
        current_user, current_user.body_id, f.file.data, f.category.data, f.severity.data), "file")
    return done or _words_page(import_form=form, status=422)


@bp.route("/words/<id:word_id>/delete", methods=["POST"])
@login_required
def delete_word(word_id):
    _require_word_admin()
    removed = word_list.remove_word(current_user, word_id).word  # another body's word: 404
    db.session.commit()
    flash(gettext("已删除敏感词：") + removed, "success")
    kept = {k: v for k, v in _word_filters().items() if v}
    return redirect(url_for("admin.words", before=request.args.get("before", type=db_id), **kept),
                    303)


from . import calendar_routes  # noqa: E402,F401  (the working-day calendar: routes on bp)
from . import accounts_routes  # noqa: E402,F401  (the sysadmin's accounts and departments)
from . import grants_routes  # noqa: E402,F401  (the security admin's role grants and policy)
