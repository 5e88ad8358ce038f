"""The general office keeps the portal: the catalog tree (主题分类: codes, names, parents, order)
and the 信息公开指南/信息公开制度 pages. Only its 办公室审核 and 发布员 staff of the same body may;
every change is one audit entry; refused forms say why in Chinese and keep what was typed."""

from __future__ import annotations

import re
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from approval import permissions
from approval.audit import trail as audit
from approval.extensions import db
from approval.models import AuditEntry, Category, PortalPage
from approval.portal import catalog
from approval.publication import drafts
from tests.conftest import Browser
from tests.factories import World, content

CATALOG = "/office/catalog"
CATALOG_ACTIONS = (
    "category_create",
    "category_update",
    "category_move",
    "category_delete",
    "portal_page_update",
)


# ---------------------------------------------------------------- helpers


def create(b: Browser, code: str, name: str, parent: Category | None = None):
    return b.post(
        CATALOG,
        {"code": code, "name": name, "parent_id": str(parent.id) if parent else ""},
        token_from=CATALOG,
    )


def edit(b: Browser, category: Category, code: str, name: str, parent: Category | None = None):
    url = f"{CATALOG}/{category.id}/edit"
    return b.post(
        url,
        {"code": code, "name": name, "parent_id": str(parent.id) if parent else ""},
        token_from=url,
    )


def move(b: Browser, category: Category, direction: str):
    return b.post(f"{CATALOG}/{category.id}/move", {"direction": direction}, token_from=CATALOG)


def delete(b: Browser, category: Category):
    return b.post(f"{CATALOG}/{category.id}/delete", {}, token_from=CATALOG)


def save_page(b: Browser, slug: str, content: str, title: str = "", seen: str | None = None):
    url = f"/office/pages/{slug}"
    if seen is None:
        seen = re.search(r'name="seen" type="hidden" value="([^"]*)"', b.get(url).text).group(1)
    return b.post(url, {"title": title, "content": content, "seen": seen}, token_from=url)


def category(body_id: int, code: str) -> Category | None:
    db.session.expire_all()
    return db.session.scalar(
        select(Category).where(Category.body_id == body_id, Category.code == code)
    )


def add(world, code: str, name: str, parent: Category | None = None) -> Category:
    """A category made through the service, as the office would (for setting up a test)."""
    made = catalog.create_category(
        world.users["office"],
        world.body.id,
        code=code,
        name=name,
        parent_id=parent.id if parent else None,
    )
    db.session.commit()
    return made


def entries() -> list[AuditEntry]:
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(CATALOG_ACTIONS)).order_by(AuditEntry.id)
    ).all()


def codes_in_page_order(html: str) -> list[str]:
    return re.findall(r'<li id="category-\d+" data-code="([^"]+)"', html)


def flash_text(html: str) -> str:
    return " ".join(re.findall(r'<p class="flash flash-\w+"[^>]*>(.*?)</p>', html, re.S))


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize(
    "name", ["officer", "leader", "office_head", "secrecy", "sysadmin", "secadmin", "auditor"]
)
def test_only_general_office_auditors_and_publishers_reach_the_portal_admin(world, login_as, name):
    target = world.category
    b = login_as(name)
    for url in (CATALOG, "/office/", f"{CATALOG}/{target.id}/edit", "/office/pages/guide"):
        assert b.get(url).status_code == 403, url
    token = b.token("/")
    for url, data in (
        (CATALOG, {"code": "99", "name": "越权"}),
        (f"{CATALOG}/{target.id}/edit", {"code": "98", "name": "越权"}),
        (f"{CATALOG}/{target.id}/move", {"direction": "down"}),
        (f"{CATALOG}/{target.id}/delete", {}),
        ("/office/pages/guide", {"content": "越权内容"}),
    ):
        response = b.client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 403, url
    assert "专栏管理" not in b.get("/").text  # no nav link
    assert (
        category(world.body.id, "06").name == "通知公告" and category(world.body.id, "99") is None
    )
    assert not db.session.scalars(select(PortalPage)).all() and not entries()


@pytest.mark.parametrize("name", ["office", "publisher", "office_and_secrecy"])
def test_the_general_offices_auditor_and_publisher_manage_the_portal(world, login_as, name):
    b = login_as(name)
    page = b.get(CATALOG)
    assert page.status_code == 200 and "通知公告" in page.text
    assert f'href="{CATALOG}"' in b.get("/").text  # the nav link 专栏管理
    assert 'href="/office/pages/guide"' in page.text and 'href="/office/pages/rules"' in page.text
    assert b.get("/office/").headers["Location"].endswith(CATALOG)


