"""Reading the State Council's holiday notice (国务院办公厅关于××××年部分节假日安排的通知) as
pasted by the system admin: the days off (放假) and the make-up working days (上班) of one year.

The notice reads, item by item::

    一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月4日（周一）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

``parse_notice(text, year)`` normalises the text (NFKC: full-width digits, colons and brackets),
drops what is in brackets (weekdays, lunar dates), cuts it into sentences, and reads in each
sentence that says 放假 or 上班 the dates: "M月D日", a day alone taking the month before it,
ranges with 至/到/-/~ (across months: "9月30日至10月7日"; a December start before a January end
is in the year before, as in "12月30日至1月1日"), and lists with "、", "，" or "和". A sentence
that says "共N天" must give N days off. The item's heading (元旦, 春节, …) names the days.

Anything that cannot be read is refused (``InvalidInput`` on the field ``notice``, a msgid and
its parameters), never guessed. Pure Python: no Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from approval.core.errors import InvalidInput

MAX_TEXT_CHARS = 5000
MAX_RANGE_DAYS = 31
FIELD = "notice"  # the form's field that refusals name

_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_HEADING = re.compile(r"(?:^|\n)\s*[一二三四五六七八九十]+\s*[、.]\s*([^:：\n]{1,12}?)\s*:")
_SENTENCE = re.compile(r"[^。;；\n]+")
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日")
_RANGE = re.compile(r"^\s*(?:至|到|-|~|—|–)+\s*$")
_LIST = re.compile(r"^\s*(?:、|,|和|及)?\s*$")
_TOTAL = re.compile(r"共\s*(\d+)\s*天")
_NOTICE_YEAR = re.compile(r"关于\s*(\d{4})\s*年")
_REFERENCE = re.compile(r"国办发明电\s*〔\s*\d{4}\s*〕\s*\d+\s*号")


@dataclass(frozen=True)
class NoticeDay:
    day: date
    is_working_day: bool
    holiday: str  # the item's heading: 元旦, 春节 … ("" when the text has none)


@dataclass(frozen=True)
class Notice:
    year: int
    days: tuple[NoticeDay, ...]  # by date
    reference: str = ""  # 国办发明电〔2026〕×号, when the text names it

    @property
    def days_off(self) -> list[NoticeDay]:
        return [d for d in self.days if not d.is_working_day]

    @property
    def working_days(self) -> list[NoticeDay]:
        return [d for d in self.days if d.is_working_day]


def parse_notice(text: str, year: int) -> Notice:
    raw = unicodedata.normalize("NFKC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    if not raw.strip():
        raise InvalidInput("请粘贴国务院办公厅通知的正文", FIELD)
    if len(raw) > MAX_TEXT_CHARS:
        raise InvalidInput("通知正文不能超过 %(max)s 字", FIELD, max=MAX_TEXT_CHARS)
    reference = _REFERENCE.search(raw)
    stated = _NOTICE_YEAR.search(raw)
    if stated and int(stated.group(1)) != year:
        raise InvalidInput(
            "粘贴的是 %(stated)s 年的通知，所选年份是 %(year)s 年",
            FIELD,
            stated=int(stated.group(1)),
            year=year,
        )
    text = _BRACKETS.sub("", raw.replace("〔", "[").replace("〕", "]"))
    found: dict[date, NoticeDay] = {}
    for holiday, body in _items(text):
        for sentence in _SENTENCE.findall(body):
            _read_sentence(sentence, holiday, year, found)
    if not found:
        raise InvalidInput(
            "未能从粘贴的文字中识别出放假或上班日期，请粘贴通知中“一、元旦：1月1日至3日放假调休，共3天。”这样的条目",
            FIELD,
        )
    days = tuple(found[d] for d in sorted(found))
    return Notice(year, days, reference.group(0).replace(" ", "") if reference else "")


def _items(text: str) -> list[tuple[str, str]]:
    """The text cut at the items' headings ("一、元旦："): (heading, text) pairs."""
    marks = list(_HEADING.finditer(text))
    if not marks:
        return [("", text)]
    items = [("", text[: marks[0].start()])]
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following else len(text)
        items.append((mark.group(1).strip(), text[mark.end() : end]))
    return items


