"""Revision comparison: the reviewer of a re-submitted item sees what changed since the return —
body and title as a diff, attributes old → new, attachments added, removed and replaced."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest

from approval.extensions import db
from approval.models import Category, Item
from approval.publication import compare
from approval.publication.compare import ELLIPSIS, Segment, diff_text
from tests.conftest import Browser, csrf_from
from tests.helpers.attachments import PDF, upload
from tests.helpers.pages import VERSION_RE, heading
from tests.helpers.queries import add_items, counting

OTHER_PDF = PDF.replace(b"<< /Type /Catalog >>", b"<< /Type /Catalog /Lang (zh-CN) >>")
THIRD_PDF = PDF.replace(b"<< /Type /Catalog >>", b"<< /Type /Catalog /Version /1.7 >>")
BODY = (
    "经县人民政府同意，自2026年1月1日起城乡低保标准调整为每人每月900元。\n"
    "农村低保标准按照城市低保标准的百分之八十执行，具体发放工作由各村（社区）负责落实，"
    "请各村（社区）于每月十日前将名单报镇民政办审核后公示，公示期不少于七天。\n"
    "联系人：民政办，联系电话：0571-12345678。"
)
SECTION_RE = re.compile(r'<section class="card changes".*?</section>', re.S)


# ---------------------------------------------------------------- helpers


def fresh(item: Item) -> Item:
    """The item as the database has it now (the HTTP requests ran in their own sessions)."""
    db.session.expire_all()
    return db.session.get(Item, item.id)


def page_of(b: Browser, item_id: int) -> str:
    response = b.get(f"/items/{item_id}")
    assert response.status_code == 200
    return response.text


def changes_section(html: str) -> str | None:
    match = SECTION_RE.search(html)
    return match.group(0) if match else None


def edit(b: Browser, item: Item, **changes) -> None:
    """The officer opens the edit form, changes some fields and saves."""
    form_page = b.get(f"/items/{item.id}/edit")
    assert form_page.status_code == 200
    revision = fresh(item).current_revision
    data = {
        "title": revision.title,
        "summary": revision.summary,
        "body": revision.body,
        "category_id": str(revision.category_id or ""),
        "info_type": revision.info_type,
        "document_number": revision.document_number,
        "formed_on": revision.formed_on.isoformat(),
        "disclosure_mode": revision.disclosure_mode,
        "non_disclosure_basis": "",
        "channels": revision.channel_list,
        "keywords": revision.keywords,
    }
    data.update(changes)
    version = re.search(r'name="version"[^>]*value="(\d+)"', form_page.text).group(1)
    response = b.client.post(
        f"/items/{item.id}/edit",
        data={**data, "csrf_token": csrf_from(form_page.text), "version": version},
    )
    assert response.status_code == 302, response.text
    assert "修改已保存" in b.get(response.headers["Location"]).text


def remove_attachment(b: Browser, item: Item, filename: str) -> None:
    page = page_of(b, item.id)
    attachment = next(a for a in fresh(item).current_revision.attachments if a.filename == filename)
    response = b.post(
        f"/items/{item.id}/attachments/{attachment.id}/delete",
        {"version": VERSION_RE.search(page).group(1)},
        token_from=f"/items/{item.id}",
    )
    assert response.status_code == 303
    assert "附件已删除" in b.get(response.headers["Location"]).text


def submit(b: Browser, item: Item) -> None:
    page = page_of(b, item.id)
    response = b.post(
        f"/items/{item.id}/act",
        {"action": "submit", "version": VERSION_RE.search(page).group(1)},
        token_from=f"/items/{item.id}",
    )
    assert response.status_code == 303, response.text


def returned_item(world, officer: Browser, reason: str = "请核对低保标准金额，并更换附件") -> Item:
    """An item with two attachments, submitted and returned by the leader."""
    item = world.item(body=BODY, formed_on=date(2026, 1, 5))
    upload(officer, item.id, "低保对象名单.pdf", PDF)
    upload(officer, item.id, "政策解读.pdf", OTHER_PDF)
    submit(officer, item)
    world.act("leader", fresh(item), "return", opinion=reason)
    return fresh(item)


def another_category(world) -> Category:
    """A second-level 主题分类 (shown by its full name)."""
    parent = Category(body=world.body, code="09", name="社会保障")
    child = Category(body=world.body, code="0901", name="社会救助", parent=parent)
    db.session.add_all([parent, child])
    db.session.commit()
    return child


def attachment_rows(section: str) -> list[tuple[str, str]]:
    """(change, filename) of each attachment row in the comparison."""
    return re.findall(r'<li data-change="(\w+)">.*?<a href="[^"]+">([^<]+)</a>', section, re.S)


def plain(html: str) -> str:
    """The visible text of a diff: tags and the hidden screen-reader markers removed."""
    html = re.sub(r'<span class="sr-only">[^<]*</span>', "", html)
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def officer(login_as):
    return login_as("officer")


# ---------------------------------------------------------------- the reviewer's page


def test_the_leader_sees_exactly_what_changed_since_the_return(world, officer, login_as):
    item = returned_item(world, officer)
    returned_revision = item.current_revision.number
    edit(
        officer,
        item,
        title="关于2026年度城乡最低生活保障标准的公告",
        body=BODY.replace("每人每月900元", "每人每月950元"),
        formed_on="2026-01-08",
    )
    remove_attachment(officer, item, "政策解读.pdf")
    upload(officer, item.id, "政策解读（修订）.pdf", THIRD_PDF)
    submit(officer, item)

    section = changes_section(page_of(login_as("leader"), item.id))
    assert section is not None, "no comparison on the re-submitted item"
    # who returned it, when and why
    assert "退回后的修改" in section
    assert "请核对低保标准金额，并更换附件" in section and "用户leader" in section
    assert (
        f"第 {returned_revision} 稿（退回时）→ 第 {fresh(item).current_revision.number} 稿"
        in section
    )
    # the body: the old number deleted, the new one inserted, the rest as context
    body = re.search(r'<div class="diff-text" data-field="body">(.*?)</div>', section, re.S)
    assert body, "no body diff"
    dels = re.findall(r"<del>(.*?)</del>", body.group(1), re.S)
    inss = re.findall(r"<ins>(.*?)</ins>", body.group(1), re.S)
    assert [plain(d) for d in dels] == ["900"] and [plain(i) for i in inss] == ["950"]
    assert "删除开始：" in dels[0] and "新增开始：" in inss[0]  # not told by colour alone
    assert "城乡低保标准调整为每人每月" in body.group(1)  # context around the change
    assert "联系电话" not in body.group(1)  # an unchanged paragraph far away is left out
    assert ELLIPSIS in body.group(1)
    # the title
    title = re.search(r'<div class="diff-text" data-field="title">(.*?)</div>', section, re.S)
    assert [plain(i) for i in re.findall(r"<ins>(.*?)</ins>", title.group(1), re.S)] == ["城乡"]
    # attributes: only the 成文日期 changed
    rows = re.findall(
        r'<tr data-field="(\w+)"><th scope="row">([^<]+)</th>\s*<td>(.*?)</td>\s*'
        r"<td>(.*?)</td></tr>",
        section,
        re.S,
    )
    assert [(f, label, plain(old), plain(new)) for f, label, old, new in rows] == [
        ("formed_on", "成文日期", "2026-01-05", "2026-01-08")
    ]
    # only title and body among the texts
    assert re.findall(r'class="diff-text" data-field="(\w+)"', section) == ["title", "body"]
    # attachments: one added, one removed, nothing else
    assert attachment_rows(section) == [
        ("added", "政策解读（修订）.pdf"),
        ("removed", "政策解读.pdf"),
    ]
    assert "低保对象名单.pdf" not in section


def test_the_comparison_as_data(world, officer):
    item = returned_item(world, officer)
    edit(
        officer,
        item,
        body=BODY.replace("每人每月900元", "每人每月950元"),
        channels=["website", "bulletin_board"],
        summary="",
    )
    remove_attachment(officer, item, "低保对象名单.pdf")
    upload(officer, item.id, "低保对象名单.pdf", THIRD_PDF)  # same name, other bytes
    submit(officer, item)

    found = compare.changes_since_return(fresh(item))
    assert found is not None and not found.unchanged
    assert found.step_name == "分管领导审批"  # the step as the chain names it
    assert found.returned_by == "用户leader" and found.reason == "请核对低保标准金额，并更换附件"
    assert [(c.field, c.label, c.old, c.new) for c in found.attributes] == [
        ("channels", "公开渠道", "政府网站", "政府网站、政务公开栏")
    ]
    assert [t.field for t in found.texts] == ["summary", "body"]
    summary = found.texts[0].segments
    assert summary == [Segment("delete", "公布调整后的低保标准")]
    assert not found.added and not found.removed
    assert [(old.filename, new.filename) for old, new in found.replaced] == [
        ("低保对象名单.pdf", "低保对象名单.pdf")
    ]
    old, new = found.replaced[0]
    assert old.sha256 != new.sha256

    section = changes_section(page_of(login_as_leader(world), item.id))
    assert attachment_rows(section) == [("replaced", "低保对象名单.pdf")]
    assert "内容已更换" in section and "下载退回时的文件" in section


def login_as_leader(world) -> Browser:
    from flask import current_app

    b = Browser(current_app.test_client())
    assert b.login(world.users["leader"].username, world.password).status_code == 302
    return b


def test_category_and_codes_are_shown_by_their_labels(world, officer):
    item = returned_item(world, officer)
    category = another_category(world)
    edit(
        officer,
        item,
        info_type="work_news",
        category_id=str(category.id),
        document_number="测民发〔2026〕3号",
    )
    submit(officer, item)
    found = compare.changes_since_return(fresh(item))
    assert [(c.label, c.old, c.new) for c in found.attributes] == [
        ("主题分类", "通知公告", "社会保障 / 社会救助"),
        ("信息类别", "通知公告", "工作动态"),
        ("发文字号", "", "测民发〔2026〕3号"),
    ]
    section = changes_section(page_of(login_as_leader(world), item.id))
    assert "（空）" in section and "工作动态" in section


def test_resubmitted_unchanged_says_so(world, officer, login_as):
    item = returned_item(world, officer, reason="请再确认一下")
    submit(officer, item)
    found = compare.changes_since_return(fresh(item))
    assert found is not None and found.unchanged and found.old is found.new
    section = changes_section(page_of(login_as("leader"), item.id))
    assert "与退回时的稿件相同，没有修改" in section and "请再确认一下" in section
    assert "<del>" not in section and "<ins>" not in section


def test_no_comparison_in_the_first_round_while_reworking_or_after_a_plain_recall(
    world, officer, login_as
):
    first = world.item()
    world.act("officer", first, "submit")
    assert compare.changes_since_return(first) is None
    assert changes_section(page_of(login_as("leader"), first.id)) is None
    assert changes_section(page_of(officer, first.id)) is None

    recalled = world.item(body=BODY)
    world.act("officer", recalled, "submit")
    world.act("officer", recalled, "recall")
    edit(officer, recalled, body=BODY.replace("900", "950"))
    submit(officer, recalled)
    assert fresh(recalled).round == 2 and compare.changes_since_return(fresh(recalled)) is None
    assert changes_section(page_of(login_as("leader"), recalled.id)) is None

    reworking = returned_item(world, officer)  # back in draft in the round it was returned in
    edit(officer, reworking, body=BODY.replace("900", "950"))
    assert compare.changes_since_return(fresh(reworking)) is None
    page = page_of(officer, reworking.id)
    assert changes_section(page) is None and "已被退回" in page


def test_a_recall_after_a_return_still_compares_with_the_returned_revision(world, officer):
    item = returned_item(world, officer)
    returned_id = item.current_revision.id
    edit(officer, item, body=BODY.replace("900", "920"))
    submit(officer, item)
    world.act("officer", fresh(item), "recall")
    edit(officer, item, body=BODY.replace("900", "950"))
    submit(officer, item)
    found = compare.changes_since_return(fresh(item))
    assert found.old.id == returned_id and found.returned.round == 1 and fresh(item).round == 3
    assert [(s.op, s.text) for s in found.texts[0].segments if s.op != "equal"] == [
        ("delete", "900"),
        ("insert", "950"),
    ]


def test_a_later_reviewer_also_sees_the_changes_since_the_return(world, officer, login_as):
    """Returned by the office auditor: the leader approves the new round, and the office auditor
    then sees what changed since their own return."""
    item = returned_item(world, officer)  # returned by the leader in round 1
    submit(officer, item)
    world.act("leader", fresh(item), "approve")
    world.act("office", fresh(item), "return", opinion="正文金额有误")
    edit(officer, item, body=BODY.replace("900", "950"))
    submit(officer, item)
    world.act("leader", fresh(item), "approve")
    section = changes_section(page_of(login_as("office"), item.id))
    assert "正文金额有误" in section and "用户office" in section
    assert "<del>" in section and "950" in section


# ---------------------------------------------------------------- query count


def _page_queries(b: Browser, item_id: int, comparison: bool) -> int:
    """The statements of the item page; it shows the item, and the comparison if ``comparison``."""
    b.get(f"/items/{item_id}")
    db.session.expire_all()
    with counting() as statements:
        response = b.get(f"/items/{item_id}")
    assert response.status_code == 200
    assert heading(response.text) == db.session.get(Item, item_id).current_revision.title
    assert (changes_section(response.text) is not None) is comparison
    return len(statements)


def test_the_item_page_query_count_stays_constant_with_a_comparison(world, officer, login_as):
    leader = login_as("leader")
    first = world.item(title="没有退回过的信息")
    world.act("officer", first, "submit")
    without = _page_queries(leader, first.id, comparison=False)

    small = returned_item(world, officer)
    edit(officer, small, body=BODY.replace("900", "950"))
    submit(officer, small)
    with_changes = _page_queries(leader, small.id, comparison=True)
    assert with_changes <= without + 1, (without, with_changes)

    # more rounds, revisions, decisions and attachments on both sides, and other items around
    # (the same people decide: each distinct person shown costs the page a lookup of its own)
    big = returned_item(world, officer)
    for n in range(3):
        upload(officer, big.id, f"补充材料{n}.pdf", PDF.replace(b"%%EOF", f"% {n}\n%%EOF".encode()))
    submit(officer, big)
    world.act("leader", fresh(big), "return", opinion="第二次退回")
    edit(officer, big, body=BODY.replace("900", "950"), title="新的标题")
    remove_attachment(officer, big, "补充材料0.pdf")
    upload(officer, big.id, "补充材料9.pdf", THIRD_PDF)
    submit(officer, big)
    add_items(world, 3)
    assert _page_queries(leader, big.id, comparison=True) == with_changes


def test_the_comparison_reads_the_returned_revision_in_one_query(world, officer):
    """As in production, where each request has a fresh session holding the item page's graph
    (loading.ITEM_PAGE): the returned revision's category, its parent and its attachments come
    in one statement, however many there are."""
    from approval.publication.loading import ITEM_PAGE

    item = returned_item(world, officer)
    category = another_category(world)
    edit(officer, item, category_id=str(category.id), body=BODY.replace("900", "950"))
    upload(officer, item.id, "新增材料.pdf", THIRD_PDF)
    submit(officer, item)
    item_id = item.id
    db.session.remove()  # a new session, as a new request would have
    item = db.session.get(Item, item_id, options=ITEM_PAGE)
    item.current_revision.category.full_name, list(item.current_revision.attachments)
    with counting() as statements:
        found = compare.changes_since_return(item)
        shown = (
            found.returned_by,
            [(a.filename, a.sha256) for a in found.added],
            [a.filename for a in found.old.attachments],
            found.attributes,
        )
    assert len(statements) == 1, statements
    assert shown[0] == "用户leader"
    assert shown[1] == [("新增材料.pdf", hashlib.sha256(THIRD_PDF).hexdigest())]
    assert shown[2] == ["低保对象名单.pdf", "政策解读.pdf"]
    assert [(c.old, c.new) for c in found.attributes] == [("通知公告", "社会保障 / 社会救助")]


# ---------------------------------------------------------------- the text diff


def _render(segments: list[Segment]) -> str:
    return "".join(
        "[-%s-]" % s.text if s.op == "delete" else "{+%s+}" % s.text if s.op == "insert" else s.text
        for s in segments
    )


@pytest.mark.parametrize(
    "old, new",
    [
        (BODY, BODY.replace("900", "950")),
        ("关于做好2026年春耕工作的通知", "关于开展2027年秋收工作的通知"),
        ("", "新增的内容概述"),
        ("删除的内容概述", ""),
        ("第一段\n第二段\n第三段", "第一段\n新的一段\n第二段\n第三段改\n"),
        ("名单见附件1。", "名单见附件１。"),
    ],
)
def test_a_full_diff_rebuilds_both_texts(old, new):
    segments = diff_text(old, new, context=None)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
    assert all(s.op in ("equal", "insert", "delete") and s.text for s in segments)


def test_numbers_and_chinese_words_change_as_units():
    assert _render(diff_text("每人每月900元。", "每人每月950元。")) == "每人每月[-900-]{+950+}元。"
    assert (
        _render(diff_text("关于做好2026年春耕工作的通知", "关于开展2027年秋收工作的通知"))
        == "关于[-做好2026年春耕-]{+开展2027年秋收+}工作的通知"
    )
    assert (
        _render(diff_text("公示期不少于七天。", "公示期不少于五个工作日。"))
        == "公示期不少于[-七天-]{+五个工作日+}。"
    )


def test_long_unchanged_runs_are_elided_with_context():
    before = "甲" * 100
    after = "乙" * 100
    segments = diff_text(before + "原文" + after, before + "新文" + after)
    assert _render(segments) == ELLIPSIS + "甲" * 30 + "[-原-]{+新+}" + "文" + "乙" * 29 + ELLIPSIS
    assert [s.elided for s in segments].count(True) == 2
    # a short unchanged run stays whole
    assert _render(diff_text("短句甲改乙", "短句甲变乙")) == "短句甲[-改-]{+变+}乙"


def test_elision_keeps_the_lines_apart():
    """Context stops at a line break; hidden lines are a "…" line of their own."""
    old = "第一行" + "甲" * 50 + "\n第二行\n第三行" + "乙" * 50 + "\n末行旧"
    segments = diff_text(old, old.replace("末行旧", "末行新").replace("第一行", "首行"))
    assert _render(segments) == ("[-第一-]{+首+}行" + "甲" * 29 + "…\n…\n末行[-旧-]{+新+}")
    assert [s.text for s in segments if s.elided] == ["…\n…\n"]
    segments = diff_text("标题\n" + "甲" * 80 + "\n", "新标题\n" + "甲" * 80 + "\n结尾")
    assert _render(segments) == "{+新+}标题\n…\n{+结尾+}"


def test_a_long_changed_block_is_not_diffed_character_by_character(monkeypatch):
    monkeypatch.setattr(compare, "MAX_INLINE_WORK", 100)
    segments = diff_text("甲" * 20, "乙" + "甲" * 19)
    assert [(s.op, s.text) for s in segments] == [
        ("delete", "甲" * 20),
        ("insert", "乙" + "甲" * 19),
    ]
