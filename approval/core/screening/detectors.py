"""Finding 密级/restriction marks and personal data in a text. Pure functions; no Flask, no database.

Every detector runs on ``fold(text)``: full-width ASCII (０-９, Ｘ, ＋, －, ＠, ：, （）, ［］) and the
ideographic/no-break spaces become their half-width forms, one character for one, so an offset in
the folded text is the same offset in the text the reviewer sees.

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
5. it is 不得外传, which has no innocent use in a text about to be published.

Not markings: 揭开宇宙的秘密, 商业秘密保护, 内部控制制度, 党内部署, 请注意保存好缴费凭证, and the
enumeration 分为绝密、机密、秘密三级 or “绝密”“机密”“秘密”: quotation marks and 、 are not boundaries,
because a quoted or listed term is being talked about, not applied. Known gap: a mark glued to the
following title with nothing between (秘密关于…的通知) cannot be told from prose and is not found.

Personal data (high: resident ID, bank card; medium: mobile; low: e-mail)
-------------------------------------------------------------------------
- Resident ID, 18 digits, GB 11643-1999: groups 6-8-4 may be separated by a space or a dash; the
  check character (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 → 1 0 X 9 8 7 6 5 4 3 2,
  X or x) must match, the birth date must be a real date from 1900-01-01 to today, and the first two
  digits one of the province codes of GB/T 2260 (11…82, and 83 of the Taiwan residence permit).
  15 digits (before 1999): same region rule, YYMMDD read as 19YY, no check character.
- Bank card: 16-19 digits, in groups of four if separated, passing Luhn, starting with 3, 4, 5, 6,
  8 or 9 (UnionPay 62/81, Visa, Mastercard, JCB/Amex, the old 95xx cards) — numbers starting with
  0, 1, 2 or 7 are date-stamped order numbers far more often than cards.
- Mobile: 1[3-9]X + 8 digits, groups 3-4-4 separated by a space or dash or not, optionally after
  +86, 0086 or 86.
- E-mail: local@domain.tld in ASCII.
Separators between groups are one space or one dash, the same throughout the number; a tab is not
one (it separates table cells, and 6228480012345671<tab>650 is a card and an amount, not a
19-digit card). A number is never part of a longer run of digits (a digit right before or after
disqualifies it).
Each stretch of text is one kind of personal data at most, decided in the order ID, bank card,
mobile, e-mail: a valid ID that also passes Luhn is an ID, 13812345678@qq.com is a mobile.
Masked forms (110105********002X, 138****5678, z***@example.cn) contain '*' and are never found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from approval.core.screening import masking

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


_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0xA0: 0x20}
_FLAT = {ord("\n"): " ", ord("\r"): " ", ord("\t"): " "}


def fold(text: str) -> str:
    """Full-width ASCII and odd spaces to half-width, one character for one (offsets unchanged)."""
    return text.translate(_FOLD)


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
    if line_is_marks(start):
        return end, "整行为密级标注"
    if folded[start:end] == "不得外传":
        return end, "限制传播用语"
    return None


def find_marks(text: str, folded: str | None = None) -> list[Finding]:
    folded = fold(text) if folded is None else folded
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
                    match.start(),
                    end,
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
    return 16 <= len(digits) <= 19 and digits[0] in "345689" and luhn_ok(digits)


def find_personal_data(text: str, folded: str | None = None) -> list[Finding]:
    folded = fold(text) if folded is None else folded
    claimed = bytearray(len(folded))
    found = []

    def claim(kind, severity, start, end, masked, detail):
        if any(claimed[start:end]):
            return
        claimed[start:end] = b"\x01" * (end - start)
        found.append(make_finding(kind, severity, text, start, end, masked, detail))

    today = date.today()
    for pattern, detail in ((_ID18_RE, "GB 11643 校验通过"), (_ID15_RE, "15位旧身份证号")):
        for m in pattern.finditer(folded):
            if is_resident_id(m.group(), today):
                claim("resident_id", HIGH, *m.span(), masking.mask_resident_id(m.group()), detail)
    for m in _CARD_RE.finditer(folded):
        if _is_bank_card(m.group()):
            claim("bank_card", HIGH, *m.span(), masking.mask_bank_card(m.group()), "Luhn 校验通过")
    for m in _MOBILE_RE.finditer(folded):
        claim(
            "mobile",
            MEDIUM,
            *m.span(),
            masking.mask_mobile(m.group(2), m.group(1) or ""),
            "手机号码",
        )
    for m in _EMAIL_RE.finditer(folded):
        claim("email", LOW, *m.span(), masking.mask_email(m.group()), "电子邮箱")
    return found
