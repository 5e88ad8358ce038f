"""A request's records (approval/requests/deliveries.py, cases.py, records_routes.py): deliveries
of its documents with a proof file (PDF, JPEG or PNG, told by its bytes, kept in the
content-addressed store), the 复议/诉讼 case log with its results, and the annual report's
table 四. Each change is one audit entry without the applicant's data; each refusal changes
nothing: the wrong person 403/404, the wrong state 409, bad input 422 with the Chinese message and
what was typed kept, a stale page 409, no CSRF token 400.

``office`` is the general office's 办公室审核; ``officer`` writes for 民政办 (civil), which handles
the requests here; ``officer_agri`` is 农业农村办's. The request is handed in on Monday
2026-10-12, its 补正 notice goes out on 2026-10-14, its reply (by hand) on 2026-10-30."""

from __future__ import annotations

import hashlib
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import func, select

from approval.audit.trail import detail_of
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.extensions import db
from approval.models import AuditEntry, RequestCase, RequestDelivery
from approval.requests import cases, deliveries
from approval.requests import operations as ops
from tests.factories import World
from tests.helpers.request_records import (
    answered,
    assigned,
    png_bytes,
    with_correction,
    with_pause,
)
from tests.helpers.requests import register

PNG = png_bytes()
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
TEXT = "送达回证：张三已签收。\n".encode()


@pytest.fixture
def today(moment):
    moment.at("2026-11-05 10:00")  # a Thursday
    return moment


def entries(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.glob("??/*")} if folder.exists() else set()


def corrected(world):
    r = register(world)
    with_correction(world, r)
    return r


def post(browser, r, path, data, version=None):
    """Send a record form of the request's page (its fields are named with the form's prefix:
    delivery-, case-, case-<id>-), with the version the page showed (the request's, unless
    ``version``: a case's)."""
    db.session.refresh(r)
    page = f"/requests/{r.id}"
    prefix = next(iter(data)).rsplit("-", 1)[0]
    return browser.post(
        f"{page}/{path}",
        {f"{prefix}-version": str(version if version is not None else r.version), **data},
        token_from=page,
        content_type="multipart/form-data",
    )


def delivery(document="correction", method="post", on="2026-10-15", note="挂号信XA123", proof=None):
    data = {
        "delivery-document": document,
        "delivery-method": method,
        "delivery-delivered_on": on,
        "delivery-note": note,
    }
    if proof is not None:
        data["delivery-proof"] = (BytesIO(proof[1]), proof[0])
    return data


# ---------------------------------------------------------------- deliveries


def test_recording_a_delivery_with_a_png_proof(world, today, login_as, app):
    r = corrected(world)
    office = login_as("office")
    page = office.get(f"/requests/{r.id}")
    assert 'id="form-delivery"' in page.text and 'enctype="multipart/form-data"' in page.text
    assert '<option value="correction">' in page.text and '<option value="reply">' not in page.text
    done = post(office, r, "deliveries", delivery(proof=("回证扫描.png", PNG)))
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/requests/{r.id}")

    made = db.session.scalar(select(RequestDelivery))
    sha = hashlib.sha256(PNG).hexdigest()
    assert (made.document, made.method, made.delivered_on) == (
        "correction",
        "post",
        date(2026, 10, 15),
    )
    assert (made.proof_filename, made.proof_content_type) == ("回证扫描.png", "image/png")
    assert (made.proof_sha256, made.proof_size, made.proof_storage_name) == (
        sha,
        len(PNG),
        f"{sha[:2]}/{sha}",
    )
    kept = Path(app.config["UPLOAD_FOLDER"]) / sha[:2] / sha
    assert kept.read_bytes() == PNG and kept.stat().st_mode & 0o777 == 0o444  # write once
    (entry,) = entries("request_document_delivered")
    assert entry.actor_id == world.users["office"].id
    assert detail_of(entry) == {
        "request_id": r.id,
        "number": r.number,
        "delivery_id": made.id,
        "document": "correction",
        "method": "post",
        "delivered_on": "2026-10-15",
        "proof_sha256": sha,
        "note_chars": len("挂号信XA123"),
    }
    assert "张三" not in entry.detail and "XA123" not in entry.detail

    shown = office.get(f"/requests/{r.id}")
    assert f'data-delivery="{made.id}"' in shown.text and "邮寄送达" in shown.text
    proof_url = f"/requests/{r.id}/deliveries/{made.id}/proof"
    assert f'href="{proof_url}"' in shown.text
    reads = len(entries("request_viewed"))
    download = office.get(proof_url)
    assert download.status_code == 200 and download.data == PNG
    assert download.mimetype == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment")
    read = entries("request_viewed")[-1]
    assert len(entries("request_viewed")) == reads + 1
    assert detail_of(read) == {
        "request_id": r.id,
        "number": r.number,
        "delivery_id": made.id,
        "document": "delivery_proof",
    }


