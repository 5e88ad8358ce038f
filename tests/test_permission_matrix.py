"""Who may do what, written out, and compared with what the HTTP routes actually answer.

Every actor (the eight roles, the item's own and another department, anonymous) meets an item of
the 民政办 (written by ``officer``) in every state, and tries to view it, edit it, read its history,
take each decision and publish it. Columns: dft a draft never submitted, ret a draft returned once
(the chain has seen it), pL/pO/pS pending at the leader / office / secrecy step, appr approved,
wh withheld, pub published, unp unpublished (撤稿).

Cells are the HTTP status the route must answer:
    200 / 303  allowed (the page is shown / the action is done)
    302        anonymous: sent to the login page
    403        the user may see the item, but not do this
    404        the user may not even see the item (no existence leak)
    409        nobody may do this in this state (the chain says no, not the person)
A refused action must leave the item (its version) and the audit trail untouched.
"""

from __future__ import annotations

from sqlalchemy import func, select

from approval.core.vocab import SECRECY_QUESTIONS
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import AuditEntry, Item, User
from tests.conftest import Browser

# column order of every table below
STATES = {
    "dft": "draft",
    "ret": "returned",
    "pL": "pending_leader",
    "pO": "pending_office",
    "pS": "pending_secrecy",
    "appr": "approved",
    "wh": "withheld",
    "pub": "published",
    "unp": "unpublished",
}

ACTORS = {  # row label: (world user or None, who they are to the item)
    "anonymous": (None, "not signed in"),
    "author": ("officer", "officer of the item's department, its author"),
    "colleague": ("officer_b", "officer of the item's department, not the author"),
    "officer_other": ("officer_agri", "officer of another department"),
    "leader": ("leader", "leader who leads the item's department"),
    "leader_other": ("leader_agri", "leader who leads another department"),
    "office": ("office", "office_auditor (办公室审核)"),
    "secrecy": ("secrecy", "secrecy_reviewer (保密审查员)"),
    "publisher": ("publisher", "publisher (发布员)"),
    "sysadmin": ("sysadmin", "sysadmin (系统管理员)"),
    "secadmin": ("secadmin", "security_admin (安全管理员)"),
    "auditor": ("auditor", "audit_admin (安全审计员)"),
}

VIEW = """
               dft  ret  pL   pO   pS   appr wh   pub  unp
anonymous      302  302  302  302  302  302  302  302  302
author         200  200  200  200  200  200  200  200  200
colleague      200  200  200  200  200  200  200  200  200
officer_other  404  404  404  404  404  404  404  404  404
leader         404  200  200  200  200  200  200  200  200
leader_other   404  404  404  404  404  404  404  404  404
office         404  200  200  200  200  200  200  200  200
secrecy        404  200  200  200  200  200  200  200  200
publisher      404  200  200  200  200  200  200  200  200
sysadmin       404  404  404  404  404  404  404  404  404
secadmin       404  404  404  404  404  404  404  404  404
auditor        404  404  404  404  404  404  404  404  404
"""

EDIT = """
               dft  ret  pL   pO   pS   appr wh   pub  unp
anonymous      302  302  302  302  302  302  302  302  302
author         200  200  409  409  409  409  409  409  409
colleague      200  200  409  409  409  409  409  409  409
officer_other  404  404  404  404  404  404  404  404  404
leader         404  403  403  403  403  403  403  403  403
leader_other   404  404  404  404  404  404  404  404  404
office         404  403  403  403  403  403  403  403  403
secrecy        404  403  403  403  403  403  403  403  403
publisher      404  403  403  403  403  403  403  403  403
sysadmin       404  404  404  404  404  404  404  404  404
secadmin       404  404  404  404  404  404  404  404  404
auditor        404  404  404  404  404  404  404  404  404
"""

HISTORY = """
               dft  ret  pL   pO   pS   appr wh   pub  unp
anonymous      302  302  302  302  302  302  302  302  302
author         200  200  200  200  200  200  200  200  200
colleague      200  200  200  200  200  200  200  200  200
officer_other  404  404  404  404  404  404  404  404  404
leader         404  200  200  200  200  200  200  200  200
leader_other   404  404  404  404  404  404  404  404  404
office         404  200  200  200  200  200  200  200  200
secrecy        404  200  200  200  200  200  200  200  200
publisher      404  200  200  200  200  200  200  200  200
sysadmin       404  404  404  404  404  404  404  404  404
secadmin       404  404  404  404  404  404  404  404  404
auditor        200  200  200  200  200  200  200  200  200
"""

