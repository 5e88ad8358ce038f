"""The app as gunicorn serves it in the HTTP benchmark (bench/bench_http.py): the database and
instance folder come from the environment, CSRF and everything else as in production."""
import os
from pathlib import Path

from bench.data import bench_app

app = bench_app(os.environ["BENCH_DATABASE_URL"], Path(os.environ["BENCH_INSTANCE"]))
