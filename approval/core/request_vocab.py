"""The codes of the request register (依申请公开, 条例 Arts. 27–45): the request's states, who the
applicant is, how the request came in and how the information is to be provided. Codes are
stored; the Chinese labels are shown (marked with ``N_``/``NP_``, translated where shown).

States (the register's own; ``core.request_clock`` only hints at the clock's):

    submitted ─confirm receipt→ registered        (online requests: Art. 31, the day confirmed)
    registered ──assign──→ processing ──reply sent (签发)──→ answered
        │                      ↑   └─fee notice not paid by its deadline─→ closed_fee_unpaid
        └─request correction─→ correction_requested ─corrected request received─┘
                                   └─no answer by the deadline set─→ closed_lapsed (逾期不补正)

A 补正 may be asked from ``registered`` or ``processing`` (once: Art. 30, 一次性告知). The reply
(``core.request_outcomes``: its type, and the table 三 row) is an item that walks the chain.
"""

from approval.core.msgids import N_, NP_

SUBMITTED = "submitted"  # 待确认: filed online, receipt not yet confirmed by the office
REGISTERED = "registered"  # 登记: entered in the register, 形式审查 not done
CORRECTION_REQUESTED = "correction_requested"  # 补正中: the 补正告知书 went out
PROCESSING = "processing"  # 办理中: with a department, the reply clock running
CLOSED_LAPSED = "closed_lapsed"  # 逾期不补正: table 三 row (六) 1
ANSWERED = "answered"  # 已答复: the reply was signed and sent (签发)
CLOSED_FEE_UNPAID = "closed_fee_unpaid"  # 逾期未缴费: table 三 row (六) 2

REQUEST_STATES = {  # message context "request state": 登记 is also an action
    SUBMITTED: NP_("request state", "待确认收到"),
    REGISTERED: NP_("request state", "已登记"),
    CORRECTION_REQUESTED: NP_("request state", "补正中"),
    PROCESSING: NP_("request state", "办理中"),
    CLOSED_LAPSED: NP_("request state", "逾期不补正"),
    ANSWERED: NP_("request state", "已答复"),
    CLOSED_FEE_UNPAID: NP_("request state", "逾期未缴费"),
}
OPEN_STATES = (REGISTERED, CORRECTION_REQUESTED, PROCESSING)  # the clock (or 补正) runs
CLOSED_STATES = (ANSWERED, CLOSED_LAPSED, CLOSED_FEE_UNPAID)
CORRECTABLE_STATES = (REGISTERED, PROCESSING)

PERSON, ORGANISATION = "person", "organisation"
APPLICANT_KINDS = {PERSON: N_("自然人"), ORGANISATION: N_("法人或其他组织")}

ID_TYPES = {  # 证件类型 of a natural person
    "resident_id": N_("居民身份证"),
    "passport": N_("护照"),
    "hk_macao_pass": N_("港澳居民来往内地通行证"),
    "taiwan_pass": N_("台湾居民来往大陆通行证"),
    "other": N_("其他证件"),
}

ORGANISATION_KINDS = {  # the annual report's columns (国办公开办函〔2021〕30号, table 三)
    "business": N_("商业企业"),
    "research": N_("科研机构"),
    "public_welfare": N_("社会公益组织"),
    "legal_services": N_("法律服务机构"),
    "other": N_("其他"),
}

PROVISION_FORMS = {  # 提供方式 the applicant prefers
    "paper": N_("纸质"),
    "email": N_("电子邮件"),
    "disc": N_("光盘"),
    "other": N_("其他"),
}

PICKUP_METHODS = {  # 获取方式
    "collect": N_("自取"),
    "post": N_("邮寄"),
    "email": N_("电子邮件"),
}

# how the request came in (Art. 29 channels; Art. 31 says which day is the day of receipt)
IN_PERSON, REGISTERED_POST, ORDINARY_POST = "in_person", "registered_post", "ordinary_post"
FAX, EMAIL, ONLINE, ORAL = "fax", "email", "online", "oral"
CHANNELS = {
    IN_PERSON: N_("当面提交"),
    REGISTERED_POST: N_("挂号信"),
    ORDINARY_POST: N_("平信"),
    FAX: N_("传真"),
    EMAIL: N_("电子邮件"),
    ONLINE: N_("网上申请"),
    ORAL: N_("口头申请"),
}

PAUSE_KINDS = {  # core.request_clock's kinds: time not counted (Art. 33 para. 2)
    "third_party": N_("征求第三方意见（第三十二条）"),
    "other_body": N_("征求其他机关意见（第三十四条）"),
    "fee": N_("收费通知至缴费（国办函〔2020〕109号）"),
}

# documents sent to the applicant (or the third party), and how (送达方式)
DOCUMENTS = {
    "reply": N_("政府信息公开申请答复书"),
    "correction": N_("补正申请告知书"),
    "extension": N_("延长答复期限告知书"),
    "third_party": N_("第三方意见征询函"),
}
DELIVERY_METHODS = {
    "in_person": N_("直接送达"),
    "post": N_("邮寄送达"),
    "email": N_("电子邮件送达"),
    "fax": N_("传真送达"),
    "other": N_("其他方式"),
}

# 行政复议 / 行政诉讼 over a request, and their results (annual report table 四)
CASE_KINDS = {"review": N_("行政复议"), "litigation": N_("行政诉讼")}
CASE_RESULTS = {
    "upheld": N_("结果维持"),
    "corrected": N_("结果纠正"),
    "other": N_("其他结果"),
    "pending": N_("尚未审结"),
}