def test_the_proofs_type_is_told_by_its_bytes_not_its_name(world, today, login_as, app):
    r = corrected(world)
    office = login_as("office")
    renamed = post(office, r, "deliveries", delivery(note="伪装的图片", proof=("扫描件.png", TEXT)))
    assert renamed.status_code == 422
    assert "送达凭证只能是 PDF、JPEG 或 PNG 文件" in renamed.text
    assert 'value="伪装的图片"' in renamed.text and 'value="2026-10-15"' in renamed.text
    assert count(RequestDelivery) == 0 and stored_files(app) == set()
    assert entries("request_document_delivered") == []

    pdf = post(office, r, "deliveries", delivery(proof=("回证.txt", PDF)))
    assert pdf.status_code == 303
    made = db.session.scalar(select(RequestDelivery))
    assert (made.proof_filename, made.proof_content_type) == ("回证.pdf", "application/pdf")
    assert stored_files(app) == {hashlib.sha256(PDF).hexdigest()}


def test_a_proof_too_large_or_empty_is_refused(world, today, login_as, app):
    r = corrected(world)
    office = login_as("office")
    too_large = PDF + b"0" * deliveries.PROOF_MAX_BYTES
    refused = post(office, r, "deliveries", delivery(proof=("回证.pdf", too_large)))
    assert refused.status_code == 422 and "送达凭证超过大小限制（10 MB）" in refused.text
    empty = post(office, r, "deliveries", delivery(proof=("回证.pdf", b"")))
    assert empty.status_code == 422 and "送达凭证是空文件" in empty.text
    assert count(RequestDelivery) == 0 and stored_files(app) == set()
    # no proof at all is allowed
    assert post(office, r, "deliveries", delivery(method="in_person")).status_code == 303
    assert db.session.scalar(select(RequestDelivery.proof_sha256)) is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"delivery-document": "reply"}, "该文书尚未生成，不能登记送达"),
        ({"delivery-document": "receipt"}, "请选择送达的文书"),
        ({"delivery-method": ""}, "请选择送达方式"),
        ({"delivery-delivered_on": "2026-11-06"}, "日期不能晚于今天"),
        ({"delivery-delivered_on": "2026-10-13"}, "送达日期不能早于文书的日期（2026-10-14）"),
        ({"delivery-delivered_on": ""}, "请填写送达日期"),
        ({"delivery-note": "长" * 501}, "内容过长，最多 500 字"),
    ],
)
def test_a_delivery_is_refused_for_bad_input(world, today, login_as, given, message):
    r = corrected(world)
    response = post(login_as("office"), r, "deliveries", delivery() | given)
    assert response.status_code == 422 and message in response.text
    assert count(RequestDelivery) == 0


def test_a_stale_page_or_a_missing_token_records_nothing(world, today, login_as, app):
    r = corrected(world)
    office = login_as("office")
    stale = post(office, r, "deliveries", delivery(proof=("回证.png", PNG)), version=r.version - 1)
    assert stale.status_code == 409 and stored_files(app) == set()
    no_token = office.client.post(
        f"/requests/{r.id}/deliveries",
        data={"delivery-version": str(r.version), **delivery()},
        content_type="multipart/form-data",
    )
    assert no_token.status_code == 400 and "CSRF" in no_token.text
    assert count(RequestDelivery) == 0


