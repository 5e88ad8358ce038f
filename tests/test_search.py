"""Portal search as a citizen uses it, on the real index of each database (SQLite FTS5 /
PostgreSQL GIN): 2-character and longer Chinese queries with no false hits across punctuation,
attachments, the index following publish / unpublish / validity in the same transaction,
filters, ordering, hostile input, pages, and query plans that use the index."""

from __future__ import annotations

import io
import re
from datetime import datetime

import docx
import pytest
from sqlalchemy import func, insert, select, text

from approval.core.clock import local_today
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Category, Item
from approval.publication import transitions
from approval.publication.transitions import ActionInput
from approval.search import form as search_form
from approval.search import query as search_query
from approval.search import reindex_all, sync_item
from approval.search.documents import backend
from approval.search.schema import documents, ordinal_of
from approval.search.tokens import parse_query
from tests.helpers.attachments import upload
from tests.helpers.pages import heading
from tests.helpers.queries import counting as statements  # the SQL sent inside the block

HIT_RE = re.compile(r'<h3 class="item-title"><a href="/public/items/(\d+)">')


def published(world, **overrides) -> Item:
    return world.to_state(world.item(**overrides), "published")


def found(world, q: str, **filters) -> list[int]:
    """Item ids of the first page of results, through the service."""
    form = search_form.read_form(
        world.body.id, {"q": q, **filters}, search_form.options(world.body.id)
    )
    page = search_query.search(world.body.id, form.query, form.filters)
    return [hit.item_id for hit in page.hits]


def indexed(q: str) -> int:
    """Rows the database's own index finds for a query (FTS5 table / GIN-indexed tsvector), not
    joined to anything: a removal must leave nothing behind in it."""
    parsed = parse_query(q)
    if db.engine.dialect.name == "postgresql":
        from approval.search.postgres_backend import tsquery_literal

        return db.session.scalar(
            text("SELECT count(*) FROM search_documents WHERE tsv @@ CAST(:q AS tsquery)"),
            {"q": tsquery_literal(parsed)},
        )
    from approval.search.sqlite_backend import match_expression

    return db.session.scalar(
        text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :q"),
        {"q": match_expression(parsed, None)},
    )


def page_ids(html: str) -> list[int]:
    return [int(i) for i in HIT_RE.findall(html)]


def walked_windows(sent: list[str]) -> list[str]:
    """The statements that walked a window through the ordinal index (PostgreSQL's
    ``ts_match_vq``), each asserted to be a bounded window."""
    walked = [s for s in sent if "ts_match_vq" in s]
    assert all("search_documents.ordinal >=" in s for s in walked), walked
    return walked


# ---------------------------------------------------------------- what is found


def test_a_two_character_query_finds_exactly_the_items_that_contain_it(world):
    dibao = published(world, title="城乡低保标准调整公告", summary="", body="自1月1日起执行。")
    in_body = published(
        world, title="民政工作动态", summary="", body="本月为困难群众发放低保金和临时救助金。"
    )
    apart = published(
        world, title="救助通知", summary="", body="对收入最低，保障不足的家庭给予救助。"
    )
    spaced = published(world, title="住房保障", summary="", body="低 保 两字之间有空格。")
    split = published(world, title="补贴发放", summary="", body="低收入农户可申请保险补贴。")
    assert sorted(found(world, "低保")) == sorted([dibao.id, in_body.id])
    assert found(world, "补贴") == [split.id]
    assert set(found(world, "保障")) == {apart.id, spaced.id}


def test_longer_queries_need_the_contiguous_string(world):
    exact = published(world, title="通知", summary="", body="2026年城乡低保标准为每人每月900元。")
    scattered = published(world, title="通知", summary="", body="低保对象的认定标准另行公布。")
    across = published(world, title="通知", summary="", body="享受低保、标准以上的补助。")
    # every bigram of 低保标准 is here (低保, 保标, 标准), but never one after the other
    bigrams = published(world, title="通知", summary="", body="低保户应确保标识清楚，符合标准。")
    assert found(world, "低保标准") == [exact.id]
    assert found(world, "保标准") == [exact.id]
    assert found(world, "确保标") == [bigrams.id]
    assert found(world, "城乡低保标准") == [exact.id]
    assert set(found(world, "低保 标准")) == {exact.id, scattered.id, across.id, bigrams.id}
    assert found(world, "低保标准 900") == [exact.id]
    assert found(world, "低保标准 901") == []


