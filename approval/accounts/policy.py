"""A body's security policy: password expiry, login lockout and session limits.

The deployment's configuration (approval/config.py) gives the defaults; a body's security admin
(安全管理员) may set its own values on the policy page, each within bounds that keep it at or
above what 等保三级 asks for (so the page can tighten the policy, or loosen it only as far as
the floor). Readers take the policy from the user's body (``for_user``); the session loader
joins it to the user, so checking it costs no query per request.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from flask import current_app
from sqlalchemy import select

from approval.audit import trail as audit
from approval.core.errors import InvalidInput
from approval.core.roles import Role
from approval.extensions import db
from approval.models import Body, SecurityPolicy
from approval.platform.i18n import N_


@dataclass(frozen=True)
class Bound:
    config_key: str
    low: int
    high: int
    label: str  # msgid
    unit: str  # msgid


# the page's fields, in the page's order, with the range each may be set to
BOUNDS = {
    "password_max_age_days": Bound("PASSWORD_MAX_AGE_DAYS", 7, 180, N_("密码有效期"), N_("天")),
    "login_max_failures": Bound("LOGIN_MAX_FAILURES", 3, 10, N_("连续输错密码次数上限"), N_("次")),
    "login_failure_window_minutes": Bound(
        "LOGIN_FAILURE_WINDOW_MINUTES", 5, 60, N_("输错次数的统计时段"), N_("分钟")
    ),
    "login_lock_minutes": Bound("LOGIN_LOCK_MINUTES", 10, 1440, N_("锁定时长"), N_("分钟")),
    "session_idle_minutes": Bound("SESSION_IDLE_MINUTES", 5, 30, N_("无操作自动退出"), N_("分钟")),
    "session_max_hours": Bound("SESSION_MAX_HOURS", 1, 12, N_("单次登录最长时间"), N_("小时")),
}
OUT_OF_RANGE = N_("请填写 %(low)s 至 %(high)s 之间的整数")
UNCHANGED = N_("安全策略没有变化")


@dataclass(frozen=True)
class Policy:
    password_max_age_days: int  # 0 (configuration only): passwords never expire
    login_max_failures: int
    login_failure_window_minutes: int
    login_lock_minutes: int
    session_idle_minutes: int
    session_max_hours: int


def configured() -> Policy:
    """The deployment's defaults."""
    config = current_app.config
    return Policy(**{name: int(config[bound.config_key]) for name, bound in BOUNDS.items()})


def for_body(body) -> Policy:
    row = body.policy if body is not None else None
    if row is None:
        return configured()
    return Policy(**{f.name: getattr(row, f.name) for f in fields(Policy)})


def for_user(user) -> Policy:
    return for_body(user.body)


def problems(values: dict) -> dict[str, str]:
    """Each field outside its bounds, with its message (msgid, to fill with the bound)."""
    found = {}
    for name, bound in BOUNDS.items():
        value = values.get(name)
        if not isinstance(value, int) or not bound.low <= value <= bound.high:
            found[name] = OUT_OF_RANGE
    return found


def save(actor, body, values: dict) -> dict[str, tuple[int, int]]:
    """Set ``body``'s policy to ``values`` (every field of Policy) and audit what changed; returns
    {field: (old, new)}. Raises InvalidInput for a value out of bounds (nothing changes) or when
    nothing would change. The caller commits."""
    wrong = problems(values)
    if wrong:
        name = next(iter(wrong))
        bound = BOUNDS[name]
        raise InvalidInput(OUT_OF_RANGE, field=name, low=bound.low, high=bound.high)
    # one writer per body's policy at a time: lock the body, then read the policy as committed
    db.session.execute(select(Body.id).where(Body.id == body.id).with_for_update())
    db.session.refresh(body, ["policy"])
    old = asdict(for_body(body))
    changes = {name: (old[name], values[name]) for name in BOUNDS if old[name] != values[name]}
    if not changes:
        raise InvalidInput(UNCHANGED)
    row = body.policy
    if row is None:
        row = body.policy = SecurityPolicy(body_id=body.id, **old)
        db.session.add(row)
    for name, (_old, new) in changes.items():
        setattr(row, name, new)
    audit.record(
        "policy_changed",
        actor=actor,
        detail={
            "role": Role.SECURITY_ADMIN,
            **{name: {"from": before, "to": after} for name, (before, after) in changes.items()},
        },
    )
    return changes
