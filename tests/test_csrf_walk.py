"""A walk over every route of ``app.url_map``.

POST: each route, posted by a signed-in user who could otherwise act (CSRF on, as in
production), without a token, with a forged one and with a valid token of *another* session, is
refused with 400 and leaves every table of the database as it was. Then the same user's same
request with the token of their own page goes through and changes the database: the refusal was
the token's, not a missing permission or a bad form.

GET: every route, its URL filled with real ids of a world holding items in every state, requested
by anonymous visitors and by users of every role, changes nothing in the database, except
that a request's page (依申请公开), whose every staff read is audited, adds its audit entry. The logins
happen before the "before" picture is taken; no other exception is needed: a signed-in request's
bookkeeping (the session's last-seen time) lives in the signed cookie, not in the database.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from approval.calendar import operations as calendar
from approval.core.clock import local_today, utcnow
from approval.core.workflow import Action
from approval.delegations import operations as delegations
from approval.extensions import db
from approval.models import Attachment, Category, Department, Notification, SensitiveWord, User
from approval.opinions import operations as opinions
from approval.portal import catalog
from approval.publication import drafts
from approval.requests import cases, deliveries, intake, replies
from approval.requests import operations as requests
from approval.screening import word_list
from tests.conftest import Browser, csrf_from
from tests.db_snapshot import changed_tables, snapshot
from tests.factories import content
from tests.helpers import interaction as interaction_walk
from tests.helpers import notices as notices_walk
from tests.helpers.pages import heading
from tests.helpers.request_records import png_bytes
from tests.helpers.requests import person

STATES = ["draft", "pending_leader", "pending_office", "pending_secrecy", "approved", "published"]
NEW_PASSWORD = "Changed-Password-2026!"


def text_file(
    name: str = "说明.txt", text: str = "附件说明：本公告自发布之日起施行。"
) -> FileStorage:
    return FileStorage(stream=io.BytesIO(text.encode()), filename=name, content_type="text/plain")


@pytest.fixture
def seeded(world):
    """Items in every state (one published with an attachment, one draft with an attachment and
    a mobile number to mask, one returned, withheld, withdrawn, scheduled), a second category, a
    sensitive word and the 信息公开指南."""
    users, s = world.users, SimpleNamespace(world=world, body_id=world.body.id)
    s.items = {state: world.to_state(world.item(title=f"状态{state}"), state) for state in STATES}
    s.items["returned"] = world.act(
        "leader",
        world.to_state(world.item(title="退回的信息"), "pending_leader"),
        Action.RETURN,
        opinion="请补充数据",
    )
    s.items["withheld"] = world.act(
        "secrecy",
        world.to_state(world.item(title="不予公开的信息"), "pending_secrecy"),
        Action.WITHHOLD,
        opinion="涉及个人隐私",
        basis="personal_privacy",
    )
    s.items["unpublished"] = world.act(
        "publisher",
        world.to_state(world.item(title="撤稿的信息"), "published"),
        Action.UNPUBLISH,
        opinion="内容有误",
    )
    s.items["scheduled"] = world.act(
        "publisher",
        world.to_state(world.item(title="定时发布的信息"), "approved"),
        Action.SCHEDULE,
        publish_at=utcnow() + timedelta(days=1),
    )
    with_file = world.item(title="带附件的公告")
    drafts.add_attachment(users["officer"], with_file, text_file(), with_file.version)
    # an image: previewed in the browser (issue 24); unreadable as text, so the reviewer overrides
    photo = FileStorage(io.BytesIO(png_bytes()), filename="现场照片.png", content_type="image/png")
    drafts.add_attachment(users["officer"], with_file, photo, with_file.version)
    db.session.commit()
    s.items["published_with_file"] = world.to_state(
        with_file, "published", override_reason="图片已人工审查"
    )
    draft = world.item(title="带附件的草稿", body="联系人：张三，电话13812345678。")
    listed = text_file("名单.txt", "联系人：张三，电话13812345678。")  # for 一键脱敏 of a file
    drafts.add_attachment(users["officer"], draft, listed, draft.version)
    db.session.commit()
    s.draft = draft
    s.reading = world.item(title="政策解读草稿", info_type="interpretation")  # 政策解读
    s.attachment = draft.current_revision.attachments[0]
    s.category = world.category
    s.second_category = catalog.create_category(
        users["office"], world.body.id, code="07", name="工作动态", parent_id=None
    )
    word_list.add_words(users["secadmin"], world.body.id, "内部资料")
    catalog.save_page(
        users["office"],
        world.body.id,
        "guide",
        title="信息公开指南",
        content="本机关信息公开指南。",
        seen="new",
    )
    db.session.commit()
    s.word = db.session.scalar(select(SensitiveWord))
    s.leader_note = db.session.scalar(
        select(Notification.id)
        .where(Notification.user_id == users["leader"].id, Notification.read_at.is_(None))
        .limit(1)
    )
    # a Tuesday in March: a working day in every year's holiday arrangement, so a day off there
    # is a change whether or not the installed chinesecalendar covers 2027 yet
    s.calendar_override = calendar.add_overrides(
        users["sysadmin"], date(2027, 3, 16), None, False, "测试"
    ).added[0]
    db.session.commit()
    # 请假代理: a delegation to revoke (from tomorrow, so it changes nobody's rights today)
    tomorrow = local_today() + timedelta(days=1)
    s.delegation = delegations.create(
        users["leader_agri"],
        "leader",
        users["office"].id,
        tomorrow,
        tomorrow + timedelta(days=2),
        "休假",
    )
    db.session.commit()
    # the sysadmin's pages: a disabled and locked account (to enable, to unlock) and a department
    # nothing uses (to delete)
    s.disabled = User(
        username="disabled_account",
        display_name="停用的账号",
        body=world.body,
        department=world.departments["civil"],
        is_enabled=False,
        locked_until=utcnow() + timedelta(days=1),
        password_hash=users["officer"].password_hash,
    )
    s.spare_department = Department(body=world.body, name="待撤并科室", position=9)
    db.session.add_all([s.disabled, s.spare_department])
    db.session.commit()
    _requests(s)
    interaction_walk.seed_walk(s)  # 互动回应
    notices_walk.seed_walk(s)  # 公示
    # 常用意见: two of the leader's (to move one, to remove one)
    s.opinions = [opinions.add(users["leader"], text) for text in ("同意。", "请补充依据。")]
    db.session.commit()
    return s


def _requests(s):
    """依申请公开: a request just registered (to assign, to ask for 补正), one whose 补正 deadline
    has passed (to record the corrected request, to close as 逾期不补正), one being processed (to
    pause, to extend) and one paused (to resume)."""
    users, today = s.world.users, local_today()
    civil = s.world.departments["civil"].id

    def registered(days_ago):
        made = requests.register(
            users["office"], person(submitted_on=today - timedelta(days=days_ago))
        )
        db.session.flush()
        return made

    s.request_new = registered(1)
    s.request_lapsed = registered(3)
    requests.request_correction(
        users["office"],
        s.request_lapsed,
        s.request_lapsed.version,
        today - timedelta(days=2),
        "缺少年份",
        today - timedelta(days=1),
    )
    s.request_processing = registered(1)
    requests.assign(users["office"], s.request_processing, s.request_processing.version, civil)
    s.request_paused = registered(1)
    requests.assign(users["office"], s.request_paused, s.request_paused.version, civil)
    requests.start_pause(
        users["office"], s.request_paused, s.request_paused.version, "fee", today, ""
    )
    # one being answered (its reply's draft to edit), one whose reply is still to be drafted
    s.reply = replies.start_reply(
        users["officer"], s.request_processing, s.request_processing.version
    )
    s.request_to_reply = registered(1)
    requests.assign(users["office"], s.request_to_reply, s.request_to_reply.version, civil)
    # filed on the portal: to confirm its receipt, to look up with its 查询码
    s.request_online, s.tracking_code = intake.file_online(s.world.body, person())
    # a fee notice unpaid past its 20 working days (to close as 逾期未缴费)
    s.request_fee_due = registered(60)
    requests.assign(users["office"], s.request_fee_due, s.request_fee_due.version, civil)
    requests.start_pause(
        users["office"],
        s.request_fee_due,
        s.request_fee_due.version,
        "fee",
        today - timedelta(days=50),
        "",
        amount="30",
    )
    # a third party consulted (its letter), with the 补正 notice's delivery and its proof
    s.request_consulting = registered(5)
    requests.assign(users["office"], s.request_consulting, s.request_consulting.version, civil)
    s.third_party_pause = requests.start_pause(
        users["office"],
        s.request_consulting,
        s.request_consulting.version,
        "third_party",
        today - timedelta(days=1),
        "",
        party="某某建材有限公司",
    )
    s.delivery = deliveries.record_delivery(
        users["office"],
        s.request_lapsed,
        s.request_lapsed.version,
        "correction",
        "post",
        today,
        "挂号信",
        FileStorage(io.BytesIO(png_bytes()), filename="回执.png", content_type="image/png"),
    )
    # filed online, answered with a reply through the chain (the tracker's 答复书 and attachment)
    s.request_answered, s.answered_code = intake.file_online(s.world.body, person())
    intake.confirm_receipt(users["office"], s.request_answered, s.request_answered.version, today)
    requests.assign(users["office"], s.request_answered, s.request_answered.version, civil)
    reply = replies.start_reply(users["officer"], s.request_answered, s.request_answered.version)
    replies.update_reply(
        users["officer"],
        reply,
        {"reply_type": "granted", "body": "现予提供。"},
        None,
        reply.version,
    )
    drafts.add_attachment(
        users["officer"],
        reply,
        FileStorage(io.BytesIO(b"2026 list"), filename="list.txt", content_type="text/plain"),
        reply.version,
    )
    s.world.to_state(reply, "approved")
    s.world.act("publisher", reply, Action.SEND)
    s.reply_attachment = reply.current_revision.attachments[0]
    # closed (a 复议 may be brought), with a case still pending (its result to record)
    s.request_closed = registered(30)
    requests.request_correction(
        users["office"],
        s.request_closed,
        s.request_closed.version,
        today - timedelta(days=29),
        "缺少年份",
        today - timedelta(days=10),
    )
    requests.close_lapsed(users["office"], s.request_closed, s.request_closed.version)
    s.case = cases.add_case(
        users["office"],
        s.request_closed,
        s.request_closed.version,
        "review",
        False,
        today,
        "某县人民政府",
        "",
        "",
    )
    db.session.commit()


def _portal_request_cases(s) -> dict[str, Post]:
    """The portal's request form and tracker (requests/portal_routes.py), for a visitor."""
    apply, track = f"/public/{s.body_id}/apply", f"/public/{s.body_id}/track"
    filing = {"applicant_kind": "person", "applicant_name": "张三", "id_type": "resident_id"}
    filing |= {"id_number": "110105194912310029", "phone": "13812345678"}
    filing |= {"description": "低保资金发放情况", "provision": "paper", "pickup": "collect"}
    lookup = {"code": s.tracking_code, "applicant_name": "张三"}
    return {
        "portal_requests.apply": Post(None, apply, apply, lambda: dict(filing)),
        "portal_requests.track": Post(None, track, track, lambda: dict(lookup), False),
    }


