"""The demo body's annual reports (``approval.demo``): last year's report published through the
chain, this year's saved as a draft for the office to finish, and the year before last as the
year before the system (the office's paper figures). The tables are the app's, computed from the
demo's data; the texts are what an office writes, with the figures the page offers."""

from __future__ import annotations

from approval.annual_reports import operations, queries, sending, view
from approval.core.clock import local_today
from approval.core.workflow import Action
from approval.publication import transitions
from approval.publication.transitions import ActionInput

PROBLEMS = (
    "一是部分部门信息报送不够及时，个别栏目更新频率不高；二是政策解读形式较为单一。"
    "下一步，将落实信息报送“每月一汇总、每月一通报”，丰富图表、问答等解读形式，"
    "坚持“先审查、后公开”，确保件件有记录、有回复。"
)
OTHER = "无其他需要报告的事项。"


def _save(office, body_id: int, year: int, overview: str, **figures) -> None:
    operations.save_report(
        office,
        body_id,
        year,
        queries.report_of(body_id, year),
        "0",
        operations.ReportInput(
            overview=overview, problems=PROBLEMS, other_matters=OTHER, **figures
        ),
    )


def _overview(body_id: int, year: int, lead: str) -> str:
    return lead + "".join(view.build(body_id, year).sentences)


def seed(u, body_id: int, clear_checklist: dict) -> None:
    """``u``: the demo's users by name; ``clear_checklist``: the secrecy review's answers."""
    this_year = local_today().year
    last_year = this_year - 1
    office, officer = u["office"], u["office_officer"]
    operations.save_baseline(
        office,
        body_id,
        None,
        "0",
        operations.BaselineInput(
            year=str(last_year - 1), regulation_current="0", normative_current="12"
        ),
    )
    _save(
        office,
        body_id,
        last_year,
        _overview(
            body_id,
            last_year,
            "本镇坚持以公开为常态、不公开为例外，落实“先审查、后公开”和“一事一审”。",
        ),
        licensing="28",
        penalty="3",
        coercion="0",
        fees="0",
    )
    stored = sending.prepare(officer, body_id, last_year)
    item = sending.send(
        officer, body_id, last_year, queries.report_of(body_id, last_year), "1", stored
    )
    for who, action, given in (
        (officer, Action.SUBMIT, {}),
        (u["office_head"], Action.APPROVE, {"opinion": "同意"}),
        (u["office"], Action.APPROVE, {"opinion": "同意"}),
        (
            u["secrecy"],
            Action.SIGN_OFF,
            {"checklist": dict(clear_checklist), "opinion": "经审查，不涉密，同意公开"},
        ),
        (u["publisher"], Action.PUBLISH, {}),
    ):
        transitions.perform(who, item, action, item.version, ActionInput(**given))
    _save(
        office,
        body_id,
        this_year,
        _overview(
            body_id, this_year, "本镇依托政府信息公开专栏主动公开政府信息，坚持“先审查、后公开”。"
        ),
        licensing="36",
        penalty="4",
    )