APPROVE = """
               dft  ret  pL   pO   pS   appr wh   pub  unp
anonymous      302  302  302  302  302  302  302  302  302
author         409  409  403  403  409  409  409  409  409
colleague      409  409  403  403  409  409  409  409  409
officer_other  404  404  404  404  404  404  404  404  404
leader         404  409  303  403  409  409  409  409  409
leader_other   404  404  404  404  404  404  404  404  404
office         404  409  403  303  409  409  409  409  409
secrecy        404  409  403  403  409  409  409  409  409
publisher      404  409  403  403  409  409  409  409  409
sysadmin       404  404  404  404  404  404  404  404  404
secadmin       404  404  404  404  404  404  404  404  404
auditor        404  404  404  404  404  404  404  404  404
"""

RETURN = """
               dft  ret  pL   pO   pS   appr wh   pub  unp
anonymous      302  302  302  302  302  302  302  302  302
author         409  409  403  403  403  403  409  409  409
colleague      409  409  403  403  403  403  409  409  409
officer_other  404  404  404  404  404  404  404  404  404
leader         404  409  303  403  403  403  409  409  409
leader_other   404  404  404  404  404  404  404  404  404
office         404  409  403  303  403  403  409  409  409
secrecy        404  409  403  403  303  403  409  409  409
publisher      404  409  403  403  403  303  409  409  409
sysadmin       404  404  404  404  404  404  404  404  404
secadmin       404  404  404  404  404  404  404  404  404
auditor        404  404  404  404  404  404  404  404  404
"""

SIGN_OFF = """
               dft  ret  pL   pO   pS   appr wh   pub  unp
anonymous      302  302  302  302  302  302  302  302  302
author         409  409  409  409  403  409  409  409  409
colleague      409  409  409  409  403  409  409  409  409
officer_other  404  404  404  404  404  404  404  404  404
leader         404  409  409  409  403  409  409  409  409
leader_other   404  404  404  404  404  404  404  404  404
office         404  409  409  409  403  409  409  409  409
secrecy        404  409  409  409  303  409  409  409  409
publisher      404  409  409  409  403  409  409  409  409
sysadmin       404  404  404  404  404  404  404  404  404
secadmin       404  404  404  404  404  404  404  404  404
auditor        404  404  404  404  404  404  404  404  404
"""

WITHHOLD = SIGN_OFF  # the same people at the same step: the secrecy reviewer, nobody else

PUBLISH = """
               dft  ret  pL   pO   pS   appr wh   pub  unp
anonymous      302  302  302  302  302  302  302  302  302
author         409  409  409  409  409  403  409  409  409
colleague      409  409  409  409  409  403  409  409  409
officer_other  404  404  404  404  404  404  404  404  404
leader         404  409  409  409  409  403  409  409  409
leader_other   404  404  404  404  404  404  404  404  404
office         404  409  409  409  409  403  409  409  409
secrecy        404  409  409  409  409  403  409  409  409
publisher      404  409  409  409  409  303  409  409  409
sysadmin       404  404  404  404  404  404  404  404  404
secadmin       404  404  404  404  404  404  404  404  404
auditor        404  404  404  404  404  404  404  404  404
"""

PAGES = {
    "view": ("/items/{id}", VIEW),
    "edit": ("/items/{id}/edit", EDIT),
    "history": ("/items/{id}/history", HISTORY),
}
ACTIONS = {  # action: (expected table, what the user types with it)
    Action.APPROVE: (APPROVE, {"opinion": "同意"}),
    Action.RETURN: (RETURN, {"opinion": "请补充数据"}),
    Action.SIGN_OFF: (
        SIGN_OFF,
        {**{q: "no" for q in SECRECY_QUESTIONS}, "opinion": "经审查不涉密，同意公开"},
    ),
    Action.WITHHOLD: (WITHHOLD, {"opinion": "涉及个人隐私", "basis": "personal_privacy"}),
    Action.PUBLISH: (PUBLISH, {}),
}


def expected(table: str) -> dict[tuple[str, str], int]:
    """{(actor, state): status} from a table above; every actor and state exactly once."""
    header, *rows = [line.split() for line in table.strip().splitlines()]
    assert header == list(STATES), header
    assert [row[0] for row in rows] == list(ACTORS), [row[0] for row in rows]
    return {
        (row[0], STATES[col]): int(code)
        for row in rows
        for col, code in zip(STATES, row[1:], strict=True)
    }


