"""Benchmark of secrecy screening: a 10,000-word sensitive list over a 1 MB Chinese document.

A script, not a test (timings depend on the machine). Run from the repository root:

    /tmp/venv/bin/python bench/bench_screening.py              # 10,000 words, 1 MiB, 3 runs
    /tmp/venv/bin/python bench/bench_screening.py --words 20000 --mb 5 --runs 5

It builds, from a fixed seed (the same input every run):
- a word list of N entries: 60 phrases that really occur in such documents (临时救助, 征收补偿, …)
  and random 2-4 character words from ~600 common characters, in four categories and three
  severities, as an admin's list would hold;
- a document of M MiB (UTF-8) of sentences from the vocabulary of disclosure reports and 公示, in
  paragraphs, with resident IDs (valid checksums), mobiles, bank cards, e-mail addresses and 密级
  marks sprinkled in, and invalid 18-digit numbers as decoys;

then times ``screen(document, words)`` (median of the runs) and prints Markdown tables: throughput
in characters per second and the findings by kind. "chars" are Python characters (one per 汉字).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter

from approval.core.screening import WordList, screen

SUBJECTS = [
    "县人民政府",
    "镇人民政府",
    "县民政局",
    "县财政局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县人力资源和社会保障局",
    "县乡村振兴局",
    "县卫生健康委员会",
    "县教育局",
    "各村（社区）",
    "县市场监督管理局",
    "县生态环境局",
    "县应急管理局",
    "街道办事处",
    "县医疗保障局",
]
VERBS = [
    "认真贯彻落实",
    "扎实推进",
    "全面开展",
    "持续深化",
    "进一步规范",
    "严格执行",
    "统筹做好",
    "切实加强",
    "稳步实施",
    "依法依规办理",
    "及时公开",
    "组织开展",
]
OBJECTS = [
    "城乡居民最低生活保障工作",
    "临时救助资金发放",
    "特困人员供养",
    "政府信息公开工作",
    "国有土地上房屋征收补偿",
    "农村危房改造",
    "高标准农田建设项目",
    "耕地地力保护补贴发放",
    "城乡居民基本养老保险",
    "医疗救助",
    "公共租赁住房分配",
    "安全生产专项整治",
    "重点项目建设",
    "优化营商环境",
    "行政执法公示",
    "政务服务“一网通办”",
    "防汛抗旱物资储备",
    "内部控制制度建设",
    "财政预决算公开",
    "义务教育阶段学生资助",
]
TAILS = [
    "，取得明显成效",
    "，群众满意度不断提升",
    "，切实保障困难群众基本生活",
    "，确保资金安全",
    "，按规定进行公示",
    "，接受社会监督",
    "，做到应公开尽公开",
    "，形成长效机制",
    "",
]
NUMBERS = [
    "全年共发放资金{n}万元",
    "惠及{n}户",
    "涉及{n}人",
    "完成率达{p}%",
    "同比增长{p}%",
    "受理申请{n}件",
    "办结{n}件",
]
REAL_WORDS = [
    "临时救助",
    "征收补偿",
    "信访",
    "群体性事件",
    "上访",
    "维稳",
    "拆迁",
    "强拆",
    "举报",
    "泄露",
    "涉密",
    "内参",
    "内部讨论",
    "绝密文件",
    "机密文件",
    "领导批示",
    "考核排名",
    "处分决定",
    "纪律处分",
    "违纪",
    "问责",
    "审计发现",
    "违规发放",
    "冒领",
    "虚报",
    "骗取",
    "挪用",
    "套取",
    "截留",
    "侵占",
    "失职",
    "渎职",
    "瞒报",
    "迟报",
    "漏报",
    "事故",
    "死亡",
    "重伤",
    "疫情",
    "舆情",
    "负面报道",
    "媒体采访",
    "敏感时期",
    "重要会议",
    "民族",
    "宗教",
    "境外",
    "非法组织",
    "邪教",
    "游行",
    "示威",
    "罢工",
    "静坐",
    "集访",
    "越级上访",
    "缠访",
    "闹访",
    "非访",
    "稳控",
    "包保",
]
CATEGORIES = ["政治", "涉密", "维稳", "其他"]
SEVERITIES = ["high", "medium", "low"]
MARKS = ["秘密★1年", "机密★10年", "内部资料 注意保存", "密级：秘密"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(rng: random.Random, valid: bool = True) -> str:
    body = (
        rng.choice(["110105", "320102", "410523", "440306", "510107", "610113"])
        + f"{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        + f"{rng.randint(0, 999):03d}"
    )
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]
    return body + (check if valid else "10X98765432"[("10X98765432".index(check) + 1) % 11])


def bank_card(rng: random.Random) -> str:
    body = "622848" + "".join(rng.choice("0123456789") for _ in range(12))
    for digit in "0123456789":
        number = body + digit
        doubled = [int(c) * (2 if i % 2 else 1) for i, c in enumerate(reversed(number))]
        if sum(d - 9 if d > 9 else d for d in doubled) % 10 == 0:
            return number
    raise AssertionError("unreachable")


def sentence(rng: random.Random) -> str:
    text = rng.choice(SUBJECTS) + rng.choice(VERBS) + rng.choice(OBJECTS)
    if rng.random() < 0.6:
        text += "，" + rng.choice(NUMBERS).format(n=rng.randint(3, 9800), p=rng.randint(1, 99))
    return text + rng.choice(TAILS) + "。"


def personal_line(rng: random.Random) -> str:
    name = rng.choice("张王李赵刘陈杨黄周吴") + "某" + rng.choice(["某", ""])
    phone = f"1{rng.choice('3456789')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"
    row = [name, resident_id(rng), phone, bank_card(rng), f"{rng.randint(300, 900)}元"]
    if rng.random() < 0.3:
        row.append(f"联系邮箱 user{rng.randint(1, 999)}@example.gov.cn")
    return "\t".join(row) + "\n"


def make_document(rng: random.Random, target_bytes: int) -> str:
    parts, size = [rng.choice(MARKS) + "\n"], 0
    while size < target_bytes:
        paragraph = "".join(sentence(rng) for _ in range(rng.randint(3, 8))) + "\n"
        if rng.random() < 0.15:
            paragraph += personal_line(rng)
        if rng.random() < 0.05:
            paragraph += f"订单号{resident_id(rng, valid=False)}已核销。\n"
        if rng.random() < 0.01:
            paragraph += rng.choice(MARKS) + "\n"
        parts.append(paragraph)
        size += len(paragraph.encode())
    return "".join(parts)


def make_words(rng: random.Random, count: int) -> WordList:
    pool = "".join(sorted(set("".join(SUBJECTS + VERBS + OBJECTS + TAILS + REAL_WORDS))))
    pool += "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(600 - len(pool)))
    words = set(REAL_WORDS)
    while len(words) < count:
        words.add("".join(rng.choices(pool, k=rng.choice([2, 3, 3, 4, 4]))))
    return WordList(
        (word, CATEGORIES[i % 4], SEVERITIES[i % 3]) for i, word in enumerate(sorted(words))
    )


def median_seconds(function, runs: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000, help="size of the word list")
    parser.add_argument("--mb", type=float, default=1.0, help="document size in MiB (UTF-8)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()

    rng = random.Random(20240601)
    document = make_document(rng, int(args.mb * 1024 * 1024))
    build_seconds, words = median_seconds(lambda: make_words(random.Random(7), args.words), 1)
    chars, size = len(document), len(document.encode())

    rows = [
        ("marks + personal data, no word list", lambda: screen(document)),
        (f"word list only ({len(words):,} words)", lambda: words.find(document)),
        (f"screen() with {len(words):,} words", lambda: screen(document, words)),
    ]
    print(
        f"Document: {chars:,} characters, {size / 1048576:.2f} MiB UTF-8; word list built in "
        f"{build_seconds * 1000:.0f} ms (incl. generating it); median of {args.runs} runs.\n"
    )
    print("| what | findings | median seconds | characters / second |")
    print("|---|---:|---:|---:|")
    findings = []
    for label, function in rows:
        seconds, findings = median_seconds(function, args.runs)
        print(f"| {label} | {len(findings):,} | {seconds:.3f} | {chars / seconds:,.0f} |")
    print("\n| kind | severity | findings |")
    print("|---|---|---:|")
    for (kind, severity), count in sorted(Counter((f.kind, f.severity) for f in findings).items()):
        print(f"| {kind} | {severity} | {count:,} |")


if __name__ == "__main__":
    main()
