"""Controlled vocabularies of the disclosure attributes (信息公开要素). Codes are stored; labels shown."""

from approval.core.msgids import N_, NP_

INFO_TYPES = {  # 信息类别: the categories the annual report (国办公开办函〔2021〕30号) counts
    "regulation": N_("规章"),
    "normative_document": N_("行政规范性文件"),
    "work_news": N_("工作动态"),
    "plan": N_("规划计划"),
    "finance": N_("财政预决算"),
    "administrative_licensing": N_("行政许可"),
    "administrative_penalty": N_("行政处罚"),
    "personnel": N_("人事信息"),
    "public_notice": N_("通知公告"),
    "interpretation": N_("政策解读"),  # explains a policy and is published with it (issue 24)
    "other": N_("其他"),
}

DISCLOSURE_MODES = {  # 公开方式
    "proactive": N_("主动公开"),
    "on_request": N_("依申请公开"),
    "not_disclosed": N_("不予公开"),
}

# 不予公开/不公开 bases, 条例 Arts. 14–16
NON_DISCLOSURE_BASES = {
    "state_secret": N_("国家秘密（第十四条）"),
    "prohibited_by_law": N_("法律、行政法规禁止公开（第十四条）"),
    "three_securities": N_("公开后可能危及国家安全、公共安全、经济安全、社会稳定（第十四条）"),
    "commercial_secret": N_("商业秘密（第十五条）"),
    "personal_privacy": N_("个人隐私（第十五条）"),
    "internal_affairs": N_("内部事务信息（第十六条）"),
    "process_information": N_("过程性信息（第十六条）"),
    "enforcement_file": N_("行政执法案卷信息（第十六条）"),
}

CHANNELS = {  # 公开渠道
    "website": N_("政府网站"),
    "bulletin_board": N_("政务公开栏"),
    "new_media": N_("政务新媒体"),
    "gazette": N_("政府公报"),
    "reading_room": N_("查阅场所"),
}

VALIDITY = {  # 有效性
    "valid": N_("有效"),
    "repealed": N_("废止"),
    "expired": N_("失效"),
}

STATE_LABELS = {  # message context "state": 不予公开 is also an action and a mode
    "draft": NP_("state", "草稿"),
    "approved": NP_("state", "待发布"),
    "withheld": NP_("state", "不予公开"),
    "published": NP_("state", "已发布"),
    "unpublished": NP_("state", "已撤稿"),
    "sent": NP_("state", "已签发"),  # a reply to a request, sent to the applicant
    "applied": NP_("state", "修订已发布"),  # an amendment: its item shows it now
    "abandoned": NP_("state", "已放弃修订"),  # an amendment its department gave up
}
REPLY_AWAITING_SEND = NP_("state", "待签发")  # a reply once signed off (its "approved")

