"""Helpers shared by several test modules: plain functions, classes and constants (fixtures shared
across modules live in tests/conftest.py). A test module imports from here, never from another
``test_*.py``.

- ``attachments``: a PDF and the item page's upload form.
- ``audit``: reading and tampering with the audit chain the way a database owner could.
- ``concurrency``: ``run_concurrently``, the one harness for races between threads.
- ``deadlines``: the deadlines fixture's "today", drafts formed on a given day, an
  item's row in a list.
- ``mail``: a real SMTP server (aiosmtpd) and the app's mail settings pointed at it.
- ``pages``: what a person sees and does on a page: its heading, who is signed in, pressing
  an action button on the item page.
- ``queries``: counting the SQL a page sends, items in every interesting state, the main pages.
- ``requests``: a request for information entered by the office (依申请公开).
- ``server``: the app served over real HTTP by werkzeug's threaded server.
- ``stateful``: the Hypothesis state machine of random people pressing random buttons.
- ``statistics``: the hand-computed October of the statistics tests and the dashboard's table.
- ``users``: an extra user of the world with the given roles.

tests/factories.py, tests/http_client.py, tests/clock_control.py and tests/db_snapshot.py are
helper modules too (older than this package).
"""