def _read_sentence(sentence: str, holiday: str, year: int, found: dict[date, NoticeDay]) -> None:
    working = "上班" in sentence
    off = "放假" in sentence or "休息" in sentence
    dates = list(_DATE.finditer(sentence))
    if not (working or off):
        return
    if working and off and dates:
        # "1月1日至3日放假，1月4日上班" in one sentence: read each half
        cut = sentence.index("放假") if "放假" in sentence else sentence.index("休息")
        if cut < sentence.index("上班"):
            first, rest = sentence[: cut + 2], sentence[cut + 2 :]
            _read_sentence(first, holiday, year, found)
            _read_sentence(rest, holiday, year, found)
            return
        raise InvalidInput(
            "无法判断这句中的日期是放假还是上班：%(text)s", FIELD, text=sentence.strip()
        )
    if not dates:
        if re.search(r"\d", sentence) and "月" in sentence:
            raise InvalidInput("无法识别这句中的日期：%(text)s", FIELD, text=sentence.strip())
        return
    days = _dates(sentence, dates, year)
    total = _TOTAL.search(sentence)
    if off and total and int(total.group(1)) != len(days):
        raise InvalidInput(
            "“%(text)s”写明共 %(total)s 天，识别出的是 %(n)s 天，请核对",
            FIELD,
            text=sentence.strip(),
            total=int(total.group(1)),
            n=len(days),
        )
    for day in days:
        known = found.get(day)
        if known is not None and known.is_working_day != working:
            raise InvalidInput("%(day)s 既写为放假又写为上班，请核对", FIELD, day=day.isoformat())
        found[day] = NoticeDay(day, working, holiday)


def _dates(sentence: str, matches: list[re.Match], year: int) -> list[date]:
    """The days of one sentence: single dates, ranges and lists, in the order written."""
    days: list[date] = []
    month, previous, previous_end = None, None, 0
    pending_range = False
    for match in matches:
        between = sentence[previous_end : match.start()]
        if previous is not None:
            if _RANGE.match(between):
                pending_range = True
            elif not _LIST.match(between):
                raise InvalidInput("无法识别这句中的日期：%(text)s", FIELD, text=sentence.strip())
        stated_year, stated_month, day_number = match.groups()
        month = int(stated_month) if stated_month else month
        if month is None:
            raise InvalidInput("无法识别这句中的日期：%(text)s", FIELD, text=sentence.strip())
        day = _day(int(stated_year) if stated_year else year, month, int(day_number), sentence)
        if pending_range:
            first = previous
            if day < first and not stated_year and first.month == 12 and day.month == 1:
                first = _day(year - 1, 12, first.day, sentence)  # "12月30日至1月1日"
                days[-1] = first
            if day < first or (day - first).days >= MAX_RANGE_DAYS:
                raise InvalidInput(
                    "无法识别这句中的日期范围：%(text)s", FIELD, text=sentence.strip()
                )
            days.extend(first + timedelta(days=i) for i in range(1, (day - first).days + 1))
            pending_range = False
        else:
            days.append(day)
        previous, previous_end = day, match.end()
    if pending_range or re.match(r"\s*(?:至|到|-|~|—|–)", sentence[previous_end:]):
        # "1月1日至三日": a range whose end is not a date read here
        raise InvalidInput("无法识别这句中的日期范围：%(text)s", FIELD, text=sentence.strip())
    return sorted(set(days))


def _day(year: int, month: int, day: int, sentence: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(
            "日期无效：%(year)s年%(month)s月%(day)s日（%(text)s）",
            FIELD,
            year=year,
            month=month,
            day=day,
            text=sentence.strip(),
        ) from None
