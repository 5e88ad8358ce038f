"""Screening that is hard to slip past (issue 26): a 密级 mark glued to the title, Mastercard's
2-series, and personal data hidden by invisible characters, full-width digits or separators, each
found and masked at its original place; and the tables, dates and prose that must stay unflagged.

Expected IDs and card numbers are computed here from the standards (GB 11643-1999, Luhn), not by
the code under test.
"""

import re

import pytest

from approval.core.screening import WordList, mask_text, screen
from approval.core.workflow import Action
from approval.extensions import db
from approval.publication import drafts

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def with_check(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def luhn_ok(digits: str) -> bool:
    doubled = [int(c) * (2 if i % 2 else 1) for i, c in enumerate(reversed(digits))]
    return sum(d - 9 if d > 9 else d for d in doubled) % 10 == 0


def with_luhn(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


ID = with_check("11010519491231002")  # 11010519491231002X
CARD = with_luhn("622202123456789012")  # 6222021234567890128, 19 digits
MASKED = {"resident_id": "110105********002X", "mobile": "138****5678"}
MASKED_CARD = "622202*********0128"


def of_kind(text, kind, words=None):
    return [f for f in screen(text, words) if f.kind == kind]


def personal(text):
    return [f for f in screen(text) if f.masked is not None]


# ---- 密级 marks glued to the title -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, mark",
    [
        ("秘密关于做好2024年汛期安全工作的通知", "秘密"),
        ("绝密县人民政府办公室关于印发防汛应急预案的通知", "绝密"),
        ("机密2024年第3次县政府常务会议纪要", "机密"),
        ("份号：000123\n秘密关于调整城区限行措施的通知\n各乡镇人民政府：", "秘密"),
        ("000123 机密关于部分干部任免的通知", "机密"),
        ("（绝密）县委关于进一步加强信访工作的意见", "绝密"),  # found before, still found
    ],
)
def test_a_mark_glued_to_the_title_is_found(text, mark):
    [finding] = of_kind(text, "secrecy_mark")
    assert (finding.text, finding.severity) == (mark, "high")
    assert finding.start == text.index(mark) and text[finding.start : finding.end] == mark


@pytest.mark.parametrize(
    "text",
    [
        "秘密文件管理办法",
        "机密载体管理规定",
        "绝密级国家秘密载体管理办法",
        "秘密事项范围的规定",
        "秘密地开展了调查，关于此事另行通知。",
        "秘密的泄露往往源于细节。",
        "各单位要保守国家秘密关于保密期限的规定要严格执行。",
        "“秘密”关于什么，由定密责任人确定。",
        "依照保密法，密级分为绝密、机密、秘密三级。",
        "商业秘密关于技术信息的部分依法不予公开。",
    ],
)
def test_secrecy_words_in_prose_and_titles_about_secrecy_are_not_marks(text):
    assert of_kind(text, "secrecy_mark") == []


@pytest.mark.parametrize("hidden", ["\u200b", "\u00ad", "\u2060", "\ufeff"])
def test_an_invisible_character_inside_a_mark_does_not_hide_it(hidden):
    text = f"县政府办公室\n秘{hidden}密★1年\n关于……"
    [mark] = of_kind(text, "secrecy_mark")
    assert (mark.start, mark.text) == (7, f"秘{hidden}密★1年")
    glued = f"机{hidden}密关于调整城区限行措施的通知"
    assert [m.text for m in of_kind(glued, "secrecy_mark")] == [f"机{hidden}密"]


# ---- Mastercard's 2-series -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first15", ["222100001234567", "222300312200322", "259901234567890", "272012345678901"]
)
def test_two_series_mastercards_are_found_and_masked(first15):
    number = with_luhn(first15)
    for written in (number, " ".join(number[i : i + 4] for i in range(0, 16, 4))):
        text = f"退款账户：{written}（持卡人王某）"
        [finding] = screen(text)
        assert (finding.kind, finding.severity, finding.text) == ("bank_card", "high", written)
        assert finding.masked == number[:6] + "******" + number[-4:]
        assert mask_text(text, [finding]) == f"退款账户：{finding.masked}（持卡人王某）"


