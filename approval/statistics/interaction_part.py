"""互动回应 in the monthly 通报: the public's messages of the period (by the day received) per
department, in the department order of the ranking's departments, and the body's total, from
``interaction.statistics`` (one definition of received, answered on time, late, invalid and the
满意率 for the 互动回应 page, the annual report and the 通报)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext

from approval.interaction import statistics as interaction_statistics
from approval.interaction.statistics import Figures


@dataclass
class InteractionPart:
    rows: list[tuple[str, Figures]]  # (department name, figures): every department, in order
    unassigned: Figures | None  # messages never given to a department (None: there are none)
    total: Figures

    @property
    def any(self) -> bool:
        return self.total.received > 0


def build(body_id: int, first: date, last: date, today: date, departments) -> InteractionPart:
    found = interaction_statistics.report(body_id, first, last, today)
    per = found.by_department_id
    rows = [(d.name, per.get(d.id, Figures())) for d in departments]
    return InteractionPart(rows, per.get(None), found.total)


def satisfaction(f: Figures) -> Decimal | None:
    """The 满意率 as a fraction (four decimals, as the 通报's other rates), None when unrated."""
    if not f.rated:
        return None
    return (Decimal(f.content) / Decimal(f.rated)).quantize(Decimal("0.0001"))


def header() -> list[str]:
    return [
        gettext("部门"),
        gettext("收到留言"),
        gettext("已答复"),
        gettext("按期答复"),
        gettext("逾期答复"),
        gettext("转办"),
        gettext("无效留言"),
        gettext("办理中"),
        gettext("其中超期"),
        gettext("满意率"),
    ]


def values(name: str, f: Figures) -> list:
    return [
        name,
        f.received,
        f.answered,
        f.on_time,
        f.late,
        f.transferred,
        f.invalid,
        f.open,
        f.overdue,
        satisfaction(f),
    ]


def table_rows(part: InteractionPart) -> list[list]:
    """The rows of the 通报's table: each department, those not yet assigned, the total."""
    rows = [values(name, f) for name, f in part.rows]
    if part.unassigned is not None:
        rows.append(values(gettext("未分办"), part.unassigned))
    rows.append(values(gettext("合计"), part.total))
    return rows


def sentence(part: InteractionPart) -> str:
    """The 通报's paragraph on 互动回应."""
    t = part.total
    if not t.received:
        return gettext("本期未收到群众留言。")
    text = gettext(
        "本期共收到群众留言 %(received)s 件，已答复 %(answered)s 件，其中按期答复 %(on_time)s 件、"
        "逾期答复 %(late)s 件；作无效处理 %(invalid)s 件；尚在办理 %(open)s 件，其中超期 %(overdue)s 件。",
        received=t.received,
        answered=t.answered,
        on_time=t.on_time,
        late=t.late,
        invalid=t.invalid,
        open=t.open,
        overdue=t.overdue,
    )
    if t.rated:
        shown = f"{satisfaction(t) * 100:.2f}%"
        text += gettext("满意率 %(rate)s。", rate=shown)
    return text
