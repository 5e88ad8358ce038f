"""The POST of the office's settings pages (targets, staleness limits, step time limits): each is
a ``NumbersForm`` saved by one service call. Validate, save, commit, flash, redirect 303; or say
how to show the form again: 422 with the field's error and what was typed, or the conflict
(409) above the form."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect

from ..extensions import db
from ..services.errors import Conflict, InvalidInput
from .forms import NumbersForm, field_error


@dataclass
class Outcome:
    response: object = None     # the redirect after a save; None: show the form again
    status: int = 422
    conflict: str | None = None


def save_numbers(form: NumbersForm, save: Callable[[], int], saved: Callable[[int], str],
                 unchanged: str, back_to: str) -> Outcome:
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