def test_one_character_latin_words_numbers_and_full_width_input(world):
    item = published(
        world,
        title="关于执行GB 11643标准的通知",
        summary="",
        body="自2026年起，身份号码校验按国家标准执行。",
    )
    other = published(world, title="工作简报", summary="", body="本期简报共三则。")
    assert found(world, "报") == [other.id]  # end of a run: 简报
    assert found(world, "则") == [other.id]  # a run's last character
    assert set(found(world, "标")) == {item.id}
    assert found(world, "gb") == [item.id]
    assert found(world, "ＧＢ") == [item.id]  # full-width letters, folded by NFKC
    assert found(world, "１１６４３") == [item.id]
    assert found(world, "2026") == [item.id]
    assert found(world, "202") == []  # a word matches whole
    assert found(world, "2026年") == [item.id]  # one phrase: 2026 then 年


def test_attachment_text_is_searchable(world, login_as, tmp_path):
    officer = login_as("officer")
    item = world.item(title="关于公示2026年临时救助对象的通知", summary="", body="详见附件。")
    document = docx.Document()
    document.add_paragraph("临时救助对象名单")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "张三"
    table.cell(0, 1).text = "因病致贫，给予一次性救助"
    buffer = io.BytesIO()
    document.save(buffer)
    upload(officer, item.id, "救助名单.docx", buffer.getvalue())
    upload(officer, item.id, "说明.txt", "资金来源：县级财政专项资金。\n".encode())
    db.session.refresh(item)
    world.to_state(item, "published")
    assert found(world, "因病致贫") == [item.id]  # a table cell of the .docx
    assert found(world, "财政专项") == [item.id]  # the .txt
    assert found(world, "救助名单") == [item.id]  # the attachment's name
    hit = search_query.search(world.body.id, parse_query("财政专项")).hits[0]
    marked = [hit.snippet.text[s:e] for s, e in hit.snippet.spans]
    assert marked == ["财政专项"]


def test_drafts_and_items_in_review_are_not_found(world):
    world.to_state(world.item(title="低保审核中"), "pending_office")
    world.to_state(world.item(title="低保已审未发"), "approved")
    world.item(title="低保草稿")
    assert found(world, "低保") == []
    assert db.session.scalar(select(func.count()).select_from(documents)) == 0


# ---------------------------------------------------------------- in step with the portal


def test_unpublishing_removes_the_item_in_the_same_transaction(world, client):
    item = published(world, title="低保资金发放公示")
    assert found(world, "低保") == [item.id]
    transitions.perform(
        world.users["publisher"],
        item,
        Action.UNPUBLISH,
        item.version,
        ActionInput(opinion="数据有误"),
    )
    assert found(world, "低保") == []  # same transaction: already gone
    db.session.rollback()  # the unpublishing did not happen ...
    assert found(world, "低保") == [item.id]  # ... so neither did the removal
    db.session.refresh(item)
    world.act("publisher", item, "unpublish", opinion="数据有误")
    page = client.get(f"/public/{world.body.id}/search?q=低保")
    assert page.status_code == 200 and page_ids(page.text) == []
    assert indexed("低保") == indexed("资金发放公示") == indexed("低") == 0
    sync_item(item)  # idempotent: an unpublished item stays out
    assert indexed("低保") == 0


def test_a_validity_change_reaches_the_index_and_sync_is_idempotent(world, client):
    item = published(world, title="旧版低保办法")
    world.act("publisher", item, "change_validity", validity="repealed")
    assert found(world, "低保", validity="repealed") == [item.id]
    assert found(world, "低保", validity="valid") == []
    sync_item(item)
    sync_item(item)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(documents)) == 1
    page = client.get(f"/public/{world.body.id}/search?q=低保").text
    row = page.split('class="item-row search-hit"')[1]
    assert "废止" in row


