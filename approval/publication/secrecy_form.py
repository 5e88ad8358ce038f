"""What the 保密审查单 says, collected once: the page and the .docx both render this.

Everything here is for the item's current round: the revision that round reviewed (the newest
sealed one — a working copy opened after a return is not what was reviewed), every decision of the
round in order, the secrecy reviewer's checklist, the screening findings of that revision and any
override. The opinions of the earlier rounds come with it (``rounds``: every round someone decided
in, oldest first, each with its revision and how it ended), so that the filed form records the
whole history. Labels are looked up and translated here, so the two renderings cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from approval.core import vocab
from approval.core.clock import to_local
from approval.core.workflow import DRAFT, Action
from approval.extensions import db
from approval.models import Body, Item, Revision
from approval.platform.i18n import label_text, role_label
from approval.publication.compare import attribute_value
from approval.publication.signers import decided_by

TIME_FORMAT = "%Y-%m-%d %H:%M"

# outcome codes (for tests and CSS) of the round's secrecy review
SIGNED_OFF, WITHHELD, RETURNED, RECALLED, IN_REVIEW = (
    "signed_off",
    "withheld",
    "returned",
    "recalled",
    "in_review",
)


@dataclass(frozen=True)
class DecisionRow:
    step: str  # 环节 (the chain step's name as configured)
    actor: str  # 办理人
    role: str  # 角色
    action: str  # 操作: 同意 / 退回 / 保密审查通过 / 不予公开
    opinion: str  # 意见
    time: str  # 时间, Beijing (the body's) local time


@dataclass(frozen=True)
class RoundRecord:
    round: int
    revision_number: int | None  # None: nobody has decided in the (current) round yet
    outcome_label: str  # 已退回修改 / 已撤回 / 保密审查通过 / 不予公开 / 审查中
    decisions: list[DecisionRow]

    @property
    def heading(self) -> str:
        text = gettext("第 %(n)s 轮", n=self.round)
        if self.revision_number is not None:
            text += " · " + gettext("第 %(n)s 稿", n=self.revision_number)
        return text + " · " + self.outcome_label


@dataclass(frozen=True)
class ChecklistRow:
    question: str
    answer: bool | None  # True 是, False 否, None not answered
    answer_label: str


@dataclass(frozen=True)
class FindingRow:
    kind: str
    severity: str  # code: high / medium / low
    severity_label: str
    where: str  # 正文 / 附件：名单.xlsx · 工作表1 第3行 …
    masked: str  # the masked form to publish, "" when there is none
    detail: str


@dataclass(frozen=True)
class SecrecyForm:
    item_id: int
    body_name: str
    title: str
    round: int
    revision_number: int
    content_hash: str
    attributes: list[tuple[str, str]]  # (label, value), in the form's order
    decisions: list[DecisionRow]  # the current round's
    rounds: list[RoundRecord]  # every round with a decision, oldest first, and the current one
    author: str
    checklist: list[ChecklistRow]
    checklist_signed: bool  # the answers come from a sign-off
    findings: list[FindingRow]
    override_reason: str  # "" when the sign-off needed none
    outcome: str  # one of the outcome codes above
    outcome_label: str
    withheld_basis: str  # label of the legal basis, "" unless withheld
    filename: str  # of the .docx download

    @property
    def blocking_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "high")


def round_revision(item: Item) -> Revision:
    """The revision the current round reviewed: the one its decisions saw, else the newest
    sealed revision (every submission seals the revision it submits)."""
    by_id = {r.id: r for r in item.revisions}
    seen = [d.revision_id for d in item.decisions if d.round == item.round]
    if seen and seen[0] in by_id:
        return by_id[seen[0]]
    sealed = [r for r in item.revisions if r.is_sealed]
    return max(sealed, key=lambda r: r.number) if sealed else item.current_revision


def _local(value) -> str:
    return to_local(value).strftime(TIME_FORMAT) if value else ""


def _decision_row(d) -> DecisionRow:
    return DecisionRow(
        step=label_text(d.step_name),
        actor=decided_by(d),
        role=role_label(d.role),
        action=label_text(vocab.ACTION_LABELS.get(d.action, d.action)),
        opinion=d.opinion or "",
        time=_local(d.created_at),
    )


def _round_outcome(decisions) -> str | None:
    """How a round ended, from its decisions; None when none of them ends it."""
    actions = {d.action for d in decisions}
    if Action.SIGN_OFF.value in actions:
        return gettext("保密审查通过")
    if Action.WITHHOLD.value in actions:
        return gettext("不予公开")
    if Action.RETURN.value in actions:
        return gettext("已退回修改")
    return None


def _rounds(item: Item, current_label: str) -> list[RoundRecord]:
    by_id = {r.id: r for r in item.revisions}
    grouped: dict[int, list] = {}
    for d in item.decisions:
        grouped.setdefault(d.round, []).append(d)
    grouped.setdefault(item.round, [])
    records = []
    for number in sorted(grouped):
        decisions = grouped[number]
        revision = by_id.get(decisions[0].revision_id) if decisions else None
        if number == item.round:
            label = current_label
            if revision is None:
                revision = round_revision(item)
        else:  # an earlier round that no return, sign-off or withholding ended was recalled
            label = _round_outcome(decisions) or gettext("已撤回")
        records.append(
            RoundRecord(
                round=number,
                revision_number=revision.number if revision is not None else None,
                outcome_label=label,
                decisions=[_decision_row(d) for d in decisions],
            )
        )
    return records


def _where(finding) -> str:
    where = label_text(vocab.FIELD_LABELS.get(finding.field, finding.field))
    if finding.attachment is not None:
        where += "：" + finding.attachment.filename
    if finding.location:
        where += " · " + finding.location
    return where


def download_name(item: Item) -> str:
    """保密审查单-<索引号 or item id>.docx; a 索引号's slashes would be read as folders."""
    key = item.index_number or str(item.id)
    key = "".join("-" if c in '/\\:*?"<>|' else c for c in key)
    title = gettext("保密审查单")
    return f"{title}-{key}.docx"