@pytest.mark.parametrize(
    "number",
    [
        with_luhn("222099991234567"),  # below 2221
        with_luhn("272100001234567"),  # above 2720
        with_luhn("2221000012345678"),  # 17 digits: 2-series cards have 16
        with_luhn("202403150001234"),  # a date-stamped order number
    ],
)
def test_numbers_starting_with_2_outside_the_series_are_not_cards(number):
    assert screen(f"订单号{number}已签收") == []


# ---- invisible characters and full-width digits inside numbers -------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@pytest.mark.parametrize("hidden", INVISIBLE)
@pytest.mark.parametrize("where", ["between groups", "between every digit"])
def test_invisible_characters_inside_numbers_are_found_at_the_original_place(hidden, where):
    if where == "between groups":
        id_written = ID[:6] + hidden + ID[6:14] + hidden + ID[14:]
        mobile = "138" + hidden + "1234" + hidden + "5678"
        card = hidden.join(CARD[i : i + 4] for i in range(0, 19, 4))
    else:
        id_written, mobile, card = (hidden.join(n) for n in (ID, "13812345678", CARD))
    text = f"户主张某某，身份证号{id_written}，电话{mobile}，账号{card}。"
    findings = screen(text)
    assert [(f.kind, f.start, f.end, f.text) for f in findings] == [
        (
            "resident_id",
            text.index(id_written),
            text.index(id_written) + len(id_written),
            id_written,
        ),
        ("mobile", text.index(mobile), text.index(mobile) + len(mobile), mobile),
        ("bank_card", text.index(card), text.index(card) + len(card), card),
    ]
    assert all(f.text in f.context for f in findings)
    masked = mask_text(text, findings)
    assert (
        masked
        == f"户主张某某，身份证号{MASKED['resident_id']}，电话138****5678，账号{MASKED_CARD}。"
    )
    assert hidden not in masked and screen(masked) == []


def test_offsets_after_invisible_characters_are_original_offsets():
    text = "\ufeff\u200b说明\u200b\u200b：联系人手机13812345678，邮箱\u00adzhangsan@example.gov.cn"
    mobile, email = screen(text)
    assert text[mobile.start : mobile.end] == "13812345678" == mobile.text
    assert text[email.start : email.end] == "zhangsan@example.gov.cn" == email.text
    assert mask_text(text, [mobile, email]) == text.replace("13812345678", "138****5678").replace(
        "zhangsan@", "z***@"
    )


@pytest.mark.parametrize(
    "written, kind",
    [
        ("１１０１０５１９４９１２３１００２ｘ", "resident_id"),  # full-width, found before too
        ("１１０１０5１９４９1２３１００２Ｘ", "resident_id"),  # mixed widths
        ("１１０１０５．１９４９１２３１．００２Ｘ", "resident_id"),  # full-width dots
        ("１３８\u200b１２３４5678", "mobile"),
        ("𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "mobile"),  # mathematical digits (U+1D7CF…)
    ],
)
def test_full_width_and_other_digits_mixed_with_half_width(written, kind):
    text = f"申请人：{written}，住城关镇"
    [finding] = screen(text)
    assert (finding.kind, finding.text, finding.start) == (kind, written, 4)
    assert mask_text(text, [finding]) == f"申请人：{MASKED[kind]}，住城关镇"


def test_a_listed_word_with_an_invisible_character_inside_is_found():
    words = WordList([("法轮功", "政治", "high")])
    text = "严厉打击法\u200b轮\u200d功等邪教组织"
    [finding] = of_kind(text, "sensitive_word", words)
    assert (finding.start, finding.text) == (4, "法\u200b轮\u200d功")


# ---- numbers written apart -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "110105.19491231.002X",
        "110105–19491231–002X",  # en dash
        "110105—1949—1231—002X",  # em dash at the year, month and day
        "110105·19491231·002X",
        "110105 - 19491231 - 002X",
        "1101 0519 4912 3100 2X",  # in fours, like a card
        "110 105 1949 1231 002X",
        "110105 19491231 002 X",
        "1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X",
        "110105－19491231－002x",  # full-width dash, lower-case x
    ],
)
def test_resident_ids_written_apart(written):
    text = f"公民身份号码：{written}；有效期至2030年"
    [finding] = screen(text)
    assert (finding.kind, finding.text, finding.start) == ("resident_id", written, 7)
    assert mask_text(text, [finding]) == "公民身份号码：110105********002X；有效期至2030年"


