"""The office's settings pages (targets, staleness limits, step time limits): a ``NumbersForm``
with one optional whole number per row, saved by one operation. Validate, save, commit, flash,
redirect 303; or say how to show the form again: 422 with the field's error and what was typed,
or the conflict (409) above the form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect
from wtforms import StringField
from wtforms.validators import Optional, Regexp

from approval.core.errors import Conflict, InvalidInput
from approval.extensions import db
from approval.platform.forms import Form

WHOLE_NUMBER = r"^\s*\d{1,7}\s*$"


class NumbersForm(Form):
    """One optional whole number per row (``<prefix>_<id>``); blank clears it."""

    def numbers(self, prefix: str, key=int) -> dict:
        """{row id: number or None}; ``key`` turns the id back from the field's name."""
        out = {}
        for name, field in self._fields.items():
            if name.startswith(prefix + "_"):
                text = "" if field.data is None else str(field.data).strip()
                out[key(name[len(prefix) + 1 :])] = int(text) if text else None
        return out


def field_error(form, exc) -> None:
    """A service's refusal (``InvalidInput``) at the field it names, else above the form."""
    field = form._fields.get(exc.field or "")
    if field is None:
        form.form_errors.append(exc.message)
    else:
        field.errors = [*field.errors, exc.message]


def numbers_form(rows, prefix: str, message, **kwargs) -> NumbersForm:
    """A NumbersForm with a field per (id, label) of ``rows``; ``data``: the saved values."""

    class Form(NumbersForm):
        pass

    for row_id, label in rows:
        setattr(
            Form,
            f"{prefix}_{row_id}",
            StringField(label, validators=[Optional(), Regexp(WHOLE_NUMBER, message=message)]),
        )
    return Form(**kwargs)


@dataclass
class Outcome:
    response: object = None  # the redirect after a save; None: show the form again
    status: int = 422
    conflict: str | None = None


def save_numbers(
    form: NumbersForm,
    save: Callable[[], int],
    saved: Callable[[int], str],
    unchanged: str,
    back_to: str,
) -> Outcome:
    """``save()`` calls the service and returns how many values changed; ``saved(n)`` and
    ``unchanged`` are the flash messages; ``back_to`` is where the redirect goes."""
    if not form.validate_on_submit():
        return Outcome()
    try:
        changed = save()
    except InvalidInput as exc:
        db.session.rollback()
        field_error(form, exc)
        return Outcome()
    except Conflict as exc:
        db.session.rollback()
        return Outcome(status=exc.status, conflict=exc.message)
    db.session.commit()
    flash(saved(changed) if changed else unchanged, "success" if changed else "info")
    return Outcome(redirect(back_to, 303), 303)
