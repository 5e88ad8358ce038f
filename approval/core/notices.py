"""公示 (public notices): the 公示期 of an item, and taking its personal data down afterwards.

Pure Python, no Flask, no database (approval/notices/ holds the operations and the job).

A 公示 names people (a 低保, 临时救助 or 惠农补贴 list: names, villages, amounts, often resident
IDs). Once its 公示期 and the retention after it (``NOTICE_RETENTION_DAYS``) have passed, the
personal data must leave the portal (个人信息保护法: kept no longer than its purpose needs).

The screening detectors (core/screening) find resident IDs, mobiles, bank cards and e-mails and
mask them; they never find a *name*. ``names_in`` adds what a 公示 needs for that, and nothing
else: a name is taken from a text when

- it follows a label and a colon (姓名：张三, 户主姓名: 李四, 申请人：王五);
- it stands alone between separators (a table cell, a list "张三、李四", a column of a .txt)
  and begins with one of the common surnames below; or
- it stands alone right before personal data on the same line ("赵六 110105…", a rare surname).

Every occurrence of every name found, anywhere in the item, is then masked ("张*", "欧阳**"), so
that a name listed once in a table is masked in the prose too. What this cannot find (a name in
running prose that is listed nowhere, with a surname outside the list) stays: docs/public-notices.md
says so, and the attachments, which masking cannot reach inside for names, are withdrawn when a
name is left in their masked copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from approval.core.errors import InvalidInput
from approval.core.msgids import N_

# the state of a 公示 on a given day (the portal's badge)
UPCOMING, RUNNING, ENDED = "upcoming", "running", "ended"

STATUS_LABELS = {UPCOMING: N_("公示未开始"), RUNNING: N_("公示中"), ENDED: N_("公示已结束")}

# how an objection reached the body (the log of objections, notices/operations.py)
OBJECTION_CHANNELS = {
    "phone": N_("来电"),
    "letter": N_("来信"),
    "visit": N_("来访"),
    "online": N_("网上留言"),
    "other": N_("其他"),
}

# what became of each attachment of the public version at the take-down
KEPT, MASKED, WITHDRAWN = "kept", "masked", "withdrawn"

# the ~120 commonest single-character surnames and the compound ones still in use
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范石廖贾夏韦付傅邹孟熊秦邱尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚"
    "邵覃戴莫孔汤严武常牛温芦葛伍康施樊殷庞耿倪翟柳鲁岳欧齐祝安邢季裴申聂焦单"
)
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "夏侯",
    "长孙",
    "宇文",
    "司徒",
    "端木",
)
# words a 公示 table or text holds that look like a surname and a given name but are not one
NOT_NAMES = frozenset(
    {
        "金额",
        "方式",
        "方案",
        "高龄",
        "石料",
        "常住",
        "温馨",
        "安全",
        "安置",
        "史料",
        "黄金",
        "汤圆",
        "康复",
        "龙头",
        "单位",
        "单价",
        "单人",
        "齐全",
        "任务",
        "任期",
        "于是",
        "林地",
        "林业",
        "田地",
        "程序",
        "周期",
        "周岁",
        "严格",
        "严重",
        "武装",
        "申请",
        "申报",
        "季度",
        "孔洞",
        "陆地",
        "余额",
        "何时",
        "马上",
        "常年",
        "韦编",
    }
)
# the last character of a place or of a label, never of a name in a 公示 (李家村, 联系电话, 身份证号)
NOT_NAME_ENDINGS = frozenset("村组镇乡街区县市省路号码话址证名户机箱卡行费款元额")
_HAN = "\u4e00-\u9fff"
_LABEL = re.compile(rf"(?:姓\s*名|户\s*主|申请人|联系人|监护人|反映人)\s*[:：]\s*([{_HAN}]{{2,4}})")
# what stands between the cells of a row or the names of a list
_SEPARATORS = r"\s,，、;；:：|/\\（）()【】\[\]\"“”'‘’。.·•—\-"
_TOKEN = re.compile(rf"(?<![{_HAN}])([{_HAN}]{{2,4}})(?![{_HAN}])")
_BEFORE = re.compile(rf"(?<![{_HAN}])([{_HAN}]{{2,4}})[{_SEPARATORS}]*$")


@dataclass(frozen=True)
class Period:
    """A 公示期 and where objections go; all None: the item is no 公示."""

    starts_on: date | None
    ends_on: date | None
    objection_channel: str | None


def check_period(starts_on: date | None, ends_on: date | None, channel: str | None) -> Period:
    """Both dates or neither; the end not before the start; the channel for 异议 with a 公示期
    (a 公示 must say where to object), and none without one."""
    channel = (channel or "").strip() or None
    if starts_on is None and ends_on is None:
        if channel:
            raise InvalidInput("填写异议反映渠道时，请同时填写公示期", "notice_starts_on")
        return Period(None, None, None)
    if starts_on is None:
        raise InvalidInput("请填写公示开始日期", "notice_starts_on")
    if ends_on is None:
        raise InvalidInput("请填写公示结束日期", "notice_ends_on")
    if ends_on < starts_on:
        raise InvalidInput("公示结束日期不能早于开始日期", "notice_ends_on")
    if not channel:
        raise InvalidInput("请填写异议反映渠道（如受理部门和电话）", "objection_channel")
    return Period(starts_on, ends_on, channel)


def status(starts_on: date | None, ends_on: date | None, today: date) -> str | None:
    """UPCOMING, RUNNING or ENDED on ``today``; None when there is no 公示期."""
    if starts_on is None or ends_on is None:
        return None
    if today < starts_on:
        return UPCOMING
    return RUNNING if today <= ends_on else ENDED


def take_down_on(ends_on: date, retention_days: int) -> date:
    """The first day the personal data must be off the portal: the day after the end plus the
    retention (0 days: the day after the 公示期)."""
    return ends_on + timedelta(days=max(retention_days, 0) + 1)


def is_due(ends_on: date | None, retention_days: int, today: date) -> bool:
    return ends_on is not None and today >= take_down_on(ends_on, retention_days)


def _could_be_name(token: str) -> bool:
    if token in NOT_NAMES or token[-1] in NOT_NAME_ENDINGS:
        return False
    return len(token) in ((3, 4) if token[:2] in COMPOUND_SURNAMES else (2, 3))


def _is_name(token: str) -> bool:
    return _could_be_name(token) and (token[0] in SURNAMES or token[:2] in COMPOUND_SURNAMES)


def names_in(texts: Iterable[str], personal_starts: Iterable[Iterable[int]] = ()) -> set[str]:
    """The names found in ``texts`` by the three rules of the module's docstring.
    ``personal_starts``: for each text, the offsets where screening found personal data."""
    found: set[str] = set()
    starts_per_text = list(personal_starts)
    for index, text in enumerate(texts):
        text = text or ""
        found.update(m.group(1) for m in _LABEL.finditer(text) if _could_be_name(m.group(1)))
        found.update(t for t in (m.group(1) for m in _TOKEN.finditer(text)) if _is_name(t))
        for start in starts_per_text[index] if index < len(starts_per_text) else ():
            line = text[:start].rsplit("\n", 1)[-1]
            before = _BEFORE.search(line)
            if before and _could_be_name(before.group(1)):
                found.add(before.group(1))
    return found


def masked_name(name: str) -> str:
    """张三 → 张*, 王小明 → 王**, 欧阳娜娜 → 欧阳**."""
    kept = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:kept] + "*" * (len(name) - kept)


def mask_names(text: str, names: Iterable[str]) -> tuple[str, int]:
    """``text`` with every occurrence of the names masked (longest first), and how many."""
    ordered = sorted(set(names), key=len, reverse=True)
    if not text or not ordered:
        return text or "", 0
    pattern = re.compile("|".join(re.escape(n) for n in ordered))
    count = len(pattern.findall(text))
    return pattern.sub(lambda m: masked_name(m.group(0)), text), count


def names_left(text: str, names: Iterable[str]) -> set[str]:
    """The names still present in ``text`` (a masked copy of an attachment, read again)."""
    return {n for n in names if n in (text or "")}
