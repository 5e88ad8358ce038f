"""Finding 密级/restriction marks and personal data in a text. Pure functions; no Flask, no database.

Every detector runs on ``normalise(text).text`` (``approval.core.screening.normalised``): full-width
ASCII (０-９, Ｘ, ＋, －, ＠, ：, （）, ［］), other decimal digits and the odd spaces become their
half-width forms, and zero-width and other invisible characters (U+200B-U+200D, U+2060, U+FEFF,
the soft hyphen U+00AD, …) are dropped, so 秘密★1年 or 13812345678 with a zero-width space
inside are found. Every finding is reported at its offsets in the text as given:
``text[start:end]`` is the text the reviewer sees, invisible characters inside the match included,
and masking replaces exactly that.

密级 and restriction marks
--------------------------
The terms are 秘密, 机密, 绝密 (severity high) and 内部, 内部资料, 注意保存, 不得外传 (medium). A
*marking* is set apart from the running text; a word in prose is glued to the words around it
(Chinese prose has no spaces). A term is a marking when any of these holds:

1. it is followed by ★ or ☆, optionally after spaces and with a 保密期限: 机密★10年, 秘密★1年,
   绝密★长期, 秘密★2030年12月31日, 机密 ★; or by * and a 保密期限 (秘密*1年, typed without ★ at
   hand — a bare * may be a footnote: 商业秘密*);
2. it fills a 密级 field: 密级：秘密, 密 级 机密, 保密等级: 内部;
3. it stands apart on both sides: on its left the start of the text or a line, white space, a
   bracket ( ) [ ] 【 】 〔 〕 〖 〗 or a colon; on its right the end of the text or a line, white
   space, a bracket, or a 文号 such as 县政发〔2024〕3号 (机密 县政发〔2024〕3号). This covers a mark on a
   line of its own, in a header row ("000123  秘密  特急"), and 【内部资料】注意保存, （内部）;
4. its line holds nothing but marks and punctuation: "内部资料，注意保存";
5. it is 不得外传, which has no innocent use in a text about to be published;
6. it is 绝密, 机密 or 秘密 with the rule 3 boundary on its left and glued to the title that
   follows: directly to 关于 (秘密关于做好…的通知), to an issuer and 关于 (绝密县人民政府办公室关于
   印发…的通知), or to a line without punctuation that ends in a document type (机密2024年第3次常务
   会议纪要; the types: 通知 通报 决定 决议 意见 报告 请示 批复 函 纪要 方案 预案 办法 规定 细则
   规划 计划 要点 公告 通告 公报 文件). Not when the next word makes the term the subject of the
   title: 级, 文件, 载体, 事项, 信息, 资料, 数据, 等级, 期限, 范围, 程度, 标志, 标识, 工作, 管理,
   保护, 的, 地, 和, 与, 及, 或, 等 (秘密文件管理办法, 机密载体管理规定, 绝密级…).

Not markings: 揭开宇宙的秘密, 商业秘密保护, 内部控制制度, 党内部署, 请注意保存好缴费凭证, and the
enumeration 分为绝密、机密、秘密三级 or “绝密”“机密”“秘密”: quotation marks and 、 are not boundaries,
because a quoted or listed term is being talked about, not applied. Still not found: a mark glued
to a title that has neither 关于 nor a document type at its end (秘密县防汛物资清单), and 内部 or
内部资料 glued to a title (内部 is too common a word at the start of a line); a title about
secrecy whose first word is not in the rule 6 list (秘密会议纪要) is reported.

Personal data (high: resident ID, bank card; medium: mobile; low: e-mail)
-------------------------------------------------------------------------
- Resident ID, 18 digits, GB 11643-1999: groups 6-8-4 may be separated by a space or a dash; the
  check character (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 → 1 0 X 9 8 7 6 5 4 3 2,
  X or x) must match, the birth date must be a real date from 1900-01-01 to today, and the first two
  digits one of the province codes of GB/T 2260 (11…82, and 83 of the Taiwan residence permit).
  15 digits (before 1999): same region rule, YYMMDD read as 19YY, no check character.
- Bank card: 16-19 digits, in groups of four if separated, passing Luhn, starting with 3, 4, 5, 6,
  81 or 9 (UnionPay 62/81, Visa, Mastercard, JCB/Amex, the old 95xx cards), or Mastercard's
  2-series 2221-2720 with 16 digits. Other numbers starting with 0, 1, 2 or 7 are date-stamped
  order numbers far more often than cards (2024031500012342 passes Luhn), and other 8s are
  extension numbers (8012 8013 8014 8015 passes Luhn).
- Mobile: 1[3-9]X + 8 digits, groups 3-4-4 separated by a space or dash or not, optionally after
  +86, 0086 or 86.
- E-mail: local@domain.tld in ASCII.
Separators between groups are one space or one dash, the same throughout the number; a tab is not
one (it separates table cells, and 6228480012345671<tab>650 is a card and an amount, not a
19-digit card). A number is never part of a longer run of digits (a digit right before or after
disqualifies it).

Numbers written apart (``_written_apart``): digit groups joined by one and the same separator — a
space; a dash - ‐ ‑ ‒ – — ― − ﹣ －; or a dot . · ․ ‧ ・ ･ ．; a dash or dot with one space either
side or not, as long as it is the same every time — are one number when the separators stand
where that kind of number is grouped and the digits pass the same checks as above:
- 18-digit ID: 6-8-4 (110105.19491231.002X), 6-8-3-1, 6-4-4-4 (110105-1949-1231-002X),
  3-3-4-4-4, or in fours (1101 0519 4912 3100 2X). Not at every field boundary: a table row
  "8343 13 1998 10 13 4500" holds a date where an ID has its birth date, and passes the check
  character one time in eleven;
- 15-digit ID: 6-6-3; bank card: in fours (6222.0212.3456.7890.128); mobile: 3-4-4 (138.1234.5678,
  138 – 1234 – 5678), after +86, 0086 or 86 and any one separator;
- any of them with one separator between every two digits (1 3 8 1 2 3 4 5 6 7 8).
The groups must stop at the end of the digits, or, when their separator is a dash or dot, at a
single space (a table row 110105.19491231.002X 138.1234.5678). A stretch that goes on with another
separator is part of something else and is not joined (0571-1312249 2017, 1999.12.31-1234.5678,
13.8 12.3 45.6 78), nor are two spaces, a tab or a separator mixed into one number
(138-1234 5678). Dates and amounts (2024 12 3, 2024.12.31, 1,234.56) have the wrong length or
grouping.
Each stretch of text is one kind of personal data at most, decided in the order ID, bank card,
mobile, e-mail: a valid ID that also passes Luhn is an ID, 13812345678@qq.com is a mobile.
Masked forms (110105********002X, 138****5678, z***@example.cn) contain '*' and are never found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from approval.core.screening import masking
from approval.core.screening.normalised import Normalised, fold, normalise

HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITIES = (HIGH, MEDIUM, LOW)
KINDS = (
    "secrecy_mark",
    "resident_id",
    "mobile",
    "bank_card",
    "email",
    "sensitive_word",
    "unreadable",
)
PERSONAL_DATA_KINDS = frozenset({"resident_id", "mobile", "bank_card", "email"})
CONTEXT_CHARS = 20


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    severity: str  # "high" | "medium" | "low"
    start: int  # offsets in the screened text: text[start:end] == self.text
    end: int
    text: str  # the matched text as it appears
    context: str  # ~20 characters either side, line breaks shown as spaces
    masked: str | None  # the form to publish instead (personal data only), else None
    detail: str = ""  # the word list category, or why it matched


_FLAT = {ord("\n"): " ", ord("\r"): " ", ord("\t"): " "}


def make_finding(
    kind: str,
    severity: str,
    text: str,
    start: int,
    end: int,
    masked: str | None = None,
    detail: str = "",
) -> Finding:
    context = text[max(0, start - CONTEXT_CHARS) : end + CONTEXT_CHARS].translate(_FLAT)
    return Finding(kind, severity, start, end, text[start:end], context, masked, detail)


def unreadable(source: str, reason: str) -> Finding:
    """An attachment whose text cannot be extracted: it may hold anything, so a person must read it.
    High, so that sign-off needs the reviewer's written confirmation (the override reason)."""
    return Finding(
        "unreadable", HIGH, 0, 0, source, reason, None, f"无法读取，需人工审查：{reason}"
    )