# ---------------------------------------------------------------- POST


NOTICE = "一、测试：3月18日放假，共1天。"  # a pasted holiday notice of 2027


@dataclass
class Post:
    who: str | None  # a world user, or None: an anonymous visitor
    path: str
    page: str  # the page whose form the user posts from (its token is the real one)
    fields: Callable[[], dict]
    changes_database: bool = True
    done: tuple[int, ...] = (302, 303)  # the status of the request that went through
    prepare: Callable | None = None  # run with the user's Browser first (a tracker's session)


def _draft_fields(s, **overrides) -> dict:
    data = {**content(category_id=s.category.id), **overrides}
    data["formed_on"] = data["formed_on"].isoformat()
    data["category_id"] = str(data["category_id"])
    data["non_disclosure_basis"] = ""
    return data


def post_cases(s) -> dict[str, Post]:
    """One case per POST endpoint: who may do it, and a request that succeeds with a token."""
    draft, word, category = s.draft, s.word, s.second_category
    version = str(draft.version)
    pending = s.items["pending_leader"]
    return {
        "auth.login": Post(
            None,
            "/login",
            "/login",
            lambda: {"username": s.world.users["officer"].username, "password": s.world.password},
        ),
        "auth.logout": Post("officer", "/logout", "/", dict),
        "auth.language": Post(
            "officer", "/language", "/", lambda: {"lang": "en", "next": "/"}, changes_database=False
        ),  # the choice lives in the session only
        "auth.keep_alive": Post(
            "officer", "/session/keep-alive", "/", dict, changes_database=False, done=(204,)
        ),  # 继续工作: the session's last activity only
        "auth.change_password": Post(
            "officer",
            "/account/password",
            "/account/password",
            lambda: {
                "current_password": s.world.password,
                "new_password": NEW_PASSWORD,
                "repeat_password": NEW_PASSWORD,
            },
        ),
        "drafts.new": Post(
            "officer", "/items/new", "/items/new", lambda: _draft_fields(s, title="新建的草稿")
        ),
        "drafts.edit": Post(
            "officer",
            f"/items/{draft.id}/edit",
            f"/items/{draft.id}/edit",
            lambda: {**_draft_fields(s, title="改过的标题"), "version": version},
        ),
        "drafts.upload": Post(
            "officer",
            f"/items/{draft.id}/attachments",
            f"/items/{draft.id}",
            lambda: {"file": (io.BytesIO("补充说明".encode()), "补充.txt"), "version": version},
        ),
        "drafts.remove": Post(
            "officer",
            f"/items/{draft.id}/attachments/{s.attachment.id}/delete",
            f"/items/{draft.id}",
            lambda: {"version": version},
        ),
        "drafts.mask": Post(
            "officer", f"/items/{draft.id}/mask", f"/items/{draft.id}", lambda: {"version": version}
        ),
        "drafts.mask_attachment": Post(
            "officer",
            f"/items/{draft.id}/attachments/{s.attachment.id}/mask",
            f"/items/{draft.id}",
            lambda: {"version": version},
        ),
        "drafts.rename_attachment": Post(
            "officer",
            f"/items/{draft.id}/attachments/{s.attachment.id}/name",
            f"/items/{draft.id}",
            lambda: {"version": version, "display_name": "联系人名单"},
        ),
        "interpretations.link": Post(
            "officer",
            f"/items/{s.reading.id}/interprets",
            f"/items/{s.reading.id}",
            lambda: {"version": str(s.reading.version), "policy": str(draft.id)},
        ),
        "interpretations.require": Post(
            "office",
            f"/items/{s.items['pending_office'].id}/needs-interpretation",
            f"/items/{s.items['pending_office'].id}",
            lambda: {"version": str(s.items["pending_office"].version), "needed": "1"},
        ),
        "amendments.start": Post(
            "officer",
            f"/items/{s.items['published'].id}/amend",
            f"/items/{s.items['published'].id}",
            lambda: {"version": str(s.items["published"].version), "note": "更正错别字"},
        ),
        "site.settings": Post(
            "office",
            "/office/site",
            "/office/site",
            lambda: {"version": "0", "sponsor": "测试镇人民政府办公室", "site_code": "3201000001"},
        ),
        "review.act": Post(
            "leader",
            f"/items/{pending.id}/act",
            f"/items/{pending.id}",
            lambda: {"action": "approve", "version": str(pending.version)},
        ),
        "screening.add_words": Post(
            "secadmin",
            "/admin/words",
            "/admin/words",
            lambda: {"words": "不得外传", "category": "", "severity": "medium"},
        ),
        "screening.import_words": Post(
            "secadmin",
            "/admin/words/import",
            "/admin/words",
            lambda: {
                "import-file": (io.BytesIO("绝密\n机密".encode()), "words.txt"),
                "import-category": "",
                "import-severity": "high",
            },
        ),
        "audit.export_audit_trail": Post(
            "auditor", "/admin/audit/export/csv", "/admin/audit", dict, done=(200,)
        ),  # a download; the export is audited
        "screening.delete_word": Post(
            "secadmin", f"/admin/words/{word.id}/delete", "/admin/words", dict
        ),
        "grants.grant_roles": Post(
            "secadmin",
            f"/admin/roles/{s.world.users['officer_b'].id}",
            f"/admin/roles/{s.world.users['officer_b'].id}",
            lambda: {"roles": ["officer", "publisher"]},
        ),
        "grants.security_policy": Post(
            "secadmin",
            "/admin/policy",
            "/admin/policy",
            lambda: {
                "password_max_age_days": "60",
                "login_max_failures": "3",
                "login_failure_window_minutes": "10",
                "login_lock_minutes": "60",
                "session_idle_minutes": "15",
                "session_max_hours": "8",
            },
        ),
        "grants.chain": Post(
            "secadmin",
            "/admin/chain",
            "/admin/chain",
            lambda: {
                "version": "0",
                "op": "save",
                **{
                    f"steps-{i}-{field}": value
                    for i, step in enumerate(
                        [
                            ("leader", "分管领导审批", "leader", "department"),
                            ("office", "办公室审核", "office_auditor", "body"),
                            ("", "办公室分管负责人审批", "leader", "general_office"),
                            ("secrecy", "保密审查", "secrecy_reviewer", "body"),
                        ]
                    )
                    for field, value in zip(("key", "name", "role", "scope"), step, strict=True)
                },
            },
        ),
        "audit.verify_audit_trail": Post("auditor", "/admin/audit/verify", "/admin/audit", dict),
        "notifications.mark_all_read": Post(
            "leader", "/notifications/read-all", "/notifications", dict
        ),
        "notifications.mark_read": Post(
            "leader", f"/notifications/{s.leader_note}/read", "/notifications", dict
        ),
        "notifications.open_one": Post(
            "leader", f"/notifications/{s.leader_note}/open", "/notifications", dict
        ),
        "statistics.targets": Post(
            "office",
            "/office/statistics/targets?year=2026",
            "/office/statistics/targets?year=2026",
            lambda: {f"target_{s.world.departments['civil'].id}": "12"},
        ),
        "statistics.stale_limits": Post(
            "office",
            "/office/statistics/stale-limits",
            "/office/statistics/stale-limits",
            lambda: {f"days_{s.category.id}": "30"},
        ),
        "annual_reports.save": Post(
            "office",
            "/office/annual-reports/2026",
            "/office/annual-reports/2026",
            lambda: {"report-version": "0", "report-overview": "总体情况", "report-fees": "1.5"},
        ),
        "annual_reports.save_baseline": Post(
            "office",
            "/office/annual-reports/2026/baseline",
            "/office/annual-reports/2026",
            lambda: {"baseline-version": "0", "baseline-year": "2025"},
        ),
        # 送审 is the general office's 信息员's: the office's staff are refused after the token
        "annual_reports.send": Post(
            "office",
            "/office/annual-reports/2026/send",
            "/office/annual-reports/2026",
            lambda: {"send-version": "0"},
            changes_database=False,
            done=(403,),
        ),
        "deadlines.limits": Post(
            "office",
            "/office/deadlines/limits",
            "/office/deadlines/limits",
            lambda: {"days_leader": "3"},
        ),
        "calendar.add_calendar_override": Post(
            "sysadmin",
            "/admin/calendar",
            "/admin/calendar",
            lambda: {"day": "2027-03-17", "until": "", "kind": "day_off", "note": "测试调整"},
        ),
        "calendar.delete_calendar_override": Post(
            "sysadmin", f"/admin/calendar/{s.calendar_override.id}/delete", "/admin/calendar", dict
        ),
        "calendar.add_calendar_notice": Post(  # confirming a pasted notice (a Thursday in March)
            "sysadmin",
            "/admin/calendar/notice?year=2027",
            "/admin/calendar?year=2027",
            lambda: {
                "notice": NOTICE,
                "step": "confirm",
                "previewed": hashlib.sha256(NOTICE.encode()).hexdigest(),
            },
        ),
        **_sysadmin_cases(s),
        "office.create_category": Post(
            "office",
            "/office/catalog",
            "/office/catalog",
            lambda: {"code": "08", "name": "规划计划", "parent_id": ""},
        ),
        "office.edit_category": Post(
            "office",
            f"/office/catalog/{category.id}/edit",
            f"/office/catalog/{category.id}/edit",
            lambda: {"code": "07", "name": "工作动态（改）", "parent_id": ""},
        ),
        "office.move_category": Post(
            "office",
            f"/office/catalog/{category.id}/move",
            "/office/catalog",
            lambda: {"direction": "up"},
        ),
        "office.delete_category": Post(
            "office", f"/office/catalog/{category.id}/delete", "/office/catalog", dict
        ),
        "delegations.create": Post(
            "leader",
            "/delegations",
            "/delegations",
            lambda: {
                "role": "leader",
                "deputy_id": str(s.world.users["office_head"].id),
                "starts_on": local_today().isoformat(),
                "ends_on": (local_today() + timedelta(days=2)).isoformat(),
                "reason": "出差",
            },
        ),
        "delegations.revoke": Post(
            "leader_agri", f"/delegations/{s.delegation.id}/revoke", "/delegations", dict
        ),
        **_request_cases(s),
        "opinions.add": Post(
            "leader", "/account/opinions", "/account/opinions", lambda: {"text": "内容属实。"}
        ),
        "opinions.remove": Post(
            "leader", f"/account/opinions/{s.opinions[0].id}/delete", "/account/opinions", dict
        ),
        "opinions.move": Post(
            "leader",
            f"/account/opinions/{s.opinions[0].id}/move",
            "/account/opinions",
            lambda: {"direction": "down"},
        ),
        "office.page_edit": Post(
            "office",
            "/office/pages/rules",
            "/office/pages/rules",
            lambda: {"title": "信息公开制度", "content": "本机关信息公开制度。", "seen": "new"},
        ),
    }


