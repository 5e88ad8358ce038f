"""How each workflow action looks on the item page: one table instead of labels scattered over
templates and routes. Which input an action *requires* is the domain's rule (publication/transitions);
this only says how to ask for it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext

from approval.core.workflow import Action
from approval.platform.i18n import N_


@dataclass(frozen=True)
class ActionUI:
    button: str
    done: str  # flashed after it succeeded
    opinion_label: str | None = None  # None: no opinion asked
    style: str = ""  # "primary" moves the item on, "danger" stops it
    open: bool = False  # panel open when the page loads (the usual decision)
    asks_time: bool = False  # a date and time to choose (定时发布)
    confirm: str | None = None  # asked before the form is sent (static/confirm.js)
    offers_saved: bool = False  # the user's 常用意见 may fill the opinion

    @property
    def has_panel(self) -> bool:
        """A panel that asks for something; otherwise a one-click button."""
        return self.opinion_label is not None or self.asks_time


ACTION_UI = {
    Action.SUBMIT: ActionUI(N_("提交审批"), N_("已提交审批"), style="primary"),
    Action.RECALL: ActionUI(N_("撤回"), N_("已撤回，可继续修改")),
    Action.ABANDON: ActionUI(
        N_("放弃修订"),
        N_("已放弃修订，公开版本不变"),
        style="danger",
        confirm=N_("放弃后本修订稿办结，不再发布，公开版本保持不变。确定放弃修订吗？"),
    ),
    Action.PUBLISH: ActionUI(
        N_("发布"),
        N_("已发布到政府信息公开专栏"),
        style="primary",
        confirm=N_("发布后将在政府信息公开专栏公开，确定发布吗？"),
    ),
    Action.SEND: ActionUI(
        N_("签发答复"),
        N_("答复已签发，请按申请人选择的方式送达并登记送达记录"),
        style="primary",
        confirm=N_("签发后答复即成为正式答复，不能再修改，确定签发吗？"),
    ),
    Action.UNSCHEDULE: ActionUI(N_("取消定时"), N_("已取消定时发布")),
    Action.APPROVE: ActionUI(
        N_("同意"),
        N_("已同意，转入下一环节"),
        N_("审批意见（可选）"),
        "primary",
        open=True,
        offers_saved=True,
    ),
    Action.SIGN_OFF: ActionUI(
        N_("保密审查通过"),
        N_("保密审查已通过，待发布"),
        N_("保密审查意见（必填）"),
        "primary",
        open=True,
        offers_saved=True,
    ),
    Action.SCHEDULE: ActionUI(
        N_("定时发布"),
        N_("已设置定时发布，到时将自动发布"),
        asks_time=True,
        confirm=N_("到所选时间将自动在政府信息公开专栏公开，确定定时发布吗？"),
    ),
    Action.RETURN: ActionUI(
        N_("退回"), N_("已退回信息员"), N_("退回理由（必填）"), "danger", offers_saved=True
    ),
    Action.WITHHOLD: ActionUI(
        N_("不予公开"),
        N_("已决定不予公开"),
        N_("审查意见（必填）"),
        "danger",
        confirm=N_("决定不予公开后，本信息办结，不再发布，确定不予公开吗？"),
        offers_saved=True,
    ),
    Action.CHANGE_VALIDITY: ActionUI(N_("变更有效性"), N_("有效性已变更"), N_("说明（可选）")),
    Action.UNPUBLISH: ActionUI(
        N_("撤稿"),
        N_("已撤稿"),
        N_("撤稿理由（将向公众公开，必填）"),
        "danger",
        confirm=N_("撤稿后公开页面将只显示撤稿说明和撤稿理由，撤稿不能撤销，确定撤稿吗？"),
    ),
}
# the order of the table is the order on the page: one-click buttons in a row first, then the
# panels, the decision that moves the item forward before the ones that stop it


def translated(action: Action) -> ActionUI:
    ui = ACTION_UI[action]
    return replace(
        ui,
        button=gettext(ui.button),
        done=gettext(ui.done),
        opinion_label=gettext(ui.opinion_label) if ui.opinion_label else None,
        confirm=gettext(ui.confirm) if ui.confirm else None,
    )


def for_page(actions) -> list[tuple[Action, ActionUI]]:
    """The user's actions with their looks, in page order."""
    offered = set(actions)
    return [(a, translated(a)) for a in ACTION_UI if a in offered]
