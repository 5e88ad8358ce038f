"""Who may write and send the annual report (政府信息公开工作年度报告). Deny by default.

- **write** (the page, its texts and entered figures, the year before the system): the office's
  statistics staff (``can_view_statistics``: the general office's 办公室审核 and 发布员 and the
  leaders of the general office) and the general office's 信息员, of their own body;
- **send** (送审): the general office's 信息员 only. The report becomes their department's draft
  (only a department's officers write its drafts) and walks the chain as any item: they submit it,
  the general office's leader approves, the office audits, the secrecy review signs it off, the
  publisher publishes it. Who wrote it never decides on it.
"""

from __future__ import annotations

from approval.core.roles import Role
from approval.permissions import _is_business_user, can_view_statistics


def can_send_annual_report(user, body_id: int | None = None) -> bool:
    if not (
        _is_business_user(user)
        and user.has_role(Role.OFFICER)
        and user.department is not None
        and user.department.is_general_office
    ):
        return False
    return body_id is None or body_id == user.body_id


def can_write_annual_report(user, body_id: int | None = None) -> bool:
    return can_view_statistics(user, body_id) or can_send_annual_report(user, body_id)