def test_reindex_all_rebuilds_the_same_index(world):
    first = published(world, title="低保公告", body="低保标准")
    second = published(world, title="补贴公告", body="低保补贴")
    before = {q: found(world, q) for q in ("低保", "补贴", "低保标准", "保")}
    assert reindex_all() == 2
    db.session.commit()
    assert {q: found(world, q) for q in before} == before
    assert before["低保"] == [first.id, second.id]  # title match first


# ---------------------------------------------------------------- order, filters, pages


def test_title_matches_come_first_then_the_newest(world):
    old_title = published(world, title="低保标准公告", summary="", body="正文。")
    body_hit = published(world, title="民政动态", summary="", body="调整低保标准。")
    new_title = published(world, title="低保资金公示", summary="", body="正文。")
    newest_body = published(world, title="工作简报", summary="低保工作进展", body="正文。")
    assert found(world, "低保") == [new_title.id, old_title.id, newest_body.id, body_hit.id]


def test_filters_by_category_with_subcategories_department_year_and_validity(world):
    parent = Category(body=world.body, code="03", name="社会救助", position=1)
    child = Category(body=world.body, code="0301", name="最低生活保障", parent=parent, position=2)
    db.session.add_all([parent, child])
    db.session.commit()
    in_parent = published(world, title="社会救助低保综述", category_id=parent.id)
    in_child = published(world, title="低保标准", category_id=child.id)
    elsewhere = published(world, title="低保宣传", category_id=world.category.id)
    assert set(found(world, "低保", category="03")) == {in_parent.id, in_child.id}
    assert found(world, "低保", category="0301") == [in_child.id]
    assert found(world, "低保", department=str(world.departments["civil"].id)) == [
        elsewhere.id,
        in_child.id,
        in_parent.id,
    ]
    assert found(world, "低保", department=str(world.departments["agri"].id)) == []
    # an item published in an earlier year (its index entry rebuilt)
    in_parent.published_at = datetime(2024, 12, 31, 17, 0)  # 2025-01-01 01:00 in Beijing
    db.session.commit()
    reindex_all()
    db.session.commit()
    assert found(world, "低保", year="2025") == [in_parent.id]
    this_year = str(local_today().year)  # the year as Beijing counts it
    assert set(found(world, "低保", year=this_year)) == {in_child.id, elsewhere.id}
    world.act("publisher", elsewhere, "change_validity", validity="expired")
    assert found(world, "低保", validity="expired") == [elsewhere.id]


def test_bad_filter_values_are_ignored_with_a_notice(world, client):
    item = published(world, title="低保公告")
    for params, notice in [
        ("category=nope", "没有这个主题分类"),
        ("department=abc", "没有这个发布机构"),
        ("department=99999999999", "没有这个发布机构"),
        ("year=1800", "年份无效"),
        ("year=2026x", "年份无效"),
        ("validity=maybe", "有效性无效"),
    ]:
        page = client.get(f"/public/{world.body.id}/search?q=低保&{params}")
        assert page.status_code == 200, params
        assert notice in page.text, params
        assert page_ids(page.text) == [item.id], params


def test_other_bodies_items_are_not_found(world):
    from tests.factories import World

    other = World.build(credit_code="11000000MB0000002X")
    mine = published(world, title="本镇低保公告")
    theirs = published(other, title="邻镇低保公告")
    assert found(world, "低保") == [mine.id]
    assert found(other, "低保") == [theirs.id]


