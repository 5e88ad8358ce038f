"""The portal's 留言 form (issue 25, "Intake"): a message filed by the public, screened for
personal data, with a 查询码 shown once.

The 查询码 is the request register's (``requests.intake.new_tracking_code``: 12 characters without
look-alikes, about 59 bits); only its SHA-256 is stored (``tracking_code_hash``). A message filed
online is received the day it is filed; its clock starts at once (no confirmation step: unlike
a request for information, a message starts no legal time limit of the 条例).

Screening (``core.screening``) of the subject and the text, which the public 问答 list may show:
- a resident ID number or a bank card number is refused: the sender is told to take it out
  (the office asks for what it needs through the contact details, which are never published);
- a mobile number or an e-mail address in the text is a warning: the form comes back once with
  the findings named and a box to confirm; confirmed, it is filed (the 问答 list masks it).
The contact details themselves are not screened: that is where they belong.

The audit entry names the message (id, category, channel), never the sender; its actor is the
portal ("portal"), and it belongs to the body.
"""

from __future__ import annotations

from dataclasses import replace

from approval.audit import trail as audit
from approval.core import clock
from approval.core.errors import InvalidInput
from approval.core.interaction_vocab import PORTAL, REGISTERED
from approval.core.msgids import N_
from approval.core.screening import PERSONAL_DATA_KINDS, screen
from approval.interaction import operations as ops
from approval.models import InteractionMessage
from approval.requests.intake import new_tracking_code, tracking_code_hash

REFUSED_KINDS = frozenset({"resident_id", "bank_card"})
SCREENED_FIELDS = ("subject", "text")
REFUSED = N_(
    "留言中含有身份证号码或银行卡号。为保护您的个人信息，请删除后再提交；"
    "需要核实身份的，工作人员会通过您留下的联系方式与您联系。"
)
WARNING = N_(
    "留言中含有手机号码或电子邮箱。留言可能在网上公开（公开时会隐去这些信息），"
    "联系方式请填写在下方的联系方式栏。确认仍要提交的，请勾选确认后再次提交。"
)


class PersonalDataWarning(InvalidInput):
    """Personal data in the text that the sender may still confirm (mobile, e-mail)."""


def personal_data(given: ops.NewMessage) -> dict[str, set[str]]:
    """The kinds of personal data found in each screened field: {"text": {"mobile"}}."""
    found = {}
    for name in SCREENED_FIELDS:
        kinds = {
            f.kind for f in screen(getattr(given, name) or "") if f.kind in PERSONAL_DATA_KINDS
        }
        if kinds:
            found[name] = kinds
    return found


def check_personal_data(given: ops.NewMessage, confirmed: bool) -> None:
    for name, kinds in personal_data(given).items():
        if kinds & REFUSED_KINDS:
            raise InvalidInput(REFUSED, name)
        if not confirmed:
            raise PersonalDataWarning(WARNING, name)


def file_online(
    body, given: ops.NewMessage, confirmed: bool = False
) -> tuple[InteractionMessage, str]:
    """File ``given`` on ``body``'s portal: the stored message and its 查询码 (to show once)."""
    online = replace(given, channel=PORTAL, received_on=clock.local_today(), event_id=None)
    values = ops.checked(online, {PORTAL: PORTAL})
    check_personal_data(online, confirmed)
    code = new_tracking_code()
    message = ops.open_message(body.id, values, tracking_code_hash=tracking_code_hash(code))
    audit.record(
        ops.FILED_ONLINE,
        actor_username=ops.PORTAL_ACTOR,
        body_id=body.id,
        to_state=REGISTERED,
        detail={
            **ops.reference(message),
            "channel": PORTAL,
            "due_on": message.due_on.isoformat(),
        },
    )
    return message, code