class Items:
    """One item per state; an item an action succeeded on is replaced by a fresh one."""

    def __init__(self, world):
        self.world = world
        self.by_state = {state: self.fresh(state) for state in STATES.values()}

    def fresh(self, state: str) -> Item:
        world = self.world
        item = world.item(title=f"状态{state}")
        if state == "returned":
            return world.act(
                "leader", world.to_state(item, "pending_leader"), Action.RETURN, opinion="请修改"
            )
        if state == "withheld":
            return world.act(
                "secrecy",
                world.to_state(item, "pending_secrecy"),
                Action.WITHHOLD,
                opinion="不予公开",
                basis="personal_privacy",
            )
        if state == "unpublished":
            return world.act(
                "publisher", world.to_state(item, "published"), Action.UNPUBLISH, opinion="撤稿"
            )
        return world.to_state(item, state)


def sign_in(app, login_as, label: str) -> tuple[Browser, str]:
    """The actor's browser and a CSRF token of their session (anonymous: of the login page)."""
    username = ACTORS[label][0]
    browser = login_as(username) if username else Browser(app.test_client())
    return browser, browser.token("/login" if username is None else "/")


def audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def test_who_may_view_edit_and_read_the_history(app, world, login_as):
    items = Items(world).by_state
    wrong = []
    for label in ACTORS:
        browser, _ = sign_in(app, login_as, label)
        for page, (path, table) in PAGES.items():
            want = expected(table)
            for state, item in items.items():
                got = browser.get(path.format(id=item.id)).status_code
                if got != want[label, state]:
                    wrong.append(
                        f"{page:8} {label:14} {state:16} expected {want[label, state]}, got {got}"
                    )
    assert not wrong, "\n" + "\n".join(wrong)


def test_who_may_decide_and_publish(app, world, login_as):
    items = Items(world)
    wrong = []
    for label in ACTORS:
        browser, token = sign_in(app, login_as, label)
        for action, (table, typed) in ACTIONS.items():
            want = expected(table)
            for state in STATES.values():
                item = items.by_state[state]
                version, entries = item.version, audit_count()
                got = browser.client.post(
                    f"/items/{item.id}/act",
                    data={"csrf_token": token, "action": action.value, "version": version, **typed},
                ).status_code
                if got != want[label, state]:
                    wrong.append(
                        f"{action:10} {label:14} {state:16} "
                        f"expected {want[label, state]}, got {got}"
                    )
                db.session.expire_all()
                if got == 303:
                    items.by_state[state] = items.fresh(state)
                elif (db.session.get(Item, item.id).version, audit_count()) != (version, entries):
                    wrong.append(f"{action:10} {label:14} {state:16} refused, yet changed it")
    assert not wrong, "\n" + "\n".join(wrong)


# The system admin's pages (admin/accounts_routes.py): pages of no item, so one table of its own.
# Columns: the account list, the new-account form, a business account's page, an admin account's
# page (shown read-only), the department list; then a POST that would change a business account
# (its name) and one that would change an admin account (409: managed with the deployment's
# commands, whoever asks). Nobody but the sysadmin gets further than 403.
ACCOUNT_PAGES = """
               users new  acct admin dept post  post_admin
anonymous      302   302  302  302   302  302   302
author         403   403  403  403   403  403   403
colleague      403   403  403  403   403  403   403
officer_other  403   403  403  403   403  403   403
leader         403   403  403  403   403  403   403
leader_other   403   403  403  403   403  403   403
office         403   403  403  403   403  403   403
secrecy        403   403  403  403   403  403   403
publisher      403   403  403  403   403  403   403
sysadmin       200   200  200  200   200  303   409
secadmin       403   403  403  403   403  403   403
auditor        403   403  403  403   403  403   403
"""


def test_who_may_reach_the_sysadmins_pages(app, world, login_as):
    header, *rows = [line.split() for line in ACCOUNT_PAGES.strip().splitlines()]
    assert [row[0] for row in rows] == list(ACTORS)
    business, admin = world.users["officer_b"], world.users["auditor"]
    civil = world.departments["civil"].id
    wrong = []
    for label, *codes in rows:
        browser, token = sign_in(app, login_as, label)
        entries = audit_count()
        got = [
            browser.get(url).status_code
            for url in (
                "/admin/users",
                "/admin/users/new",
                f"/admin/users/{business.id}",
                f"/admin/users/{admin.id}",
                "/admin/departments",
            )
        ]
        got += [
            browser.client.post(
                f"/admin/users/{account.id}",
                data={
                    "csrf_token": token,
                    "display_name": f"{label}改的名",
                    "department_id": civil,
                },
            ).status_code
            for account in (business, admin)
        ]
        for column, want, status in zip(header, codes, got, strict=True):
            if int(want) != status:
                wrong.append(f"{column:10} {label:14} expected {want}, got {status}")
        changed = audit_count() - entries
        if changed != (1 if label == "sysadmin" else 0):
            wrong.append(f"{label:14} wrote {changed} audit entries")
    db.session.expire_all()
    assert db.session.get(User, admin.id).display_name == "用户auditor"
    assert not wrong, "\n" + "\n".join(wrong)