def collect(item: Item) -> SecrecyForm:
    """The 保密审查单 of ``item``'s current round (the item must have been submitted)."""
    revision = round_revision(item)
    decisions = [d for d in item.decisions if d.round == item.round]
    sign_off = next((d for d in decisions if d.action == Action.SIGN_OFF.value), None)
    withhold = next((d for d in decisions if d.action == Action.WITHHOLD.value), None)
    returned = next((d for d in decisions if d.action == Action.RETURN.value), None)
    body = db.session.get(Body, item.body_id)

    if sign_off is not None:
        outcome, outcome_label = SIGNED_OFF, gettext("保密审查通过")
    elif withhold is not None:
        outcome, outcome_label = WITHHELD, gettext("不予公开")
    elif returned is not None:
        outcome, outcome_label = RETURNED, gettext("已退回修改")
    elif item.state == DRAFT:
        outcome, outcome_label = RECALLED, gettext("已撤回")
    else:
        outcome, outcome_label = IN_REVIEW, gettext("审查中")
    basis = (
        label_text(vocab.NON_DISCLOSURE_BASES.get(withhold.basis, withhold.basis or ""))
        if withhold is not None
        else ""
    )

    attributes = [(gettext("公开主体"), body.name), (gettext("信息标题"), revision.title)]
    if item.index_number:
        attributes.append((gettext("索引号"), item.index_number))
    attributes += [
        (gettext("发布机构"), item.department.name),
        (gettext("信息类别"), attribute_value(revision, "info_type")),
    ]
    if revision.document_number:
        attributes.append((gettext("发文字号"), revision.document_number))
    attributes += [
        (gettext("成文日期"), attribute_value(revision, "formed_on")),
        (gettext("拟公开方式"), attribute_value(revision, "disclosure_mode")),
    ]
    if withhold is not None:
        attributes.append((gettext("不予公开依据"), basis))
    attributes += [
        (gettext("撰稿人"), item.author.display_name),
        (
            gettext("审批轮次"),
            gettext("第 %(n)s 轮", n=item.round)
            + " · "
            + gettext("第 %(n)s 稿", n=revision.number),
        ),
        (gettext("内容哈希"), revision.content_hash or ""),
    ]

    answers = sign_off.checklist_answers if sign_off is not None else {}
    unanswered = gettext("未审查") if sign_off is None and withhold is None else gettext("未填写")
    checklist = []
    for key, question in vocab.SECRECY_QUESTIONS.items():
        answer = answers.get(key)
        label = unanswered if answer is None else (gettext("是") if answer else gettext("否"))
        checklist.append(ChecklistRow(gettext(question), answer, label))

    findings = [
        FindingRow(
            kind=label_text(vocab.FINDING_KINDS.get(f.kind, f.kind)),
            severity=f.severity,
            severity_label=label_text(vocab.SEVERITY_LABELS.get(f.severity, f.severity)),
            where=_where(f),
            masked=f.masked or "",
            detail=f.detail or "",
        )
        for f in revision.findings_by_severity
    ]

    return SecrecyForm(
        item_id=item.id,
        body_name=body.name,
        title=revision.title,
        round=item.round,
        revision_number=revision.number,
        content_hash=revision.content_hash or "",
        attributes=attributes,
        decisions=[_decision_row(d) for d in decisions],
        rounds=_rounds(item, outcome_label),
        author=item.author.display_name,
        checklist=checklist,
        checklist_signed=sign_off is not None,
        findings=findings,
        override_reason=(sign_off.override_reason or "") if sign_off is not None else "",
        outcome=outcome,
        outcome_label=outcome_label,
        withheld_basis=basis,
        filename=download_name(item),
    )
