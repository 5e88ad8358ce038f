"""Configuration: defaults here, then instance/config.py, then APPROVAL_* environment variables.

DATABASE_URL (no prefix, the common convention) selects the database; the default is SQLite in the
instance folder. The secret key is generated into the instance folder on first run and never
committed.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from approval.platform.urls import LOCAL_HOSTS, public_base_url

DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 30 * 1024 * 1024,  # whole request; single files are capped below
    "ATTACHMENT_MAX_BYTES": 20 * 1024 * 1024,
    # hard limits on the child process that reads an attachment's text (platform/extraction.py)
    "EXTRACT_CPU_SECONDS": 10,
    "EXTRACT_MEMORY_MB": 1024,
    "EXTRACT_WALL_SECONDS": 15,
    "EXTRACT_CONCURRENCY": None,  # children at once, across the workers; None: one per CPU
    "ATTACHMENT_EXTENSIONS": [
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "wps",
        "et",
        "ofd",
        "txt",
        "csv",
        "jpg",
        "jpeg",
        "png",
        "zip",
    ],
    "BABEL_DEFAULT_LOCALE": "zh_CN",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "LANGUAGES": ["zh_CN", "en"],
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    # accounts and sessions (approval/core/passwords.py, accounts/logins.py, accounts/gate.py)
    "PASSWORD_MAX_AGE_DAYS": 90,  # 0: passwords never expire
    "LOGIN_MAX_FAILURES": 5,  # wrong passwords within the window that lock the account
    "LOGIN_FAILURE_WINDOW_MINUTES": 15,
    "LOGIN_LOCK_MINUTES": 30,
    "SESSION_IDLE_MINUTES": 30,  # signed out after this long without a request
    "SESSION_MAX_HOURS": 12,  # signed out this long after logging in, however active
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "PROXY_FIX_HOPS": 0,  # set to the number of reverse proxies in front of the app
    "AUDIT_RETENTION_DAYS": 180,  # floor for keeping audit entries (kept forever; < 180 refused)
    "AUDIT_ANCHOR_PATH": None,  # flask audit anchor; None: <instance>/audit-anchors.jsonl
    # rate limits (approval/platform/ratelimit.py; Flask-Limiter reads RATELIMIT_*)
    "RATELIMIT_LOGIN": "10 per minute;50 per hour",  # failed POSTs to /login, per address and name
    "RATELIMIT_LOGIN_ADDRESS": "60 per minute;300 per hour",  # the same, per address (any name)
    "RATELIMIT_SEARCH": "30 per minute",  # the portal's search page, per address
    "RATELIMIT_REQUEST_FORM": "5 per hour;20 per day",  # requests filed on the portal, per address
    "RATELIMIT_TRACKER": "10 per minute;50 per hour",  # the portal's 申请查询 lookups, per address
    "RATELIMIT_STORAGE_URI": "memory://",  # per process; "redis://host:6379/0" for several hosts
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,  # Redis down: count in memory meanwhile
    # the annual report (annual_reports/reminders.py): due on this month-day of the next year
    # (county-level departments: 31 January; a township sets its county's date, e.g. "03-31"),
    # the office is reminded from this many days before
    "ANNUAL_REPORT_DUE": "01-31",
    "ANNUAL_REPORT_REMIND_DAYS": 30,
    # 公示 (approval/notices): days the personal data stays online after the 公示期 ends; 0: it
    # comes down on the day after (docs/public-notices.md)
    "NOTICE_RETENTION_DAYS": 0,
    # notification e-mail (approval/notifications/mail.py), sent by `flask jobs run`; no host: none
    "MAIL_SMTP_HOST": None,
    "MAIL_SMTP_PORT": 25,  # 587 with starttls, 465 with ssl, as the server offers
    "MAIL_SMTP_SECURITY": "starttls",  # "starttls", "ssl", or "none" (plain text: intranet relays)
    "MAIL_SMTP_USER": None,  # log in when set
    "MAIL_SMTP_PASSWORD": None,
    "MAIL_SMTP_TIMEOUT": 30,  # seconds
    "MAIL_SENDER": None,  # the From address, e.g. "政务公开审批 <approval@example.gov.cn>"
    "MAIL_BASE_URL": None,  # the older name of PUBLIC_BASE_URL, read when that is unset
    "MAIL_MAX_ATTEMPTS": 5,  # a message the server refuses is given up after this many tries
    # hosts and absolute URLs (platform/urls.py; docs/security.md "Hosts and absolute URLs")
    "PUBLIC_BASE_URL": None,  # e.g. "https://gk.example.gov.cn": the API's, feeds' and mails' links
    "TRUSTED_HOSTS": None,  # the names served; a list, or comma-separated in the environment.
    # None: PUBLIC_BASE_URL's host, else localhost and 127.0.0.1 only (platform/urls.LOCAL_HOSTS)
    # SESSION_COOKIE_SECURE: set true (APPROVAL_SESSION_COOKIE_SECURE=true) when served over HTTPS
}


def load_config(app, test_config: dict | None) -> None:
    app.config.update(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("APPROVAL")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_url(os.environ["DATABASE_URL"])
    if test_config:
        app.config.update(test_config)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI", "sqlite:///" + str(Path(app.instance_path) / "approval.sqlite")
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config.setdefault("UPLOAD_FOLDER", str(Path(app.instance_path) / "uploads"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    app.config["TRUSTED_HOSTS"] = _trusted_hosts(app.config)


def _trusted_hosts(config) -> list[str]:
    """TRUSTED_HOSTS as a list of names, never empty (Flask trusts every host when it is None or
    empty). Unset: the host of PUBLIC_BASE_URL (a malformed one stops the start-up), or the local
    names a fresh checkout is reached by."""
    base = public_base_url(config)
    hosts = config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):  # APPROVAL_TRUSTED_HOSTS=gk.example.gov.cn,10.0.0.8
        hosts = hosts.split(",")
    names = [str(h).strip().lower() for h in hosts or ()]
    names = [name for name in names if name]
    if names:
        return names
    return [urlsplit(base).hostname] if base else list(LOCAL_HOSTS)


def _normalise_url(url: str) -> str:
    """postgres:// and postgresql:// both mean psycopg 3 here."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret(instance: Path) -> str:
    path = instance / "secret_key.json"
    if path.exists():
        return json.loads(path.read_text())["secret_key"]
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"secret_key": key}, fh)
    return key
