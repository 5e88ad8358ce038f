"""An account's e-mail address (``users.email``), as the system admin types it: the one place
that says what may be stored there.

The address is optional: blank (or only spaces) means none, stored as NULL, and nobody is e-mailed.
Otherwise, after trimming the ends, it must be at most 254 characters (the column, and RFC 5321's
limit) and one plain ``local@domain``:

- exactly one ``@``, a non-empty local part and a domain of at least two dot-separated labels;
- no whitespace or control characters anywhere (an invisible character would make the address
  fail at the mail server, weeks later, with nobody watching);
- the local part a dot-atom of RFC 5322 (letters, digits, ``!#$%&'*+/=?^_`{|}~-`` and single
  dots inside), the domain letters, digits and hyphens (not at a label's ends).

Only ASCII: the notification mailer (``approval/notifications/mail.py``) neither speaks SMTPUTF8
nor converts internationalised domains, so an address it could not send to is refused now, on the
page, rather than given up later in the outbox. Quoted local parts, comments and address
literals (``[1.2.3.4]``) are refused for the same reason: nobody types them for a real mailbox.

The domain is stored in lower case (domains are case-insensitive); the local part is kept as
typed (in principle it is case-sensitive, and mailbox owners recognise their own spelling).
No uniqueness: two accounts may share an office mailbox.

When the address is read: ``notifications/operations.notify`` looks at it only to decide whether a
new notification goes into the mail outbox (``mail_pending``: mail configured and an address
set); the mailer (``notifications/mail.py``, ``_claim_next``) reads ``users.email`` again when it
sends. So changing an address touches no queued notification: what is already pending goes to
the new address, and to nobody if it was cleared (the mailer drops it: "no e-mail address");
notifications written while the account had no address were never queued and stay unmailed.
"""

from __future__ import annotations

import re

from approval.core.errors import InvalidInput
from approval.platform.i18n import N_

MAX_CHARS = 254  # users.email

FORMAT = N_("电子邮箱格式不正确")
TOO_LONG = N_("电子邮箱不能超过 254 个字符")

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")


def _checked(value: str | None, field: str = "email") -> str | None:
    """The address to store (None when blank); InvalidInput (at ``field``) otherwise."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > MAX_CHARS:
        raise InvalidInput(TOO_LONG, field)
    local, at, domain = text.partition("@")
    # also refused: a second '@' (not allowed in either part), any whitespace
    if not at or not _LOCAL.fullmatch(local) or not _DOMAIN.fullmatch(domain):
        raise InvalidInput(FORMAT, field)
    return f"{local}@{domain.lower()}"


def problem(value: str | None) -> str | None:
    """Why ``value`` cannot be an account's address (translated), or None (blank is fine)."""
    try:
        _checked(value)
    except InvalidInput as refused:
        return refused.message
    return None


def normalised(value: str | None, field: str = "email") -> str | None:
    """The address to store for ``value`` (None when blank); raises InvalidInput otherwise."""
    return _checked(value, field)
