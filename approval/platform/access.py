"""One access check per route: ``@requires(permissions.can_x)`` signs the visitor in (the login
page, as ``login_required`` does) and then asks the predicate about the signed-in user, or
answers 403. Deny by default: a route of a signed-in page names the one predicate that lets its
user in; a route about one item asks ``publication.loading.item_or_404`` with its predicate."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def requires(predicate: Callable[..., bool], *args):
    """The route runs only for a signed-in user for whom ``predicate(user, *args)`` holds."""

    def decorate(view):
        @wraps(view)
        def guarded(*view_args, **view_kwargs):
            if not predicate(current_user, *args):
                abort(403)
            return view(*view_args, **view_kwargs)

        guarded.required = (predicate, args)  # for the tests' walk over every route
        return login_required(guarded)

    return decorate
