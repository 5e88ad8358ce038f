"""Rate limits (Flask-Limiter): failed logins, and the portal's search.

Guessing one account's password is the lockout's job (accounts/logins.py). These limits stop an
address that keeps failing to log in (guessing, or password spraying: one common password tried
on many names) or that queries the search as fast as it can (scraping, load): it is answered 429
with a ``Retry-After`` header until its window has room.

- ``RATELIMIT_LOGIN`` ("10 per minute;50 per hour"): failed POSTs to /login per client address
  *and username*. Many colleagues share one address (an office behind one NAT): one of them, or
  a machine there, guessing at one name must not lock the others out, so the name is part of the
  key. The name is read as the login reads it (``core.text.login_name``) and in lower case
  (usernames are unique whatever their case, accounts/user_admin.py), so "Alice", " alice" and
  "al<U+200B>ice" are one key. It is stored as a keyed hash (HMAC with the secret key): every
  key has the same short length, and what someone typed as their name (now and then a password)
  is not written to Redis. A login sent as JSON (the form reads that too) counts under the empty
  name, all such attempts from one address together; a name longer than the form allows is
  refused by the form and never counted.
- ``RATELIMIT_LOGIN_ADDRESS`` ("60 per minute;300 per hour"): failed POSTs to /login per client
  address, whatever the name. It bounds spraying (one guess per name never meets the per-name
  limit) and the keys one address can make by typing a new name each time (at most this many per
  window, each after a full password check). Once an address reaches it, everyone there is
  refused, the right password included, until the window has room: the price of bounding
  spraying per address, and an insider can still reach it on purpose (60 failed sign-ins in a
  minute, each in the audit trail). The figures are for an office of 50-200 staff behind one
  address: a sign-in peak (the morning; after lunch, sessions end after 30 idle minutes) brings
  an estimated 10-40 mistyped passwords in an hour and seldom 10 in one minute, so typing errors
  stay far below it, while spraying from one address stays at 300 names an hour. More staff
  behind one address (a county's 电子政务外网 exit) need a higher ceiling.
- Both count only refused logins (401): a whole office signing in every morning through one NAT
  address must not lock itself out. The check runs before the form is validated (it reads only
  the raw name), so a refused attempt reaches neither the password check nor the audit trail nor
  the account's failure count.
  (Checked before, counted after the answer: attempts sent at the same instant can overshoot the
  limit by their number, once.) GET /login (the form) is never limited.
- ``RATELIMIT_SEARCH`` ("30 per minute"): every request to the portal's search page. The JSON API
  (/api/v1) has no search, so nothing there is limited.
- ``RATELIMIT_REQUEST_FORM`` ("5 per hour;20 per day"): requests for government information filed
  on the portal (requests/portal_routes.py) per client address. Only a filed request counts (the
  303): a form refused for a missing field costs nothing, however often it is corrected.
- ``RATELIMIT_TRACKER`` ("10 per minute;50 per hour"): every POST of the portal's 申请查询 (a 查询码
  and a name) per client address, so that codes cannot be tried at speed.
- ``RATELIMIT_STORAGE_URI`` ("memory://"): where the counts live. Memory is per process, so
  gunicorn with N workers gives an address up to N times the budget, and each host its own.
  "redis://host:6379/0" shares the counts between every worker and host (``pip install
  approval[redis]``). ``RATELIMIT_KEY_PREFIX`` keeps two deployments on one Redis apart.

The client address is ``request.remote_addr``. Behind reverse proxies that is the client's own
address only because platform/security_headers.py wraps the app in ProxyFix when ``PROXY_FIX_HOPS`` is set (it
trusts exactly that many X-Forwarded-For hops, so a client cannot forge its address); without it
every visitor would be the proxy and share one budget.

If Redis is configured but unreachable, the app still starts (the client connects lazily) and
requests are limited in memory with the same limits (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``,
on by default) until Redis answers again; Flask-Limiter checks it again with exponential backoff.
Login and search keep working, each process counting for itself, as with "memory://". Failing
open (``RATELIMIT_SWALLOW_ERRORS``: no limits while Redis is down) would hand a spraying attacker
an outage to wait for; failing closed would lock everyone out of the login page because of a
cache. ``RATELIMIT_STRATEGY`` is "moving-window": "10 per minute" holds for any 60 seconds, not
per clock minute, so there is no double burst at a window's edge.

Each app gets its own Limiter, built here, rather than one module-level extension object:
Flask-Limiter keeps the storage and most settings on the Limiter itself, so one object shared by
two apps (the tests make one app per test; two apps also stand for two hosts) would give every
app the storage and settings of the last one initialised.
"""

from __future__ import annotations

import hmac
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import gettext
from flask_limiter import Limiter
from limits import parse_many

from approval.core.text import LOGIN_NAME_MAX, clean, login_name
from approval.platform.i18n import N_

EXTENSION = "approval.platform.ratelimit"


def client_address() -> str:
    """The limits' key: the client's address (ProxyFix makes it the real one behind proxies,
    see the module docstring). A request without one still counts, under one shared key."""
    return request.remote_addr or "unknown"


