"""The base of every form of the app (``Form``): one cleaning rule for every text field, applied
where the form is bound, and no file part where a text is expected.

- Each text field (``StringField`` and its kinds: text areas, hidden fields) passes
  ``core.text.clean`` before any validator sees it. Passwords are checked as typed.
- A file sent in place of a text field (a multipart file part named like it) is not read as
  that field: the field is then empty, and the form answers with its own message.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import FileField, PasswordField, StringField

from approval.core.text import clean


def _cleaned(value):
    return clean(value) if isinstance(value, str) else value


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                options["filters"] = (
                    _cleaned,
                    *unbound_field.kwargs.get("filters", ()),
                    *options.get("filters", ()),
                )
            return super().bind_field(form, unbound_field, options)

        def wrap_formdata(self, form, formdata):
            data = super().wrap_formdata(form, formdata)
            if not isinstance(data, CombinedMultiDict):
                return data
            files, fields = data.dicts[0], data.dicts[1:]
            wanted = {
                f"{form._prefix}{name}"
                for name, unbound in form._unbound_fields
                if issubclass(unbound.field_class, FileField)
            }
            kept = MultiDict(
                [(key, value) for key, value in files.items(multi=True) if key in wanted]
            )
            return CombinedMultiDict([kept, *fields])
