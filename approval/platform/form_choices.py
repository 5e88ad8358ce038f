"""Select options for WTForms (3.3+ wants SelectChoice objects, not tuples)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, ValidationError, widgets
from wtforms.fields.choices import SelectChoice

from approval.platform.routing import MAX_ID


class CheckboxList(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (style it with class="checks")."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:  # WTForms' own message is English only
            raise ValidationError(_l("所选的选项无效，请刷新页面后重新选择")) from None


def choices(mapping: dict, blank=None) -> list[SelectChoice]:
    """Options from a value → label mapping (labels shown as they are: a category's name),
    optionally after a blank "please choose" option."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(value, label) for value, label in mapping.items()]


def code_choices(mapping: dict, blank=None) -> list[SelectChoice]:
    """Options for one of the app's own code lists (core/vocab.py), each label translated when the
    form is shown. Only for those constant msgids: WTForms writes a lazy label unescaped."""
    return choices({code: _l(label) for code, label in mapping.items()}, blank)


def int_or_none(value):
    """Coerce a select's value to int; the blank option becomes None (and DataRequired says so)."""
    if value in ("", None):
        return None
    return int(value)


def id_or_none(value):
    """A select of rows: blank is None (the caller says what that means, e.g. "please choose" or
    "all"); anything that is not an id, or is out of the ids' range (an integer the database
    cannot hold), becomes 0, which no row has ("does not exist")."""
    if value in ("", None):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 1 <= number <= MAX_ID else 0
