"""Secrecy screening (approval.core.screening): pure functions over realistic Chinese text, no app.

Expected IDs and card numbers are computed here from the standards (GB 11643-1999, Luhn), not by
the code under test.
"""

import random
from datetime import date

import pytest

from approval.core.screening import Finding, WordList, mask_text, screen, unreadable
from approval.core.screening.detectors import is_resident_id

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def with_check(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def luhn_ok(digits: str) -> bool:
    doubled = [int(c) * (2 if i % 2 else 1) for i, c in enumerate(reversed(digits))]
    return sum(d - 9 if d > 9 else d for d in doubled) % 10 == 0


def of_kind(text, kind, words=None):
    return [f for f in screen(text, words) if f.kind == kind]


# ---- 密级 and restriction marks ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("机密★10年\n关于加强防汛物资储备管理的通知", [("机密★10年", "high")]),
        ("秘密★1年\n××县人民政府办公室关于印发应急预案的通知", [("秘密★1年", "high")]),
        ("绝密★长期\n（此件不公开）", [("绝密★长期", "high")]),
        ("机密 ★\n2024年第3次常务会议纪要", [("机密 ★", "high")]),
        ("秘密*1年\n关于做好重要时段安全稳定工作的通知", [("秘密*1年", "high")]),
        ("秘密☆2030年12月31日 县委办公室", [("秘密☆2030年12月31日", "high")]),
        ("份号：000123\n密级：秘密\n保密期限：1年", [("秘密", "high")]),
        ("000123  秘密  特急\n××县人民政府文件", [("秘密", "high")]),
        ("机密 县政发〔2024〕3号\n关于调整城区限行措施的通知", [("机密", "high")]),
        ("绝密县委发〔2023〕12号", [("绝密", "high")]),
        (
            "【内部资料】注意保存\n2024年第一季度信访形势分析",
            [("内部资料", "medium"), ("注意保存", "medium")],
        ),
        ("关于部分干部任免情况的通报（内部）", [("内部", "medium")]),
        ("内部资料，注意保存", [("内部资料", "medium"), ("注意保存", "medium")]),
        ("本纪要仅发至参会单位，不得外传。", [("不得外传", "medium")]),
    ],
)
def test_marks_are_found(text, expected):
    assert [(f.text, f.severity) for f in of_kind(text, "secrecy_mark")] == expected


@pytest.mark.parametrize(
    "text",
    [
        "科普展通过互动装置带领青少年揭开宇宙的秘密。",
        "市场监管局开展商业秘密保护专项行动，指导企业建立保密制度。",
        "进一步健全内部控制制度，规范财政资金使用。",
        "县委召开常委会，对党内部署的重点工作进行督查。",
        "国家秘密的密级分为“绝密”“机密”“秘密”三级。",
        "依照保密法，密级分为绝密、机密、秘密三级，分别对应不同的保密期限。",
        "请缴费群众注意保存好缴费凭证，以备查验。",
        "开展内部审计，加强机密载体和秘密文件的管理。",
        "本办法所称商业秘密*，是指不为公众所知悉的技术信息和经营信息。",
    ],
)
def test_prose_is_not_a_mark(text):
    assert of_kind(text, "secrecy_mark") == []


def test_mark_offsets_and_full_width_star_period():
    text = "县政府办公室\n机密★１０年\n关于……"
    [mark] = of_kind(text, "secrecy_mark")
    assert (mark.start, mark.end, mark.text, mark.detail) == (7, 13, "机密★１０年", "带★标志")
    assert text[mark.start : mark.end] == mark.text and mark.masked is None


# ---- resident ID numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, found, masked",
    [
        (
            "申请人张某某，身份证号11010519491231002X，住城关镇。",
            "11010519491231002X",
            "110105********002X",
        ),
        ("身份证号：11010519491231002x。", "11010519491231002x", "110105********002X"),
        (
            "身份证号：１１０１０５１９４９１２３１００２Ｘ",
            "１１０１０５１９４９１２３１００２Ｘ",
            "110105********002X",
        ),
        (
            "公民身份号码 110105 19491231 002X 有效期至2030年",
            "110105 19491231 002X",
            "110105********002X",
        ),
        ("证件号码：440306-19900101-1236", "440306-19900101-1236", "440306********1236"),
        (
            "户主李某某（41052319850617031X）申请临时救助",
            "41052319850617031X",
            "410523********031X",
        ),
        ("旧证号码110105491231002已作废", "110105491231002", "110105*****1002"),
    ],
)
def test_resident_ids_are_found_and_masked(text, found, masked):
    [finding] = screen(text)
    assert (finding.kind, finding.severity, finding.text, finding.masked) == (
        "resident_id",
        "high",
        found,
        masked,
    )
    assert text[finding.start : finding.end] == found


