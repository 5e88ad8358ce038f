"""The demo's 公示 (called by approval/demo.py): a 低保 公示 still running, and a 临时救助 公示
whose 公示期 has ended, its personal data already taken down (the take-down run as the job runs
it), with an objection logged and handled. Everything goes through the operations, so the audit
trail is genuine (the ended one is published today, as every demo item is)."""

from __future__ import annotations

import io
from datetime import timedelta

from docx import Document
from werkzeug.datastructures import FileStorage

from approval.core import rich_text
from approval.core.clock import local_today
from approval.core.workflow import Action
from approval.notices import operations, queries, takedown
from approval.publication import drafts, transitions
from approval.publication.transitions import ActionInput

CHANNEL = "公示期内如有异议，请向示范镇民政办反映，电话：0000-12345678；地址：示范镇人民路1号。"
ROWS = [  # 序号, 户主, 村, 身份证号 (masked, as a 公示 must show it), 人数, 月补助
    ("1", "张建国", "幸福村", "320102********2049", "3", "2160"),
    ("2", "李秀英", "幸福村", "110105********1232", "1", "720"),
    ("3", "王小明", "光明村", "440304********3312", "2", "1440"),
]


def _table(head, rows) -> str:
    """An HTML table, as the rich 正文 holds one (docs/rich-text.md)."""
    cells = "".join(f"<th>{text}</th>" for text in head)
    body = "".join("<tr>" + "".join(f"<td>{t}</td>" for t in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _item(user, department, category, title, html, starts, ends, formed_days_ago):
    html = rich_text.from_input(html)  # the 正文 as the editor would save it
    return drafts.create_item(
        user,
        department.id,
        {
            "title": title,
            "summary": title,
            "body": rich_text.text_of(html),
            "body_html": html,
            "category_id": category.id,
            "info_type": "public_notice",
            "document_number": "",
            "formed_on": local_today() - timedelta(days=formed_days_ago),
            "disclosure_mode": "proactive",
            "non_disclosure_basis": None,
            "channels": "website,bulletin_board",
            "keywords": "公示",
            "notice_starts_on": starts,
            "notice_ends_on": ends,
            "objection_channel": CHANNEL,
        },
    )


def _step(user, item, action, **given):
    transitions.perform(user, item, action, item.version, ActionInput(**given))


def _publish(u, item, clear):
    _step(u["officer"], item, Action.SUBMIT)
    _step(u["leader"], item, Action.APPROVE, opinion="同意")
    _step(u["office"], item, Action.APPROVE, opinion="同意")
    _step(
        u["secrecy"],
        item,
        Action.SIGN_OFF,
        checklist=dict(clear),
        opinion="身份证号已脱敏，公示期满后由系统隐去个人信息，同意公开",
    )
    _step(u["publisher"], item, Action.PUBLISH)


def _docx(filename: str, rows) -> FileStorage:
    document = Document()
    document.add_paragraph("临时救助对象名单")
    table = document.add_table(rows=len(rows) + 1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("姓名", "所在村", "救助金额（元）")):
        cell.text = text
    for row, values in zip(table.rows[1:], rows):
        for cell, text in zip(row.cells, values):
            cell.text = text
    data = io.BytesIO()
    document.save(data)
    data.seek(0)
    return FileStorage(stream=data, filename=filename)


def seed(u, departments, categories, clear) -> None:
    civil, today = departments["民政办"], local_today()
    running = _item(
        u["officer"],
        civil,
        categories["0301"],
        "关于2026年第四季度新增最低生活保障对象的公示",
        "<p>经户主申请、入户调查、村民代表评议，拟将下列家庭纳入农村最低生活保障范围，现予公示。</p>"
        + _table(("序号", "户主姓名", "所在村", "身份证号", "保障人数", "月补助金额（元）"), ROWS)
        + f"<p>公示期：{(today - timedelta(days=2)).isoformat()}至"
        + f"{(today + timedelta(days=4)).isoformat()}。</p><p>{CHANNEL}</p>",
        today - timedelta(days=2),
        today + timedelta(days=4),
        3,
    )
    _publish(u, running, clear)

    ended = _item(
        u["officer"],
        civil,
        categories["03"],
        "关于2026年10月临时救助对象的公示",
        "<p>经审核，拟对下列遭遇突发困难的家庭给予临时救助，现予公示。</p>"
        + _table(
            ("户主姓名", "所在村", "救助金额（元）", "救助事由"),
            [("赵德明", "光明村", "3000", "住院医疗"), ("孙桂兰", "幸福村", "2000", "火灾")],
        )
        + f"<p>{CHANNEL}</p>",
        today - timedelta(days=12),
        today - timedelta(days=6),
        13,
    )
    drafts.add_attachment(
        u["officer"],
        ended,
        _docx(
            "临时救助对象名单.docx", [("赵德明", "光明村", "3000"), ("孙桂兰", "幸福村", "2000")]
        ),
        ended.version,
    )
    _publish(u, ended, clear)
    operations.log_objection(
        u["office"],
        ended,
        today,
        "phone",
        "光明村村民来电，询问赵德明家庭救助金额的核定依据。",
        0,
    )
    objection = queries.objections_of(ended)[0]
    operations.record_handling(
        u["officer"],
        objection,
        "已电话答复：按《临时救助办法》住院医疗自付费用的30%核定，来电人无异议。",
        today,
        objection.version,
    )
    plan = takedown.prepare(ended.id, end_read=False)
    operations.take_down(ended, plan, 0)
