"""How the records name who took a decision (the 保密审查单, 退回后的修改)."""

from flask_babel import gettext


def decided_by(decision) -> str:
    """Who took ``decision``, as the records print it: "李四（代 张三）" for a deputy's."""
    if decision.on_behalf_of is None:
        return decision.actor.display_name
    return gettext(
        "%(deputy)s（代 %(principal)s）",
        deputy=decision.actor.display_name,
        principal=decision.on_behalf_of.display_name,
    )
