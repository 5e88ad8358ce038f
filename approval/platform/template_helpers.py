"""What templates may use: labels, local time, and the permission predicates (never roles)."""

from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from approval import permissions
from approval.core import rich_text, vocab
from approval.core.clock import to_local
from approval.models import chain_of
from approval.platform.i18n import N_, label_text, request_catalog
from approval.platform.storage import human_size

AWAITING = N_("待%(step)s")  # the state of an item at a chain step


def local_time(value, fmt: str = "%Y-%m-%d %H:%M"):
    if value is None:
        return ""
    return to_local(value).strftime(fmt)


def state_label(item_or_state, chain=None) -> str:
    """The state's name in the request's language: 草稿, 已发布 …; a chain state is 待 and its
    step's name (a body's own step names have no translation and are shown as written)."""
    state = getattr(item_or_state, "state", item_or_state)
    if state == "approved" and getattr(item_or_state, "request_id", None) is not None:
        return label_text(vocab.REPLY_AWAITING_SEND, "state")  # a reply is sent, not published
    if state in vocab.STATE_LABELS:
        return label_text(vocab.STATE_LABELS[state], "state")
    if chain is None and hasattr(item_or_state, "body_id"):
        chain = chain_of(item_or_state)
    step = chain.step_for(state) if chain else None
    return request_catalog().ugettext(AWAITING) % {"step": label_text(step.name)} if step else state


def highlight(text: str, spans) -> Markup:
    """``text`` escaped, with each (start, end) span wrapped in <mark>; overlapping or
    out-of-range spans are skipped rather than trusted."""
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position or end > len(text) or start >= end:
            continue
        out += [
            escape(text[position:start]),
            Markup("<mark>"),
            escape(text[start:end]),
            Markup("</mark>"),
        ]
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)


def rich_html(html: str | None, tables: bool = True) -> Markup:
    """The one way a rich 正文 reaches a page as markup: sanitized again on output (defence in
    depth; core/rich_text.py), each table in its scrolling wrapper unless ``tables`` is False
    (the editor, where the wrapper would become part of the text)."""
    safe = rich_text.sanitize(html)
    return Markup(rich_text.wrap_tables(safe) if tables else safe)  # noqa: S704 (sanitized)


def highlight_excerpt(excerpt: str, matched: str) -> Markup:
    """The finding's context with its match marked (the first occurrence)."""
    at = excerpt.find(matched) if matched else -1
    return highlight(excerpt, [(at, at + len(matched))] if at >= 0 else [])


def init_template_helpers(app) -> None:
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["human_size"] = human_size
    app.jinja_env.globals.update(highlight=highlight, highlight_excerpt=highlight_excerpt)
    app.jinja_env.globals.update(rich_html=rich_html)
    app.jinja_env.globals.update(
        vocab=vocab,
        state_label=state_label,
        get_locale=get_locale,
        can_view_item=lambda item: permissions.can_view_item(current_user, item),
        can_view_history=lambda item: permissions.can_view_history(current_user, item),
        can_read_audit_trail=lambda: permissions.can_read_audit_trail(current_user),
        can_manage_word_list=lambda: permissions.can_manage_word_list(current_user),
        can_grant_roles=lambda: permissions.can_grant_roles(current_user),
        can_configure_chain=lambda: permissions.can_configure_chain(current_user),
        can_manage_accounts=lambda: permissions.can_manage_accounts(current_user),
        can_manage_calendar=lambda: permissions.can_manage_calendar(current_user),
        can_manage_portal=lambda: permissions.can_manage_portal(current_user),
        can_write_drafts=lambda: permissions.can_see_inbox(current_user, "officer"),
        can_edit=lambda item: permissions.can_edit(current_user, item),
    )