def test_who_may_record_a_delivery(world, today, login_as):
    r = corrected(world)
    assert post(login_as("officer"), r, "deliveries", delivery()).status_code == 404
    assign = assigned(world, r)  # 补正中 with 民政办 now
    assert post(login_as("officer_agri"), assign, "deliveries", delivery()).status_code == 404
    assert post(login_as("secrecy"), r, "deliveries", delivery()).status_code == 403
    assert count(RequestDelivery) == 0
    officer = login_as("officer")
    assert 'id="form-delivery"' in officer.get(f"/requests/{r.id}").text
    assert post(officer, r, "deliveries", delivery()).status_code == 303
    made = db.session.scalar(select(RequestDelivery))
    assert made.created_by_id == world.users["officer"].id


def test_the_third_partys_letter_and_the_reply_may_be_delivered_once_they_exist(world, today):
    r = assigned(world, register(world))
    office = world.users["office"]
    with pytest.raises(InvalidInput) as refused:
        deliveries.record_delivery(
            office, r, r.version, "third_party", "post", date(2026, 10, 20), ""
        )
    assert refused.value.field == "document"
    db.session.rollback()
    with_pause(world, r, date(2026, 10, 19))
    with pytest.raises(InvalidInput) as refused:
        deliveries.record_delivery(
            office, r, r.version, "third_party", "post", date(2026, 10, 16), ""
        )
    assert refused.value.field == "delivered_on"
    db.session.rollback()
    deliveries.record_delivery(office, r, r.version, "third_party", "post", date(2026, 10, 20), "")
    db.session.commit()
    db.session.refresh(r)
    ops.end_pause(world.users["officer"], r, r.version, date(2026, 10, 22))
    db.session.commit()
    answered(world, r)
    with pytest.raises(InvalidInput):  # before the reply went out (2026-10-30)
        deliveries.record_delivery(office, r, r.version, "reply", "email", date(2026, 10, 29), "")
    db.session.rollback()
    deliveries.record_delivery(office, r, r.version, "reply", "email", date(2026, 10, 30), "")
    db.session.commit()
    assert [d.document for d in r.deliveries] == ["third_party", "reply"]
    with pytest.raises(PermissionDenied):
        deliveries.record_delivery(
            world.users["officer_agri"], r, r.version, "reply", "post", date(2026, 11, 2), ""
        )


def test_a_proof_is_for_those_who_may_record_deliveries(world, today, login_as, client):
    r = corrected(world)
    post(login_as("office"), r, "deliveries", delivery(proof=("回证.png", PNG)))
    made = db.session.scalar(select(RequestDelivery))
    url = f"/requests/{r.id}/deliveries/{made.id}/proof"
    reads = len(entries("request_viewed"))
    assert login_as("officer").get(url).status_code == 404
    assert login_as("secrecy").get(url).status_code == 403
    assert client.get(url).status_code == 302
    assert (
        login_as("office").get(f"/requests/{r.id}/deliveries/{made.id + 1}/proof").status_code
        == 404
    )
    assert len(entries("request_viewed")) == reads


# ---------------------------------------------------------------- 复议/诉讼 cases


def case(kind="review", filed_on="2026-11-02", authority="某某县人民政府", **more):
    return {
        "case-kind": kind,
        "case-filed_on": filed_on,
        "case-authority": authority,
        "case-case_number": more.pop("number", "某府复〔2026〕3号"),
        "case-note": more.pop("note", ""),
        **more,
    }


def result(case_id, value="upheld", on="2026-11-04"):
    return {f"case-{case_id}-result": value, f"case-{case_id}-decided_on": on}