def test_a_publisher_outside_the_general_office_is_refused(world, login_as):
    publisher = world.users["publisher"]
    publisher.department = world.departments["civil"]
    db.session.commit()
    assert not permissions.can_manage_portal(publisher, world.body.id)
    assert login_as("publisher").get(CATALOG).status_code == 403


def test_anonymous_visitors_are_sent_to_login(world, client):
    for url in (CATALOG, "/office/pages/guide", f"{CATALOG}/{world.category.id}/edit"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    token = Browser(client).token("/login")
    response = client.post(CATALOG, data={"csrf_token": token, "code": "99", "name": "匿名"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert category(world.body.id, "99") is None


def test_another_bodys_office_neither_sees_nor_changes_this_bodys_catalog(app, world):
    other = World.build(credit_code="11000000MB0000002X")
    mine = add(world, "0601", "本单位专用分类", parent=world.category)
    foreign = Browser(app.test_client())
    assert foreign.login(other.users["publisher"].username, other.password).status_code == 302
    page = foreign.get(CATALOG)
    assert page.status_code == 200 and "本单位专用分类" not in page.text
    assert foreign.get(f"{CATALOG}/{mine.id}/edit").status_code == 404
    assert edit(foreign, mine, "X1", "被改名").status_code == 404
    assert move(foreign, world.category, "down").status_code == 404
    assert delete(foreign, mine).status_code == 404
    # a parent from another body is not offered and not taken
    response = foreign.post(
        CATALOG,
        {"code": "07", "name": "挂到别人下面", "parent_id": str(world.category.id)},
        token_from=CATALOG,
    )
    assert response.status_code == 400 and "所选上级分类不存在" in response.text
    # the other body's own page is its own row; this body's page is untouched
    assert save_page(foreign, "guide", "另一单位的指南").status_code == 303
    assert category(world.body.id, "0601").name == "本单位专用分类"
    rows = db.session.scalars(select(PortalPage)).all()
    assert [(p.body_id, p.content) for p in rows] == [(other.body.id, "另一单位的指南")]
    # the same code may be used by two bodies
    assert category(other.body.id, "06") and category(world.body.id, "06")


def test_posts_without_a_csrf_token_are_refused(world, login_as):
    b = login_as("office")
    target = world.category
    for url, data in (
        (CATALOG, {"code": "99", "name": "无令牌"}),
        (f"{CATALOG}/{target.id}/edit", {"code": "98", "name": "无令牌"}),
        (f"{CATALOG}/{target.id}/move", {"direction": "up"}),
        (f"{CATALOG}/{target.id}/delete", {}),
        ("/office/pages/guide", {"content": "无令牌"}),
    ):
        response = b.client.post(url, data=data)
        assert response.status_code == 400 and "CSRF" in response.text, url
    assert (
        category(world.body.id, "06").name == "通知公告" and category(world.body.id, "99") is None
    )
    assert not db.session.scalars(select(PortalPage)).all() and not entries()


# ---------------------------------------------------------------- creating


def test_the_office_builds_a_tree_and_every_change_is_audited(world, login_as):
    b = login_as("office")
    response = create(b, "02", "政策文件")
    assert response.status_code == 303
    policy = category(world.body.id, "02")
    assert response.headers["Location"].endswith(f"{CATALOG}#category-{policy.id}")
    assert "已新建分类：02 政策文件" in flash_text(b.get(CATALOG).text)
    create(b, "0201", "行政规范性文件", parent=policy)
    create(b, "0202", "其他文件", parent=policy)

    page = b.get(CATALOG).text
    assert codes_in_page_order(page) == ["06", "02", "0201", "0202"]
    # children are nested inside their parent's list item
    policy_item = page[page.index('data-code="02"') : page.index('data-code="0201"')]
    assert "</li>" not in policy_item and '<ul class="catalog-tree">' in policy_item
    rule = category(world.body.id, "0201")
    assert (rule.parent_id, rule.full_name) == (policy.id, "政策文件 / 行政规范性文件")
    assert category(world.body.id, "0202").position > rule.position

    created = entries()
    assert [e.action for e in created] == ["category_create"] * 3
    assert created[1].body_id == world.body.id and created[1].actor_id == world.users["office"].id
    assert audit.detail_of(created[1]) == {
        "role": "office_auditor",
        "code": "0201",
        "name": "行政规范性文件",
        "parent": "02",
    }
    assert audit.verify().ok
    trail = login_as("auditor").get("/admin/audit?action=category_create").text
    assert "新建主题分类" in trail and "办公室审核" in trail


def test_a_code_already_used_is_refused_with_409_and_the_form_keeps_the_input(world, login_as):
    b = login_as("publisher")
    for code in ("06", " 06 ", "06"):
        response = create(b, code, "重复的分类", parent=world.category)
        assert response.status_code == 409
        assert "分类代码“06”已被本单位的其他分类使用" in response.text
        assert 'value="重复的分类"' in response.text
        assert re.search(rf'<option selected value="{world.category.id}">', response.text)
    add(world, "ab", "小写代码")
    response = create(b, "AB", "大小写不同")
    assert response.status_code == 409 and "分类代码“ab”已被" in response.text
    assert category(world.body.id, "AB") is None
    assert [e.action for e in entries()] == ["category_create"]  # only the setup's


@pytest.mark.parametrize(
    "code, name, message",
    [
        ("", "没有代码", "请填写分类代码"),
        ("06 01", "有空格", "分类代码只能包含字母、数字、下划线（_）和连字符（-）"),
        ("公告", "中文代码", "分类代码只能包含字母、数字、下划线（_）和连字符（-）"),
        ("0" * 33, "太长的代码", "分类代码不能超过32位"),
        ("07", "", "请填写分类名称"),
        ("07", "名" * 101, "分类名称不能超过100字"),
        ("07", "\u200b\u202e", "请填写分类名称"),  # only invisible characters
    ],
)
def test_bad_input_is_refused_with_400_and_kept(world, login_as, code, name, message):
    response = create(login_as("office"), code, name)
    assert response.status_code == 400
    assert message in response.text and 'aria-invalid="true"' in response.text
    if code:
        assert f'value="{code}"' in response.text
    assert category(world.body.id, "07") is None and not entries()


def test_names_are_shown_as_text_never_as_markup(world, login_as):
    b = login_as("office")
    assert create(b, "07", '<script>alert("x")</script>').status_code == 303
    page = b.get(CATALOG).text
    assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page


# ---------------------------------------------------------------- editing


def test_editing_changes_code_name_and_parent_and_is_audited(world, login_as):
    policy = add(world, "02", "政策文件")
    other = add(world, "03", "其他")
    b = login_as("office")
    form = b.get(f"{CATALOG}/{other.id}/edit").text
    assert 'value="03"' in form and 'value="其他"' in form
    response = edit(b, other, "0201", "规范性文件", parent=policy)
    assert response.status_code == 303
    moved = category(world.body.id, "0201")
    assert (moved.id, moved.name, moved.parent_id) == (other.id, "规范性文件", policy.id)
    assert "已保存分类：0201 规范性文件" in flash_text(b.get(CATALOG).text)
    entry = entries()[-1]
    assert entry.action == "category_update"
    assert audit.detail_of(entry) == {
        "role": "office_auditor",
        "code": "0201",
        "name": "规范性文件",
        "parent": "02",
        "fields": ["code", "name", "parent"],
        "before": {"code": "03", "name": "其他", "parent": None},
    }

    before = len(entries())
    response = edit(b, moved, "0201", "规范性文件", parent=policy)  # nothing changed
    assert response.status_code == 303 and "分类没有变化" in flash_text(b.get(CATALOG).text)
    assert len(entries()) == before


def test_a_category_cannot_become_its_own_ancestor(world, login_as):
    top = add(world, "02", "政策文件")
    child = add(world, "0201", "规范性文件", parent=top)
    grandchild = add(world, "020101", "县级文件", parent=child)
    b = login_as("office")
    form = b.get(f"{CATALOG}/{top.id}/edit").text
    for own in (top, child, grandchild):  # offered but disabled: itself and its subtree
        assert re.search(rf'<option disabled value="{own.id}">', form)
    assert re.search(rf'<option value="{world.category.id}">', form)

    before = len(entries())
    for new_parent in (grandchild, child, top):
        response = edit(b, top, "02", "改名也不应生效", parent=new_parent)
        assert response.status_code == 400
        assert "不能把分类放到它自己或它的下级分类之下" in response.text
        assert 'value="改名也不应生效"' in response.text  # what was typed is kept
    unchanged = category(world.body.id, "02")
    assert (unchanged.parent_id, unchanged.name) == (None, "政策文件")
    assert len(entries()) == before
    # moving a grandchild up to the top is fine
    assert edit(b, grandchild, "020101", "县级文件").status_code == 303
    assert category(world.body.id, "020101").parent_id is None


def test_editing_to_a_taken_code_is_a_409_and_keeps_the_input(world, login_as):
    mine = add(world, "07", "工作动态")
    response = edit(login_as("office"), mine, "06", "新名字")
    assert response.status_code == 409 and "分类代码“06”已被" in response.text
    assert 'value="新名字"' in response.text and 'value="06"' in response.text
    assert category(world.body.id, "07").name == "工作动态"


def test_a_missing_category_is_404(world, login_as):
    b = login_as("office")
    assert b.get(f"{CATALOG}/999999/edit").status_code == 404
    assert b.post(f"{CATALOG}/999999/delete", {}, token_from=CATALOG).status_code == 404


# ---------------------------------------------------------------- order


def test_siblings_move_up_and_down_and_the_portal_follows(world, login_as):
    add(world, "07", "工作动态")
    parent = add(world, "08", "财政信息")
    add(world, "0802", "预算", parent)
    second = add(world, "0801", "决算", parent)
    b = login_as("office")
    assert codes_in_page_order(b.get(CATALOG).text) == ["06", "07", "08", "0802", "0801"]

    response = move(b, second, "up")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"#category-{second.id}"
    )
    assert codes_in_page_order(b.get(CATALOG).text) == ["06", "07", "08", "0801", "0802"]
    assert move(b, parent, "up").status_code == 303
    assert move(b, world.category, "down").status_code == 303
    assert codes_in_page_order(b.get(CATALOG).text) == ["08", "0801", "0802", "06", "07"]
    portal = b.get(f"/public/{world.body.id}/").text  # the public tree has the same order
    assert (
        portal.index("财政信息")
        < portal.index("决算")
        < portal.index("预算")
        < portal.index("通知公告")
        < portal.index("工作动态")
    )

    moves = [e for e in entries() if e.action == "category_move"]
    assert len(moves) == 3
    assert audit.detail_of(moves[0]) == {
        "role": "office_auditor",
        "code": "0801",
        "name": "决算",
        "parent": "08",
        "direction": "up",
        "from": 2,
        "to": 1,
    }

    # already first: nothing changes, nothing is audited; the page offers no such button
    response = move(b, category(world.body.id, "08"), "up")
    assert response.status_code == 303 and "顺序没有变化" in flash_text(b.get(CATALOG).text)
    assert len([e for e in entries() if e.action == "category_move"]) == 3
    page = b.get(CATALOG).text
    assert 'aria-label="上移 财政信息"' not in page and 'aria-label="下移 财政信息"' in page
    assert move(b, world.category, "sideways").status_code == 400


# ---------------------------------------------------------------- deleting


def test_an_unused_leaf_is_deleted_and_audited(world, login_as):
    parent = add(world, "02", "政策文件")
    add(world, "0201", "甲", parent)
    leaf = add(world, "0202", "乙", parent)
    add(world, "0203", "丙", parent)
    b = login_as("office")
    response = delete(b, leaf)
    assert response.status_code == 303
    assert "已删除分类：0202 乙" in flash_text(b.get(CATALOG).text)
    assert category(world.body.id, "0202") is None
    assert [category(world.body.id, c).position for c in ("0201", "0203")] == [0, 1]
    entry = entries()[-1]
    assert entry.action == "category_delete"
    assert audit.detail_of(entry) == {
        "role": "office_auditor",
        "code": "0202",
        "name": "乙",
        "parent": "02",
    }


def test_a_category_with_children_is_not_deleted(world, login_as):
    parent = add(world, "02", "政策文件")
    add(world, "0201", "规范性文件", parent)
    b = login_as("office")
    assert 'aria-label="删除 政策文件"' not in b.get(CATALOG).text
    before = len(entries())
    response = delete(b, parent)
    assert response.status_code == 409
    assert "不能删除分类“政策文件”：该分类下还有 1 个子分类" in response.text
    assert category(world.body.id, "02") is not None and len(entries()) == before


def test_a_category_used_by_a_draft_or_a_published_item_is_not_deleted(world, login_as):
    b = login_as("office")
    draft = world.item(title="草稿中的信息")  # files world.category
    response = delete(b, world.category)
    assert response.status_code == 409
    assert "有 1 条信息（含草稿、审批中和已发布的稿件）使用该分类，不能删除" in response.text

    spare = add(world, "09", "备用")
    officer = world.users["officer"]
    filed = drafts.create_item(
        officer, officer.department_id, content(title="已发布的信息", category_id=spare.id)
    )
    db.session.commit()
    published = world.to_state(filed, "published")
    assert published.category_id == spare.id
    page = b.get(CATALOG).text
    shown = published.published_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"最近发布：{shown:%Y-%m-%d}" in page and 'aria-label="删除 备用"' not in page
    assert "尚无发布" in page  # the categories nothing was published under
    assert delete(b, spare).status_code == 409
    assert category(world.body.id, "06") and category(world.body.id, "09")
    assert draft.id and not [e for e in entries() if e.action == "category_delete"]


# ---------------------------------------------------------------- the portal pages


def test_the_office_writes_the_guide_and_the_row_is_saved_and_audited(world, login_as):
    b = login_as("publisher")
    form = b.get("/office/pages/guide")
    assert form.status_code == 200 and 'value="信息公开指南"' in form.text
    text = "一、公开的主体\r\n本机关为示范镇人民政府。\u200b\r\n\r\n二、申请的方式  \r\n"
    response = save_page(b, "guide", text)
    assert response.status_code == 303 and response.headers["Location"].endswith("#portal-pages")
    assert "已保存“信息公开指南”" in flash_text(b.get(CATALOG).text)

    db.session.expire_all()
    page = db.session.scalar(
        select(PortalPage).where(PortalPage.body_id == world.body.id, PortalPage.slug == "guide")
    )
    assert page.title == "信息公开指南"
    assert page.content == "一、公开的主体\n本机关为示范镇人民政府。\n\n二、申请的方式"
    assert page.updated_by_id == world.users["publisher"].id and page.updated_at is not None
    (entry,) = entries()
    detail = audit.detail_of(entry)
    assert (entry.action, detail["slug"], detail["created"], detail["role"]) == (
        "portal_page_update",
        "guide",
        True,
        "publisher",
    )
    hub = b.get(CATALOG).text
    assert f'href="/public/{world.body.id}/guide"' in hub  # 查看公开页面

    first_saved = page.updated_at
    assert save_page(b, "guide", page.content).status_code == 303  # unchanged: no entry
    assert len(entries()) == 1
    assert save_page(b, "guide", "新内容", title="本镇信息公开指南").status_code == 303
    db.session.expire_all()
    page = db.session.get(PortalPage, page.id)
    assert (page.title, page.content) == ("本镇信息公开指南", "新内容")
    assert page.updated_at >= first_saved
    assert audit.detail_of(entries()[-1])["fields"] == ["title", "content"]
    assert "修改专栏页面" in login_as("auditor").get("/admin/audit?action=portal_page_update").text


def test_a_page_form_error_keeps_the_typed_title(world, login_as):
    b = login_as("office")
    response = save_page(b, "rules", "   \n ", title="我的制度标题")
    assert response.status_code == 400 and "请填写页面内容" in response.text
    assert 'value="我的制度标题"' in response.text
    response = save_page(b, "rules", "正文", title="题" * 101)
    assert response.status_code == 400 and "标题不能超过100字" in response.text
    assert not db.session.scalars(select(PortalPage)).all() and not entries()


def test_a_page_saved_by_someone_else_meanwhile_is_a_409_that_keeps_the_text(world, login_as):
    office, publisher = login_as("office"), login_as("publisher")
    seen = re.search(
        r'name="seen" type="hidden" value="([^"]*)"', office.get("/office/pages/rules").text
    ).group(1)
    assert save_page(publisher, "rules", "发布员先保存的制度").status_code == 303
    response = save_page(office, "rules", "办公室后写的制度", seen=seen)
    assert response.status_code == 409
    assert "该页面在您打开之后已被用户publisher修改并保存" in response.text
    assert "办公室后写的制度</textarea>" in response.text and "发布员先保存的制度" in response.text
    db.session.expire_all()
    assert db.session.scalar(select(PortalPage.content)) == "发布员先保存的制度"
    # saving the form as shown again is a deliberate overwrite
    fresh = re.search(r'name="seen" type="hidden" value="([^"]*)"', response.text).group(1)
    assert save_page(office, "rules", "办公室后写的制度", seen=fresh).status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(PortalPage.content)) == "办公室后写的制度"


def test_an_unknown_page_is_404(world, login_as):
    b = login_as("office")
    assert b.get("/office/pages/about").status_code == 404
    assert b.post("/office/pages/about", {"content": "x"}, token_from=CATALOG).status_code == 404


def test_the_permission_is_for_active_staff_of_the_same_body(world):
    office = world.users["office"]
    assert permissions.can_manage_portal(office, world.body.id)
    assert not permissions.can_manage_portal(office, world.body.id + 1)
    assert not permissions.can_manage_portal(None)
    office.is_enabled = False
    assert not permissions.can_manage_portal(office, world.body.id)
