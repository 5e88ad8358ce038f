"""The 期限看板: the body's open items that are overdue or due soon, per department and item;
and the settings page of the steps' time limits (各环节办理时限).

The board is for whoever sees the office's statistics (``permissions.can_view_statistics``),
the limits for whoever sets its targets (``can_set_targets``): 403 for anyone else; everything is
of the user's own body. The board shows the title of a draft only to those who may open it
(a draft never submitted stays inside its department): the office sees that it is late, not
what it says. ``deadlines_of`` gives every item list its flags (``item_row`` in macros.html).
"""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from approval import permissions
from approval.accounts.departments import departments_of
from approval.deadlines import limits as step_limits
from approval.deadlines import operations as deadlines
from approval.models import chains_for
from approval.platform.access import requires
from approval.platform.form_choices import id_or_none
from approval.platform.i18n import label_text
from approval.platform.number_forms import numbers_form, save_numbers

WORKING_DAYS_FORMAT = _l("请填写正整数（工作日）；留空表示不设时限")

bp = Blueprint("deadlines", __name__, url_prefix="/office/deadlines")


@bp.app_template_global()
def deadlines_of(item):
    """The item's deadlines for a list row (None once it is no longer open)."""
    return deadlines.of_item(item)


@bp.route("/")
@requires(permissions.can_view_statistics)
def board():
    body_id = current_user.body_id
    departments = departments_of(body_id)
    try:
        chosen = id_or_none(request.args.get("department"))
    except ValueError:
        chosen = None
    if chosen not in {d.id for d in departments}:
        chosen = None
    result = deadlines.board(body_id, chosen)
    chain = chains_for(body_id)  # names the states of every version of the chain
    viewable = {
        item.id
        for item, _ in result.publication + result.steps
        if permissions.can_view_item(current_user, item)
    }
    return render_template(
        "deadlines/board.html",
        board=result,
        departments=departments,
        chosen=chosen,
        viewable=viewable,
        chain=chain,
        due_soon=deadlines.PUBLICATION_DUE_SOON,
        step_due_soon=deadlines.STEP_DUE_SOON,
        board_rows=deadlines.BOARD_ROWS,
        can_set_limits=permissions.can_set_targets(current_user, body_id),
    )


@bp.route("/limits", methods=["GET", "POST"])
@requires(permissions.can_set_targets)
def limits():
    body_id = current_user.body_id
    rows = step_limits.step_limit_rows(body_id)
    form = numbers_form(
        [(r.key, label_text(r.name)) for r in rows],
        "days",
        WORKING_DAYS_FORMAT,
        data={f"days_{r.key}": r.limit for r in rows if r.limit},
    )
    status, conflict = 200, None
    if request.method == "POST":
        outcome = save_numbers(
            form,
            lambda: step_limits.set_step_limits(
                current_user, body_id, form.numbers("days", key=str)
            ),
            lambda n: gettext("已保存办理时限（%(n)s 处修改）", n=n),
            gettext("办理时限没有变化"),
            url_for("deadlines.limits"),
        )
        if outcome.response:
            return outcome.response
        status, conflict = outcome.status, outcome.conflict
    return render_template(
        "deadlines/limits.html",
        form=form,
        rows=rows,
        conflict=conflict,
        maximum=step_limits.MAX_STEP_WORKING_DAYS,
    ), status
