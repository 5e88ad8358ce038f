"""The codes of 互动回应 (the public's messages: 咨询, 建议, 投诉; issue 25). Codes are stored; the
Chinese labels are shown (marked with ``N_``/``NP_``, translated where shown).

States of a message (``approval/interaction/``):

    registered ─assign (分办)→ assigned ─answer drafted→ reviewing(leader) ─approve→
        reviewing(office) ─approve→ answered
    registered/assigned/reopened ─transfer (转办, note to the sender)→ transferred
    reviewing ─return (退回, reason)→ assigned
    answered ─rated 不满意 (once)→ reopened ─assign→ assigned → … → answered
    any open state ─the office closes it as invalid (无效留言, reason)→ invalid
    invalid ─the office reopens it (closed by mistake)→ the state it was closed from

The due day is ``received_on`` plus the category's working days (``DEFAULT_LIMITS``; the office
sets its own), counted on the working calendar; a reopened message gets a new due day from the
day it reopened (with the working days it was opened with).
"""

from approval.core.msgids import N_, NP_

REGISTERED = "registered"  # 登记
ASSIGNED = "assigned"  # 已分办: with a department, which drafts the answer
TRANSFERRED = "transferred"  # 已转办: sent on to another body (closed here)
REVIEWING = "reviewing"  # 答复审核中: the department's leader, then the office
ANSWERED = "answered"  # 已答复
REOPENED = "reopened"  # 重新办理: the sender was 不满意 (once), back with the office
INVALID = "invalid"  # 已作无效处理: spam, abuse, no content (the office, with a reason)

MESSAGE_STATES = {
    REGISTERED: NP_("message state", "已登记"),
    ASSIGNED: NP_("message state", "已分办"),
    TRANSFERRED: NP_("message state", "已转办"),
    REVIEWING: NP_("message state", "答复审核中"),
    ANSWERED: NP_("message state", "已答复"),
    REOPENED: NP_("message state", "重新办理"),
    INVALID: NP_("message state", "已作无效处理"),
}
OPEN_STATES = (REGISTERED, ASSIGNED, REVIEWING, REOPENED)  # the clock runs
CLOSED_STATES = (ANSWERED, TRANSFERRED, INVALID)
CLOSABLE_AS_INVALID = OPEN_STATES  # an invalid message leaves the clock, the board and the counts
ASSIGNABLE_STATES = (REGISTERED, ASSIGNED, REOPENED)  # 分办 (again) or 转办

# the two review steps inside the package (not the item chain)
LEADER_STEP, OFFICE_STEP = "leader", "office"
REVIEW_STEPS = {LEADER_STEP: N_("部门负责人审核"), OFFICE_STEP: N_("办公室审核")}

CONSULTATION, SUGGESTION, COMPLAINT, OTHER = "consultation", "suggestion", "complaint", "other"
CATEGORIES = {
    CONSULTATION: N_("咨询"),
    SUGGESTION: N_("建议"),
    COMPLAINT: N_("投诉"),
    OTHER: N_("其他"),
}
# working days to answer, unless the office sets its own (互动回应时限)
DEFAULT_LIMITS = {CONSULTATION: 5, SUGGESTION: 15, COMPLAINT: 15, OTHER: 15}
MAX_LIMIT = 60

PORTAL, HOTLINE, LETTER, MAILBOX, VISIT, OPEN_DAY = (
    "portal",
    "hotline",
    "letter",
    "mailbox",
    "visit",
    "open_day",
)
CHANNELS = {
    PORTAL: N_("网上留言"),
    HOTLINE: N_("热线电话"),
    LETTER: N_("信件"),
    MAILBOX: N_("意见箱"),
    VISIT: N_("来访"),
    OPEN_DAY: N_("政务公开日"),
}
STAFF_CHANNELS = {k: v for k, v in CHANNELS.items() if k != PORTAL}

SATISFIED, BASICALLY_SATISFIED, DISSATISFIED = "satisfied", "basically", "dissatisfied"
RATINGS = {
    SATISFIED: N_("满意"),
    BASICALLY_SATISFIED: N_("基本满意"),
    DISSATISFIED: N_("不满意"),
}
CONTENT_RATINGS = (SATISFIED, BASICALLY_SATISFIED)  # count towards the 满意率

DUE_SOON = 2  # working days left at which a message is flagged amber (red: overdue)
STALE_MONTHS = 3  # 国办秘函〔2019〕19号: none left unanswered longer than this
# calendar days after an answer within which the sender may rate it (a 不满意 reopens it);
# the app's INTERACTION_RATING_DAYS setting (APPROVAL_INTERACTION_RATING_DAYS) overrides it
RATING_DAYS = 30
