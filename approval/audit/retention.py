"""How long audit entries are kept: forever, and never less than 180 days (等保三级).

There is no purge or archive command: the database triggers refuse every UPDATE and DELETE of an
audit row, and the chain is verified from its first entry. ``AUDIT_RETENTION_DAYS`` is the floor
any future archive must honour; a configured value below it stops the application at start-up.
"""

from __future__ import annotations

MINIMUM_DAYS = 180


class RetentionSettingError(ValueError):
    pass


def retention_days(config) -> int:
    """The configured retention in days; refuses anything that is not a whole number ≥ 180."""
    raw = config.get("AUDIT_RETENTION_DAYS", MINIMUM_DAYS)
    try:
        if isinstance(raw, (bool, float)):
            raise ValueError(raw)
        days = int(raw)
    except (TypeError, ValueError):
        raise RetentionSettingError(
            f"审计日志保留天数设置无效 (AUDIT_RETENTION_DAYS={raw!r} is not a whole number of days)"
        ) from None
    if days < MINIMUM_DAYS:
        raise RetentionSettingError(
            f"审计日志保留期不得少于 {MINIMUM_DAYS} 天 (AUDIT_RETENTION_DAYS={days} is below the "
            f"minimum of {MINIMUM_DAYS} days; audit entries are kept forever)"
        )
    return days