# ---- 密级 and restriction marks -------------------------------------------------------------

_MARK_SEVERITY = {
    "绝密": HIGH,
    "机密": HIGH,
    "秘密": HIGH,
    "内部资料": MEDIUM,
    "内部": MEDIUM,
    "注意保存": MEDIUM,
    "不得外传": MEDIUM,
}
_TERMS = "绝密|机密|秘密|内部资料|内部|注意保存|不得外传"  # longest first: 内部资料 before 内部
_TERM_RE = re.compile(_TERMS)
_PERIOD = r"[ \t]*(?:长期|\d{4}年\d{1,2}月\d{1,2}日|\d{1,3}[ \t]*(?:个月|年))"
_STAR = rf"[ \t]*(?:[★☆](?:{_PERIOD})?|\*{_PERIOD})"
_STAR_RE = re.compile(_STAR)
_FIELD_RE = re.compile(r"(?:密[ \t]*级|保密等级)[ \t]*:?[ \t]*\Z")
_DOC_NO_RE = re.compile(r"[ \t]*[\u4e00-\u9fff]{1,12}[\[(〔【]\d{4}[\])〕】]第?\d{1,5}号")
_MARK_LINE_RE = re.compile(rf"(?:(?:{_TERMS})(?:{_STAR})?[\s,、;。.·]*)+")
_BRACKETS = frozenset("()[]{}【】〔〕〖〗")
# rule 6: 绝密/机密/秘密 glued to the title that follows it
_LEVELS = frozenset({"绝密", "机密", "秘密"})
_ABOUT_SECRECY = (  # the term is the title's subject: 秘密文件管理办法, 机密载体管理规定
    "级|文件|载体|事项|信息|资料|数据|等级|期限|范围|程度|标志|标识|工作|管理|保护|的|地|和|与|及|或|等"
)
_TITLE_CHAR = r"[^\s。,;:!?、\"“”‘’《》]"
_ISSUER = "人民政府|政府|委员会|办公室|办公厅|局|厅|委|院|部|会|中心|领导小组|指挥部|公司"
_DOC_TYPE = (
    "通知|通报|决定|决议|意见|报告|请示|批复|函|纪要|方案|预案|办法|规定|细则|规划|计划|要点"
    "|公告|通告|公报|文件"
)
_GLUED_TITLE_RE = re.compile(
    rf"(?!{_ABOUT_SECRECY})(?:关于|{_TITLE_CHAR}{{1,30}}?(?:{_ISSUER})关于"
    rf"|{_TITLE_CHAR}{{2,40}}?(?:{_DOC_TYPE})[ \t)\]】〕]*(?:\n|\Z))"
)


