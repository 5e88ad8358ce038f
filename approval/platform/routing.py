"""URL pieces: ids are bounded to what the database can hold (a larger number is a 404, not a
500 from an integer overflow in the driver)."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL integer; SQLite's is larger


class IdConverter(IntegerConverter):
    """<id:name>: a positive database id."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def db_id(raw: str) -> int:
    """For request.args.get(..., type=db_id): an id in range, else ValueError (→ ignored)."""
    value = int(raw)
    if not 1 <= value <= MAX_ID:
        raise ValueError(raw)
    return value
