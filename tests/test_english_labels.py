"""English pages name the app's own codes in English: states, chain steps, roles, actions and the
disclosure attributes (vocab.py, roles.py, workflow.DEFAULT_STEPS), shown through
i18n.label_text / role_label. A body's own step names have no translation and are shown as
written, as plain text; Chinese pages are unchanged."""

import re

from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Category


def in_english(browser):
    response = browser.post("/language", {"lang": "en", "next": "/"}, token_from="/")
    assert response.status_code == 302
    return browser


def visible(html: str) -> str:
    """The page's text without its tags (attribute values such as data-state are codes)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_the_office_reads_states_steps_roles_and_attributes_in_english(world, login_as):
    item = world.item(info_type="work_news", channels="website")
    world.act("officer", item, Action.SUBMIT)
    world.act("leader", item, Action.APPROVE, opinion="同意")
    office = in_english(login_as("office"))

    inbox = office.get("/").text
    assert "Waiting: Office audit" in visible(inbox)  # the section and the item's state badge
    assert "用户office (Office auditor)" in inbox  # the role, not the step
    assert "办公室审核" not in inbox and "待" not in visible(inbox)
    assert not set("：（）、") & set(visible(inbox))  # English punctuation around the labels

    html = office.get(f"/items/{item.id}").text
    for step in ("Supervising leader approval", "Office audit", "Secrecy review"):
        assert f"<strong>{step}</strong>" in html, step  # the approval chain
    page = visible(html)
    for english in ("Work news", "Government website", "Proactive disclosure"):
        assert english in page, english
    for chinese in ("分管领导审批", "办公室审核", "保密审查", "工作动态", "政府网站", "主动公开"):
        assert chinese not in page, chinese
    assert "Author: 用户officer" in page and "Handle: Office audit" in page
    assert "：" not in page.replace(item.current_revision.body, "")  # the text keeps its own


def test_the_secrecy_reviewer_reads_the_checklist_decisions_and_choices_in_english(world, login_as):
    item = world.to_state(world.item(), "pending_secrecy")
    secrecy = in_english(login_as("secrecy"))
    html = secrecy.get(f"/items/{item.id}").text
    page = visible(html)
    assert "Does it involve state secrets?" in page
    assert ">State secret (Art. 14)</option>" in html  # an option of the withholding basis
    # the leader's and the office's decisions in the chain (this user has no Approve button)
    assert len(re.findall(r"· Approve ·", page)) == 2
    assert (
        "是否涉及国家秘密" not in page
        and "国家秘密（第十四条）" not in page
        and "同意 ·" not in page
    )

    form = visible(secrecy.get(f"/items/{item.id}/secrecy-form").text)
    assert "Supervising leader approval" in form and "Office audit" in form
    assert "分管领导审批" not in form


def test_a_withheld_item_is_withheld_and_a_return_names_its_step_in_english(world, login_as):
    withheld = world.to_state(world.item(), "pending_secrecy")
    world.act("secrecy", withheld, Action.WITHHOLD, basis="state_secret", opinion="涉密")
    returned = world.to_state(world.item(title="另一条"), "pending_office")
    world.act("office", returned, Action.RETURN, opinion="要素不全")

    officer = in_english(login_as("officer"))
    badge = re.search(
        r'data-state="withheld">([^<]+)<', officer.get(f"/items/{withheld.id}").text
    ).group(1)
    assert badge == "Withheld"
    notices = visible(officer.get("/notifications").text)
    assert "was returned at the Office audit step" in notices
    assert "办公室审核" not in notices


def test_a_bodys_own_step_keeps_its_name_in_english_and_chinese_is_unchanged(world, login_as):
    world.add_step("office_head", "办公室分管负责人审批", "leader", position=2)
    item = world.to_state(world.item(), "pending_office")
    world.act("office", item, Action.APPROVE)
    assert item.state == "pending_office_head"

    leader = login_as("office_head")
    chinese = visible(leader.get("/").text)
    assert "待办公室分管负责人审批" in chinese and "分管领导" in chinese
    english = visible(in_english(leader).get("/").text)
    assert "Waiting: 办公室分管负责人审批" in english
    history = visible(leader.get(f"/items/{item.id}").text)
    assert "Office audit" in history and "办公室分管负责人审批" in history


def test_names_typed_by_people_are_shown_as_text_not_markup(world, login_as):
    """A step or category name is data: escaped in both languages, never taken for HTML."""
    world.add_step("office_head", "<i>主任</i>审批", "leader", position=2)
    db.session.add(Category(body=world.body, code="07", name="<b>x</b>栏目"))
    db.session.commit()
    item = world.to_state(world.item(), "pending_office")
    world.act("office", item, Action.APPROVE)

    leader = login_as("office_head")
    for page in (leader.get("/").text, in_english(leader).get(f"/items/{item.id}").text):
        assert "&lt;i&gt;主任&lt;/i&gt;审批" in page
        assert "<i>主任</i>" not in page
    for lang in ("zh_CN", "en"):
        officer = login_as("officer")
        officer.post("/language", {"lang": lang, "next": "/"}, token_from="/")
        form = officer.get("/items/new").text
        assert "&lt;b&gt;x&lt;/b&gt;栏目" in form and "<b>x</b>" not in form
