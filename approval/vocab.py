"""Controlled vocabularies of the disclosure attributes (信息公开要素). Codes are stored; labels shown."""

INFO_TYPES = {  # 信息类别: the categories the annual report (国办公开办函〔2021〕30号) counts
    "regulation": "规章",
    "normative_document": "行政规范性文件",
    "work_news": "工作动态",
    "plan": "规划计划",
    "finance": "财政预决算",
    "administrative_licensing": "行政许可",
    "administrative_penalty": "行政处罚",
    "personnel": "人事信息",
    "public_notice": "通知公告",
    "other": "其他",
}

DISCLOSURE_MODES = {  # 公开方式
    "proactive": "主动公开",
    "on_request": "依申请公开",
    "not_disclosed": "不予公开",
}

# 不予公开/不公开 bases, 条例 Arts. 14–16
NON_DISCLOSURE_BASES = {
    "state_secret": "国家秘密（第十四条）",
    "prohibited_by_law": "法律、行政法规禁止公开（第十四条）",
    "three_securities": "公开后可能危及国家安全、公共安全、经济安全、社会稳定（第十四条）",
    "commercial_secret": "商业秘密（第十五条）",
    "personal_privacy": "个人隐私（第十五条）",
    "internal_affairs": "内部事务信息（第十六条）",
    "process_information": "过程性信息（第十六条）",
    "enforcement_file": "行政执法案卷信息（第十六条）",
}

CHANNELS = {  # 公开渠道
    "website": "政府网站",
    "bulletin_board": "政务公开栏",
    "new_media": "政务新媒体",
    "gazette": "政府公报",
    "reading_room": "查阅场所",
}

VALIDITY = {  # 有效性
    "valid": "有效",
    "repealed": "废止",
    "expired": "失效",
}

STATE_LABELS = {
    "draft": "草稿",
    "approved": "待发布",
    "withheld": "不予公开",
    "published": "已发布",
    "unpublished": "已撤稿",
}

ACTION_LABELS = {
    "create": "新建",
    "edit": "修改",
    "attach": "上传附件",
    "detach": "删除附件",
    "submit": "提交",
    "recall": "撤回",
    "approve": "同意",
    "return": "退回",
    "sign_off": "保密审查通过",
    "withhold": "不予公开",
    "publish": "发布",
    "schedule": "定时发布",
    "unschedule": "取消定时发布",
    "schedule_failed": "定时发布未执行",
    "unpublish": "撤稿",
    "change_validity": "变更有效性",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "create_user": "创建账号",
    "update_user": "修改账号",
    "disable_user": "停用账号",
    "enable_user": "启用账号",
    "reset_password": "重置密码",
    "unlock_user": "解除锁定",
    "create_department": "新建科室",
    "update_department": "修改科室",
    "delete_department": "删除科室",
    "password_changed": "修改密码",
    "password_change_failed": "修改密码失败",
    "account_locked": "账号锁定",
    "add_words": "添加敏感词",
    "import_words": "导入敏感词",
    "remove_word": "删除敏感词",
    "category_create": "新建主题分类",
    "category_update": "修改主题分类",
    "category_move": "调整主题分类顺序",
    "category_delete": "删除主题分类",
    "portal_page_update": "修改专栏页面",
    "audit_export": "导出审计日志",
    "audit_verified": "校验审计日志",
    "roles_granted": "授权",
    "policy_changed": "修改安全策略",
    "calendar_override_add": "添加工作日历调整",
    "calendar_override_remove": "删除工作日历调整",
    "set_targets": "设置年度目标",
    "set_stale_limits": "设置栏目更新要求",
    "set_step_limits": "设置环节办理时限",
    "delegation_created": "委托代理",
    "delegation_revoked": "撤销代理",
}

# The 保密审查单 checklist; every answer must be "no" for a sign-off.
SECRECY_QUESTIONS = {
    "involves_state_secret": "是否涉及国家秘密？",
    "involves_work_secret": "是否涉及工作秘密或敏感信息？",
    "involves_commercial_secret": "是否涉及商业秘密？",
    "involves_personal_privacy": "是否涉及个人隐私？",
    "endangers_security": "公开后是否可能危及国家安全、公共安全、经济安全和社会稳定？",
}

# secrecy pre-check (services/screening.py)
FINDING_KINDS = {
    "secrecy_mark": "密级标志",
    "resident_id": "身份证号码",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
    "sensitive_word": "敏感词",
    "unreadable": "无法自动读取的附件",
}
SEVERITY_LABELS = {"high": "高风险", "medium": "中风险", "low": "低风险"}
FIELD_LABELS = {"title": "标题", "summary": "内容概述", "body": "正文", "attachment": "附件"}
ATTRIBUTE_LABELS = {  # 信息公开要素 as the item page names them (revision comparison)
    "category_id": "主题分类",
    "info_type": "信息类别",
    "document_number": "发文字号",
    "formed_on": "成文日期",
    "disclosure_mode": "公开方式",
    "non_disclosure_basis": "不予公开依据",
    "channels": "公开渠道",
    "keywords": "主题词",
}
