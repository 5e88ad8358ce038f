"""All models, importable from one place (Alembic and the app need every table registered)."""
from .audit import AuditEntry, AuditHead
from .calendar import CalendarOverride
from .catalog import Category
from .chain import ChainStep, chain_for
from .delegations import Delegation
from .deadlines import StepTimeLimit
from .items import Attachment, Contributor, Decision, IndexSequence, Item, Revision
from .notifications import Notification
from .organisation import Body, Department
from .policy import SecurityPolicy
from .portal import PAGE_TITLES, PortalPage
from .screening import ScreeningFinding, SensitiveWord
from .targets import DepartmentTarget
from .users import User, UserRole, leader_departments

__all__ = [
    "AuditEntry", "AuditHead", "Attachment", "Body", "Contributor", "Category", "ChainStep", "Decision",
    "Department", "IndexSequence", "Item", "PAGE_TITLES", "PortalPage", "Revision", "ScreeningFinding", "SecurityPolicy", "SensitiveWord", "User", "UserRole", "chain_for",
    "leader_departments", "CalendarOverride", "Notification",
    "DepartmentTarget", "StepTimeLimit", "Delegation",
]
