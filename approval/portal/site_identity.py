"""A body's site identity (网站标识, issue 24): what a government website shows at its foot under
《政府网站发展指引》(国办发〔2017〕47号) — 主办单位, 网站标识码, ICP备案号, 公安机关备案号 — and the
office's contact details. The general office sets them on its settings page; the portal's footer
shows them on every page of the body's portal.

``save`` follows the operations' order: guard (the body's general office, as for the catalog)
→ input (the fields' cleaning rule, each field's own check) → version (the settings version the
form was built from: someone else's save since is a 409, and the typed values stay) → mutate →
audit (each field before → after) → flush.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from approval import permissions
from approval.audit import trail as audit
from approval.core.clock import utcnow
from approval.core.errors import Conflict, InvalidInput, PermissionDenied
from approval.core.msgids import N_
from approval.core.roles import Role
from approval.core.text import clean, strip_invisible
from approval.extensions import db
from approval.models import Body, SiteIdentity


@dataclass(frozen=True)
class Field:
    label: str  # msgid
    max_chars: int


FIELDS = {
    "sponsor": Field(N_("主办单位"), 100),
    "site_code": Field(N_("网站标识码"), 20),
    "icp_number": Field(N_("ICP备案号"), 64),
    "police_number": Field(N_("公安机关备案号"), 64),
    "address": Field(N_("通信地址"), 200),
    "phone": Field(N_("联系电话"), 64),
    "email": Field(N_("电子邮箱"), 120),
}
_SITE_CODE = re.compile(r"^[0-9A-Za-z]+$")
_PHONE = re.compile(r"^[0-9０-９+()（）\- 、,，转]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
assert tuple(FIELDS) == SiteIdentity.FIELDS

DENIED = N_("只有本机关办公室可以设置网站标识和联系方式")
STALE = N_("网站标识在您打开页面之后已被他人修改并保存。您填写的内容仍在下方，请核对后再保存。")


@dataclass(frozen=True)
class Footer:
    """What the portal's footer shows: the 主办单位 falls back on the body's name."""

    sponsor: str
    site_code: str = ""
    icp_number: str = ""
    police_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


def of_body(body_id: int) -> SiteIdentity | None:
    return db.session.get(SiteIdentity, body_id)


def footer(body: Body) -> Footer:
    row = of_body(body.id)
    if row is None:
        return Footer(sponsor=body.name)
    values = {name: getattr(row, name) for name in FIELDS}
    return Footer(**{**values, "sponsor": values["sponsor"] or body.name})


def version_of(row: SiteIdentity | None) -> int:
    """The version a form carries: 0 before the first save."""
    return row.version if row is not None else 0


def cleaned(values: dict) -> dict[str, str]:
    """Each field through the fields' rule, on one line, checked against its own rule."""
    out = {}
    for name, spec in FIELDS.items():
        # one line: a line break or tab is a space, then the invisible characters go
        value = strip_invisible(re.sub(r"\s+", " ", clean(values.get(name) or ""))).strip()
        if len(value) > spec.max_chars:
            raise InvalidInput("不能超过 %(max)s 个字", name, max=spec.max_chars)
        out[name] = value
    if out["site_code"] and not _SITE_CODE.match(out["site_code"]):
        raise InvalidInput("网站标识码只能包含字母和数字，如 3201000001", "site_code")
    if out["phone"] and not _PHONE.match(out["phone"]):
        raise InvalidInput("联系电话只能包含数字、空格、括号、“-”“+”和“转”", "phone")
    if out["email"] and not _EMAIL.match(out["email"]):
        raise InvalidInput("请填写有效的电子邮箱，如 gk@example.gov.cn", "email")
    return out


def save(user, body_id: int, values: dict, seen_version) -> dict[str, dict]:
    """Set the body's site identity; returns {field: {"from", "to"}} of what changed (empty: no
    change, nothing written). The caller commits."""
    if not permissions.can_manage_portal(user, body_id):
        raise PermissionDenied(DENIED)
    new = cleaned(values)
    # one writer at a time: lock the body, then read the row as committed
    db.session.execute(select(Body.id).where(Body.id == body_id).with_for_update())
    row = db.session.scalar(
        select(SiteIdentity)
        .where(SiteIdentity.body_id == body_id)
        .execution_options(populate_existing=True)
    )
    if str(seen_version) != str(version_of(row)):
        raise Conflict(STALE)
    old = {name: getattr(row, name) if row is not None else "" for name in FIELDS}
    changes = {n: {"from": old[n], "to": new[n]} for n in FIELDS if old[n] != new[n]}
    if not changes:
        return {}
    if row is None:
        row = SiteIdentity(body_id=body_id, **{name: "" for name in FIELDS})
        db.session.add(row)
    for name, change in changes.items():
        setattr(row, name, change["to"])
    row.updated_at, row.updated_by_id = utcnow(), user.id
    role = Role.OFFICE_AUDITOR if user.has_role(Role.OFFICE_AUDITOR) else Role.PUBLISHER
    listed = [  # the audit page shows each as "name: before → after"
        {"field": n, "name": FIELDS[n].label, "before": c["from"], "after": c["to"]}
        for n, c in changes.items()
    ]
    audit.record(
        "site_identity_changed",
        actor=user,
        body_id=body_id,
        detail={"role": role, "changes": listed},
    )
    db.session.flush()
    return changes
