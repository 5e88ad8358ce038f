"""What a notification says, in the reader's language: one sentence per kind, built from the
params stored with it. The page and the e-mail use the same sentences. Values (titles, reasons)
are only ever arguments of a fixed msgid, never a msgid themselves; a step's name is translated
when it is one of the default chain's (workflow.DEFAULT_STEPS) and shown as stored otherwise."""

from __future__ import annotations

from flask_babel import gettext

from approval.core.vocab import STATE_LABELS
from approval.core.workflow import WITHHELD
from approval.models.notifications import Kind, Notification
from approval.platform.i18n import label_text, role_label


def describe(notification: Notification) -> str:
    """The sentence for this notification (plain text: the template escapes it)."""
    p = notification.data
    title, kind = p.get("title", ""), notification.kind
    step = label_text(p.get("step", ""))
    if kind == Kind.SUBMITTED_TO_YOU:
        return gettext("《%(title)s》待您办理：%(step)s", title=title, step=step)
    if kind == Kind.RETURNED:
        return gettext(
            "《%(title)s》在%(step)s环节被退回，理由：%(reason)s",
            title=title,
            step=step,
            reason=p.get("reason", ""),
        )
    if kind == Kind.APPROVED:
        return gettext("《%(title)s》已通过审批，等待发布", title=title)
    if kind == Kind.PUBLISHED:
        return gettext(
            "《%(title)s》已发布，索引号：%(index_number)s",
            title=title,
            index_number=p.get("index_number") or "",
        )
    if kind == Kind.WITHHELD:
        return gettext(
            "《%(title)s》经保密审查决定不予公开，意见：%(reason)s",
            title=title,
            reason=p.get("reason", ""),
        )
    if p.get("annual_report_year"):  # annual_reports/reminders.py
        if kind == Kind.OVERDUE:
            return gettext(
                "%(year)s年政府信息公开工作年度报告已超过发布期限（%(due_on)s），尚未发布，请尽快办理",
                year=p["annual_report_year"],
                due_on=p.get("due_on", ""),
            )
        return gettext(
            "%(year)s年政府信息公开工作年度报告应于 %(due_on)s 前发布，请及时编写、送审",
            year=p["annual_report_year"],
            due_on=p.get("due_on", ""),
        )
    if p.get("message_subject"):  # a message's due day (interaction/reminders.py): no sender
        subject, due_on = p["message_subject"], p.get("due_on", "")
        if kind == Kind.OVERDUE:
            return gettext(
                "留言《%(subject)s》已超过答复期限（%(due_on)s），请尽快答复",
                subject=subject,
                due_on=due_on,
            )
        return gettext(
            "留言《%(subject)s》的答复期限为 %(due_on)s，请及时答复", subject=subject, due_on=due_on
        )
    if p.get("request_number"):  # a request's deadline (requests/reminders.py): no applicant
        number, due_on = p["request_number"], p.get("due_on", "")
        if p.get("deadline") == "correction":
            return gettext(
                "申请 %(number)s 的补正期限（%(due_on)s）已过，申请人未补正，可按逾期不补正结案",
                number=number,
                due_on=due_on,
            )
        if kind == Kind.OVERDUE:
            return gettext(
                "申请 %(number)s 已超过答复期限（%(due_on)s），请尽快答复",
                number=number,
                due_on=due_on,
            )
        return gettext(
            "申请 %(number)s 的答复期限为 %(due_on)s，请及时答复", number=number, due_on=due_on
        )
    if kind == Kind.DUE_SOON and p.get("step"):
        return gettext(
            "《%(title)s》的%(step)s环节办理时限为 %(due_on)s，请及时办理",
            title=title,
            step=step,
            due_on=p.get("due_on", ""),
        )
    if kind == Kind.OVERDUE and p.get("step"):
        return gettext(
            "《%(title)s》已超过%(step)s环节的办理时限（%(due_on)s），请尽快办理",
            title=title,
            step=step,
            due_on=p.get("due_on", ""),
        )
    if kind == Kind.DUE_SOON:
        return gettext(
            "《%(title)s》的公开期限为 %(due_on)s，请及时办理",
            title=title,
            due_on=p.get("due_on", ""),
        )
    if kind == Kind.OVERDUE:
        return gettext(
            "《%(title)s》已超过公开期限（%(due_on)s），请尽快办理",
            title=title,
            due_on=p.get("due_on", ""),
        )
    if kind == Kind.DELEGATED:
        return gettext(
            "%(principal)s 请您在 %(start)s 至 %(end)s 代理其“%(role)s”审批%(reason)s",
            principal=p.get("principal", ""),
            start=p.get("starts_on", ""),
            end=p.get("ends_on", ""),
            role=role_label(p.get("role", "")),
            reason=_reason(p),
        )
    if kind == Kind.DELEGATION_REVOKED:
        return gettext(
            "%(principal)s 已撤销请您在 %(start)s 至 %(end)s 代理其“%(role)s”审批的委托",
            principal=p.get("principal", ""),
            start=p.get("starts_on", ""),
            end=p.get("ends_on", ""),
            role=role_label(p.get("role", "")),
        )
    return gettext("您有一条新通知")


def _reason(p: dict) -> str:
    """The delegation's reason, when it has one, as the end of the sentence."""
    return gettext("（事由：%(reason)s）", reason=p["reason"]) if p.get("reason") else ""


def kind_label(kind: str) -> str:
    """A short tag for the list."""
    labels = {
        Kind.SUBMITTED_TO_YOU: gettext("待办"),
        Kind.RETURNED: gettext("退回"),
        Kind.APPROVED: gettext("已通过审批"),
        Kind.PUBLISHED: gettext("已发布"),
        Kind.WITHHELD: label_text(STATE_LABELS[WITHHELD], "state"),  # the state, 'Withheld'
        Kind.DUE_SOON: gettext("即将到期"),
        Kind.OVERDUE: gettext("已逾期"),
        Kind.DELEGATED: gettext("请假代理"),
        Kind.DELEGATION_REVOKED: gettext("代理撤销"),
    }
    return labels.get(kind, gettext("通知"))


def actor_line(notification: Notification) -> str:
    """Who caused it, when the event had a person behind it."""
    actor = notification.data.get("actor")
    return gettext("来自 %(name)s", name=actor) if actor else ""
