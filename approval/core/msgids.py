"""Marking UI strings for translation in the kernel, which stays free of Flask.

``N_("…")`` returns its argument unchanged; it only lets ``pybabel extract`` (scripts/i18n.sh)
collect the string, which is translated where it is shown (``_()`` in templates, ``gettext``).
``translate`` is the kernel's way to show a message now: the app installs Flask-Babel's
``gettext`` there (platform/i18n.py); without an app it fills in the Chinese source."""

from collections.abc import Callable


def _untranslated(message: str, **params) -> str:
    return message % params if params else message


_translator: Callable[..., str] = _untranslated


def install_translator(gettext: Callable[..., str]) -> None:
    global _translator
    _translator = gettext


def translate(message: str, **params) -> str:
    return _translator(message, **params)


def N_(message: str) -> str:
    return message


def NP_(context: str, message: str) -> str:
    """``N_`` with a message context, where one Chinese word names two things in English:
    办公室审核 is a role (Office auditor) and a step of the chain (Office audit)."""
    return message
