"""依申请公开 on the portal (approval/requests/portal_routes.py, intake.py, tracking.py): a citizen
files a request (as a person or an organisation) and gets a 查询码 once; the form refuses in
Chinese and keeps what was typed; the office confirms receipt in the register (Art. 31), which
starts the clock; the tracker shows the applicant their own request by code and name, one
message for a wrong code or a wrong name, and nothing of anyone else's; CSRF and rate limits;
and nothing of a request reaches the rest of the portal, its feeds, the API or the search.

The apps here raise the portal's request limits, except where a test runs the production ones
(``app_config`` set to ``{}``, as tests/test_rate_limit.py does)."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from approval.config import DEFAULTS
from approval.extensions import db
from approval.models import AuditEntry, InformationRequest, RequestDelivery
from approval.requests import intake
from approval.requests import operations as ops
from tests.conftest import Browser
from tests.factories import World
from tests.helpers.pages import heading
from tests.helpers.requests import person

RAISED = {"RATELIMIT_REQUEST_FORM": "1000 per minute", "RATELIMIT_TRACKER": "1000 per minute"}
CODE_RE = re.compile(r"data-tracking-code>([^<]+)<")
NO_MATCH = "查询码或申请人姓名不正确"


@pytest.fixture
def app_config():
    return dict(RAISED)


@pytest.fixture
def today(moment):
    moment.at("2026-10-14 10:00")  # a Wednesday
    return moment


def visitor(app, address: str = "127.0.0.1") -> Browser:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browser(client)


def portal(world) -> str:
    return f"/public/{world.body.id}"


def person_form(**overrides) -> dict:
    data = {
        "applicant_kind": "person",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": "110105194912310029",
        "phone": "13812345678",
        "email": "",
        "address": "",
        "postcode": "",
        "description": "2026年本镇低保资金发放情况",
        "purpose": "",
        "provision": "paper",
        "pickup": "collect",
    }
    return data | overrides


def organisation_form(**overrides) -> dict:
    data = {
        "applicant_kind": "organisation",
        "applicant_name": "某某律师事务所",
        "id_type": "",
        "id_number": "",
        "credit_code": "31110000ma01abcd2x",
        "legal_representative": "李四",
        "contact_person": "王五",
        "organisation_kind": "legal_services",
        "phone": "",
        "email": "office@example.cn",
        "address": "某市某区某路1号",
        "postcode": "100000",
        "description": "某村2025年土地征收补偿方案",
        "purpose": "代理诉讼",
        "provision": "email",
        "pickup": "email",
    }
    return data | overrides


def file(b: Browser, world, data: dict):
    return b.post(f"{portal(world)}/apply", data, token_from=f"{portal(world)}/apply")


def filed(b: Browser, world, data: dict) -> tuple[InformationRequest, str]:
    """File through the form; the stored request and the 查询码 the page showed."""
    response = file(b, world, data)
    assert response.status_code == 303, response.text
    page = b.get(response.headers["Location"])
    code = CODE_RE.search(page.text).group(1)
    db.session.rollback()  # see what the request committed
    made = db.session.scalar(select(InformationRequest).order_by(InformationRequest.id.desc()))
    return made, code


def track(b: Browser, world, code: str, name: str):
    return b.post(
        f"{portal(world)}/track",
        {"code": code, "applicant_name": name},
        token_from=f"{portal(world)}/track",
    )


def stored() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(InformationRequest))


def online(world, name: str = "张三", **overrides) -> tuple[InformationRequest, str]:
    """A request filed on the portal through the operation, committed."""
    made, code = intake.file_online(world.body, person(applicant_name=name, **overrides))
    db.session.commit()
    return made, code


def confirmed(world, r: InformationRequest, day: date) -> InformationRequest:
    intake.confirm_receipt(world.users["office"], r, r.version, day)
    db.session.commit()
    return r


# ---------------------------------------------------------------- filing


def test_a_person_files_a_request_and_sees_the_tracking_code_once(world, today, app):
    home = visitor(app).get(f"{portal(world)}/")
    assert (
        f'href="{portal(world)}/apply"' in home.text
        and f'href="{portal(world)}/track"' in home.text
    )
    b = visitor(app)
    form = b.get(f"{portal(world)}/apply")
    assert form.status_code == 200 and heading(form.text) == "申请政府信息公开"
    assert "自然人填写" in form.text and "法人或其他组织填写" in form.text
    assert "不要求说明用途，可以不填" in form.text
    assert form.headers["Cache-Control"] == "no-store"
    response = file(b, world, person_form())
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{portal(world)}/apply/filed")
    page = b.get(response.headers["Location"])
    assert page.status_code == 200 and heading(page.text) == "申请已提交"
    assert page.headers["Cache-Control"] == "no-store"
    code = CODE_RE.search(page.text).group(1)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", code)
    assert "依申请〔2026〕0001号" in page.text
    assert "20 个工作日内答复" in page.text and "确认收到" in page.text
    again = b.get(f"{portal(world)}/apply/filed")  # shown once
    assert again.status_code == 302 and again.headers["Location"].endswith("/track")
    assert code not in b.get(again.headers["Location"]).text
    db.session.rollback()
    r = db.session.scalar(select(InformationRequest))
    assert (r.state, r.channel, r.number) == ("submitted", "online", "依申请〔2026〕0001号")
    assert r.submitted_on == date(2026, 10, 14)
    assert r.received_on is None and r.confirmed_on is None and r.registered_by_id is None
    assert (r.applicant_name, r.id_number, r.phone) == ("张三", "110105194912310029", "13812345678")
    assert r.tracking_code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    row = {c.name: getattr(r, c.name) for c in InformationRequest.__table__.columns}
    assert not any(code.replace("-", "") in str(v) or code in str(v) for v in row.values())
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "request_filed_online"))
    assert (entry.actor_username, entry.actor_id, entry.body_id) == ("portal", None, world.body.id)
    assert entry.to_state == "submitted"
    assert '"channel":"online"' in entry.detail and f'"request_id":{r.id}' in entry.detail
    assert r.number in entry.detail
    for private in ("张三", "110105194912310029", "13812345678", "低保资金", code[:4]):
        assert private not in entry.detail


def test_an_organisation_files_a_request(world, today, app):
    r, code = filed(visitor(app), world, organisation_form())
    assert (r.applicant_kind, r.applicant_name) == ("organisation", "某某律师事务所")
    assert r.credit_code == "31110000MA01ABCD2X"
    assert (r.legal_representative, r.contact_person) == ("李四", "王五")
    assert r.organisation_kind == "legal_services" and r.id_type is None and r.id_number is None
    assert (r.provision, r.pickup, r.email, r.purpose) == (
        "email",
        "email",
        "office@example.cn",
        "代理诉讼",
    )
    assert (r.state, r.channel) == ("submitted", "online")
    assert r.tracking_code_hash == intake.tracking_code_hash(code) != code


def test_numbers_follow_the_register_and_codes_differ(world, today, app):
    registered = ops.register(world.users["office"], person())
    db.session.commit()
    first, first_code = online(world)
    second, second_code = online(world, "李四")
    assert (registered.number, first.number, second.number) == (
        "依申请〔2026〕0001号",
        "依申请〔2026〕0002号",
        "依申请〔2026〕0003号",
    )
    assert first_code != second_code and first.tracking_code_hash != second.tracking_code_hash
    assert registered.tracking_code_hash is None


REFUSALS = [
    (person_form(applicant_kind=""), "请选择申请人类型"),
    (person_form(applicant_name="  "), "请填写申请人姓名"),
    (organisation_form(applicant_name=""), "请填写法人或其他组织名称"),
    (person_form(applicant_name="名" * 101), "内容过长，最多 100 字"),
    (person_form(id_type=""), "请选择证件类型"),
    (person_form(id_number=""), "请填写证件号码"),
    (organisation_form(credit_code=""), "请填写统一社会信用代码"),
    (organisation_form(credit_code="12345"), "统一社会信用代码应为18位数字或字母"),
    (organisation_form(legal_representative=""), "请填写法定代表人或负责人"),
    (organisation_form(contact_person=""), "请填写联系人"),
    (organisation_form(organisation_kind=""), "请选择组织类型"),
    (person_form(phone=""), "请至少填写一种联系方式（电话、电子邮箱或通信地址）"),
    (person_form(description=""), "请填写所需政府信息的名称、文号或便于查询的其他特征性描述"),
    (person_form(provision="fax"), "请选择提供方式"),
    (person_form(pickup="drone"), "请选择获取方式"),
    (person_form(pickup="email"), "选择以电子邮件获取的，请填写电子邮箱"),
    (person_form(pickup="post"), "选择邮寄的，请填写通信地址"),
]


@pytest.mark.parametrize(("data", "message"), REFUSALS, ids=[m for _, m in REFUSALS])
def test_each_refusal_names_the_field_in_chinese_and_keeps_what_was_typed(
    world, today, app, data, message
):
    b = visitor(app)
    refused = file(b, world, data)
    assert refused.status_code == 422
    assert message in refused.text and 'class="field-error"' in refused.text
    assert refused.headers["Cache-Control"] == "no-store"
    assert data["description"] in refused.text  # what was typed is kept
    if data["phone"]:
        assert f'value="{data["phone"]}"' in refused.text
    if data["applicant_kind"]:
        kind = data["applicant_kind"]
        assert re.search(
            rf'<input checked [^>]*name="applicant_kind"[^>]*value="{kind}"', refused.text
        )
    assert stored() == 0


def test_text_fields_pass_the_cleaning_rule(world, today, app):
    data = person_form(
        applicant_name="  张三\x00 ", description="低保\x07资金\x1b发放\r\n情况", purpose="\x0b"
    )
    r, _ = filed(visitor(app), world, data)
    assert r.applicant_name == "张三"
    assert r.description == "低保资金发放\r\n情况" and r.purpose is None


def test_a_post_without_a_csrf_token_is_refused(world, today, app):
    r, code = online(world)
    anyone = visitor(app)
    anyone.get(f"{portal(world)}/apply")  # a session with its token
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert anyone.client.post(f"{portal(world)}/apply", data=person_form()).status_code == 400
    refused = anyone.client.post(
        f"{portal(world)}/track", data={"code": code, "applicant_name": "张三"}
    )
    assert refused.status_code == 400 and "CSRF" in refused.text
    office = Browser(app.test_client())
    office.login(world.users["office"].username, world.password)
    confirm = office.client.post(
        f"/requests/{r.id}/confirm-receipt",
        data={"version": str(r.version), "confirmed_on": "2026-10-14"},
    )
    assert confirm.status_code == 400
    assert stored() == 1 and db.session.get(InformationRequest, r.id).state == "submitted"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before + 1  # login


# ---------------------------------------------------------------- rate limits


@pytest.mark.parametrize("app_config", [{}])
def test_filing_is_rate_limited_per_address_counting_filed_requests(world, today, app):
    assert app.config["RATELIMIT_REQUEST_FORM"] == DEFAULTS["RATELIMIT_REQUEST_FORM"]
    b = visitor(app, "198.51.100.20")
    for _ in range(3):  # refused forms cost nothing
        assert file(b, world, person_form(description="")).status_code == 422
    for n in range(5):  # "5 per hour"
        assert file(b, world, person_form(applicant_name=f"申请人{n}")).status_code == 303
    refused = file(b, world, person_form())
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert "提交的申请过多" in refused.text and "后再提交" in refused.text
    assert stored() == 5
    assert b.get(f"{portal(world)}/apply").status_code == 200  # the form itself is not limited
    elsewhere = visitor(app, "198.51.100.21")
    assert file(elsewhere, world, person_form()).status_code == 303


@pytest.mark.parametrize("app_config", [{}])
def test_the_tracker_is_rate_limited_per_address(world, today, app):
    assert app.config["RATELIMIT_TRACKER"] == DEFAULTS["RATELIMIT_TRACKER"]
    _, code = online(world)
    b = visitor(app, "198.51.100.30")
    for n in range(10):  # "10 per minute"
        assert track(b, world, f"AAAA-BBBB-{n:04d}", "张三").status_code == 422
    refused = track(b, world, code, "张三")  # the right code too, now
    assert refused.status_code == 429 and "您的查询过于频繁" in refused.text
    assert int(refused.headers["Retry-After"]) >= 1
    assert track(visitor(app, "198.51.100.31"), world, code, "张三").status_code == 303


# ---------------------------------------------------------------- confirming receipt


def test_the_office_confirms_receipt_and_the_clock_starts(world, moment, login_as):
    moment.at("2026-10-14 10:00")
    r, _ = online(world)
    moment.at("2026-10-16 09:00")  # Friday
    office = login_as("office")
    register = office.get("/requests")
    assert f'data-request="{r.id}" data-level="unconfirmed"' in register.text
    assert "待确认收到" in register.text and "确认收到后起算" in register.text
    page = office.get(f"/requests/{r.id}")
    assert page.status_code == 200 and "待确认收到" in page.text
    assert 'id="form-confirm_receipt"' in page.text and 'value="2026-10-16"' in page.text
    for other in ("assign", "correction", "extension", "pause"):
        assert f'id="form-{other}"' not in page.text

    def confirm(day, version=None):
        db.session.refresh(r)
        return office.post(
            f"/requests/{r.id}/confirm-receipt",
            {"version": str(version or r.version), "confirmed_on": day},
            token_from=f"/requests/{r.id}",
        )

    early = confirm("2026-10-13")
    assert early.status_code == 422
    assert "确认收到的日期不能早于提交申请的日期（2026-10-14）" in early.text
    assert 'value="2026-10-13"' in early.text
    future = confirm("2026-10-17")
    assert future.status_code == 422 and "日期不能晚于今天" in future.text
    blank = confirm("")
    assert blank.status_code == 422 and "请填写确认收到申请的日期" in blank.text
    assert confirm("2026-10-15", version=r.version + 5).status_code == 409
    db.session.refresh(r)
    assert r.state == "submitted" and r.received_on is None
    done = confirm("2026-10-15")
    assert done.status_code == 303
    shown = office.get(done.headers["Location"])
    assert "收到申请之日为 2026-10-15" in shown.text
    assert 'data-due="2026-11-12"' in shown.text  # 20 working days after Thursday 2026-10-15
    assert 'id="form-assign"' in shown.text and 'id="form-confirm_receipt"' not in shown.text
    assert "2026-10-15 确认收到申请（用户office）" in shown.text  # the timeline: who confirmed
    db.session.refresh(r)
    assert (r.state, r.confirmed_on, r.received_on) == (
        "registered",
        date(2026, 10, 15),
        date(2026, 10, 15),
    )
    assert r.registered_by_id == world.users["office"].id
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "request_receipt_confirmed")
    )
    assert (entry.actor_id, entry.from_state, entry.to_state) == (
        world.users["office"].id,
        "submitted",
        "registered",
    )
    assert '"received_on":"2026-10-15"' in entry.detail and "张三" not in entry.detail
    twice = confirm("2026-10-15")
    assert twice.status_code == 409 and "该申请已确认收到" in twice.text


@pytest.mark.parametrize(("who", "status"), [("officer", 404), ("leader", 404), ("secrecy", 403)])
def test_only_the_office_confirms_receipt(world, today, login_as, who, status):
    r, _ = online(world)
    b = login_as(who)
    assert b.get(f"/requests/{r.id}").status_code == status
    token = b.token("/")
    refused = b.client.post(
        f"/requests/{r.id}/confirm-receipt",
        data={"csrf_token": token, "version": str(r.version), "confirmed_on": "2026-10-14"},
    )
    assert refused.status_code == status
    db.session.rollback()
    assert db.session.get(InformationRequest, r.id).state == "submitted"


def test_the_public_and_another_body_cannot_confirm_receipt(world, today, app):
    r, _ = online(world)
    public = visitor(app)
    refused = public.post(
        f"/requests/{r.id}/confirm-receipt",
        {"version": str(r.version), "confirmed_on": "2026-10-14"},
        token_from="/login",
    )
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    other = World.build(credit_code="11000000MB0000002X")
    db.session.commit()
    stranger = Browser(app.test_client())
    assert stranger.login(other.users["office"].username, other.password).status_code == 302
    assert stranger.get(f"/requests/{r.id}").status_code == 404
    refused = stranger.post(
        f"/requests/{r.id}/confirm-receipt",
        {"version": str(r.version), "confirmed_on": "2026-10-14"},
        token_from="/",
    )
    assert refused.status_code == 404
    db.session.rollback()
    assert db.session.get(InformationRequest, r.id).state == "submitted"


# ---------------------------------------------------------------- the tracker


def test_the_tracker_shows_the_applicant_their_request_as_it_goes(world, moment, app):
    moment.at("2026-10-14 10:00")
    r, code = online(world, phone="13812345678", email="zhang@example.cn")
    b = visitor(app)
    form = b.get(f"{portal(world)}/track")
    assert form.status_code == 200 and heading(form.text) == "申请查询"
    assert form.headers["Cache-Control"] == "no-store"
    typed = f"  {code.lower().replace('-', ' ')} "  # as read over the phone
    found = track(b, world, typed, " 张三 ")
    assert found.status_code == 303
    url = f"{portal(world)}/track/{r.id}"
    assert found.headers["Location"].endswith(url) and code not in found.headers["Location"]

    def shown():
        assert track(b, world, code, "张三").status_code == 303  # the clock moved: again
        page = b.get(url)
        assert page.status_code == 200 and heading(page.text) == "申请办理情况"
        assert page.headers["Cache-Control"] == "no-store"
        for private in ("110105194912310029", "13812345678", "zhang@example.cn", "用户"):
            assert private not in page.text
        return page.text

    text = shown()
    assert r.number in text and "已提交，等待受理机关确认收到" in text
    assert (
        "2026-10-14" in text and "待确认收到" in text and "自受理机关确认收到申请之日起计算" in text
    )

    moment.at("2026-10-15 10:00")
    confirmed(world, r, date(2026, 10, 15))
    ops.assign(world.users["office"], r, r.version, world.departments["civil"].id)
    db.session.commit()
    text = shown()
    assert "正在办理" in text and 'data-due="2026-11-12"' in text and "民政办" not in text

    ops.request_correction(
        world.users["office"],
        r,
        r.version,
        date(2026, 10, 15),
        "请写明所需信息的年份",
        date(2026, 10, 29),
    )
    db.session.add(
        RequestDelivery(
            request_id=r.id,
            document="correction",
            method="post",
            delivered_on=date(2026, 10, 15),
            note="内部备注：挂号信XA123",
            proof_filename="送达回证扫描.pdf",
            created_by_id=world.users["office"].id,
        )
    )
    db.session.add(
        RequestDelivery(
            request_id=r.id,
            document="third_party",
            method="post",
            delivered_on=date(2026, 10, 15),
            created_by_id=world.users["office"].id,
        )
    )
    db.session.commit()
    text = shown()
    assert "需要补正" in text and "请写明所需信息的年份" in text
    assert "2026-10-29" in text and "自收到补正材料之日起重新计算" in text
    assert "补正申请告知书" in text and "邮寄送达" in text
    for internal in ("挂号信XA123", "送达回证扫描", "第三方意见征询函"):
        assert internal not in text

    moment.at("2026-10-20 10:00")
    ops.record_correction(world.users["office"], r, r.version, date(2026, 10, 20))
    ops.start_pause(
        world.users["officer"], r, r.version, "third_party", date(2026, 10, 20), "征求某公司意见"
    )
    db.session.commit()
    text = shown()
    assert "暂停计时" in text and "征求某公司意见" not in text and "2026-10-20" in text

    ops.end_pause(world.users["officer"], r, r.version, date(2026, 10, 20))
    moment.at("2026-10-21 10:00")  # the pause's last day is not counted: the clock runs again
    ops.approve_extension(world.users["office_head"], r, r.version, 10, "内部理由：档案调取")
    db.session.commit()
    text = shown()
    due = ops.clock_of(r).due
    assert "延长 10 个工作日" in text and f"答复期限延至 {due.isoformat()}" in text
    assert "内部理由" not in text and "档案调取" not in text


def test_a_closed_request_shows_its_closing_date_and_no_due_day(world, moment, app):
    moment.at("2026-10-14 10:00")
    r, code = online(world)
    confirmed(world, r, date(2026, 10, 14))
    ops.request_correction(
        world.users["office"], r, r.version, date(2026, 10, 14), "缺少年份", date(2026, 10, 21)
    )
    db.session.commit()
    moment.at("2026-10-22 10:00")
    ops.close_lapsed(world.users["office"], r, r.version)
    db.session.commit()
    b = visitor(app)
    track(b, world, code, "张三")
    text = b.get(f"{portal(world)}/track/{r.id}").text
    assert "已终止（逾期未补正）" in text and "办结日期" in text and "2026-10-22" in text
    assert "data-due" not in text


def test_a_wrong_code_or_a_wrong_name_gets_one_message(world, today, app):
    r, code = online(world)
    other_world = World.build(credit_code="11000000MB0000002X")
    db.session.commit()
    elsewhere, elsewhere_code = intake.file_online(other_world.body, person())
    db.session.commit()
    b = visitor(app)
    wrong_name = track(b, world, code, "张四")
    wrong_code = track(b, world, code[:-1] + ("2" if code[-1] != "2" else "3"), "张三")
    other_body = track(b, world, elsewhere_code, "张三")  # a code of another body's portal
    for refused in (wrong_name, wrong_code, other_body):
        assert refused.status_code == 422 and NO_MATCH in refused.text
        assert r.number not in refused.text and 'class="field-error"' not in refused.text
    assert 'value="张四"' in wrong_name.text  # what was typed is kept
    missing = track(b, world, "", "")
    assert missing.status_code == 422
    assert "请填写查询码" in missing.text and "请填写申请人姓名或名称" in missing.text
    assert NO_MATCH not in missing.text
    assert b.get(f"{portal(world)}/track/{r.id}").status_code == 404
    assert b.get(f"/public/{other_world.body.id}/track/{elsewhere.id}").status_code == 404


def test_another_applicants_request_never_shows(world, today, app):
    mine, my_code = online(world, "张三")
    theirs, _ = online(world, "李四", id_number="110105195001010012")
    b = visitor(app)
    assert track(b, world, my_code, "张三").status_code == 303
    text = b.get(f"{portal(world)}/track/{mine.id}").text
    assert mine.number in text and theirs.number not in text and "李四" not in text
    assert b.get(f"{portal(world)}/track/{theirs.id}").status_code == 404
    assert visitor(app).get(f"{portal(world)}/track/{mine.id}").status_code == 404
    other = World.build(credit_code="11000000MB0000002X")
    db.session.commit()
    assert b.get(f"/public/{other.body.id}/track/{mine.id}").status_code == 404


def test_the_session_keeps_the_last_five_requests_for_thirty_minutes(world, today, app):
    made = [online(world, f"申请人{n}") for n in range(6)]
    b = visitor(app)
    for n, (_, code) in enumerate(made):
        assert track(b, world, code, f"申请人{n}").status_code == 303
    urls = [f"{portal(world)}/track/{r.id}" for r, _ in made]
    assert b.get(urls[0]).status_code == 404  # the oldest went
    assert all(b.get(url).status_code == 200 for url in urls[1:])
    today.at("2026-10-14 10:29")
    assert b.get(urls[-1]).status_code == 200
    today.at("2026-10-14 10:31")
    assert b.get(urls[-1]).status_code == 404


# ---------------------------------------------------------------- nowhere else


def test_nothing_of_a_request_reaches_the_portal_feeds_api_or_search(world, today, app, published):
    r, _ = online(world, "隐私测试申请人", description="特征描述甲乙丙", phone="13900009999")
    confirmed(world, r, date(2026, 10, 14))
    b = visitor(app)
    body_id = world.body.id
    pages = [
        "/public/",
        f"/public/{body_id}/",
        f"/public/{body_id}/guide",
        f"/public/{body_id}/rules",
        f"/public/{body_id}/feed.atom",
        f"/public/{body_id}/search?q=低保",
        f"/public/{body_id}/apply",
        f"/public/{body_id}/track",
        f"/api/v1/bodies/{body_id}/items",
        f"/api/v1/items/{published.id}",
        f"/public/items/{published.id}",
    ]
    for path in pages:
        response = b.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        for private in ("隐私测试申请人", "特征描述甲乙丙", "13900009999", r.number):
            assert private not in response.text, (path, private)
    assert published.current_revision.title in b.get(f"/public/{body_id}/").text
    for term in ("特征描述甲乙丙", "隐私测试申请人", "13900009999", r.number):
        found = b.get(f"/public/{body_id}/search", query_string={"q": term})
        assert found.status_code == 200 and "没有找到包含全部关键词的公开信息" in found.text, term