def test_adding_a_case_and_recording_its_result(world, today, login_as):
    r = answered(world, assigned(world, register(world)))
    office = login_as("office")
    assert 'id="form-case"' in office.get(f"/requests/{r.id}").text
    no_token = office.client.post(
        f"/requests/{r.id}/cases", data={"case-version": str(r.version), **case()}
    )
    assert no_token.status_code == 400 and "CSRF" in no_token.text
    assert count(RequestCase) == 0
    assert post(office, r, "cases", case()).status_code == 303
    made = db.session.scalar(select(RequestCase))
    assert (made.kind, made.after_review, made.result, made.filed_on) == (
        "review",
        False,
        "pending",
        date(2026, 11, 2),
    )
    (added,) = entries("request_case_added")
    assert detail_of(added) == {
        "request_id": r.id,
        "number": r.number,
        "case_id": made.id,
        "kind": "review",
        "after_review": False,
        "filed_on": "2026-11-02",
        "authority": "某某县人民政府",
        "case_number": "某府复〔2026〕3号",
        "note_chars": 0,
    }
    page = office.get(f"/requests/{r.id}")
    assert f'data-case="{made.id}" data-result="pending"' in page.text and "尚未审结" in page.text
    assert f'id="form-case-{made.id}"' in page.text

    path = f"cases/{made.id}/result"
    no_token = office.client.post(
        f"/requests/{r.id}/{path}",
        data={f"case-{made.id}-version": str(made.version), **result(made.id)},
    )
    assert no_token.status_code == 400 and "CSRF" in no_token.text
    stale = post(office, r, path, result(made.id), version=made.version + 1)
    assert stale.status_code == 409
    assert post(office, r, path, result(made.id), version=made.version).status_code == 303
    db.session.refresh(made)
    assert (made.result, made.decided_on) == ("upheld", date(2026, 11, 4))
    (decided,) = entries("request_case_decided")
    assert detail_of(decided) == {
        "request_id": r.id,
        "number": r.number,
        "case_id": made.id,
        "kind": "review",
        "result": "upheld",
        "decided_on": "2026-11-04",
    }
    page = office.get(f"/requests/{r.id}")
    assert "结果维持" in page.text and f'id="form-case-{made.id}"' not in page.text
    again = post(office, r, path, result(made.id, "corrected"), version=made.version)
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"case-kind": ""}, "kind", "请选择行政复议或行政诉讼"),
        ({"case-after_review": "y"}, "after_review", "“复议后起诉”只适用于行政诉讼"),
        ({"case-filed_on": "2026-11-06"}, "filed_on", "日期不能晚于今天"),
        ({"case-filed_on": "2026-10-09"}, "filed_on", "申请复议或起诉的日期不能早于收到申请之日"),
        ({"case-filed_on": ""}, "filed_on", "请填写申请复议或起诉的日期"),
        ({"case-authority": "  "}, "authority", "请填写复议机关或人民法院"),
    ],
)
def test_a_case_is_refused_for_bad_input(world, today, login_as, given, field, message):
    r = answered(world, assigned(world, register(world)))
    response = post(login_as("office"), r, "cases", case(note="原告委托律师") | given)
    assert response.status_code == 422 and message in response.text
    assert 'value="原告委托律师"' in response.text  # what was typed is kept
    assert count(RequestCase) == 0 and entries("request_case_added") == []


@pytest.mark.parametrize(
    ("value", "on", "message"),
    [
        ("", "2026-11-04", "请选择审理结果"),
        ("pending", "2026-11-04", "请选择审理结果"),
        ("upheld", "2026-11-01", "审结日期不能早于申请复议或起诉的日期"),
        ("upheld", "", "请填写审结日期"),
    ],
)
def test_a_result_is_refused_for_bad_input(world, today, login_as, value, on, message):
    r = answered(world, assigned(world, register(world)))
    made = cases.add_case(
        world.users["office"],
        r,
        r.version,
        "litigation",
        True,
        date(2026, 11, 2),
        "某某区人民法院",
        "",
        "",
    )
    db.session.commit()
    response = post(
        login_as("office"),
        r,
        f"cases/{made.id}/result",
        result(made.id, value, on),
        version=made.version,
    )
    assert response.status_code == 422 and message in response.text
    db.session.refresh(made)
    assert made.result == "pending" and entries("request_case_decided") == []


