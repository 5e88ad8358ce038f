"""Select options for WTForms (3.3+ wants SelectChoice objects, not tuples)."""
from wtforms.fields.choices import SelectChoice


def choices(mapping: dict, blank=None) -> list[SelectChoice]:
    """Options from a code → label mapping, optionally after a blank "please choose" option."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(value, label) for value, label in mapping.items()]


def int_or_none(value):
    """Coerce a select's value to int; the blank option becomes None (and DataRequired says so)."""
    if value in ("", None):
        return None
    return int(value)
