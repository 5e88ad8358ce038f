"""The app as gunicorn serves it in the HTTP benchmark (bench/bench_http.py): the database and
instance folder come from the environment, CSRF and everything else as in production, and the
collector frozen once the app is built, as ``approval/wsgi.py`` does."""

import gc
import os
from pathlib import Path

from bench.data import bench_app

app = bench_app(os.environ["BENCH_DATABASE_URL"], Path(os.environ["BENCH_INSTANCE"]))
gc.freeze()
