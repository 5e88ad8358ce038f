"""The audit admin's audit-trail page: everything, newest first, filterable, nobody else."""

from approval.core.workflow import Action


def _entry_ids(html: str) -> list[int]:
    import re

    return [int(n) for n in re.findall(r'<td data-label="#">(\d+)</td>', html)]


def test_audit_admin_reads_the_whole_trail_newest_first_and_filters_it(world, login_as):
    item = world.item()
    world.act("officer", item, Action.SUBMIT)
    world.act("leader", item, Action.RETURN, opinion="附件缺失")
    auditor = login_as("auditor")
    page = auditor.get("/admin/audit")
    assert page.status_code == 200
    ids = _entry_ids(page.text)
    assert ids == sorted(ids, reverse=True) and len(ids) >= 4  # create, submit, return, login
    assert "附件缺失" in page.text and f"/items/{item.id}/history" in page.text
    returned = auditor.get("/admin/audit?action=return")
    assert "附件缺失" in returned.text and len(_entry_ids(returned.text)) == 1
    by_user = auditor.get(f"/admin/audit?user={world.users['leader'].username}")
    assert _entry_ids(by_user.text) and "提交" not in by_user.text.split("<tbody>")[1]


def test_audit_trail_pages_by_keyset(world, login_as, app):
    for _ in range(3):
        world.item()
    auditor = login_as("auditor")
    from approval.audit import queries

    first, before = queries.audit_page(world.body.id, size=2)
    assert [e.id for e in first] == sorted([e.id for e in first], reverse=True)
    second, _ = queries.audit_page(world.body.id, size=2, before_id=before)
    assert max(e.id for e in second) < min(e.id for e in first)
    page = auditor.get(f"/admin/audit?before={before}")
    assert all(i < before for i in _entry_ids(page.text))


def test_only_the_audit_admin_may_read_the_trail(world, login_as):
    for name in ("officer", "leader", "office", "secrecy", "publisher", "sysadmin"):
        assert login_as(name).get("/admin/audit").status_code == 403, name
    assert "审计日志" in login_as("auditor").get("/").text


def test_an_entry_about_no_revision_is_not_called_a_draft(world, login_as):
    """A login names no revision: its 稿件 cell is empty (—), while a draft's says 草稿."""
    world.item()  # its creation names the unsealed draft revision
    page = login_as("auditor").get("/admin/audit?action=login").text
    rows = page.split("<tbody>")[1]
    assert _entry_ids(page) and "草稿" not in rows and '<span class="meta">—</span>' in rows
    created = login_as("auditor").get("/admin/audit?action=create").text.split("<tbody>")[1]
    assert "草稿" in created