# PostgreSQL lists a rare term's matches whole (none in the body's newest SAMPLE documents, at
# most FEW_MATCHES) and reads others tier by tier, window by window, through the full-text index
# or, for a tier dense in the sample (DENSE), walking the ordinal index: the paging tests run
# every way and check which way each page was read. A test body is smaller than SAMPLE, so the
# ways are forced through the thresholds. SQLite reads one way only.
EVERY_WAY = pytest.mark.parametrize("way", ["listed-whole", "by-tier", "walked"])
FORCED = {
    "listed-whole": {"SAMPLE": 0},
    "by-tier": {"FEW_MATCHES": 0, "DENSE": 2, "DENSE_COUNT": 2},  # never: 200% of the sample
    "walked": {"FEW_MATCHES": 0, "DENSE": 0, "DENSE_COUNT": 0, "FEW": 1},
}


def read_the(way: str, monkeypatch) -> list[str]:
    """Set the search up to read ``way``; returns the list of ways the pages were read."""
    if way != "by-tier" and not backend().SAMPLES_TERMS:
        pytest.skip("SQLite reads every term by tier, through its index")
    for name, value in FORCED[way].items():
        monkeypatch.setattr(search_query, name, value)
    taken = []

    def listed(*args, _real=search_query._page_of):
        taken.append("listed-whole")
        return _real(*args)

    def by_tier(*args, _real=search_query._page_by_tier):
        taken.append("walked" if args[-1].walked else "by-tier")
        return _real(*args)

    monkeypatch.setattr(search_query, "_page_of", listed)
    monkeypatch.setattr(search_query, "_page_by_tier", by_tier)
    return taken


@EVERY_WAY
def test_results_page_by_keyset_across_the_title_and_text_tiers(world, client, monkeypatch, way):
    taken = read_the(way, monkeypatch)
    titles = [
        published(world, title=f"低保公告第{i}号", summary="", body="正文") for i in range(12)
    ]
    texts = [published(world, title=f"工作动态第{i}期", summary="", body="低保") for i in range(12)]
    expected = [i.id for i in reversed(titles)] + [i.id for i in reversed(texts)]
    seen, url = [], f"/public/{world.body.id}/search?q=低保"
    while url:
        html = client.get(url).text
        seen += page_ids(html)
        assert "找到 24 条结果" in html
        nxt = re.search(r'href="([^"]+)">下一页', html)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
    assert seen == expected
    for cursor in ("garbage", "1_99999999999999999999", "1_9999999999999999999", "2_5", "0_-1"):
        page = client.get(f"/public/{world.body.id}/search?q=低保&after={cursor}")
        assert page_ids(page.text) == expected[:20], cursor  # a broken cursor: the first page
    assert set(taken) == {way}


def test_the_count_is_capped(world):
    for i in range(4):
        published(world, title=f"低保公告{i}")
    query = parse_query("低保")
    assert search_query.count(world.body.id, query, search_query.Filters(), cap=2) == 3
    assert search_query.count(world.body.id, query, search_query.Filters()) == 4


# ---------------------------------------------------------------- the page


def test_the_page_highlights_matches_and_escapes_everything_else(world, client):
    item = published(
        world,
        title="<b>低保</b>标准公告",
        summary="",
        body="经研究，<script>alert(1)</script>城乡低保标准调整为每人每月900元。",
    )
    page = client.get(f"/public/{world.body.id}/search?q=低保标准")
    assert page.status_code == 200
    assert page_ids(page.text) == [item.id]
    assert "&lt;b&gt;低保&lt;/b&gt;标准公告" in page.text  # no match across the tag: 保</b>标
    assert "<mark>低保标准</mark>调整" in page.text
    assert "&lt;script&gt;" in page.text and "<script>alert" not in page.text
    assert "找到 1 条结果" in page.text
    assert 'value="低保标准"' in page.text  # the query stays in the box


def test_an_empty_query_shows_the_form_and_no_results(world, client):
    published(world, title="低保公告")
    for url in ("", "?q=", "?q=+++", "?category=06"):
        page = client.get(f"/public/{world.body.id}/search{url}")
        assert page.status_code == 200
        assert 'type="search" name="q"' in page.text and "搜索结果" not in page.text
    assert (
        "请输入要搜索的汉字、字母或数字"
        in client.get(f"/public/{world.body.id}/search?q=%22%2A%28%29").text
    )
    assert client.get("/public/999999/search?q=低保").status_code == 404