def _request_cases(s) -> dict[str, Post]:
    """The request register (requests/routes.py): each action from the request's page."""
    today = local_today().isoformat()

    def on(r, action, who="office", **fields):
        page = f"/requests/{r.id}"
        return Post(who, f"{page}/{action}", page, lambda: {"version": str(r.version), **fields})

    new, lapsed = s.request_new, s.request_lapsed
    processing, paused = s.request_processing, s.request_paused
    return {
        "requests.new": Post(
            "office",
            "/requests/new",
            "/requests/new",
            lambda: {
                "applicant_kind": "person",
                "applicant_name": "张三",
                "id_type": "resident_id",
                "id_number": "110105194912310029",
                "phone": "13812345678",
                "description": "低保资金发放情况",
                "provision": "paper",
                "pickup": "collect",
                "channel": "in_person",
                "submitted_on": today,
            },
        ),
        "requests.assign": on(new, "assign", department_id=str(s.world.departments["agri"].id)),
        "requests.correction": on(
            new, "correction", requested_on=today, missing="缺少年份", deadline="2099-12-31"
        ),
        "requests.corrected": on(lapsed, "corrected", received_on=today),
        "requests.close_lapsed": on(lapsed, "close-lapsed"),
        "requests.pause": on(processing, "pauses", kind="third_party", starts_on=today),
        "requests.end_pause": on(paused, "pauses/end", ends_on=today),
        "requests.extension": on(processing, "extension", "office_head", days="5", reason="调档"),
        "requests.start_reply": on(s.request_to_reply, "reply", "officer"),
        "requests.start_proactive": on(s.request_paused, "proactive", "officer"),
        "requests.close_fee_unpaid": on(s.request_fee_due, "close-fee-unpaid"),
        "requests.record_delivery": Post(
            "office",
            f"/requests/{s.request_consulting.id}/deliveries",
            f"/requests/{s.request_consulting.id}",
            lambda: {
                "delivery-version": str(s.request_consulting.version),
                "delivery-document": "third_party",
                "delivery-method": "post",
                "delivery-delivered_on": today,
            },
        ),
        "requests.add_case": Post(
            "office",
            f"/requests/{s.request_closed.id}/cases",
            f"/requests/{s.request_closed.id}",
            lambda: {
                "case-version": str(s.request_closed.version),
                "case-kind": "litigation",
                "case-filed_on": today,
                "case-authority": "某县人民法院",
            },
        ),
        "requests.decide_case": Post(
            "office",
            f"/requests/{s.request_closed.id}/cases/{s.case.id}/result",
            f"/requests/{s.request_closed.id}",
            lambda: {
                f"case-{s.case.id}-version": str(s.case.version),
                f"case-{s.case.id}-result": "upheld",
                f"case-{s.case.id}-decided_on": today,
            },
        ),
        "requests.confirm_receipt": on(s.request_online, "confirm-receipt", confirmed_on=today),
        **_portal_request_cases(s),
        **interaction_walk.walk_cases(s, Post),
        **notices_walk.walk_cases(s, Post),
        "requests.edit_reply": Post(
            "officer",
            f"/replies/{s.reply.id}/edit",
            f"/replies/{s.reply.id}/edit",
            lambda: {
                "version": str(s.reply.version),
                "title": "关于申请的答复",
                "reply_type": "granted",
                "formed_on": today,
                "body": "现将所申请的信息提供如下。",
            },
        ),
    }