ACTION_LABELS = {
    "create": N_("新建"),
    "edit": N_("修改"),
    "attach": N_("上传附件"),
    "detach": N_("删除附件"),
    "mask_attachment": N_("附件一键脱敏"),
    "rename_attachment": N_("修改附件公开名称"),
    "submit": N_("提交"),
    "recall": N_("撤回"),
    "approve": N_("同意"),
    "return": N_("退回"),
    "sign_off": N_("保密审查通过"),
    "withhold": N_("不予公开"),
    "publish": N_("发布"),
    "amendment_started": N_("发起修订"),
    "abandon": N_("放弃修订"),
    "amendment_published": N_("发布修订版本"),
    "schedule": N_("定时发布"),
    "unschedule": N_("取消定时发布"),
    "schedule_failed": N_("定时发布未执行"),
    "unpublish": N_("撤稿"),
    "change_validity": N_("变更有效性"),
    "login": N_("登录"),
    "login_failed": N_("登录失败"),
    "logout": N_("退出"),
    "create_user": N_("创建账号"),
    "update_user": N_("修改账号"),
    "disable_user": N_("停用账号"),
    "enable_user": N_("启用账号"),
    "reset_password": N_("重置密码"),
    "unlock_user": N_("解除锁定"),
    "create_department": N_("新建科室"),
    "update_department": N_("修改科室"),
    "delete_department": N_("删除科室"),
    "password_changed": N_("修改密码"),
    "password_change_failed": N_("修改密码失败"),
    "account_locked": N_("账号锁定"),
    "add_words": N_("添加敏感词"),
    "import_words": N_("导入敏感词"),
    "remove_word": N_("删除敏感词"),
    "category_create": N_("新建主题分类"),
    "category_update": N_("修改主题分类"),
    "category_move": N_("调整主题分类顺序"),
    "category_delete": N_("删除主题分类"),
    "portal_page_update": N_("修改专栏页面"),
    "site_identity_changed": N_("修改网站标识和联系方式"),
    "audit_export": N_("导出审计日志"),
    "audit_verified": N_("校验审计日志"),
    "audit_verify_requested": N_("请求校验审计日志"),
    "roles_granted": N_("授权"),
    "policy_changed": N_("修改安全策略"),
    "calendar_override_add": N_("添加工作日历调整"),
    "calendar_notice_add": N_("录入国务院放假调休通知"),
    "calendar_override_remove": N_("删除工作日历调整"),
    "set_targets": N_("设置年度目标"),
    "set_stale_limits": N_("设置栏目更新要求"),
    "set_step_limits": N_("设置环节办理时限"),
    "delegation_created": N_("委托代理"),
    "delegation_revoked": N_("撤销代理"),
    "request_registered": N_("登记依申请公开申请"),
    "request_viewed": N_("查看依申请公开申请"),
    "request_assigned": N_("交办申请"),
    "request_transferred": N_("转办申请"),
    "request_correction_asked": N_("告知补正"),
    "request_correction_received": N_("收到补正材料"),
    "request_pause_started": N_("暂停计时"),
    "request_pause_ended": N_("恢复计时"),
    "request_extension_approved": N_("批准延期答复"),
    "request_closed_lapsed": N_("逾期不补正结案"),
    "request_closed_fee_unpaid": N_("逾期未缴费结案"),
    "request_filed_online": N_("网上提交申请"),
    "request_receipt_confirmed": N_("确认收到申请"),
    "request_reply_started": N_("起草答复"),
    "request_answered": N_("答复申请"),
    "request_made_proactive": N_("转为主动公开（第四十四条）"),
    "request_document_delivered": N_("记录文书送达"),
    "request_case_added": N_("登记行政复议或诉讼"),
    "request_case_decided": N_("登记复议或诉讼结果"),
    "send": N_("签发答复"),
    "annual_report_saved": N_("保存政府信息公开工作年度报告"),
    "annual_baseline_saved": N_("保存系统启用前一年度的年报数据"),
    "annual_report_sent": N_("年度报告送审"),
    # 互动回应 (approval/interaction/)
    "message_registered": N_("登记群众留言"),
    "message_filed_online": N_("网上留言"),
    "message_assigned": N_("分办留言"),
    "message_transferred": N_("转办留言"),
    "message_answer_submitted": N_("提交留言答复"),
    "message_answer_approved": N_("审核通过留言答复"),
    "message_answer_returned": N_("退回留言答复"),
    "message_answered": N_("答复留言"),
    "message_rated": N_("评价留言答复"),
    "message_reopened": N_("留言重新办理"),
    "interaction_limits_set": N_("设置互动回应时限"),
    "interaction_event_created": N_("登记政务公开日活动"),
    "interaction_faq_added": N_("添加常见问题"),
    "interaction_faq_removed": N_("删除常见问题"),
    "interaction_faq_edited": N_("修改常见问题"),
    "interaction_faq_moved": N_("调整常见问题顺序"),
    "message_viewed": N_("查看群众留言"),
    "message_closed_invalid": N_("留言作无效处理"),
    "message_invalid_reopened": N_("撤销留言无效处理"),
}

# The 保密审查单 checklist; every answer must be "no" for a sign-off.
SECRECY_QUESTIONS = {
    "involves_state_secret": N_("是否涉及国家秘密？"),
    "involves_work_secret": N_("是否涉及工作秘密或敏感信息？"),
    "involves_commercial_secret": N_("是否涉及商业秘密？"),
    "involves_personal_privacy": N_("是否涉及个人隐私？"),
    "endangers_security": N_("公开后是否可能危及国家安全、公共安全、经济安全和社会稳定？"),
}

# secrecy pre-check (screening/operations.py)
FINDING_KINDS = {
    "secrecy_mark": N_("密级标志"),
    "resident_id": N_("身份证号码"),
    "mobile": N_("手机号码"),
    "bank_card": N_("银行卡号"),
    "email": N_("电子邮箱"),
    "sensitive_word": N_("敏感词"),
    "unreadable": N_("无法自动读取的附件"),
}
SEVERITY_LABELS = {"high": N_("高风险"), "medium": N_("中风险"), "low": N_("低风险")}
FIELD_LABELS = {
    "title": N_("标题"),
    "summary": N_("内容概述"),
    "body": N_("正文"),
    "attachment": N_("附件"),
}
ATTRIBUTE_LABELS = {  # 信息公开要素 as the item page names them (revision comparison)
    "category_id": N_("主题分类"),
    "info_type": N_("信息类别"),
    "document_number": N_("发文字号"),
    "formed_on": N_("成文日期"),
    "disclosure_mode": N_("公开方式"),
    "non_disclosure_basis": N_("不予公开依据"),
    "channels": N_("公开渠道"),
    "keywords": N_("主题词"),
    "notice_period": N_("公示期"),  # a 公示's (core/notices.py)
    "objection_channel": N_("异议反映渠道"),
}
