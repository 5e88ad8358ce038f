"""The password policy: what a newly chosen password must be, and when a password must change.

Pure Python (no Flask, no database). Messages are msgids, translated where they are shown and
filled in with ``POLICY`` (``%(min_length)s``, ``%(min_classes)s``).
The policy applies wherever a person chooses a password (the change-password page,
``flask create-user``), not to ``User.set_password`` itself: tests and the demo set known
passwords directly.
"""

from __future__ import annotations

import string
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from approval.core.msgids import N_

MIN_LENGTH = 12
MIN_CLASSES = 3  # of: upper case, lower case, digits, symbols
MIN_CORE = 4  # a common password shorter than this is not looked for inside a decorated one
POLICY = {"min_length": MIN_LENGTH, "min_classes": MIN_CLASSES}  # the messages' parameters
COMMON_LIST = Path(__file__).parent / "data" / "common_passwords.txt"

TOO_SHORT = N_("密码至少需要 %(min_length)s 个字符")
TOO_FEW_CLASSES = N_("密码须包含大写字母、小写字母、数字、符号中的至少 %(min_classes)s 类")
TOO_COMMON = N_("该密码过于常见（或只是在常见密码前后加了数字、符号），请换一个")
CONTAINS_USERNAME = N_("密码不能包含用户名")

MUST_CHANGE = "must_change"  # an account made by an administrator (create-user): first login
EXPIRED = "expired"


def problems(password: str, username: str) -> list[str]:
    """Every rule the password breaks, each with its own message (empty: acceptable)."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(TOO_SHORT)
    if character_classes(password) < MIN_CLASSES:
        found.append(TOO_FEW_CLASSES)
    if is_common(password):
        found.append(TOO_COMMON)
    if username and username.casefold() in password.casefold():
        found.append(CONTAINS_USERNAME)
    return found


def character_classes(password: str) -> int:
    """How many of upper case, lower case, digits and symbols occur. Letters of any script
    count by their case; a letter without case (汉字) and anything else counts as a symbol."""
    upper = lower = digit = symbol = False
    for c in password:
        if c.isupper():
            upper = True
        elif c.islower():
            lower = True
        elif c in string.digits:
            digit = True
        elif not c.isspace():
            symbol = True
    return upper + lower + digit + symbol


def is_common(password: str) -> bool:
    """In the list (ignoring case), or a listed word with only digits and symbols around it:
    "Password@2026" and "2026!!Sunshine" are as guessable as the word itself."""
    lowered = password.casefold()
    common = common_passwords()
    if lowered in common:
        return True
    core = _strip_non_letters(lowered)
    return len(core) >= MIN_CORE and core in common


def _strip_non_letters(text: str) -> str:
    start, end = 0, len(text)
    while start < end and not text[start].isalpha():
        start += 1
    while end > start and not text[end - 1].isalpha():
        end -= 1
    return text[start:end]


@cache
def common_passwords() -> frozenset[str]:
    with COMMON_LIST.open(encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))


def change_due(
    must_change: bool, changed_at: datetime | None, now: datetime, max_age_days: int
) -> str | None:
    """Why the user must choose a new password before doing anything else, or None.
    ``max_age_days`` 0 means passwords never expire; an unknown change time counts as expired."""
    if must_change:
        return MUST_CHANGE
    if max_age_days and (changed_at is None or now - changed_at >= timedelta(days=max_age_days)):
        return EXPIRED
    return None