HOSTILE = [
    '"',
    '""',
    '"低保',
    '低保"',
    "*",
    "低*",
    "**",
    "OR",
    "低保 OR 补贴",
    "AND",
    "NOT 低保",
    "NEAR(低保 补贴)",
    "NEAR",
    "(",
    ")",
    "(低保",
    "低保)",
    "-",
    "-低保",
    "低保 -补贴",
    "^低保",
    "title:低保",
    "{title}:低保",
    "低保:*",
    "'",
    "''; DROP TABLE items; --",
    "\\",
    "&",
    "|",
    "!",
    "<->",
    "低保 <-> 补贴",
    "a" * 5000,
    "低" * 300,
    "\x00",
    "\u200b",
    "😀低保",
    "%",
    "_",
    "低保" + " 保" * 40,
]


def test_hostile_input_never_breaks_the_search(world, client):
    item = published(world, title="低保和补贴发放公告")
    for q in HOSTILE:
        response = client.get(f"/public/{world.body.id}/search", query_string={"q": q})
        assert response.status_code == 200, q
        assert (
            heading(response.text) == "搜索公开信息" and 'type="search" name="q"' in response.text
        ), q
        assert set(page_ids(response.text)) <= {item.id}, q  # nothing but the one item, if any
    assert (
        page_ids(
            client.get(
                f"/public/{world.body.id}/search", query_string={"q": "NEAR(低保 补贴)"}
            ).text
        )
        == []
    )  # near, a words
    assert page_ids(
        client.get(f"/public/{world.body.id}/search", query_string={"q": '"低保" (补贴)*'}).text
    ) == [item.id]
    assert page_ids(
        client.get(f"/public/{world.body.id}/search", query_string={"q": "低保 -补贴"}).text
    ) == [item.id]
    long = client.get(f"/public/{world.body.id}/search", query_string={"q": "低保 " + "a" * 200})
    assert "搜索词过长，只按前 100 个字、10 个词搜索" in long.text


def test_upgrading_a_database_indexes_what_is_already_published(world, app, client):
    """A database from before the portal (0003) keeps its published items findable: init-db
    migrates (0004 fills items.category_id) and then builds the empty search index."""
    from flask_migrate import downgrade

    from approval import MIGRATIONS
    from approval.cli import init_database

    item = published(world, title="升级前发布的低保公告")
    body_id, item_id = world.body.id, item.id
    category_id, code = world.category.id, world.category.code
    db.session.close()
    downgrade(directory=MIGRATIONS, revision="0003")
    init_database()
    hits = search_query.search(body_id, parse_query("低保")).hits
    assert [hit.item_id for hit in hits] == [item_id]
    assert db.session.get(Item, item_id).category_id == category_id
    catalog = client.get(f"/public/{body_id}/catalog/{code}").text
    assert f"/public/items/{item_id}" in catalog


# ---------------------------------------------------------------- served from the index


def _bulk_documents(world, count: int, rare_every: int, phrase_every: int = 0) -> None:
    """``count`` published-looking items indexed directly (the chain is too slow for thousands);
    every ``rare_every``-th holds 低保, every ``phrase_every``-th (if any) 防汛抗旱."""
    body, dept = world.body.id, world.departments["civil"].id
    author = world.users["officer"].id
    now = datetime(2026, 3, 1, 8, 0)
    db.session.execute(
        insert(Item),
        [
            {
                "body_id": body,
                "department_id": dept,
                "author_id": author,
                "state": "published",
                "published_at": now,
            }
            for _ in range(count)
        ],
    )
    ids = db.session.scalars(select(Item.id).order_by(Item.id)).all()
    chosen = backend()
    for n, item_id in enumerate(ids):
        chosen.insert(
            db.session,
            {
                "item_id": item_id,
                "ordinal": ordinal_of(now, item_id) + n * 1000,
                "body_id": body,
                "category_id": None,
                "department_id": dept,
                "year": 2026,
                "validity": "valid",
                "published_at": now,
                "title": f"工作动态第{n}期",
                "text": (
                    "关于城乡低保资金发放情况的说明。"
                    if n % rare_every == 0
                    else f"本镇第{n}次农业生产会议纪要，部署春耕备耕与水利建设。"
                )
                + ("做好防汛抗旱准备。" if phrase_every and n % phrase_every == 0 else ""),
            },
        )
    db.session.commit()