@pytest.mark.parametrize(
    "text",
    [
        "身份证号110105194912310021（校验位应为X）",
        "订单号：202403150001234567，请于三日内付款。",
        "统计编号320102198808084560已入库",
        "出生日期不存在：" + with_check("11010519490230002"),
        "未来出生日期：" + with_check("11010520991231002"),
        "1900年以前：" + with_check("11010518991231002"),
        "地区码无效：" + with_check("20010519491231002"),
        "流水号2" + with_check("44030619900101123") + "7号",
        "已脱敏：110105********002X，联系人138****5678",
        "旧号日期不存在：110105490230002",
    ],
)
def test_numbers_that_are_not_ids_are_not_reported(text):
    assert screen(text) == []


def test_an_id_that_also_passes_luhn_is_only_an_id():
    number = with_check("44030619900101004")
    assert luhn_ok(number)
    assert [f.kind for f in screen(f"身份证号{number}")] == ["resident_id"]


def test_is_resident_id_rejects_birth_after_today():
    number = with_check("11010520250601002")
    assert is_resident_id(number, today=date(2025, 6, 1))
    assert not is_resident_id(number, today=date(2025, 5, 31))


# ---- mobiles, bank cards, e-mail --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, found, masked",
    [
        ("联系电话：13812345678", "13812345678", "138****5678"),
        ("联系人王某，电话138 1234 5678。", "138 1234 5678", "138****5678"),
        ("咨询电话138-1234-5678（工作日）", "138-1234-5678", "138****5678"),
        ("手机：+86 139 0000 1111", "+86 139 0000 1111", "+86 139****1111"),
        ("手机：+8613900001111", "+8613900001111", "+86 139****1111"),
        ("境外来电请拨0086-15912345678", "0086-15912345678", "0086 159****5678"),
        ("电话：１９９１２３４５６７８", "１９９１２３４５６７８", "199****5678"),
    ],
)
def test_mobiles_are_found_and_masked(text, found, masked):
    [finding] = screen(text)
    assert (finding.kind, finding.severity, finding.text, finding.masked) == (
        "mobile",
        "medium",
        found,
        masked,
    )


@pytest.mark.parametrize(
    "text",
    [
        "电话12812345678（号段不存在）",
        "编号138123456789共12位",
        "运单号20240313812345678已签收",
        "办公电话0571-88886666",
    ],
)
def test_numbers_that_are_not_mobiles(text):
    assert screen(text) == []


@pytest.mark.parametrize(
    "text, found, masked",
    [
        ("补贴发放至农行卡6228480012345671", "6228480012345671", "622848******5671"),
        ("社保卡号6217000020001234568", "6217000020001234568", "621700*********4568"),
        ("收款账号：6222 0212 3456 7890 128", "6222 0212 3456 7890 128", "622202*********0128"),
        ("工行存折9558801234567890128", "9558801234567890128", "955880*********0128"),
    ],
)
def test_bank_cards_are_found_by_luhn_and_masked(text, found, masked):
    [finding] = screen(text)
    assert (finding.kind, finding.severity, finding.text, finding.masked) == (
        "bank_card",
        "high",
        found,
        masked,
    )


@pytest.mark.parametrize(
    "text",
    [
        "账号6228480012345672（校验不通过）",
        "订单号2024031500012342",  # passes Luhn but starts like a date
        "序列号62284800123456710000共20位",
    ],
)
def test_numbers_that_are_not_bank_cards(text):
    assert luhn_ok("2024031500012342")  # the order number would pass Luhn
    assert screen(text) == []


def test_a_tab_separates_a_card_from_the_next_table_cell():
    assert luhn_ok("6228480012345671650")
    assert [f.text for f in screen("6228480012345671\t650")] == ["6228480012345671"]


def test_email_is_found_and_masked_but_its_masked_form_is_not():
    [finding] = screen("举报邮箱：zhangsan@example.gov.cn，欢迎监督。")
    assert (finding.kind, finding.severity) == ("email", "low")
    assert finding.masked == "z***@example.gov.cn"
    assert screen("举报邮箱：z***@example.gov.cn") == []


def test_a_mobile_used_as_email_name_is_one_mobile():
    assert [(f.kind, f.masked) for f in screen("邮箱13812345678@qq.com")] == [
        ("mobile", "138****5678")
    ]


# ---- masking a 低保公示 ----------------------------------------------------------------------

DIBAO = """关于2024年第二季度城乡居民最低生活保障对象的公示
序号\t姓名\t身份证号\t联系电话\t发放账号\t月保障金（元）
1\t张某某\t11010519491231002X\t13812345678\t6228480012345671\t650
2\t李某某\t410523 19850617 031X\t139-0000-1111\t6217000020001234568\t480
3\t王某某\t440306199001011236\t\t\t520
公示期间如有异议，请与镇民政办联系（电话0571-88886666，邮箱mzb@example.gov.cn）。"""

