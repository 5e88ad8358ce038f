"""Languages: Simplified Chinese is the source language of the UI; English is a translation.

Catalogs live as .po files in approval/translations; they are compiled into the instance folder at
start-up when missing or older than their source, so a fresh clone needs no extra build step.

Templates translate with ``template_gettext`` through ``request_catalog()``, the catalog of the
request's language kept in ``g``. An inbox of 20 rows calls ``_()`` some 120 times: through
Flask-Babel's callables and Jinja's "newstyle" wrapper each call cost 36 µs (the locale and its
catalog looked up again through several context-local proxies, three nested template calls); now
about 6 µs. The kept catalog follows the locale Flask-Babel holds for the context, so
``flask_babel.force_locale`` (the e-mails, ``notifications/mail.py``) and ``refresh`` are obeyed.

The names of the app's own codes (states, roles, actions, attributes, the default chain's steps)
are shown through ``label_text`` and ``role_label``: plain text, translated when the catalog has
the name (docs/architecture.md, "Text from users").
"""

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, has_app_context, has_request_context, session
from flask_babel import get_locale, get_translations, gettext
from jinja2 import pass_eval_context
from markupsafe import Markup

from approval.core import clock, msgids
from approval.core.msgids import N_  # noqa: F401 (re-exported: marks strings for extraction)
from approval.core.roles import ROLE_LABELS
from approval.extensions import babel

SOURCE = Path(__file__).parent.parent / "translations"


# compiled catalogs by (source, its mtime): an app made again in the same process (each test makes
# one, in an instance folder of its own) writes the bytes instead of parsing the .po again
_COMPILED: dict[tuple[Path, float], bytes] = {}


def compile_catalogs(target: Path) -> None:
    for po_path in SOURCE.glob("*/LC_MESSAGES/messages.po"):
        mo_path = target / po_path.relative_to(SOURCE).with_suffix(".mo")
        changed = po_path.stat().st_mtime
        if mo_path.exists() and mo_path.stat().st_mtime >= changed:
            continue
        if (po_path, changed) not in _COMPILED:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            _COMPILED[(po_path, changed)] = compiled.getvalue()
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo_path.with_suffix(".mo.tmp")
        tmp.write_bytes(_COMPILED[(po_path, changed)])
        tmp.replace(mo_path)


def select_locale():
    """The language chosen in this session, else Simplified Chinese (whatever the browser says)."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _zone_setting() -> str | None:
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None


def init_i18n(app) -> None:
    compiled = Path(app.instance_path) / "translations"
    compile_catalogs(compiled)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    babel.init_app(app, locale_selector=select_locale)
    msgids.install_translator(kernel_gettext)  # the kernel's messages, in the request's language
    clock.read_zone_from(_zone_setting)
    app.jinja_env.globals["_"] = template_gettext  # in place of Flask-Babel's (see above)
    app.jinja_env.globals.update(label_text=label_text, role_label=role_label)


def kernel_gettext(message: str, **params) -> str:
    """``gettext`` for ``core.msgids.translate``, in the context's language: a request's, or the
    one ``force_locale`` sets (the e-mails). Where there is none (a command, a job outside a
    request), the Chinese source filled in, as without an app: Flask-Babel would look for the
    request's session to choose a language and fail."""
    if has_request_context() or (
        has_app_context() and getattr(g.get("_flask_babel"), "babel_locale", None)
    ):
        return gettext(message, **params)
    return message % params if params else message


def request_catalog():
    """The translations of the context's language, kept in ``g`` with the locale they are of.
    The locale is the one Flask-Babel keeps for the context (``g._flask_babel.babel_locale``, set
    on first use and swapped by ``force_locale``; the version is pinned in pyproject.toml)."""
    locale = getattr(g.get("_flask_babel"), "babel_locale", None)
    kept = g.get("_catalog")
    if locale is None or kept is None or kept[0] is not locale:
        catalog = get_translations()
        g._catalog = (get_locale(), catalog)
        return catalog
    return kept[1]


@pass_eval_context
def template_gettext(eval_ctx, string: str, /, **variables) -> str:
    """``_()`` in templates, as Jinja's newstyle gettext does it: translated, then formatted with
    ``%`` (a literal percent sign is written %%), the variables escaped where the template
    autoescapes; in one call where Jinja's wrapper makes three."""
    translated = request_catalog().ugettext(string)
    if eval_ctx.autoescape:
        translated = Markup(translated)
    return translated % variables if variables or "%" in translated else translated


def label_text(text: str, context: str | None = None) -> str:
    """The name of one of the app's own codes (core/vocab.py, core/roles.py) or of a chain step, in the
    context's language. Such names are data, not template text: a body's own step name has no
    translation and is shown as stored; the result is plain text (escaped where it is shown,
    never %-formatted nor marked safe, as ``_()`` would), and a blank stays blank (gettext("")
    is the catalog's header). ``context``: the message context it was marked with (``NP_``)."""
    if not text:
        return ""
    catalog = request_catalog()
    return catalog.upgettext(context, text) if context else catalog.ugettext(text)


def role_label(role: str) -> str:
    """A role's name in the context's language (message context "role": 办公室审核 is also the
    name of a step)."""
    return label_text(ROLE_LABELS.get(role, role), "role")