# An attachment's public name (issue 24): who may rename it is who may edit the draft; once the
# item is submitted nobody may (409), and whoever may not see the item gets a 404.
RENAME_ATTACHMENT = """
               dft  ret  pL   pO   pS   appr wh   pub  unp
anonymous      302  302  302  302  302  302  302  302  302
author         303  303  409  409  409  409  409  409  409
colleague      303  303  409  409  409  409  409  409  409
officer_other  404  404  404  404  404  404  404  404  404
leader         404  403  403  403  403  403  403  403  403
leader_other   404  404  404  404  404  404  404  404  404
office         404  403  403  403  403  403  403  403  403
secrecy        404  403  403  403  403  403  403  403  403
publisher      404  403  403  403  403  403  403  403  403
sysadmin       404  404  404  404  404  404  404  404  404
secadmin       404  404  404  404  404  404  404  404  404
auditor        404  404  404  404  404  404  404  404  404
"""


def test_who_may_rename_an_attachment(app, world, login_as):
    import io

    from werkzeug.datastructures import FileStorage

    from approval.models import Attachment
    from approval.publication import drafts

    plain = world.item

    def with_file(**overrides):  # each item of the table carries one attachment
        item = plain(**overrides)
        note = FileStorage(io.BytesIO("附件说明".encode()), filename="说明.txt")
        drafts.add_attachment(world.users["officer"], item, note, item.version)
        db.session.commit()
        return item

    world.item = with_file
    items = Items(world).by_state
    world.item = plain
    want, wrong = expected(RENAME_ATTACHMENT), []
    for label in ACTORS:
        browser, token = sign_in(app, login_as, label)
        for state, item in items.items():
            db.session.expire_all()
            item = db.session.get(Item, item.id)
            attachment = item.current_revision.attachments[0]
            version, entries = item.version, audit_count()
            got = browser.client.post(
                f"/items/{item.id}/attachments/{attachment.id}/name",
                data={"csrf_token": token, "version": version, "display_name": f"{label}改的名"},
            ).status_code
            if got != want[label, state]:
                wrong.append(
                    f"rename {label:14} {state:16} expected {want[label, state]}, got {got}"
                )
            if got != 303 and (
                db.session.get(Item, item.id).version,
                audit_count(),
                db.session.get(Attachment, attachment.id).display_name,
            ) != (version, entries, attachment.display_name):
                wrong.append(f"rename {label:14} {state:16} refused, yet changed it")
    assert not wrong, "\n" + "\n".join(wrong)


# The office's site identity page (issue 24) and the printable notice of a published item:
# settings GET and POST for the body's general office only; the notice is public.
SITE_PAGES = """
               get  post notice
anonymous      302  302  200
author         403  403  200
colleague      403  403  200
officer_other  403  403  200
leader         403  403  200
leader_other   403  403  200
office         200  303  200
secrecy        403  403  200
publisher      200  303  200
sysadmin       403  403  200
secadmin       403  403  200
auditor        403  403  200
"""


def test_who_may_set_the_site_identity_and_print_the_notice(app, world, login_as):
    header, *rows = [line.split() for line in SITE_PAGES.strip().splitlines()]
    assert [row[0] for row in rows] == list(ACTORS)
    published = world.to_state(world.item(), "published")
    wrong = []
    for label, *codes in rows:
        browser, token = sign_in(app, login_as, label)
        page = browser.get("/office/site")
        version = page.text.split('name="version" type="hidden" value="', 1)[-1].split('"')[0]
        entries = audit_count()
        got = [
            page.status_code,
            browser.client.post(
                "/office/site",
                data={
                    "csrf_token": token,
                    "version": version if page.status_code == 200 else "0",
                    "sponsor": f"{label}设置的主办单位",
                },
            ).status_code,
            browser.get(f"/public/items/{published.id}/notice").status_code,
        ]
        for column, want, status in zip(header, codes, got, strict=True):
            if int(want) != status:
                wrong.append(f"{column:8} {label:14} expected {want}, got {status}")
        if audit_count() - entries != (1 if got[1] == 303 else 0):
            wrong.append(f"{label:14} wrote {audit_count() - entries} audit entries")
    assert not wrong, "\n" + "\n".join(wrong)
