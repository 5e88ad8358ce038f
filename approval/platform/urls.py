"""Hosts and absolute URLs (docs/security.md, "Hosts and absolute URLs").

A request's ``Host`` header is the client's to choose. The app answers only the names in
``TRUSTED_HOSTS`` (config.py settles it at start-up: never empty, since Flask and Werkzeug trust
every host when the list is empty); ``refuse_untrusted_hosts`` answers any other name 400 before
Flask, a session or the database see the request.

Absolute URLs (the API's ``url``/``next_url``, the OpenAPI document's server, the Atom feeds'
links, the mails' links) come from ``PUBLIC_BASE_URL`` when it is set, whatever name the request
came by; only when it is not do they follow the request's (trusted) host.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import SplitResult, urlsplit

from flask import current_app, url_for
from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import get_host

log = logging.getLogger(__name__)

# The names a fresh checkout is reached by (scripts/run.sh, the test client, tests' live server).
# Werkzeug 3.1 cannot trust an IPv6 literal such as [::1]: it compares the text before the
# first colon of each trusted name.
LOCAL_HOSTS = ("localhost", "127.0.0.1")

REFUSAL = (
    "不受信任的主机名：本站不以请求中的 Host 提供服务。"
    " (Bad Request: the Host header names a host this site does not serve;"
    " see TRUSTED_HOSTS / PUBLIC_BASE_URL.)"
)
JSON_PATHS = ("/api/",)  # answered in JSON, like every other answer of the API


def parse_base_url(value: str) -> SplitResult:
    """``scheme://host[:port][/path]`` with http or https and nothing else; ValueError if not."""
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 -- raises ValueError on a port out of range or not a number
    except ValueError as exc:
        raise ValueError(f"PUBLIC_BASE_URL {value!r}: {exc}") from exc
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            f"PUBLIC_BASE_URL {value!r} must be http(s)://host[:port][/path], "
            "e.g. https://gk.example.gov.cn"
        )
    return parts


def public_base_url(config) -> str | None:
    """``PUBLIC_BASE_URL`` without its trailing slash, or None when unset. ``MAIL_BASE_URL`` is its
    older name (it once served only the mails' links), read when ``PUBLIC_BASE_URL`` is unset."""
    value = (config.get("PUBLIC_BASE_URL") or config.get("MAIL_BASE_URL") or "").strip()
    value = value.rstrip("/")
    if not value:
        return None
    parse_base_url(value)
    return value


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint``: under ``PUBLIC_BASE_URL`` when it is set, else on the
    request's host (trusted: see ``refuse_untrusted_hosts``). Use it instead of
    ``url_for(..., _external=True)``."""
    base = public_base_url(current_app.config)
    if base is None:
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def refuse_untrusted_hosts(flask_app):
    """WSGI middleware around ``flask_app.wsgi_app``: a request whose host (``Host``, or
    ``X-Forwarded-Host`` through ProxyFix, which therefore wraps this) is not in the app's
    ``TRUSTED_HOSTS`` gets a plain 400 and goes no further. The same check as Flask's own
    (Werkzeug's ``get_host``), which would otherwise fail the request with a 500: the error page
    cannot build its links without a host. An empty list refuses every host (Werkzeug's would
    trust them all)."""
    wsgi_app = flask_app.wsgi_app

    def app(environ, start_response):
        trusted = flask_app.config.get("TRUSTED_HOSTS")
        host = ""
        if trusted:
            try:
                host = get_host(environ, list(trusted))
            except SecurityError:
                host = ""
        if host:
            return wsgi_app(environ, start_response)
        log.warning("refused a request for an untrusted host %r", environ.get("HTTP_HOST"))
        path = environ.get("PATH_INFO") or ""
        if path.startswith(JSON_PATHS):
            body = json.dumps({"error": REFUSAL}, ensure_ascii=False)
            content_type = "application/json"
        else:
            body, content_type = REFUSAL + "\n", "text/plain; charset=utf-8"
        data = body.encode("utf-8")
        start_response(
            "400 Bad Request",
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(data))),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
                ("Content-Security-Policy", "default-src 'none'"),
            ],
        )
        return [data]

    return app