def _why_marking(folded: str, start: int, end: int, line_is_marks) -> tuple[int, str] | None:
    """(end of the mark, reason) if the term at start:end is a marking, else None."""
    star = _STAR_RE.match(folded, end)
    if star:
        return star.end(), "带★标志"
    if _FIELD_RE.search(folded, max(0, start - 12), start):
        return end, "密级栏"
    before = folded[start - 1] if start else "\n"
    after = folded[end] if end < len(folded) else "\n"
    if before.isspace() or before in _BRACKETS or before == ":":
        if after.isspace() or after in _BRACKETS:
            return end, "单独标注"
        if _DOC_NO_RE.match(folded, end):
            return end, "位于文号前"
        if folded[start:end] in _LEVELS and _GLUED_TITLE_RE.match(folded, end):
            return end, "紧接标题"
    if line_is_marks(start):
        return end, "整行为密级标注"
    if folded[start:end] == "不得外传":
        return end, "限制传播用语"
    return None


def find_marks(text: str, normalised: Normalised | None = None) -> list[Finding]:
    """The marks in ``text``; ``normalised`` is normalise(text) if already at hand."""
    normalised = normalise(text) if normalised is None else normalised
    folded = normalised.text
    lines: dict[int, bool] = {}

    def line_is_marks(position: int) -> bool:
        line_start = folded.rfind("\n", 0, position) + 1
        if line_start not in lines:
            line_end = folded.find("\n", position)
            line = folded[line_start : line_end if line_end >= 0 else len(folded)].strip()
            lines[line_start] = _MARK_LINE_RE.fullmatch(line) is not None
        return lines[line_start]

    found = []
    for match in _TERM_RE.finditer(folded):
        why = _why_marking(folded, match.start(), match.end(), line_is_marks)
        if why:
            end, reason = why
            found.append(
                make_finding(
                    "secrecy_mark",
                    _MARK_SEVERITY[match.group()],
                    text,
                    *normalised.span(match.start(), end),
                    None,
                    reason,
                )
            )
    return found