def test_a_two_character_query_is_served_from_the_index(world):
    _bulk_documents(world, 3000, rare_every=500)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE search_documents"))
    for q in ("低保", "低保资金", "保"):
        plan = search_query.explain(world.body.id, parse_query(q))
        if db.engine.dialect.name == "postgresql":
            # the text's index, or the title's for the first tier (a title match is a match)
            assert re.search(r"Bitmap Index Scan on ix_search_documents_(title_)?tsv", plan), plan
            assert "Seq Scan" not in plan, plan
        else:
            assert "SCAN search_fts VIRTUAL TABLE INDEX" in plan, plan
            assert "SCAN search_documents" not in plan, plan  # looked up by ordinal only
            assert "TEMP B-TREE" not in plan, plan  # FTS5 yields rows in order
    assert len(found(world, "低保")) == 6
    assert found(world, "低保资金发放") and not found(world, "低保会议")


def test_a_term_dense_among_the_newest_documents_walks_its_window_in_order(world, monkeypatch):
    """PostgreSQL: 防汛抗旱 is in the text of one document in twenty. The planner multiplies its
    bigrams' frequencies (under 1 row expected of 3,000), so it would read every match in the
    table through the GIN index; 5% of the newest 300 documents have it (DENSE: 2%), so its text
    tier's window is walked through the ordinal index instead, newest first, stopping at a page
    (its count, which needs 201 matches, is not: DENSE_COUNT is 10%). 会议, in nearly every
    text, walks its count too; 工作动态 (every title) walks the title tier; 低保 (one in 500,
    none among the newest 300) is rare; a filtered search walks nothing. The page is the same
    either way."""
    if not backend().SAMPLES_TERMS:
        pytest.skip("SQLite reads every term one way")
    _bulk_documents(world, 3000, rare_every=500, phrase_every=20)
    db.session.execute(text("ANALYZE search_documents"))
    body, everything, phrase = world.body.id, search_query.Filters(), parse_query("防汛抗旱")
    assert search_query._ways(body, phrase, everything).walked == {0}
    assert search_query._ways(body, parse_query("会议"), everything).walked == {0, None}
    assert search_query._ways(body, parse_query("工作动态"), everything).walked == {1, None}
    assert search_query._ways(body, parse_query("低保"), everything).rare
    in_department = search_query.Filters(department_id=world.departments["civil"].id)
    filtered = search_query._ways(body, phrase, in_department)
    assert not filtered.rare and not filtered.walked
    _, since = next(search_query._windows(search_query._newest(body), None))
    through_gin = search_query.explain(body, phrase, tier=0, since=since)
    assert "Bitmap Index Scan on ix_search_documents_tsv" in through_gin, through_gin
    walked = search_query.explain(body, phrase, tier=0, since=since, walk=True)
    assert re.search(
        r"Index Scan Backward using (uq_search_documents_ordinal|"
        r"ix_search_documents_body_ordinal)",
        walked,
    ), walked
    assert "ix_search_documents_tsv" not in walked, walked
    assert "ix_search_documents_title_tsv" not in walked and "Sort" not in walked, walked
    pages = []
    for dense in (search_query.DENSE, 2):  # walked, then through the GIN index
        monkeypatch.setattr(search_query, "DENSE", dense)
        with statements() as sent:
            page = search_query.search(body, phrase)
        pages.append(
            (
                [hit.item_id for hit in page.hits],
                page.total,
                page.total_capped,
                len(walked_windows(sent)),
            )
        )
    assert pages[0][:3] == pages[1][:3]
    assert len(pages[0][0]) == 20 and pages[0][1:3] == (150, False)
    assert pages[0][3] == 1 and pages[1][3] == 0  # the page's one window (the count's are not)