def _sysadmin_cases(s) -> dict[str, Post]:
    """The system admin's accounts and departments (admin/accounts_routes.py)."""
    colleague, disabled = s.world.users["officer_b"], s.disabled
    agri, spare = s.world.departments["agri"], s.spare_department
    password = {"reset-password": NEW_PASSWORD, "reset-repeat_password": NEW_PASSWORD}
    return {
        "accounts.new_user": Post(
            "sysadmin",
            "/admin/users/new",
            "/admin/users/new",
            lambda: {
                "username": "new.account",
                "display_name": "新账号",
                "department_id": str(agri.id),
                "password": NEW_PASSWORD,
                "repeat_password": NEW_PASSWORD,
            },
        ),
        "accounts.edit_user": Post(
            "sysadmin",
            f"/admin/users/{colleague.id}",
            f"/admin/users/{colleague.id}",
            lambda: {
                "display_name": "改过的姓名",  # not moved: it has roles
                "department_id": str(colleague.department_id),
            },
        ),
        "accounts.disable_user": Post(
            "sysadmin", f"/admin/users/{colleague.id}/disable", f"/admin/users/{colleague.id}", dict
        ),
        "accounts.enable_user": Post(
            "sysadmin", f"/admin/users/{disabled.id}/enable", f"/admin/users/{disabled.id}", dict
        ),
        "accounts.unlock_user": Post(
            "sysadmin", f"/admin/users/{disabled.id}/unlock", f"/admin/users/{disabled.id}", dict
        ),
        "accounts.reset_password": Post(
            "sysadmin",
            f"/admin/users/{colleague.id}/password",
            f"/admin/users/{colleague.id}",
            lambda: dict(password),
        ),
        "accounts.create_department": Post(
            "sysadmin",
            "/admin/departments",
            "/admin/departments",
            lambda: {"new-name": "新设科室", "new-position": ""},
        ),
        "accounts.update_department": Post(
            "sysadmin",
            f"/admin/departments/{agri.id}",
            "/admin/departments",
            lambda: {f"d{agri.id}-name": "农业农村办（改）", f"d{agri.id}-position": "5"},
        ),
        "accounts.delete_department": Post(
            "sysadmin", f"/admin/departments/{spare.id}/delete", "/admin/departments", dict
        ),
    }


