"""Error pages: a clear message in the user's language, the right status, never a stack trace."""

from flask import render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError

from approval.core.errors import ServiceError
from approval.extensions import db
from approval.platform.i18n import N_
from approval.platform.ratelimit import refusal

MESSAGES = {
    400: N_("请求有误"),
    403: N_("您没有权限访问此页面"),
    404: N_("页面不存在，或您无权查看"),
    405: N_("不支持的请求方式"),
    409: N_("操作冲突"),
    413: N_("上传的文件过大"),
    429: N_("请求过于频繁"),
    500: N_("系统内部错误，请稍后重试"),
}
OTHER = N_("出错了")  # any other status


def render_error(status: int, detail: str | None = None):
    """``detail`` is shown as given (a service's message may quote the user's input)."""
    return render_template(
        "error.html", status=status, title=gettext(MESSAGES.get(status, OTHER)), detail=detail
    ), status


def init_errors(app) -> None:
    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        db.session.rollback()
        return render_error(exc.status, exc.message)

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return render_error(
            400, gettext("页面已过期或来源无效（CSRF 校验失败），请刷新页面后重试。")
        )

    for status in (400, 403, 404, 405, 413):
        app.register_error_handler(status, lambda exc, s=status: render_error(s))

    @app.errorhandler(429)
    def _too_many_requests(exc):  # a rate limit of approval/platform/ratelimit.py
        detail, retry_after = refusal()
        body, status = render_error(429, detail)
        return body, status, {"Retry-After": str(retry_after)}

    @app.errorhandler(500)
    def _internal(exc):
        db.session.rollback()
        return render_error(500)
