"""The security admin's forms: role grants and the security policy."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from approval.accounts import policy
from approval.platform.form_choices import CheckboxList
from approval.platform.forms import Form


class GrantForm(Form):
    """The security admin's grant: business roles and, for a leader, the departments led."""

    roles = CheckboxList(_l("业务角色"))
    led_departments = CheckboxList(_l("分管科室"), coerce=int)


def policy_form_class():
    """One IntegerField per policy setting, with its bounds (accounts/policy.BOUNDS)."""

    def make(bound):
        message = _l(policy.OUT_OF_RANGE, low=bound.low, high=bound.high)
        return IntegerField(
            _l(bound.label),
            validators=[InputRequired(message), NumberRange(bound.low, bound.high, message)],
        )

    return type("PolicyForm", (Form,), {name: make(bound) for name, bound in policy.BOUNDS.items()})