DIBAO_MASKED = """关于2024年第二季度城乡居民最低生活保障对象的公示
序号\t姓名\t身份证号\t联系电话\t发放账号\t月保障金（元）
1\t张某某\t110105********002X\t138****5678\t622848******5671\t650
2\t李某某\t410523********031X\t139****1111\t621700*********4568\t480
3\t王某某\t440306********1236\t\t\t520
公示期间如有异议，请与镇民政办联系（电话0571-88886666，邮箱m***@example.gov.cn）。"""


def test_mask_text_on_a_dibao_list():
    findings = screen(DIBAO)
    assert [f.kind for f in findings].count("resident_id") == 3
    assert mask_text(DIBAO, findings) == DIBAO_MASKED
    assert screen(DIBAO_MASKED) == []


def test_mask_text_leaves_marks_and_words_alone():
    text = "内部资料，注意保存\n联系人手机13812345678"
    words = WordList([("联系人", "个人信息", "low")])
    findings = screen(text, words)
    assert {f.kind for f in findings} == {"secrecy_mark", "sensitive_word", "mobile"}
    assert mask_text(text, findings) == "内部资料，注意保存\n联系人手机138****5678"


def test_mask_text_refuses_findings_of_another_text():
    findings = screen("电话13812345678")
    with pytest.raises(ValueError):
        mask_text("电话：13812345678", findings)


# ---- the sensitive-word list -------------------------------------------------------------------

POOL = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"  # no character of FILLER
FILLER = "全面推进政务公开标准化规范化建设，"
CATEGORIES = ["政治", "涉密", "民族宗教", "其他"]


def test_word_list_of_1000_words_finds_the_planted_ones_at_their_offsets():
    rng = random.Random(2024)
    words = sorted({"".join(rng.choices(POOL, k=rng.choice([3, 4]))) for _ in range(1200)})[:1000]
    entries = [
        (word, CATEGORIES[i % 4], ["high", "medium", "low"][i % 3]) for i, word in enumerate(words)
    ]
    word_list = WordList(entries)
    assert len(word_list) == 1000
    planted = rng.sample(entries, 12)
    text, expected = FILLER * 3, []
    for word, category, severity in planted:
        expected.append((len(text), len(text) + len(word), word, category, severity))
        text += word + FILLER * rng.randint(1, 4)
    found = word_list.find(text)
    assert [(f.start, f.end, f.text, f.detail, f.severity) for f in found] == expected
    assert [f.text for f in of_kind(text, "sensitive_word", word_list)] == [e[2] for e in expected]


def test_longest_word_wins_at_the_same_start_and_leftmost_across_overlaps():
    words = WordList(
        [("秘密", "涉密", "medium"), ("国家秘密", "涉密", "high"), ("密文件", "涉密", "low")]
    )
    found = words.find("严禁在互联网上传递国家秘密文件")
    assert [(f.text, f.start, f.severity) for f in found] == [("国家秘密", 9, "high")]


def test_word_matching_ignores_ascii_width_and_case_but_reports_the_text_as_written():
    words = WordList([("VPN", "其他", "low")])
    assert [f.text for f in words.find("通过ｖｐｎ或Vpn翻墙访问")] == ["ｖｐｎ", "Vpn"]


def test_word_list_keeps_highest_severity_skips_blanks_and_rejects_bad_severity():
    words = WordList(
        [("法轮功", "政治", "medium"), ("法轮功", "政治", "high"), ("  ", "其他", "low")]
    )
    assert len(words) == 1 and words.find("查处法轮功非法活动")[0].severity == "high"
    assert WordList([]).find("任何文本") == []
    with pytest.raises(ValueError):
        WordList([("某词", "其他", "critical")])


# ---- screen as a whole ---------------------------------------------------------------------------


def test_screen_orders_by_start_and_gives_context():
    text = (
        "秘密★1年\n"
        + "县民政局关于发放2024年度临时救助资金的情况说明，" * 2
        + "经办人王某，电话13812345678，身份证号11010519491231002X。"
    )
    words = WordList([("临时救助", "民生", "low")])
    findings = screen(text, words)
    assert [f.kind for f in findings] == [
        "secrecy_mark",
        "sensitive_word",
        "sensitive_word",
        "mobile",
        "resident_id",
    ]
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    mobile = findings[3]
    assert mobile.context == text[mobile.start - 20 : mobile.end + 20]
    assert findings[0].context.startswith("秘密★1年 县民政局") and "\n" not in findings[0].context


def test_screen_reports_a_listed_mark_as_mark_and_word_without_duplicates():
    words = WordList([("绝密", "涉密", "high"), ("绝密", "涉密", "high")])
    assert [f.kind for f in screen("绝密★长期", words)] == ["secrecy_mark", "sensitive_word"]
    assert screen("", words) == [] and screen(None) == []


def test_unreadable_attachment_is_a_high_finding():
    finding = unreadable("扫描件.pdf", "PDF 无文字层")
    assert isinstance(finding, Finding)
    assert (finding.kind, finding.severity, finding.text, finding.masked) == (
        "unreadable",
        "high",
        "扫描件.pdf",
        None,
    )
    assert "人工审查" in finding.detail
