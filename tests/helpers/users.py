"""Users beyond the world's one-per-role set."""

from __future__ import annotations

from approval.extensions import db
from approval.models import User


def make_user(world, name, dept, roles, led=()):
    """A user ``<name>_extra`` of ``world``'s body in department ``dept`` (a key of
    ``world.departments``) with ``roles``, leading the departments ``led``; added to
    ``world.users`` as ``name``, so ``world.act(name, ...)`` and ``login_as(name)`` work."""
    user = User(
        username=f"{name}_extra",
        display_name=name,
        body=world.body,
        department=world.departments[dept],
    )
    user.set_password(world.password)
    user.set_roles(roles)
    user.led_departments = [world.departments[d] for d in led]
    db.session.add(user)
    db.session.commit()
    world.users[name] = user
    return user
