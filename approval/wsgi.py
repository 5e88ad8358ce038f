"""The entry point for a production WSGI server: ``gunicorn -w 4 approval.wsgi:app``.

Once the app is built, ``gc.freeze()`` moves every object that exists by then (modules, the app,
its routes, SQLAlchemy's mappers: about 140,000 objects) out of the cyclic collector's reach.
They live as long as the process anyway, and without this each full collection walks them all:
about 70 ms, a few times per thousand requests, which shows in the slow tail of every page.
After the freeze a full collection walks only what requests left behind (about 2 ms).
"""

import gc

from approval import create_app

app = create_app()
gc.freeze()
