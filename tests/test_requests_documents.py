"""A request's documents (approval/requests/documents.py, documents_docx.py, documents_routes.py):
each letter's text for a hand-made request (its dates, legal basis and the notice of remedies,
never the applicant's ID number, and the third party's letter never the applicant at all), the
.docx holding the same text on A4, the printable page, and who may read them (every read
audited; 404 before a document exists).

In the world, ``office`` is the general office's 办公室审核, ``office_head`` leads it;
``officer`` writes for 民政办 (civil), ``officer_agri`` for 农业农村办. The request is handed in
on Monday 2026-10-12 (tests/helpers/requests.py)."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from urllib.parse import unquote

import pytest
from docx import Document
from sqlalchemy import func, select

from approval.audit.trail import detail_of
from approval.calendar import current as working_calendar
from approval.extensions import db
from approval.models import AuditEntry
from approval.requests import documents
from approval.requests import operations as ops
from tests.helpers.pages import heading
from tests.helpers.request_records import (
    ID_NUMBER,
    PHONE,
    answered,
    assigned,
    with_correction,
    with_pause,
)
from tests.helpers.requests import register

REMEDIES = "60日内依法向有权机关申请行政复议，或者在6个月内向人民法院提起行政诉讼"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)")  # scripts are files (CSP)


@pytest.fixture
def today(moment):
    moment.at("2026-10-14 10:00")  # a Wednesday
    return moment


def letter(r, kind, pause_id=None):
    return documents.letter_of(
        r,
        kind,
        pause_id=pause_id,
        today=date(2026, 10, 14),
        calendar=working_calendar.current_calendar(),
        portal_url=lambda item_id: f"https://gk.example.gov.cn/public/items/{item_id}",
    )


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)


def last_entry() -> AuditEntry:
    return db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))


def views() -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "request_viewed")
    )


def assert_addressed_and_sealed(text: str, r, dated: str) -> None:
    assert f"申请编号：{r.number}" in text
    assert "测试镇人民政府（印章）" in text and dated in text
    assert ID_NUMBER not in text and PHONE not in text


# ---------------------------------------------------------------- the letters' text


def test_the_correction_notice_lists_everything_missing_and_the_deadline(world, today):
    r = register(world)
    assert letter(r, "correction") is None
    with_correction(world, r)
    notice = letter(r, "correction")
    text = notice.text
    assert notice.title == "补正申请告知书" and notice.addressee == "张三"
    assert "\n张三：\n" in text
    assert f"本机关于2026年10月12日收到你提出的政府信息公开申请（申请编号：{r.number}）" in text
    assert "第三十条" in text
    # the applicant's own numbering is dropped and the items renumbered
    assert "\n1.请写明所需信息的年份\n2.请写明所在村组\n" in text
    assert "请于2026年10月28日前（含当日）向本机关提交补正后的申请" in text
    assert "答复期限自本机关收到补正后的申请之日起重新计算" in text
    assert "无正当理由逾期不补正的，视为放弃申请" in text
    assert "如对本告知不服，可以在收到本告知之日起" + REMEDIES in text
    assert notice.dated == date(2026, 10, 14)
    assert_addressed_and_sealed(text, r, "2026年10月14日")


def test_the_extension_notice_gives_the_days_the_reason_and_the_new_due_date(world, today):
    r = assigned(world, register(world))
    assert letter(r, "extension") is None
    ops.approve_extension(world.users["office_head"], r, r.version, 10, "需调取2019年以前的档案。")
    db.session.commit()
    text = letter(r, "extension").text
    assert ops.clock_of(r).due == date(2026, 11, 23)  # 20 + 10 working days after 2026-10-12
    assert "因需调取2019年以前的档案，本机关不能在规定期限内作出答复" in text
    assert "第三十三条第二款" in text and "经本机关政府信息公开工作机构负责人同意" in text
    assert "答复期限延长10个工作日。本机关将于2026年11月23日前作出答复。" in text
    assert "如对本告知不服" in text and REMEDIES in text
    assert_addressed_and_sealed(text, r, "2026年10月14日")


def test_an_organisation_is_addressed_as_such(world, today):
    r = register(
        world,
        applicant_kind="organisation",
        applicant_name="某某律师事务所",
        id_type="",
        id_number="",
        credit_code="31110000MA01ABCD2X",
        legal_representative="李四",
        contact_person="王五",
        organisation_kind="legal_services",
    )
    with_correction(world, r)
    text = letter(r, "correction").text
    assert "某某律师事务所：" in text and "收到你单位提出的" in text and "李四" not in text


def test_the_third_party_letter_names_the_information_and_never_the_applicant(world, today):
    r = assigned(
        world,
        register(
            world,
            description="张三家所在村2026年低保资金发放情况（联系电话13812345678）",
            address="某县某镇某村1号",
        ),
    )
    pause = with_pause(world, r, date(2026, 10, 14))
    notice = letter(r, "third_party", pause.id)
    text = notice.text
    assert notice.addressee == "某某养殖专业合作社" and "\n某某养殖专业合作社：\n" in text
    assert "×××家所在村2026年低保资金发放情况（联系电话×××）" in text
    for particular in ("张三", ID_NUMBER, PHONE, "某县某镇某村1号"):
        assert particular not in text
    assert "第三十二条" in text
    # 15 working days after Wednesday 2026-10-14
    assert "请自收到本函之日起15个工作日内（2026年11月4日前）以书面形式向本机关提出意见" in text
    assert (
        "逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开" in text
    )
    assert "行政复议" not in text  # the notice of remedies is the applicant's
    assert_addressed_and_sealed(text, r, "2026年10月14日")
    assert letter(r, "third_party") is None and letter(r, "third_party", pause.id + 1) is None


def test_the_third_partys_period_runs_over_national_day_with_its_make_up_saturday(world, moment):
    moment.at("2026-09-29 10:00")
    r = assigned(world, register(world, submitted_on=date(2026, 9, 28)))
    pause = with_pause(world, r, date(2026, 9, 29), party=None, note="某某公司（商业秘密）")
    # 09-30; 10-01..07 off; 10-08, 09, Saturday 10-10 (调休 working day), 12 … 23, 26
    notice = letter(r, "third_party", pause.id)
    assert notice.addressee == "某某公司（商业秘密）"  # no party recorded: the pause's note
    assert "（2026年10月26日前）" in notice.text


def test_the_reply_cites_its_basis_states_the_decision_and_lists_the_attachments(world, today):
    r = assigned(world, register(world))
    assert letter(r, "reply") is None
    answered(world, r)
    notice = letter(r, "reply")
    text = notice.text
    assert notice.title == "政府信息公开申请答复书" and notice.dated == date(2026, 10, 30)
    assert notice.subtitle == f"关于{r.number}政府信息公开申请的答复"
    assert "申请获取以下政府信息：\n2026年本镇低保资金发放情况\n" in text
    assert (
        "经审查，根据《中华人民共和国政府信息公开条例》第三十七条的规定，"
        "本机关答复如下：部分公开（区分处理）。"
    ) in text
    assert (
        "\n经审查，你申请的信息中涉及个人隐私的部分已作区分处理。\n现提供区分处理后的名单。\n"
        in text
    )
    assert "\n附件：1.低保名单（已区分处理）.pdf\n2.发放明细.xlsx\n测试镇人民政府（印章）" in text
    assert "如对本答复不服，可以在收到本答复之日起" + REMEDIES in text
    assert_addressed_and_sealed(text, r, "2026年10月30日")


@pytest.mark.parametrize(
    ("reply_type", "cited"),
    [
        (
            "state_secret",
            "根据《中华人民共和国政府信息公开条例》第十四条的规定，本机关答复如下：不予公开，属于国家秘密。",
        ),
        (
            "not_held",
            "第三十六条第（四）项、第（五）项的规定，本机关答复如下：无法提供，本机关不掌握相关政府信息。",
        ),
        ("publication", "根据国办公开办函〔2021〕30号的规定"),
    ],
)
def test_each_reply_type_is_cited_with_its_own_basis(world, today, reply_type, cited):
    r = answered(world, assigned(world, register(world)), reply_type, attachments=())
    text = letter(r, "reply").text
    assert cited in text and "附件" not in text


def test_an_already_public_reply_points_to_the_published_item(world, today, published):
    r = answered(world, assigned(world, register(world)), "already_public", public_item=published)
    text = letter(r, "reply").text
    assert "第三十六条第（一）项" in text
    assert published.index_number in text and published.title in text
    assert f"https://gk.example.gov.cn/public/items/{published.id}" in text


def test_a_request_lists_the_documents_that_exist_in_date_order(world, today):
    r = assigned(world, register(world))
    assert documents.available(r) == []
    ops.approve_extension(world.users["office_head"], r, r.version, 5, "调档")
    db.session.commit()
    pause = with_pause(world, r, date(2026, 10, 13))
    listed = [(a.kind, a.dated, a.pause_id) for a in documents.available(r)]
    assert listed == [
        ("third_party", date(2026, 10, 13), pause.id),
        ("extension", date(2026, 10, 14), None),
    ]


def test_the_applicants_tracker_sees_their_letters_and_never_a_third_partys(world, today):
    r = assigned(world, register(world))
    with_pause(world, r, date(2026, 10, 13))
    answered(world, r)
    seen = documents.public_reply(r, date(2026, 11, 2), working_calendar.current_calendar())
    assert (seen.number, seen.state, seen.closed_on) == (r.number, "answered", date(2026, 10, 30))
    assert seen.outcome_label == "部分公开（区分处理）"
    assert [d.letter.kind for d in seen.documents] == ["reply"]
    assert seen.documents[0].delivered_on is None


# ---------------------------------------------------------------- pages and files


def test_the_page_and_the_docx_of_a_correction_notice(world, today, login_as):
    r = register(world)
    with_correction(world, r)
    office = login_as("office")
    page = office.get(f"/requests/{r.id}/documents/correction")
    assert page.status_code == 200 and heading(page.text) == "补正申请告知书"
    assert "documents.css" in page.text and not INLINE_SCRIPT.search(page.text)
    assert "张三：" in page.text and "1.请写明所需信息的年份" in page.text
    assert "测试镇人民政府（印章）" in page.text and ID_NUMBER not in page.text
    assert f'href="/requests/{r.id}/documents/correction.docx"' in page.text
    entry = last_entry()
    assert entry.action == "request_viewed" and entry.actor_id == world.users["office"].id
    assert detail_of(entry) == {
        "request_id": r.id,
        "number": r.number,
        "document": "correction",
        "pause_id": None,
        "format": "page",
    }

    response = office.get(f"/requests/{r.id}/documents/correction.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="request-{r.id}-correction.docx"')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"补正申请告知书-{r.number}.docx"
    assert detail_of(last_entry())["format"] == "docx"
    document = Document(BytesIO(response.data))
    section = document.sections[0]
    mm = [round(length.mm) for length in (section.page_width, section.page_height)]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert mm == [210, 297] and [round(m.mm) for m in margins] == [37, 35, 28, 26]
    text = docx_text(response.data)
    for line in letter(r, "correction").lines():
        assert line in text
    assert ID_NUMBER not in text


@pytest.mark.parametrize("kind", ["extension", "third_party", "reply"])
def test_every_kind_opens_as_a_page_and_as_a_docx(world, today, login_as, kind):
    r = assigned(world, register(world))
    ops.approve_extension(world.users["office_head"], r, r.version, 5, "调档")
    db.session.commit()
    pause = with_pause(world, r, date(2026, 10, 14))
    db.session.refresh(r)
    ops.end_pause(world.users["officer"], r, r.version, date(2026, 10, 14))
    db.session.commit()
    answered(world, r)
    path = f"/requests/{r.id}/documents/{kind}" + (f"/{pause.id}" if kind == "third_party" else "")
    officer = login_as("officer")  # the department handling the request
    page = officer.get(path)
    assert (
        page.status_code == 200
        and heading(page.text) == letter(r, kind, pause.id if kind == "third_party" else None).title
    )
    data = officer.get(path + ".docx").data
    text = docx_text(data)
    wanted = letter(r, kind, pause.id if kind == "third_party" else None)
    for line in wanted.lines():
        assert line in text
    assert ID_NUMBER not in text and ("张三" in text) is (kind != "third_party")


def test_the_request_page_lists_its_documents_with_both_links(world, today, login_as):
    r = register(world)
    page = login_as("office").get(f"/requests/{r.id}")
    assert 'id="documents"' in page.text and 'id="document-list"' not in page.text
    with_correction(world, r)
    page = login_as("office").get(f"/requests/{r.id}")
    assert 'data-document="correction"' in page.text
    assert f'href="/requests/{r.id}/documents/correction"' in page.text
    assert f'href="/requests/{r.id}/documents/correction.docx"' in page.text


def test_a_document_that_does_not_exist_yet_is_a_404(world, today, login_as):
    r = assigned(world, register(world))
    office = login_as("office")
    for path in ("correction", "extension", "reply", "third_party", "third_party/1"):
        for suffix in ("", ".docx"):
            assert office.get(f"/requests/{r.id}/documents/{path}{suffix}").status_code == 404
    assert office.get(f"/requests/{r.id}/documents/receipt").status_code == 404
    pause = with_pause(world, r, date(2026, 10, 14))
    assert office.get(f"/requests/{r.id}/documents/third_party/{pause.id}").status_code == 200
    assert office.get(f"/requests/{r.id}/documents/correction/{pause.id}").status_code == 404


def test_who_may_read_a_document(world, today, login_as, client):
    r = register(world)
    with_correction(world, r)
    path = f"/requests/{r.id}/documents/correction"
    reads = views()
    assert login_as("officer").get(path).status_code == 404  # not assigned to 民政办 (yet)
    assert login_as("officer_agri").get(path + ".docx").status_code == 404
    assert login_as("secrecy").get(path).status_code == 403
    for url in (path, path + ".docx"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    # a refused read is not a read
    assert views() == reads
    assigned(world, r)
    assert login_as("officer").get(path).status_code == 200
    assert login_as("leader").get(path + ".docx").status_code == 200
    assert login_as("officer_agri").get(path).status_code == 404