# ---- personal data ------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PROVINCES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
        71,
        81,
        82,
        83,
    }
)
# groups may be separated by one space or dash, the same throughout (a tab separates table cells)
_ID18_RE = re.compile(r"(?<!\d)\d{6}([ -]?)\d{8}\1\d{3}[\dXx](?![\dXx])")
_ID15_RE = re.compile(r"(?<!\d)\d{6}([ -]?)\d{6}\1\d{3}(?![\dXx])")
_CARD_RE = re.compile(r"(?<!\d)\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?(?![\dXx])")
_MOBILE_RE = re.compile(r"(?<![\d+])((?:\+|00)?86[ -]?)?(1[3-9]\d([ -]?)\d{4}\3\d{4})(?!\d)")
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
    r"(?![A-Za-z0-9-])"
)
_NON_ID = re.compile(r"[^0-9X]")


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def _born(year: int, month: int, day: int, today: date) -> bool:
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= today


def is_resident_id(number: str, today: date | None = None) -> bool:
    """True for a plausible 18- or 15-digit resident ID (separators and full-width allowed)."""
    digits = _NON_ID.sub("", fold(number).upper())
    today = today or date.today()
    if len(digits) == 18 and "X" not in digits[:17]:
        return (
            int(digits[:2]) in _PROVINCES
            and id_check_char(digits[:17]) == digits[17]
            and _born(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]), today)
        )
    if len(digits) == 15 and digits.isdigit():
        return int(digits[:2]) in _PROVINCES and _born(
            1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]), today
        )
    return False


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _is_bank_card(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if not 16 <= len(digits) <= 19 or not luhn_ok(digits):
        return False
    if digits[0] == "2":  # Mastercard's 2-series, 16 digits
        return len(digits) == 16 and 2221 <= int(digits[:4]) <= 2720
    return digits[0] in "34569" or digits[:2] == "81"


# ---- numbers written apart ------------------------------------------------------------------

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"  # - ‐ ‑ ‒ – — ― − ﹣ (－ is folded)
_DOTS = ".\u00b7\u2024\u2027\u30fb\uff65"  # . · ․ ‧ ・ ･ (． is folded)
_JOINT = rf"(?: ?[{re.escape(_DASHES + _DOTS)}] ?| )"
_JOINT_RE = re.compile(_JOINT)
# digit groups with at least one separator between them, an X at the end (the ID's check character)
_RUN_RE = re.compile(rf"(?<![0-9])[0-9]+(?:(?:{_JOINT}[0-9]+)+(?:{_JOINT}?[Xx])?|{_JOINT}[Xx])")
_ID18_SPLITS = frozenset(  # how an 18-digit ID is written apart: exactly one of these
    frozenset(splits)
    for splits in (
        {6, 14},  # 110105 19491231 002X
        {6, 14, 17},  # 110105 19491231 002 X
        {6, 10, 14},  # 110105 1949 1231 002X
        {3, 6, 10, 14},  # 110 105 1949 1231 002X
        {4, 8, 12, 16},  # 1101 0519 4912 3100 2X, in fours like a card
    )
)
_MOBILE_DIGITS = re.compile(r"1[3-9][0-9]{9}")


def _joint(joint: str) -> str:
    """A separator as compared: every dash is "-", every dot ".", spaces around them kept."""
    mark = joint.strip(" ")
    if not mark:
        return " "
    return joint.replace(mark, "-" if mark in _DASHES else ".")


@dataclass(frozen=True)
class _Apart:
    """Digit groups joined by one and the same separator: "138.1234.5678", "110105 19491231 002X"."""

    start: int
    end: int
    digits: str  # the groups run together, X upper-case
    splits: frozenset[int]  # digit counts before each separator
    prefix: tuple[int, str] | None  # after a country prefix: (its start, "+86", "0086" or "86")

    def split_as(self, kind: str) -> bool:
        """Whether the separators stand where they do in a number of ``kind`` written apart."""
        length = len(self.digits)
        if len(self.splits) == length - 1:  # one between every two digits: 1 3 8 1 2 3 4 …
            return True
        if kind == "resident_id":
            return self.splits == {6, 12} if length == 15 else self.splits in _ID18_SPLITS
        if kind == "bank_card":
            return self.splits == set(range(4, length, 4))
        return self.splits == {3, 7}  # mobile


def _written_apart(folded: str) -> list[_Apart]:
    """The numbers written apart: digit groups joined by one and the same separator (a space, a
    dash or a dot, the dash or dot with or without a space either side). Such a stretch is a
    candidate only where it stops at the end of the digits, or at a single space while its own
    separator is a dash or dot (110105.19491231.002X 138.1234.5678, a table row); stopping at any
    other separator (0571-1312249 2017, 1999.12.31-1234.5678) it is part of something else.
    Stretches without a separator are left to the plain patterns. A first group 86 or 0086
    (+86) is also tried as the country prefix of the stretch after it."""
    found = []

    def add(groups, first, last, prefix):
        digits, splits = "", set()
        for group_start, group_end in groups[first : last + 1]:
            if digits:
                splits.add(len(digits))
            digits += folded[group_start:group_end]
        found.append(
            _Apart(groups[first][0], groups[last][1], digits.upper(), frozenset(splits), prefix)
        )

    for run in _RUN_RE.finditer(folded):
        matches = list(_JOINT_RE.finditer(folded, run.start(), run.end()))
        joints = [_joint(m.group()) for m in matches]
        edges = [run.start(), *(p for m in matches for p in m.span()), run.end()]
        groups = [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]
        head = folded[slice(*groups[0])]
        if head in ("86", "0086") and len(joints) >= 2:  # +86 138.1234.5678, 0086-138 1234 5678
            last = 2
            while last < len(joints) and joints[last] == joints[1]:
                last += 1
            if last == len(joints):
                plus = run.start() > 0 and folded[run.start() - 1] == "+"
                add(groups, 1, last, (run.start() - plus, "+86" if plus else head))
        first = 0
        for last in range(1, len(joints) + 1):
            if last < len(joints) and joints[last] == joints[first]:
                continue
            # groups[first..last], joined by joints[first..last-1], all the same
            own = joints[first]
            stops = [joints[i] for i in (first - 1, last) if 0 <= i < len(joints)]
            if all(stop == " " != own for stop in stops):
                add(groups, first, last, None)
            first = last
    return found


def find_personal_data(text: str, normalised: Normalised | None = None) -> list[Finding]:
    """IDs, bank cards, mobiles and e-mail addresses in ``text``; ``normalised`` is
    normalise(text) if already at hand."""
    normalised = normalise(text) if normalised is None else normalised
    folded = normalised.text
    claimed = bytearray(len(folded))
    found = []
    apart = _written_apart(folded)

    def claim(kind, severity, start, end, masked, detail):
        if any(claimed[start:end]):
            return
        claimed[start:end] = b"\x01" * (end - start)
        found.append(
            make_finding(kind, severity, text, *normalised.span(start, end), masked, detail)
        )

    today = date.today()
    for pattern, detail in ((_ID18_RE, "GB 11643 校验通过"), (_ID15_RE, "15位旧身份证号")):
        for m in pattern.finditer(folded):
            if is_resident_id(m.group(), today):
                claim("resident_id", HIGH, *m.span(), masking.mask_resident_id(m.group()), detail)
    for number in apart:
        if number.split_as("resident_id") and is_resident_id(number.digits, today):
            detail = "GB 11643 校验通过" if len(number.digits) == 18 else "15位旧身份证号"
            masked = masking.mask_resident_id(number.digits)
            claim("resident_id", HIGH, number.start, number.end, masked, detail)
    for m in _CARD_RE.finditer(folded):
        if _is_bank_card(m.group()):
            claim("bank_card", HIGH, *m.span(), masking.mask_bank_card(m.group()), "Luhn 校验通过")
    for number in apart:
        if (
            number.digits.isdigit()
            and _is_bank_card(number.digits)
            and number.split_as("bank_card")
        ):
            masked = masking.mask_bank_card(number.digits)
            claim("bank_card", HIGH, number.start, number.end, masked, "Luhn 校验通过")
    for m in _MOBILE_RE.finditer(folded):
        claim(
            "mobile",
            MEDIUM,
            *m.span(),
            masking.mask_mobile(m.group(2), m.group(1) or ""),
            "手机号码",
        )
    for number in apart:
        if _MOBILE_DIGITS.fullmatch(number.digits) and number.split_as("mobile"):
            start, head = number.prefix or (number.start, "")
            masked = masking.mask_mobile(number.digits, head)
            claim("mobile", MEDIUM, start, number.end, masked, "手机号码")
    for m in _EMAIL_RE.finditer(folded):
        claim("email", LOW, *m.span(), masking.mask_email(m.group()), "电子邮箱")
    return found
