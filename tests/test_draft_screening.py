"""Screening while drafting (issue 27): the officer sees the 高风险 findings of the draft as it
is now (title, summary, body, attachments' text) on the item page before submitting, and each
save says how many were found. Sealing keeps doing its own screening and storing."""

from __future__ import annotations

import io
import re
import time

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from approval.core.workflow import Action
from approval.extensions import db
from approval.models import ScreeningFinding
from approval.publication import draft_screening, drafts
from approval.screening import word_list
from tests.factories import content

VERSION_RE = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')

ID = "11010519491231002X"
CARD = "6222021234567890128"  # passes Luhn


def _draft_fields(world, **overrides) -> dict:
    data = {**content(category_id=world.category.id), **overrides}
    data["formed_on"] = data["formed_on"].isoformat()
    data["category_id"] = str(data["category_id"])
    data["non_disclosure_basis"] = ""
    return data


def _card(page_text: str) -> str:
    start = page_text.find('id="draft-findings"')
    assert start >= 0, "no draft pre-check on the page"
    return page_text[start : page_text.find("</section>", start)]


def test_the_draft_page_lists_the_high_risk_findings_of_text_and_attachments(world, login_as):
    item = world.item(title="低保名单（内部资料）", body=f"张三，身份证号{ID}，银行卡{CARD}。")
    listed = "\n".join(f"李{n}，13{n}12345678" for n in range(5, 9))  # a batch of mobiles
    file = FileStorage(io.BytesIO(listed.encode()), filename="名单.txt", content_type="text/plain")
    drafts.add_attachment(world.users["officer"], item, file, item.version)
    db.session.commit()
    word_list.add_words(world.users["secadmin"], world.body.id, "内部资料")
    db.session.commit()

    page = login_as("officer").get(f"/items/{item.id}")
    card = _card(page.text)
    assert 'data-high="6"' in card  # the ID, the card and 4 mobiles as a batch
    assert "发现 6 处高风险内容" in card
    assert "<mark>内部资料</mark>" in card  # the listed word (medium), shown after the high ones
    assert "110105********002X" in card  # what to publish instead
    assert "名单.txt" in card and "成批个人信息" in card
    assert "一键脱敏" in card  # the hint, with the button beside it
    assert "data-mask-hint" in card
    # nothing is stored while drafting: sealing does that
    assert db.session.scalar(select(func.count()).select_from(ScreeningFinding)) == 0


def test_a_clean_draft_says_so_and_reviewers_do_not_see_the_draft_check(world, login_as):
    item = world.item()
    page = login_as("officer").get(f"/items/{item.id}")
    assert "未发现密级标志、未脱敏的个人信息或敏感词" in _card(page.text)
    submitted = world.item(body=f"身份证号{ID}")
    world.act("officer", submitted, Action.SUBMIT)
    for who in ("officer", "leader"):
        page = login_as(who).get(f"/items/{submitted.id}")
        assert 'id="draft-findings"' not in page.text  # sealed: the stored findings show
        assert 'id="findings"' in page.text


def test_the_draft_check_finds_what_sealing_finds(world):
    """The same rules as screening/operations.py: same kinds and severities."""
    mobiles = "；".join(f"13{n}12345678" for n in range(5, 8))
    item = world.item(title="秘密★1年", summary=f"卡号{CARD}", body=f"{ID}，电话{mobiles}")
    word_list.add_words(world.users["secadmin"], world.body.id, "低保")
    db.session.commit()
    before = sorted(
        (f.kind, f.severity, f.field) for f in draft_screening.findings(item.current_revision)
    )
    world.act("officer", item, Action.SUBMIT)
    sealed = sorted((f.kind, f.severity, f.field) for f in item.current_revision.findings)
    assert before == sealed and ("mobile", "high", "body") in sealed


def test_each_save_says_how_many_high_risk_findings_there_are(world, login_as):
    officer = login_as("officer")
    made = officer.post(
        "/items/new",
        _draft_fields(world, body=f"身份证号{ID}，联系人张三。"),
        token_from="/items/new",
        follow_redirects=True,
    )
    assert "保密预审发现 1 处高风险内容" in made.text
    item_id = int(made.request.path.rsplit("/", 1)[1])
    edit = f"/items/{item_id}/edit"
    version = next(v for v in VERSION_RE.search(officer.get(edit).text).groups() if v)
    fixed = officer.post(
        edit,
        _draft_fields(world, body="联系人张三。", version=version),
        token_from=edit,
        follow_redirects=True,
    )
    assert "修改已保存" in fixed.text and "保密预审未发现高风险内容" in fixed.text
    assert 'data-high="0"' in fixed.text or "未发现密级标志" in fixed.text


def test_a_one_megabyte_body_is_checked_on_page_load_quickly(world, login_as):
    line = "第{}条：城乡低保标准调整为每人每月900元，联系电话0571-12345678。\n"
    body = "".join(line.format(n) for n in range(30000))[: 1024 * 1024 - 30]
    body += f"张三{ID}"
    assert len(body.encode()) > 1024 * 1024  # over a megabyte, as stored
    item = world.item(body=body)
    word_list.add_words(world.users["secadmin"], world.body.id, "内部资料")
    db.session.commit()
    officer = login_as("officer")
    started = time.monotonic()
    page = officer.get(f"/items/{item.id}")
    elapsed = time.monotonic() - started
    assert page.status_code == 200 and 'data-high="1"' in page.text
    assert "正文中有 1 处未脱敏的个人信息" in page.text  # the masking offer, from the same check
    assert elapsed < 10, elapsed  # about 2 s here; a generous bound for a busy CI host
