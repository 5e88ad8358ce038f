"""How a request ends, and the row of the annual report's table 三 each ending is counted in
(国办公开办函〔2021〕30号, 三、收到和处理政府信息公开申请情况, 本年度办理结果).

A request ends either with a reply (a reply type: the reply document walks the chain and is sent)
or with a closure the office records without a reply (逾期不补正, 逾期未缴费). Every outcome maps
to exactly one row; the rows are the table's 22 result rows, in its order. Pure data, no Flask.

The legal basis is the article of the 《中华人民共和国政府信息公开条例》 (2019) the reply rests on,
as the 答复书 cites it.
"""

from __future__ import annotations

from dataclasses import dataclass

from approval.core.msgids import N_


@dataclass(frozen=True)
class Row:
    """One result row of table 三: its key (as the report's numbering) and its label."""

    key: str  # "1", "2", "3.1" … "3.8", "4.1" … "4.3", "5.1" … "5.5", "6.1" … "6.3"
    group: str  # the row group's label: (一) … (六)
    label: str


GROUPS = {
    "1": N_("（一）予以公开"),
    "2": N_("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    "3": N_("（三）不予公开"),
    "4": N_("（四）无法提供"),
    "5": N_("（五）不予处理"),
    "6": N_("（六）其他处理"),
}

ROWS: tuple[Row, ...] = (
    Row("1", "1", N_("予以公开")),
    Row("2", "2", N_("部分公开")),
    Row("3.1", "3", N_("1.属于国家秘密")),
    Row("3.2", "3", N_("2.其他法律行政法规禁止公开")),
    Row("3.3", "3", N_("3.危及“三安全一稳定”")),
    Row("3.4", "3", N_("4.保护第三方合法权益")),
    Row("3.5", "3", N_("5.属于三类内部事务信息")),
    Row("3.6", "3", N_("6.属于四类过程性信息")),
    Row("3.7", "3", N_("7.属于行政执法案卷")),
    Row("3.8", "3", N_("8.属于行政查询事项")),
    Row("4.1", "4", N_("1.本机关不掌握相关政府信息")),
    Row("4.2", "4", N_("2.没有现成信息需要另行制作")),
    Row("4.3", "4", N_("3.补正后申请内容仍不明确")),
    Row("5.1", "5", N_("1.信访举报投诉类申请")),
    Row("5.2", "5", N_("2.重复申请")),
    Row("5.3", "5", N_("3.要求提供公开出版物")),
    Row("5.4", "5", N_("4.无正当理由大量反复申请")),
    Row("5.5", "5", N_("5.要求行政机关确认或重新出具已获取信息")),
    Row("6.1", "6", N_("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")),
    Row("6.2", "6", N_("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")),
    Row("6.3", "6", N_("3.其他")),
)
ROW_KEYS = tuple(r.key for r in ROWS)


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str  # as the register and the 答复书 name it
    basis: str  # the article it rests on
    row: str  # the table 三 row (Row.key)
    reply: bool = True  # ended by a reply through the chain (False: a closure the office records)
    discloses: bool = False  # information is provided (予以公开, 部分公开, 已主动公开)


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("granted", N_("予以公开"), N_("第三十六条第（二）项"), "1", discloses=True),
    Outcome(
        "already_public",
        N_("已主动公开，告知获取方式和途径"),
        N_("第三十六条第（一）项"),
        "1",
        discloses=True,
    ),
    Outcome("partial", N_("部分公开（区分处理）"), N_("第三十七条"), "2", discloses=True),
    Outcome("state_secret", N_("不予公开：属于国家秘密"), N_("第十四条"), "3.1"),
    Outcome(
        "prohibited_by_law",
        N_("不予公开：其他法律行政法规禁止公开"),
        N_("第十四条"),
        "3.2",
    ),
    Outcome("three_securities", N_("不予公开：危及“三安全一稳定”"), N_("第十四条"), "3.3"),
    Outcome("third_party", N_("不予公开：保护第三方合法权益"), N_("第十五条"), "3.4"),
    Outcome("internal_affairs", N_("不予公开：属于内部事务信息"), N_("第十六条第一款"), "3.5"),
    Outcome("process_info", N_("不予公开：属于过程性信息"), N_("第十六条第二款"), "3.6"),
    Outcome("enforcement_file", N_("不予公开：属于行政执法案卷"), N_("第十六条第二款"), "3.7"),
    Outcome(
        "inquiry_matter",
        N_("不予公开：属于行政查询事项"),
        N_("第三十六条第（七）项"),
        "3.8",
    ),
    Outcome(
        "not_held",
        N_("无法提供：本机关不掌握相关政府信息"),
        N_("第三十六条第（四）项、第（五）项"),
        "4.1",
    ),
    Outcome(
        "needs_creation",
        N_("无法提供：没有现成信息需要另行制作"),
        N_("第三十八条"),
        "4.2",
    ),
    Outcome(
        "still_unclear",
        N_("无法提供：补正后申请内容仍不明确"),
        N_("第三十条"),
        "4.3",
    ),
    Outcome("petition", N_("不予处理：信访举报投诉类申请"), N_("第三十九条第一款"), "5.1"),
    Outcome("repeated", N_("不予处理：重复申请"), N_("第三十六条第（六）项"), "5.2"),
    Outcome(
        "publication",
        N_("不予处理：要求提供公开出版物"),
        N_("国办公开办函〔2021〕30号"),
        "5.3",
    ),
    Outcome(
        "excessive",
        N_("不予处理：无正当理由大量反复申请"),
        N_("第三十五条"),
        "5.4",
    ),
    Outcome(
        "confirm_or_reissue",
        N_("不予处理：要求确认或重新出具已获取信息"),
        N_("第三十九条第二款"),
        "5.5",
    ),
    Outcome(
        "correction_lapsed",
        N_("逾期不补正，不再处理"),
        N_("第三十条"),
        "6.1",
        reply=False,
    ),
    Outcome(
        "fee_unpaid",
        N_("逾期未缴纳信息处理费，不再处理"),
        N_("《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"),
        "6.2",
        reply=False,
    ),
    Outcome("other", N_("其他处理"), N_("《中华人民共和国政府信息公开条例》"), "6.3"),
)
BY_CODE = {o.code: o for o in OUTCOMES}
REPLY_TYPES = {o.code: o for o in OUTCOMES if o.reply}  # what a reply document may say
CLOSURES = {o.code: o for o in OUTCOMES if not o.reply}


def row_of(outcome: str) -> str:
    """The table 三 row an outcome is counted in; KeyError for an unknown code."""
    return BY_CODE[outcome].row
