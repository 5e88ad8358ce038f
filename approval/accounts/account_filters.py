"""The filters the admins' account lists share: a department, and text in the name or username."""

import re

from approval.models import User


def conditions(department_id: int | None, text: str | None) -> list:
    found = []
    if department_id:
        found.append(User.department_id == department_id)
    if text:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
        found.append(
            User.display_name.ilike(pattern, escape="\\")
            | User.username.ilike(pattern, escape="\\")
        )
    return found