SYSADMIN_POSTS = [
    "accounts.new_user",
    "accounts.edit_user",
    "accounts.disable_user",
    "accounts.enable_user",
    "accounts.unlock_user",
    "accounts.reset_password",
    "accounts.create_department",
    "accounts.update_department",
    "accounts.delete_department",
]


def post_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}


KNOWN_POSTS = [
    "auth.login",
    "auth.logout",
    "auth.language",
    "auth.keep_alive",
    "auth.change_password",
    "drafts.new",
    "drafts.edit",
    "drafts.upload",
    "drafts.remove",
    "drafts.mask",
    "drafts.mask_attachment",
    "drafts.rename_attachment",
    "amendments.start",
    "interpretations.link",
    "interpretations.require",
    "site.settings",
    "review.act",
    "screening.add_words",
    "screening.import_words",
    "screening.delete_word",
    "audit.export_audit_trail",
    "grants.grant_roles",
    "grants.security_policy",
    "grants.chain",
    "audit.verify_audit_trail",
    "calendar.add_calendar_override",
    "calendar.delete_calendar_override",
    "calendar.add_calendar_notice",
    "statistics.targets",
    "statistics.stale_limits",
    "annual_reports.save",
    "annual_reports.save_baseline",
    "annual_reports.send",
    "deadlines.limits",
    "notifications.mark_all_read",
    "notifications.mark_read",
    "notifications.open_one",
    "office.create_category",
    "office.edit_category",
    "office.move_category",
    "office.delete_category",
    "office.page_edit",
    "delegations.create",
    "delegations.revoke",
    "requests.new",
    "requests.assign",
    "requests.correction",
    "requests.corrected",
    "requests.close_lapsed",
    "requests.pause",
    "requests.end_pause",
    "requests.extension",
    "requests.start_reply",
    "requests.edit_reply",
    "requests.start_proactive",
    "requests.close_fee_unpaid",
    "requests.record_delivery",
    "requests.add_case",
    "requests.decide_case",
    "requests.confirm_receipt",
    "portal_requests.apply",
    "portal_requests.track",
    "opinions.add",
    "opinions.remove",
    "opinions.move",
    *SYSADMIN_POSTS,
    *interaction_walk.WALK_POSTS,
    *notices_walk.WALK_POSTS,
]


