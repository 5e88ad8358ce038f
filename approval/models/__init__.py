"""All models, importable from one place (Alembic and the app need every table registered)."""

from approval.models.annual_reports import AnnualReport, AnnualReportBaseline
from approval.models.audit import AuditEntry, AuditHead
from approval.models.calendar import CalendarOverride
from approval.models.catalog import Category
from approval.models.chain import Chains, ChainStep, chain_for, chain_of, chains_for
from approval.models.deadlines import StepTimeLimit
from approval.models.delegations import Delegation
from approval.models.interaction import (
    InteractionEvent,
    InteractionFaq,
    InteractionMessage,
    InteractionRating,
    InteractionReply,
    InteractionTimeLimit,
)
from approval.models.items import Attachment, Contributor, Decision, IndexSequence, Item, Revision
from approval.models.kept_forms import KeptSubmission
from approval.models.notices import NoticeObjection
from approval.models.notifications import Notification
from approval.models.opinions import SavedOpinion
from approval.models.organisation import Body, Department
from approval.models.policy import SecurityPolicy
from approval.models.portal import PAGE_TITLES, PortalPage
from approval.models.public_versions import PublicVersion
from approval.models.requests import (
    InformationRequest,
    RequestCase,
    RequestDelivery,
    RequestPause,
    RequestSequence,
)
from approval.models.screening import ScreeningFinding, SensitiveWord
from approval.models.site_identity import SiteIdentity
from approval.models.targets import DepartmentTarget
from approval.models.users import User, UserRole, leader_departments
from approval.models.verifications import AuditVerification

__all__ = [
    "AnnualReport",
    "AnnualReportBaseline",
    "AuditEntry",
    "AuditHead",
    "Attachment",
    "Body",
    "Contributor",
    "Category",
    "ChainStep",
    "Decision",
    "Department",
    "IndexSequence",
    "Item",
    "PAGE_TITLES",
    "PortalPage",
    "PublicVersion",
    "Revision",
    "ScreeningFinding",
    "SecurityPolicy",
    "SensitiveWord",
    "User",
    "UserRole",
    "Chains",
    "chain_for",
    "chain_of",
    "chains_for",
    "leader_departments",
    "CalendarOverride",
    "Notification",
    "NoticeObjection",
    "DepartmentTarget",
    "StepTimeLimit",
    "Delegation",
    "InformationRequest",
    "RequestPause",
    "RequestSequence",
    "RequestDelivery",
    "RequestCase",
    "SavedOpinion",
    "KeptSubmission",
    "AuditVerification",
    "InteractionEvent",
    "InteractionFaq",
    "InteractionMessage",
    "InteractionRating",
    "InteractionReply",
    "InteractionTimeLimit",
    "SiteIdentity",
]
