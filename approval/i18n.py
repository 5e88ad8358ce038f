"""Languages: Simplified Chinese is the source language of the UI; English is a translation.

Catalogs live as .po files in approval/translations; they are compiled into the instance folder at
start-up when missing or older than their source, so a fresh clone needs no extra build step.
"""
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, session

from .extensions import babel

SOURCE = Path(__file__).parent / "translations"


def compile_catalogs(target: Path) -> None:
    for po_path in SOURCE.glob("*/LC_MESSAGES/messages.po"):
        mo_path = target / po_path.relative_to(SOURCE).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown (flash, error pages)."""
    return message


def select_locale():
    """The language chosen in this session, else Simplified Chinese (whatever the browser says)."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def init_i18n(app) -> None:
    compiled = Path(app.instance_path) / "translations"
    compile_catalogs(compiled)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    babel.init_app(app, locale_selector=select_locale)
