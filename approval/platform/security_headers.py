"""CSRF on every state change and the response headers every page gets."""

from flask import request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from approval.extensions import csrf
from approval.platform.urls import refuse_untrusted_hosts

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def init_security(app) -> None:
    csrf.init_app(app)
    # a Host outside TRUSTED_HOSTS: 400 (inside ProxyFix, so X-Forwarded-Host is checked too)
    app.wsgi_app = refuse_untrusted_hosts(app)
    hops = int(app.config.get("PROXY_FIX_HOPS", 0))
    if hops:  # behind N reverse proxies: the real client address (audit) and scheme (HSTS)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if "_user_id" in session:  # a signed-in session (not current_user: after a commit that
            response.headers["Cache-Control"] = "no-store"  # would reload the user)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