def test_cases_belong_to_answered_or_closed_requests_and_to_the_office(world, today, login_as):
    r = assigned(world, register(world))
    office = login_as("office")
    assert 'id="form-case"' not in office.get(f"/requests/{r.id}").text
    assert post(office, r, "cases", case()).status_code == 409
    answered(world, r)
    assert post(login_as("officer"), r, "cases", case()).status_code == 403
    assert post(login_as("officer_agri"), r, "cases", case()).status_code == 404
    assert count(RequestCase) == 0
    lapsed = corrected(world)  # its 补正 deadline 2026-10-28 has passed
    ops.close_lapsed(world.users["office"], lapsed, lapsed.version)
    db.session.commit()
    assert (
        post(
            office, lapsed, "cases", case(kind="litigation", authority="某某区人民法院")
        ).status_code
        == 303
    )
    made = cases.add_case(
        world.users["office"], r, r.version, "review", False, date(2026, 11, 3), "县政府", "", ""
    )
    db.session.commit()
    with pytest.raises(PermissionDenied):
        cases.decide_case(world.users["officer"], made, made.version, "upheld", date(2026, 11, 4))
    cases.decide_case(world.users["office"], made, made.version, "other", date(2026, 11, 4))
    db.session.commit()
    with pytest.raises(Conflict):
        cases.decide_case(world.users["office"], made, made.version, "upheld", date(2026, 11, 5))


# ---------------------------------------------------------------- table 四


def test_table_four_counts_the_cases_filed_in_the_period_by_their_result_now(world, moment):
    moment.at("2026-10-14 10:00")
    r = answered(world, assigned(world, register(world)))
    other = World.build(credit_code="11000000MB0000002X")
    elsewhere = answered(other, assigned(other, register(other)))
    moment.at("2026-11-20 10:00")
    office = world.users["office"]

    def add(kind, after_review, filed, decided=None, outcome=None, on=r, who=office):
        made = cases.add_case(who, on, on.version, kind, after_review, filed, "某机关", "", "")
        if decided:
            cases.decide_case(who, made, made.version, outcome, decided)
        db.session.commit()

    add("review", False, date(2026, 10, 20), date(2026, 10, 30), "upheld")
    add("review", False, date(2026, 10, 21), date(2026, 10, 31), "corrected")
    add("review", False, date(2026, 10, 22))
    add("review", False, date(2026, 11, 2), date(2026, 11, 10), "upheld")  # filed after
    add("litigation", False, date(2026, 10, 23), date(2026, 10, 29), "other")
    add("litigation", False, date(2026, 10, 31))
    add("litigation", True, date(2026, 10, 25), date(2026, 11, 15), "upheld")  # decided after
    add("review", False, date(2026, 10, 20), on=elsewhere, who=other.users["office"])

    table = cases.table_four(world.body.id, date(2026, 10, 1), date(2026, 10, 31))
    assert table.review.as_row() == (1, 1, 0, 1, 3)
    assert table.direct.as_row() == (0, 0, 1, 1, 2)
    assert table.after_review.as_row() == (1, 0, 0, 0, 1)
    assert table.as_row() == (1, 1, 0, 1, 3, 0, 0, 1, 1, 2, 1, 0, 0, 0, 1)
    for group in (table.review, table.direct, table.after_review):
        assert group.total == group.upheld + group.corrected + group.other + group.pending
    everything = cases.table_four(world.body.id, date(2026, 1, 1), date(2026, 12, 31))
    assert everything.review.as_row() == (2, 1, 0, 1, 4)
    empty = cases.table_four(world.body.id, date(2025, 1, 1), date(2025, 12, 31))
    assert empty.as_row() == (0,) * 15
