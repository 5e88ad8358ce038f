"""Reading the pasted holiday notice (core/holiday_notice.py): a realistic notice, full-width
digits, ranges across months and years, lists, and clear refusals.

The notice below follows the pattern of the real 2026 notice (国务院办公厅关于2026年部分节假日
安排的通知, 国办发明电〔2025〕7号: items "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。
1月4日（周日）上班。" …). Its 2027 dates are invented test input, not the State Council's
arrangement."""

from __future__ import annotations

from datetime import date

import pytest

from approval.core.errors import InvalidInput
from approval.core.holiday_notice import parse_notice

D = date

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕１２号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
　　经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
　　一、元旦：１月１日（周五）至３日（周日）放假，共３天。
　　二、春节：２月５日（农历腊月廿九、周五）至１３日（农历正月初八、周六）放假调休，共９天。１月３１日（周日）、２月２０日（周六）上班。
　　三、清明节：４月３日（周六）至５日（周一）放假，共３天。
　　四、劳动节：５月１日（周六）至５日（周三）放假调休，共５天。４月２５日（周日）、５月８日（周六）上班。
　　五、端午节：６月９日（周三）放假，共１天。
　　六、中秋节：９月１５日（周三）放假，共1天。
　　七、国庆节：９月３０日（周四）至１０月７日（周四）放假调休，共８天。９月２６日（周日）、１０月９日（周六）上班。
　　节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2026年11月4日
"""


def test_a_realistic_notice_is_read_day_by_day():
    notice = parse_notice(NOTICE_2027, 2027)
    assert notice.reference == "国办发明电〔2026〕12号"
    off = {d.day: d.holiday for d in notice.days_off}
    working = {d.day: d.holiday for d in notice.working_days}
    assert working == {
        D(2027, 1, 31): "春节",
        D(2027, 2, 20): "春节",
        D(2027, 4, 25): "劳动节",
        D(2027, 5, 8): "劳动节",
        D(2027, 9, 26): "国庆节",
        D(2027, 10, 9): "国庆节",
    }
    assert [d for d in off if off[d] == "元旦"] == [D(2027, 1, d) for d in (1, 2, 3)]
    assert [d for d in off if off[d] == "春节"] == [D(2027, 2, d) for d in range(5, 14)]
    assert [d for d in off if off[d] == "端午节"] == [D(2027, 6, 9)]
    # across months: 9月30日至10月7日
    assert [d for d in off if off[d] == "国庆节"] == [D(2027, 9, 30)] + [
        D(2027, 10, d) for d in range(1, 8)
    ]
    assert len(off) == 3 + 9 + 3 + 5 + 1 + 1 + 8
    assert [d.day for d in notice.days] == sorted(d.day for d in notice.days)


def test_the_2024_pattern_across_new_year_and_one_sentence_with_both():
    # 2024's 元旦 began on 2023-12-30; here days off and the working day in one sentence
    notice = parse_notice(
        "一、元旦：12月30日至1月1日放假调休，共3天；1月2日、3日和4日照常上班。", 2024
    )
    assert [d.day for d in notice.days_off] == [D(2023, 12, 30), D(2023, 12, 31), D(2024, 1, 1)]
    assert [d.day for d in notice.working_days] == [D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 4)]
    # half-width text, a list with "、" and a working day in the same sentence after 放假
    notice = parse_notice(
        "二、春节:2月15日至23日放假调休,共9天.2月14日(周六)、2月28日(周六)上班.", 2026
    )
    assert len(notice.days_off) == 9
    assert [d.day for d in notice.working_days] == [D(2026, 2, 14), D(2026, 2, 28)]


@pytest.mark.parametrize(
    ("text", "year", "message"),
    [
        ("", 2027, "请粘贴国务院办公厅通知的正文"),
        (
            "国务院办公厅关于做好节日期间工作的通知。各地要妥善安排。",
            2027,
            "未能从粘贴的文字中识别出",
        ),
        ("一、元旦：1月1日至三日放假。", 2027, "无法识别这句中的日期范围：1月1日至三日放假"),
        ("二、春节：2月30日放假。", 2027, "日期无效：2027年2月30日"),
        ("一、元旦：1月1日至3日放假，共4天。", 2027, "写明共 4 天，识别出的是 3 天"),
        ("一、元旦：1月1日放假。二、春节：1月1日上班。", 2027, "2027-01-01 既写为放假又写为上班"),
        (
            "国务院办公厅关于2028年部分节假日安排的通知 一、元旦：1月1日放假。",
            2027,
            "粘贴的是 2028 年的通知",
        ),
        ("一、元旦：1月1日至2月15日放假。", 2027, "无法识别这句中的日期范围"),
    ],
)
def test_what_cannot_be_read_is_refused_in_chinese(text, year, message):
    with pytest.raises(InvalidInput) as caught:
        parse_notice(text, year)
    assert message in caught.value.message
    assert caught.value.field == "notice"
