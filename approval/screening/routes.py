"""The security admin's sensitive-word list (敏感词库, 安全管理员, 三员分立): list, add, import and
delete words."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.core.errors import InvalidInput
from approval.core.vocab import SEVERITY_LABELS
from approval.extensions import db
from approval.platform.access import requires
from approval.platform.routing import db_id
from approval.screening import word_list
from approval.screening.forms import ImportForm, WordsForm

bp = Blueprint("screening", __name__, url_prefix="/admin")
LISTED_IN_FLASH = 20  # words quoted in a message; the rest are counted


def _word_filters() -> dict:
    severity = request.args.get("severity")
    return {
        "category": (request.args.get("category") or "").strip()[:32] or None,
        "severity": severity if severity in SEVERITY_LABELS else None,
        "q": (request.args.get("q") or "").strip()[:100] or None,
    }


def _words_page(add_form=None, import_form=None, status=200):
    body_id, filters = current_user.body_id, _word_filters()
    words, next_before = word_list.word_page(
        body_id,
        category=filters["category"],
        severity=filters["severity"],
        contains=filters["q"],
        before_id=request.args.get("before", type=db_id),
    )
    return render_template(
        "screening/words.html",
        words=words,
        next_before=next_before,
        filters=filters,
        counts=word_list.severity_counts(body_id, filters["category"]),
        categories=word_list.categories(body_id),
        add_form=add_form or WordsForm(formdata=None),
        import_form=import_form or ImportForm(prefix="import", formdata=None),
        max_import=word_list.MAX_IMPORT_BYTES,
    ), status


def _listing(words: list[str]) -> str:
    shown = gettext("、").join(words[:LISTED_IN_FLASH])
    if len(words) > LISTED_IN_FLASH:
        shown += gettext("等")
    return shown


def _report(change: word_list.WordChange) -> None:
    """Say what was added and what was already there (the words are quoted as typed)."""
    parts = []
    if change.added:
        parts.append(
            gettext("已添加 %(n)s 个敏感词：", n=len(change.added)) + _listing(change.added_words)
        )
    if change.present:
        parts.append(
            gettext("%(n)s 个已在词库中，未重复添加：", n=len(change.present))
            + _listing(change.present)
        )
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
            return redirect(url_for("screening.words"), 303)
    return None


@bp.route("/words")
@requires(permissions.can_manage_word_list)
def words():
    return _words_page()


@bp.route("/words", methods=["POST"])
@requires(permissions.can_manage_word_list)
def add_words():
    form = WordsForm()
    done = _change(
        form,
        lambda f: word_list.add_words(
            current_user, current_user.body_id, f.words.data, f.category.data, f.severity.data
        ),
        "words",
    )
    return done or _words_page(add_form=form, status=422)


@bp.route("/words/import", methods=["POST"])
@requires(permissions.can_manage_word_list)
def import_words():
    form = ImportForm(prefix="import")
    done = _change(
        form,
        lambda f: word_list.import_words(
            current_user, current_user.body_id, f.file.data, f.category.data, f.severity.data
        ),
        "file",
    )
    return done or _words_page(import_form=form, status=422)


@bp.route("/words/<id:word_id>/delete", methods=["POST"])
@requires(permissions.can_manage_word_list)
def delete_word(word_id):
    removed = word_list.remove_word(current_user, word_id).word  # another body's word: 404
    db.session.commit()
    flash(gettext("已删除敏感词：") + removed, "success")
    kept = {k: v for k, v in _word_filters().items() if v}
    return redirect(
        url_for("screening.words", before=request.args.get("before", type=db_id), **kept), 303
    )