def test_the_walk_knows_every_post_route(app):
    """A new POST route must be added to KNOWN_POSTS and ``post_cases`` (so proven protected)."""
    assert post_endpoints(app) <= set(KNOWN_POSTS)


@pytest.mark.parametrize("endpoint", KNOWN_POSTS)
def test_a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(
    app, seeded, login_as, endpoint
):
    if endpoint not in post_endpoints(app):
        pytest.skip(f"{endpoint} is not a route of this app")
    case = post_cases(seeded)[endpoint]
    user = login_as(case.who) if case.who else Browser(app.test_client())
    if case.prepare:
        case.prepare(user)
    page = user.get(case.page)  # the user has a session and its token
    assert page.status_code == 200 and heading(page.text) and csrf_from(page.text)
    someone_elses = Browser(app.test_client()).token("/login")
    before = snapshot()

    for token in (None, "forged-token", someone_elses):
        data = case.fields() | ({"csrf_token": token} if token else {})
        response = user.client.post(case.path, data=data)
        assert response.status_code == 400, (token, response.status_code)
        assert "CSRF" in response.text
    assert changed_tables(before, snapshot()) == {}

    response = user.post(case.path, case.fields(), token_from=case.page)
    assert response.status_code in case.done, response.status_code
    assert (changed_tables(before, snapshot()) != {}) is case.changes_database