@pytest.mark.parametrize(
    "written, masked",
    [
        ("138.1234.5678", "138****5678"),
        ("138．1234．5678", "138****5678"),
        ("138·1234·5678", "138****5678"),
        ("138‐1234‐5678", "138****5678"),  # U+2010 hyphen
        ("138—1234—5678", "138****5678"),
        ("138 – 1234 – 5678", "138****5678"),
        ("1 3 8 1 2 3 4 5 6 7 8", "138****5678"),
        ("+86 138·1234·5678", "+86 138****5678"),
        ("+86.138.1234.5678", "+86 138****5678"),
    ],
)
def test_mobiles_written_apart(written, masked):
    text = f"咨询电话 {written}（工作日）"
    [finding] = screen(text)
    assert (finding.kind, finding.text, finding.start) == ("mobile", written, 5)
    assert mask_text(text, [finding]) == f"咨询电话 {masked}（工作日）"


@pytest.mark.parametrize(
    "written",
    [
        "6222.0212.3456.7890.128",
        "6222—0212—3456—7890—128",
        "6222 - 0212 - 3456 - 7890 - 128",
        " ".join(CARD),
    ],
)
def test_bank_cards_written_apart(written):
    text = f"收款账号：{written}，开户行：县农商行"
    [finding] = screen(text)
    assert (finding.kind, finding.text, finding.start) == ("bank_card", written, 5)
    assert mask_text(text, [finding]) == f"收款账号：{MASKED_CARD}，开户行：县农商行"


def test_a_table_row_of_numbers_written_apart_with_dots():
    text = f"1\t张某某\t110105.19491231.002X 138.1234.5678 {'.'.join([CARD[:4], CARD[4:8]])}\t650"
    found = personal(text)
    assert [(f.kind, f.text) for f in found] == [
        ("resident_id", "110105.19491231.002X"),
        ("mobile", "138.1234.5678"),
    ]
    assert mask_text(text, found).startswith("1\t张某某\t110105********002X 138****5678 6222.0212")


@pytest.mark.parametrize(
    "text",
    [
        # dates and times
        "会议定于2024 12 3召开",
        "2024.12.31前报送，2025-01-15反馈",
        "1949.10.01 - 2024.12.31",
        # amounts and tables of figures
        "合计1,234.56元，其中13.8 12.3 45.6 78为分项",
        "138.12 34.56 78.90（万元）",
        "户数 13 8 1234 5678 人数",
        "1 3 8 1 2 3 4 5 6 7 8 9",  # twelve single figures
        # phone and extension tables
        "办公室 0571-8888 6666 转 8012",
        "0571-88886666-8012",
        "分机：8012 8013 8014 8015",  # passes Luhn, but is four extensions
        "值班电话 0571-1312249 2017年启用",
        "0571.1381.2345.678",
        # a date in a row of figures where an ID has its birth date (the check character fits)
        "8343 13 1998 10 13 4500",
        "83 4313 1998 10 13 4500",
        # numbers that fail their checks when joined
        "110105.19491231.0021",  # wrong check character
        "6228.4800.1234.5672",  # fails Luhn
        "128.1234.5678",  # no such mobile prefix
        # addresses
        "服务器地址192.168.138.123",
    ],
)
def test_numbers_that_only_look_joined_are_not_personal_data(text):
    assert personal(text) == []


# ---- the officer's one-click masking ----------------------------------------------------------------


def test_one_click_masking_masks_numbers_hidden_by_invisible_characters_and_separators(
    world, login_as
):
    card = "—".join(CARD[i : i + 4] for i in range(0, 19, 4))
    body = f"困难户张某某，身份证号{ID[:6]}\u200b{ID[6:]}，电话138.1234.5678，账号{card}。"
    item = world.item(body=body)
    world.act("officer", item, Action.SUBMIT)
    world.act("leader", item, Action.RETURN, opinion="请对个人信息脱敏")
    officer = login_as("officer")
    page = officer.get(f"/items/{item.id}")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    response = officer.client.post(
        f"/items/{item.id}/mask", data={"csrf_token": token, "version": str(item.version)}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert item.current_revision.body == (
        f"困难户张某某，身份证号110105********002X，电话138****5678，账号{MASKED_CARD}。"
    )
    assert drafts.maskable(item.current_revision) == 0