@EVERY_WAY
def test_pages_walk_every_match_newest_first_across_publication_windows(world, monkeypatch, way):
    """PostgreSQL reads a page window by window of publication time (a day, ten days, …, all),
    or lists a rare term's matches whole; matches from an hour to fifteen years old, in both
    tiers, come out once each, in order."""
    taken = read_the(way, monkeypatch)
    from datetime import timedelta

    from approval.core.clock import utcnow

    ages = [
        timedelta(hours=1),
        timedelta(days=3),
        timedelta(days=40),
        timedelta(days=400),
        timedelta(days=2000),
        timedelta(days=5500),
    ]
    in_title = [published(world, title=f"低保公告{n}") for n in range(len(ages))]
    in_body = [published(world, title=f"其他公告{n}", body="城乡低保标准调整") for n in range(3)]
    for item, age in zip(in_title + in_body, ages + ages[1::2]):
        item.published_at = utcnow() - age
    db.session.commit()
    reindex_all()
    db.session.commit()
    expected = [i.id for i in sorted(in_title, key=lambda i: i.published_at, reverse=True)] + [
        i.id for i in sorted(in_body, key=lambda i: i.published_at, reverse=True)
    ]
    walked, cursor = [], None
    with statements() as sent:
        for _ in range(10):
            page = search_query.search(world.body.id, parse_query("低保"), cursor=cursor, size=2)
            walked += [hit.item_id for hit in page.hits]
            cursor = page.next_cursor
            if cursor is None:
                break
    assert walked == expected
    assert page.total == len(expected)
    assert set(taken) == {way} and len(taken) == 5  # 9 matches, 2 a page
    through_ordinals = walked_windows(sent)
    if way == "walked":  # pages and the count, each tier, the open window excepted
        assert any(s.lstrip().startswith("SELECT count(*)") for s in through_ordinals)
        for tier_condition in (
            "WHERE ts_match_vq(search_documents.title_tsv",  # tier 1
            "WHERE NOT ts_match_vq(search_documents.title_tsv",
        ):  # tier 0
            assert any(tier_condition in s for s in through_ordinals), tier_condition
    else:
        assert not through_ordinals


def test_a_term_missing_from_the_newest_documents_is_listed_whole_with_its_filters(
    world, monkeypatch
):
    """PostgreSQL: neither of the 2 newest documents has 低保, so its older matches are read at
    once (the filter applied, the count exact); 公告, in the newest, is read by tier."""
    from datetime import timedelta

    from approval.core.clock import utcnow

    if not backend().SAMPLES_TERMS:
        pytest.skip("SQLite reads every term by tier")
    monkeypatch.setattr(search_query, "SAMPLE", 2)
    elsewhere = Category(body=world.body, code="09", name="其他")
    db.session.add(elsewhere)
    db.session.commit()
    old = [published(world, title=f"低保公告{n}") for n in range(3)]
    other_category = published(world, title="低保资金公告", category_id=elsewhere.id)
    newest = [
        published(world, title=f"工作公告{n}", summary="", body="正文", keywords="")
        for n in range(2)
    ]
    for age, item in enumerate(reversed(newest + old + [other_category])):
        item.published_at = utcnow() - timedelta(days=10 + age)
    for item in newest:
        item.published_at = utcnow()
    db.session.commit()
    reindex_all()
    db.session.commit()
    body = world.body.id
    in_category = search_query.Filters(category_ids=(world.category.id,))
    assert search_query._ways(body, parse_query("低保"), in_category).rare
    assert not search_query._ways(body, parse_query("公告"), in_category).rare
    page = search_query.search(body, parse_query("低保"), in_category)
    assert [h.item_id for h in page.hits] == [
        i.id for i in sorted(old, key=lambda i: i.published_at, reverse=True)
    ]
    assert page.total == 3 and page.next_cursor is None
    assert search_query._every_match(body, parse_query("低保"), in_category) is not None
    assert len(search_query._every_match(body, parse_query("低保"), search_query.Filters())) == 4
