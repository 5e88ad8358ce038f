"""What a service refuses with. Routes map these to HTTP: 404, 403, 409, 400.

A refusal keeps its message as a msgid (Chinese, the source language) with the parameters that
fill it in (``%(name)s``), and ``message`` translates it when it is read, in the language of the
context reading it (``core.msgids.translate``): the user's on a page, the Chinese source in a
command or a job. So the msgid is a literal at the raise site (``pybabel extract`` collects it:
the error classes are extraction keywords in scripts/i18n.sh) and never an f-string; a piece that
must be worded apart (a list, "someone else") is translated where it is made and passed as a
parameter. A message already translated passes through unchanged (it is no msgid)."""

from approval.core.msgids import translate


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.msgid = message
        self.params = params

    @property
    def message(self) -> str:
        """The message in the language of the context it is read in, filled in."""
        return translate(self.msgid, **self.params)

    def __str__(self) -> str:
        return self.message


class NotFound(ServiceError):
    status = 404


class PermissionDenied(ServiceError):
    status = 403


class Conflict(ServiceError):
    """The item is not in the state the user saw: stale page, double click, or a race lost."""

    status = 409


class InvalidInput(ServiceError):
    """Input the form layer could not catch (e.g. a file that is not what it claims)."""

    status = 400

    def __init__(self, message: str, field: str | None = None, **params):
        super().__init__(message, **params)
        self.field = field
