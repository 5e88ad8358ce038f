"""The app served over real HTTP, for races and browsers: werkzeug's threaded server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

from approval.extensions import db


@contextmanager
def serving(app, name: str = "test-server") -> Iterator[str]:
    """The app on 127.0.0.1:<free port>, werkzeug's threaded server (a request per thread), in a
    background thread of this process; yields the base URL, e.g. ``http://127.0.0.1:40123``."""
    db.session.remove()  # this thread holds no connection (and no lock) while the server works
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
