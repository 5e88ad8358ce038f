"""What a service refuses with. Routes map these to HTTP: 404, 403, 409, 400."""


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