def address_and_name() -> str:
    """The per-name login limit's key: the client's address and a keyed hash of the name typed
    (see the module docstring)."""
    typed = clean(request.form.get("username")) or ""
    # the form refuses a longer name (a 200 with its message, never counted): skip the work
    name = login_name(typed).lower() if len(typed) <= LOGIN_NAME_MAX else "\0too long"
    secret = current_app.secret_key
    key = secret.encode() if isinstance(secret, str) else bytes(secret)
    digest = hmac.new(key, name.encode(), "sha256").hexdigest()[:32]
    return f"{client_address()}/{digest}"


@dataclass(frozen=True)
class Rule:
    endpoint: str
    setting: str  # the app.config key holding the limit, e.g. "10 per minute;50 per hour"
    methods: tuple[str, ...] | None  # None: every method
    failures_only: bool  # count only refused attempts (401), but check every request
    message: str  # N_() with %(wait)s; shown on the 429 page (one message per endpoint)
    key: Callable[[], str] = client_address  # whose budget a request uses
    scope: str | None = None  # keeps two limits of one endpoint apart in the storage
    counts: Callable | None = None  # not failures_only: the answers that count (None: every one)


LOGIN_REFUSED = N_(
    "从您的网络地址登录失败的次数过多，为保护账户安全，登录已暂停。请在 %(wait)s后重试。"
)

RULES = (
    Rule("auth.login", "RATELIMIT_LOGIN", ("POST",), True, LOGIN_REFUSED, address_and_name, "name"),
    Rule("auth.login", "RATELIMIT_LOGIN_ADDRESS", ("POST",), True, LOGIN_REFUSED, scope="address"),
    Rule(
        "search.search",
        "RATELIMIT_SEARCH",
        None,
        False,
        N_("您的搜索过于频繁，请在 %(wait)s后重试。"),
    ),
    Rule(
        "portal_requests.apply",
        "RATELIMIT_REQUEST_FORM",
        ("POST",),
        False,
        N_("从您的网络地址提交的申请过多，请在 %(wait)s后再提交。"),
        counts=lambda response: response.status_code == 303,
    ),
    Rule(
        "portal_requests.track",
        "RATELIMIT_TRACKER",
        ("POST",),
        False,
        N_("您的查询过于频繁，请在 %(wait)s后重试。"),
    ),
    # 互动回应 (approval/interaction/portal_routes.py): the same settings, budgets of their own
    Rule(
        "portal_interaction.leave",
        "RATELIMIT_REQUEST_FORM",
        ("POST",),
        False,
        N_("从您的网络地址提交的留言过多，请在 %(wait)s后再提交。"),
        counts=lambda response: response.status_code == 303,
    ),
    Rule(
        "portal_interaction.track",
        "RATELIMIT_TRACKER",
        ("POST",),
        False,
        N_("您的查询过于频繁，请在 %(wait)s后重试。"),
    ),
    Rule(
        "portal_interaction.rate",
        "RATELIMIT_TRACKER",
        ("POST",),
        False,
        N_("您的查询过于频繁，请在 %(wait)s后重试。"),
    ),
)


class RateLimitSettingError(ValueError):
    pass


def _refused(response) -> bool:
    return response.status_code == 401


def _checked(config, setting: str) -> str:
    value = config.get(setting)
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        parse_many(value)
    except ValueError:
        raise RateLimitSettingError(
            f"访问频率限制设置无效 ({setting}={value!r} is not a rate limit such as "
            "'10 per minute;50 per hour')"
        ) from None
    return value


def init_ratelimit(app) -> None:
    """Give ``app`` its own Limiter (reading the RATELIMIT_* settings) and wrap the limited
    views (a view with two rules twice: Flask-Limiter checks both limits, from the inner
    wrapper). Runs after the blueprints are registered. A malformed limit stops the start-up:
    Flask-Limiter would otherwise log it and not limit at all."""
    limits = {rule.setting: _checked(app.config, rule.setting) for rule in RULES}
    limiter = Limiter(key_func=client_address)
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    for rule in RULES:
        view = app.view_functions[rule.endpoint]
        # functools.wraps keeps the view's attributes (db_setup.reads_before_writing reads one)
        app.view_functions[rule.endpoint] = limiter.limit(
            limits[rule.setting],
            key_func=rule.key,
            scope=rule.scope,
            methods=list(rule.methods) if rule.methods else None,
            deduct_when=_refused if rule.failures_only else rule.counts,
        )(view)


def refusal() -> tuple[str, int]:
    """For the 429 page of the current request: the message, and the seconds until the limit
    has room again (the Retry-After header)."""
    rule = next((r for r in RULES if r.endpoint == request.endpoint), None)
    seconds = _retry_after()
    if seconds < 60:
        wait = gettext("%(num)d 秒", num=seconds)
    else:
        wait = gettext("%(num)d 分钟", num=math.ceil(seconds / 60))
    if rule is None:
        return gettext("请求过于频繁，请在 %(wait)s后重试。", wait=wait), seconds
    return gettext(rule.message, wait=wait), seconds


def _retry_after() -> int:
    limiter = current_app.extensions.get(EXTENSION)
    breached = limiter.current_limit if limiter is not None else None
    if breached is None:
        return 60
    try:
        reset_at = breached.window.reset_time  # when the window has room again
    except Exception:  # the storage failed just now: a whole window is the safe answer
        reset_at = time.time() + breached.limit.get_expiry()
    return max(1, math.ceil(reset_at - time.time()))
