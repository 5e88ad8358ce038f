"""The security admin's sensitive-word list (敏感词库): only they manage it, for their own body;
words typed one per line or imported from a .txt/.csv file (UTF-8 or GB18030); every change is
one audit entry; the next submission is screened with the new list."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from approval import permissions
from approval.audit import trail as audit
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, SensitiveWord
from approval.screening import word_list
from tests.conftest import Browser, csrf_from
from tests.factories import World
from tests.helpers.pages import act, heading

PAGE = "/admin/words"
WORD_ADMIN_ACTIONS = ("add_words", "import_words", "remove_word")


# ---------------------------------------------------------------- helpers


def add(b: Browser, words: str, category: str = "", severity: str = "medium"):
    return b.post(
        PAGE, {"words": words, "category": category, "severity": severity}, token_from=PAGE
    )


def import_file(
    b: Browser, filename: str, data: bytes, category: str = "", severity: str = "medium"
):
    token = csrf_from(b.get(PAGE).text)
    return b.client.post(
        f"{PAGE}/import",
        data={
            "csrf_token": token,
            "import-file": (io.BytesIO(data), filename),
            "import-category": category,
            "import-severity": severity,
        },
        content_type="multipart/form-data",
    )


def listed(body_id: int) -> dict[str, tuple[str, str]]:
    db.session.expire_all()
    return {
        w.word: (w.category, w.severity)
        for w in db.session.scalars(select(SensitiveWord).where(SensitiveWord.body_id == body_id))
    }


def word_entries() -> list[AuditEntry]:
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(WORD_ADMIN_ACTIONS)).order_by(AuditEntry.id)
    ).all()


def seed(world, *words: str, category: str = "", severity: str = "medium") -> list[SensitiveWord]:
    rows = [
        SensitiveWord(body_id=world.body.id, word=w, category=category, severity=severity)
        for w in words
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def flash_text(html: str) -> str:
    return " ".join(re.findall(r'<p class="flash flash-\w+"[^>]*>(.*?)</p>', html, re.S))


# ---------------------------------------------------------------- who may


def test_only_the_security_admin_reaches_the_word_list(world, login_as):
    seed(world, "拆迁补偿")
    for name in (
        "officer",
        "leader",
        "office",
        "secrecy",
        "publisher",
        "office_and_secrecy",
        "sysadmin",
        "auditor",
    ):
        b = login_as(name)
        assert b.get(PAGE).status_code == 403, name
        token = b.token("/")
        for url, data in ((PAGE, {"words": "越权添加"}), (f"{PAGE}/1/delete", {})):
            response = b.client.post(url, data={"csrf_token": token, **data})
            assert response.status_code == 403, (name, url)
        assert PAGE not in b.get("/").text  # no nav link
    assert set(listed(world.body.id)) == {"拆迁补偿"} and not word_entries()

    secadmin = login_as("secadmin")
    page = secadmin.get(PAGE)
    assert page.status_code == 200 and "拆迁补偿" in page.text
    home = secadmin.get("/").text
    assert f'href="{PAGE}"' in home and "敏感词库" in home  # nav link and the admin home's button


def test_the_permission_is_for_an_active_security_admin_of_the_same_body(world):
    secadmin = world.users["secadmin"]
    assert permissions.can_manage_word_list(secadmin)
    assert permissions.can_manage_word_list(secadmin, world.body.id)
    assert not permissions.can_manage_word_list(secadmin, world.body.id + 1)
    assert not permissions.can_manage_word_list(world.users["sysadmin"], world.body.id)
    assert not permissions.can_manage_word_list(None)
    secadmin.is_enabled = False
    assert not permissions.can_manage_word_list(secadmin)


def test_another_bodys_admin_neither_sees_nor_deletes_this_bodys_words(app, world):
    (word,) = seed(world, "本单位专用词")
    other = World.build(credit_code="11000000MB0000002X")
    foreign = Browser(app.test_client())
    assert foreign.login(other.users["secadmin"].username, other.password).status_code == 302
    assert "本单位专用词" not in foreign.get(PAGE).text
    response = foreign.post(f"{PAGE}/{word.id}/delete", {}, token_from=PAGE)
    assert response.status_code == 404
    assert "本单位专用词" in listed(world.body.id) and not word_entries()


def test_posts_without_a_csrf_token_are_refused(world, login_as):
    secadmin = login_as("secadmin")
    (word,) = seed(world, "保留词")
    assert secadmin.client.post(PAGE, data={"words": "无令牌"}).status_code == 400
    assert secadmin.client.post(f"{PAGE}/{word.id}/delete").status_code == 400
    assert set(listed(world.body.id)) == {"保留词"}


# ---------------------------------------------------------------- adding, removing, importing


def test_adding_several_words_skips_blanks_repeats_and_words_already_listed(world, login_as):
    seed(world, "拆迁补偿", category="征地拆迁")
    secadmin = login_as("secadmin")
    typed = "  征地补偿  \n\n拆迁补偿\n征地补偿\nＶＰＮ\nvpn\n\u200b信访人员名单\n"
    response = add(secadmin, typed, category="征地拆迁", severity="high")
    assert response.status_code == 303
    message = flash_text(secadmin.get(response.headers["Location"]).text)
    assert "已添加 3 个敏感词：征地补偿、ＶＰＮ、信访人员名单" in message
    assert "1 个已在词库中" in message and "拆迁补偿" in message
    assert "2 行重复" in message  # the second 征地补偿, and vpn (the same word as ＶＰＮ)
    assert listed(world.body.id) == {
        "拆迁补偿": ("征地拆迁", "medium"),
        "征地补偿": ("征地拆迁", "high"),
        "ＶＰＮ": ("征地拆迁", "high"),
        "信访人员名单": ("征地拆迁", "high"),
    }

    again = add(secadmin, "征地补偿\nVPN")  # nothing new: nothing changes, nothing audited
    assert "2 个已在词库中" in flash_text(secadmin.get(again.headers["Location"]).text)
    assert len(word_entries()) == 1


def test_a_word_added_by_the_admin_is_found_by_the_next_submission(world, login_as):
    before = world.item(body="经研究，棚户区改造名单将另行公布。")
    world.act("officer", before, Action.SUBMIT)
    assert not before.current_revision.findings

    add(login_as("secadmin"), "棚户区改造名单", category="征地拆迁", severity="high")
    item = world.item(title="关于棚户区改造的通知", body="附件为本批棚户区改造名单，请核对。")
    response = act(login_as("officer"), item.id, "submit")
    assert response.status_code in (302, 303)
    db.session.expire_all()
    findings = [f for f in item.current_revision.findings if f.kind == "sensitive_word"]
    assert [(f.field, f.matched, f.severity, f.detail) for f in findings] == [
        ("body", "棚户区改造名单", "high", "征地拆迁")
    ]
    assert not before.current_revision.findings  # a sealed revision keeps what it was found with


def test_the_admin_removes_a_word_and_it_is_no_longer_screened(world, login_as):
    (word, kept) = seed(world, "旧词", "留用词")
    secadmin = login_as("secadmin")
    response = secadmin.post(f"{PAGE}/{word.id}/delete?category=&q=旧", {}, token_from=PAGE)
    assert response.status_code == 303 and response.headers["Location"] == f"{PAGE}?q=%E6%97%A7"
    assert "已删除敏感词：旧词" in flash_text(secadmin.get(response.headers["Location"]).text)
    assert set(listed(world.body.id)) == {"留用词"}
    again = secadmin.post(f"{PAGE}/{word.id}/delete", {}, token_from=PAGE)  # a double click
    assert again.status_code == 404
    item = world.to_state(world.item(body="旧词不再检查，留用词仍然检查。"), "pending_leader")
    assert [f.matched for f in item.current_revision.findings] == ["留用词"]


@pytest.mark.parametrize(
    "filename, encoding",
    [("词表.txt", "gb18030"), ("词表.csv", "utf-8-sig"), ("词表.txt", "utf-16")],
)
def test_import_of_a_word_list_file(world, login_as, filename, encoding):
    seed(world, "已有词")
    text = (
        "敏感词,类别,风险等级\r\n土地征收补偿,征地拆迁,高\r\n信访人名单\r\n\r\n"
        '内部测试词,,low\r\n已有词\r\n土地征收补偿\r\n"含,逗号的词",其他,中\r\n'
    )
    secadmin = login_as("secadmin")
    response = import_file(
        secadmin, filename, text.encode(encoding), category="默认类别", severity="medium"
    )
    assert response.status_code == 303, flash_text(response.text)
    message = flash_text(secadmin.get(response.headers["Location"]).text)
    assert "已添加 4 个敏感词" in message and "1 个已在词库中" in message and "1 行重复" in message
    assert listed(world.body.id) == {
        "已有词": ("", "medium"),
        "土地征收补偿": ("征地拆迁", "high"),
        "信访人名单": ("默认类别", "medium"),
        "内部测试词": ("默认类别", "low"),
        "含,逗号的词": ("其他", "medium"),
    }
    (entry,) = word_entries()
    detail = audit.detail_of(entry)
    assert (entry.action, detail["count"], detail["filename"]) == ("import_words", 4, filename)
    assert ["土地征收补偿", "征地拆迁", "high"] in detail["words"]


def test_every_change_is_audited_exactly_once(world, login_as):
    secadmin = login_as("secadmin")
    add(secadmin, "甲词\n乙词\n丙词", category="测试", severity="low")
    (entry,) = word_entries()
    assert entry.body_id == world.body.id and entry.actor_id == world.users["secadmin"].id
    assert audit.detail_of(entry) == {
        "role": "security_admin",
        "count": 3,
        "already_present": 0,
        "words": [["甲词", "测试", "low"], ["乙词", "测试", "low"], ["丙词", "测试", "low"]],
    }

    word_id = db.session.scalar(select(SensitiveWord.id).where(SensitiveWord.word == "乙词"))
    secadmin.post(f"{PAGE}/{word_id}/delete", {}, token_from=PAGE)
    import_file(secadmin, "a.txt", "丁词\n甲词\n".encode("gb18030"))
    add(secadmin, "甲词\n丁词")  # all present: no change, no entry
    add(secadmin, "")  # refused: no entry
    entries = word_entries()
    assert [e.action for e in entries] == ["add_words", "remove_word", "import_words"]
    assert audit.detail_of(entries[1])["words"] == [["乙词", "测试", "low"]]
    assert audit.detail_of(entries[2])["words"] == [["丁词", "", "medium"]]
    assert audit.verify().ok
    trail = login_as("auditor").get("/admin/audit?action=remove_word").text
    assert "删除敏感词" in trail and "安全管理员" in trail


# ---------------------------------------------------------------- errors keep what was typed


def test_form_errors_keep_the_typed_text_and_change_nothing(world, login_as):
    secadmin = login_as("secadmin")
    too_long = "长" * 101
    typed = f"第一个词\n{too_long}\n第三个词"
    response = add(secadmin, typed, category="我的类别", severity="high")
    assert response.status_code == 422
    assert "第 2 行超过 100 字" in response.text and "本次未添加任何敏感词" in response.text
    textarea = re.search(r'<textarea[^>]*name="words"[^>]*>(.*?)</textarea>', response.text, re.S)
    assert "第一个词" in textarea.group(1) and too_long in textarea.group(1)
    assert 'value="我的类别"' in response.text
    assert re.search(r'<option selected value="high">|<option value="high" selected', response.text)

    long_category = "类" * 33
    response = add(secadmin, "某词", category=long_category)
    assert response.status_code == 422 and "类别不能超过32字" in response.text
    assert f'value="{long_category}"' in response.text and "某词</textarea>" in response.text

    response = add(secadmin, "   \n  ")
    assert response.status_code == 422 and "请填写敏感词" in response.text
    assert not listed(world.body.id) and not word_entries()


@pytest.mark.parametrize(
    "filename, data, message",
    [
        (
            "词表.txt",
            "好词,类别,高\n坏词,类别,极高\n".encode("gb18030"),
            "第 2 行的风险等级“极高”无效",
        ),
        ("词表.txt", ("正常词\n" + "长" * 101 + "\n").encode(), "第 2 行超过 100 字"),
        ("词表.docx", b"PK\x03\x04 not a list", "不支持的文件类型“docx”"),
        ("词表.txt", b"\xff\x00\xfe\x00binary", "无法识别文件的编码"),
        ("词表.txt", b"\n \n", "文件中没有敏感词"),
    ],
)
def test_an_import_that_cannot_be_taken_says_why_and_keeps_the_defaults(
    world, login_as, filename, data, message
):
    secadmin = login_as("secadmin")
    response = import_file(secadmin, filename, data, category="导入类别", severity="low")
    assert response.status_code == 422
    assert message in response.text
    assert 'value="导入类别"' in response.text
    assert re.search(r'<option selected value="low">|<option value="low" selected', response.text)
    assert not listed(world.body.id) and not word_entries()


def test_an_import_without_a_file_says_so(world, login_as):
    secadmin = login_as("secadmin")
    response = secadmin.post(f"{PAGE}/import", {"import-category": "某类"}, token_from=PAGE)
    assert response.status_code == 422 and "请选择要导入的文件" in response.text


# ---------------------------------------------------------------- the list page


def test_the_list_filters_by_category_counts_by_severity_and_pages_by_keyset(world, login_as):
    seed(world, "政一", "政二", category="政治", severity="high")
    seed(world, "个一", category="个人信息", severity="medium")
    seed(world, "未分一", severity="low")
    secadmin = login_as("secadmin")
    page = secadmin.get(PAGE).text
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', page))
    assert counts == {"all": "4", "high": "2", "medium": "1", "low": "1"}
    political = secadmin.get(f"{PAGE}?category=政治").text
    assert "政一" in political and "个一" not in political and "未分一" not in political
    assert dict(re.findall(r'data-count="(\w+)">(\d+)<', political)) == {
        "all": "2",
        "high": "2",
        "medium": "0",
        "low": "0",
    }
    assert "政二" not in secadmin.get(f"{PAGE}?severity=low").text
    assert "个一" in secadmin.get(f"{PAGE}?q=个").text

    first, before = word_list.word_page(world.body.id, size=2)
    assert [w.word for w in first] == ["未分一", "个一"]
    second, after = word_list.word_page(world.body.id, size=2, before_id=before)
    assert [w.word for w in second] == ["政二", "政一"] and after is None
    rest = secadmin.get(f"{PAGE}?before={before}").text
    assert "政一" in rest and "未分一" not in rest
    beyond = secadmin.get(f"{PAGE}?before=99999999999999999")  # beyond every id: the newest
    assert beyond.status_code == 200 and heading(beyond.text) == "敏感词库"
    assert all(word in beyond.text for word in ("未分一", "个一", "政二", "政一"))


def test_words_are_shown_as_text_never_as_markup(world, login_as):
    add(login_as("secadmin"), "<script>alert(1)</script>\n%(x)s")
    page = login_as("secadmin").get(PAGE).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "%(x)s" in page


def test_the_word_count_of_a_change_is_limited(world, monkeypatch):
    monkeypatch.setattr(word_list, "MAX_WORDS_PER_CHANGE", 2)
    from approval.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="一次最多添加 2 个"):
        word_list.add_words(world.users["secadmin"], world.body.id, "一\n二\n三")
    assert db.session.scalar(select(func.count()).select_from(SensitiveWord)) == 0
