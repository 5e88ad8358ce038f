"""The eight roles of DESIGN.md §1. Business roles may be combined; admin roles stand alone (三员分立)."""

from enum import StrEnum

from approval.core.msgids import NP_


class Role(StrEnum):
    OFFICER = "officer"
    LEADER = "leader"
    OFFICE_AUDITOR = "office_auditor"
    SECRECY_REVIEWER = "secrecy_reviewer"
    PUBLISHER = "publisher"
    SYSADMIN = "sysadmin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"


ROLE_LABELS = {  # shown through i18n.role_label (message context "role")
    Role.OFFICER: NP_("role", "信息员"),
    Role.LEADER: NP_("role", "分管领导"),
    Role.OFFICE_AUDITOR: NP_("role", "办公室审核"),
    Role.SECRECY_REVIEWER: NP_("role", "保密审查员"),
    Role.PUBLISHER: NP_("role", "发布员"),
    Role.SYSADMIN: NP_("role", "系统管理员"),
    Role.SECURITY_ADMIN: NP_("role", "安全管理员"),
    Role.AUDIT_ADMIN: NP_("role", "安全审计员"),
}

BUSINESS_ROLES = frozenset(
    {Role.OFFICER, Role.LEADER, Role.OFFICE_AUDITOR, Role.SECRECY_REVIEWER, Role.PUBLISHER}
)
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# the roles whose holders decide at a chain step: what may be delegated (请假代理), and what a
# deputy must hold already (someone trusted to review; a publisher or an officer is not)
DECISION_ROLES = frozenset({Role.LEADER, Role.OFFICE_AUDITOR, Role.SECRECY_REVIEWER})


class RoleConflict(ValueError):
    """A set of roles that 三员分立 forbids."""


def check_role_set(roles) -> set[Role]:
    """Validate a set of role names; unknown names raise ValueError, forbidden mixes RoleConflict."""
    parsed = {Role(r) for r in roles}
    admin = parsed & ADMIN_ROLES
    if admin and (len(admin) > 1 or parsed & BUSINESS_ROLES):
        raise RoleConflict("三员分立：管理员角色不能兼任其他角色")
    return parsed


def is_admin_account(user) -> bool:
    """An account holding one of the three admin roles (三员): managed only with the deployment's
    commands, never from another admin's pages."""
    return bool(user.roles & ADMIN_ROLES)
