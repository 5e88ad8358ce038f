"""The yardstick of the HTTP benchmark: a bare Flask endpoint serving the same 20 rows as the
portal's home page (the body's newest published items) with one hand-written query and a minimal
template — no login, sessions, ORM, i18n or layout. bench/bench_http.py serves it under the same
gunicorn settings as the app and reports each page's throughput as a ratio to this one.

The template is rendered with ``render_template``, so Jinja compiles it once per worker and keeps
it, as it does any Flask app's templates. (Until 2026-12-06 it went through
``render_template_string``, which compiles its source on every call: 1.3 ms of each request. That
made the yardstick slower than a bare Flask endpoint is, and every page's ratio to it higher.)
The engine pings its connection on checkout, as the app's does (``SQLALCHEMY_ENGINE_OPTIONS``)."""

import os

from flask import Flask, render_template
from jinja2 import DictLoader
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["BENCH_DATABASE_URL"], pool_pre_ping=True)
NEWEST = text(
    "SELECT i.id, r.title, i.published_at FROM items i "
    "JOIN revisions r ON r.id = i.published_revision_id "
    "WHERE i.body_id = :body AND i.state = 'published' AND i.published_at IS NOT NULL "
    "ORDER BY i.published_at DESC, i.id DESC LIMIT 20"
)
PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>最新信息</title>
<ul>{% for row in rows %}<li><a href="/public/items/{{ row.id }}">{{ row.title }}</a>
<time>{{ (row.published_at|string)[:10] }}</time></li>{% endfor %}</ul></html>"""
app.jinja_loader = DictLoader({"newest.html": PAGE})


@app.route("/bare/<int:body_id>")
def newest(body_id: int):
    with engine.connect() as conn:
        rows = conn.execute(NEWEST, {"body": body_id}).all()
    return render_template("newest.html", rows=rows)
