#!/usr/bin/env bash
# Set up and run the whole test suite (unit, HTTP and headless-Chromium browser tests).
#   ./scripts/test.sh                       → on SQLite
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test ./scripts/test.sh   → on PostgreSQL
# Extra arguments go to pytest (e.g. ./scripts/test.sh -k audit). The tests run with pytest-xdist,
# one worker per core (on the 2-core CI machine half the time of one process: docs/benchmarks.md,
# "The test suite"); TEST_WORKERS=0 runs them in one process.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's Chromium for the browser tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" "$@"
