"""Cleaning text that comes from outside before it is stored, shown or logged."""

import unicodedata

# control (Cc), format (Cf: incl. the bidi overrides U+202E etc. and zero-width characters),
# line and paragraph separators (Zl, Zp)
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})


def strip_invisible(text: str) -> str:
    """Drop characters that are invisible or reorder text when shown (an "invtxt.jpg" that is
    really "inv\u202egpj.txt"), or that could forge a line in a log."""
    return "".join(
        c
        for c in unicodedata.normalize("NFC", text or "")
        if unicodedata.category(c) not in _INVISIBLE
    )


# the one rule for every text field: C0 controls but tab, newline and carriage return, DEL,
# the non-characters U+FFFE/U+FFFF and lone surrogates go (they break .docx, .xlsx and XML
# exports, and PostgreSQL refuses NUL)
_CONTROLS = {
    c: None
    for c in (
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        0x7F,
        0xFFFE,
        0xFFFF,
        *range(0xD800, 0xE000),
    )
}


def clean(text: str | None) -> str | None:
    """``text`` with the characters no field may hold removed (see ``_CONTROLS``); None stays
    None. Everything else, line breaks included, is kept as typed."""
    return text.translate(_CONTROLS) if text else text


LOGIN_NAME_MAX = 64  # the login form's limit on the cleaned name (accounts/auth_forms.py)


def login_name(text: str | None) -> str:
    """A username as the login looks it up: the fields' cleaning rule (``clean``), invisible
    characters dropped, outer whitespace stripped, at most ``LOGIN_NAME_MAX`` characters."""
    return strip_invisible(clean(text) or "").strip()[:LOGIN_NAME_MAX]