# ---------------------------------------------------------------- GET

VISITORS = [
    "officer",
    "officer_agri",
    "leader",
    "office",
    "secrecy",
    "publisher",
    "sysadmin",
    "secadmin",
    "auditor",
]


def get_urls(app, s) -> dict[str, list[str]]:
    """Every GET endpoint with its URLs, filled with the seeded world's ids."""
    items = [item.id for item in s.items.values()] + [s.draft.id, s.reply.id]
    files = [(a.revision.item_id, a.id) for a in db.session.scalars(select(Attachment))]
    values = {
        "item_id": items,
        "body_id": [s.body_id],
        "category_id": [s.category.id],
        "code": [c.code for c in db.session.scalars(select(Category))],
        "slug": ["guide", "rules"],
        "filename": ["app.css", "portal.js"],
        # a business account and an admin one (the admins' pages)
        "user_id": [s.world.users["officer_b"].id, s.world.users["auditor"].id],
        "request_id": [
            s.request_new.id,
            s.request_paused.id,
            s.request_online.id,
            s.request_lapsed.id,  # its 补正 notice, delivered with a proof
            s.request_consulting.id,  # its letter to the third party
            s.request_answered.id,  # its 答复书
        ],
        "kind": ["correction", "reply"],  # the third party's letter: below
        "pause_id": [s.third_party_pause.id],
        "delivery_id": [s.delivery.id],
        "year": [2026],  # the annual report's
        "number": [1],  # an item's public version (修订记录): the current one redirects
        **interaction_walk.walk_values(s),
    }
    adapter, urls = app.url_map.bind("localhost"), {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        if rule.endpoint == "portal_requests.reply_attachment":  # the applicant's, tracked
            combos = [
                {
                    "body_id": s.body_id,
                    "request_id": s.request_answered.id,
                    "attachment_id": s.reply_attachment.id,
                }
            ]
        elif "attachment_id" in rule.arguments:
            combos = [{"item_id": i, "attachment_id": a} for i, a in files]
        else:
            combos = [{}]
            for name in sorted(rule.arguments):
                combos = [{**c, name: v} for c in combos for v in values[name]]
        urls[rule.endpoint] = [adapter.build(rule.endpoint, c) for c in combos]
    urls["search.search"] += [
        f"/public/{s.body_id}/search?q=低保",
        f"/public/{s.body_id}/search?q=公告&year=2026",
    ]
    urls["audit.audit_trail"] += [f"/admin/audit?item={items[0]}", "/admin/audit?from=2026-01-01"]
    letter = f"/requests/{s.request_consulting.id}/documents/third_party/{s.third_party_pause.id}"
    urls["requests.document"] += [letter]
    urls["requests.document_docx"] += [letter + ".docx"]
    return urls


# db_setup.audited_read: the read is recorded
AUDITED_READS = [
    "requests.page",
    "interaction.page",  # a message's page (互动回应)
    "requests.document",
    "requests.document_docx",
    "requests.delivery_proof",
]


def test_no_get_route_changes_the_database(app, seeded, login_as):
    urls = get_urls(app, seeded)
    visitors = {
        "anonymous": Browser(app.test_client()),
        **{name: login_as(name) for name in VISITORS},
    }
    statuses: dict[str, set[int]] = {endpoint: set() for endpoint in urls}
    # the portal's tracker shows a request to a session that gave its 查询码 and name
    track = f"/public/{seeded.body_id}/track"
    for code in (seeded.tracking_code, seeded.answered_code):
        lookup = {"code": code, "applicant_name": "张三"}
        assert visitors["anonymous"].post(track, lookup, token_from=track).status_code == 303
    interaction_walk.track_in(visitors["anonymous"], seeded)  # 互动回应's tracker
    before = snapshot()

    def visit(endpoints):
        for name, visitor in visitors.items():
            for endpoint in endpoints:
                for path in urls[endpoint]:
                    response = visitor.get(path)
                    assert response.status_code < 500, (name, path, response.status_code)
                    statuses[endpoint].add(response.status_code)

    visit([e for e in urls if e not in AUDITED_READS])
    assert changed_tables(before, snapshot()) == {}
    # a request's page: every staff read is an audit entry (issue 28), and writes nothing else
    visit(AUDITED_READS)
    assert set(changed_tables(before, snapshot())) == {"audit_entries", "audit_head"}
    assert all(paths for paths in urls.values())  # every GET route was requested
    # and every one was shown (or redirected on to a page) to someone
    assert {e for e, codes in statuses.items() if min(codes) >= 400} == set()


# ---------------------------------------------------------------- headers on every response


def test_every_response_carries_the_security_headers(app, seeded, login_as):
    """Every GET route, for a visitor and a signed-in user, whatever its status (pages, files,
    feeds, JSON, 403/404 pages): the CSP without inline scripts and with object-src, base-uri
    and frame-ancestors 'none'; nosniff; a Referrer-Policy; no-store once signed in; HSTS over
    HTTPS; and no stack trace on an error page."""
    urls = [path for paths in get_urls(app, seeded).values() for path in paths]
    visitors = (("anonymous", Browser(app.test_client())), ("officer", login_as("officer")))
    for name, visitor in visitors:
        for path in urls + ["/no-such-page", "/public/items/999999"]:
            response = visitor.get(path)
            csp = response.headers.get("Content-Security-Policy", "")
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
            for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
                assert directive in csp, (path, directive)
            assert response.headers.get("X-Content-Type-Options") == "nosniff", path
            assert response.headers.get("Referrer-Policy"), path
            if name == "officer":
                assert response.headers.get("Cache-Control") == "no-store", path
            assert b"Traceback" not in response.get_data(), path
            assert "Strict-Transport-Security" not in response.headers  # plain HTTP
    secure = app.test_client().get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
