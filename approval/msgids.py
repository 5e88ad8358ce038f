"""Marking UI strings for translation in modules that stay free of Flask (vocab, roles, workflow).

``N_("…")`` returns its argument unchanged; it only lets ``pybabel extract`` (scripts/i18n.sh)
collect the string, which is translated where it is shown (``_()`` in templates, ``gettext``)."""


def N_(message: str) -> str:
    return message


def NP_(context: str, message: str) -> str:
    """``N_`` with a message context, where one Chinese word names two things in English:
    办公室审核 is a role (Office auditor) and a step of the chain (Office audit)."""
    return message
