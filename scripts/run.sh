#!/usr/bin/env bash
# Set up and run the app on the embedded default: SQLite under instance/, demo data on first run.
#   ./scripts/run.sh            → http://127.0.0.1:5000  (PORT=8080 ./scripts/run.sh to change)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/flask --app approval init-db --demo
echo "政务公开审批: http://127.0.0.1:${PORT:-5000}/  (demo accounts: see README.md)"
exec .venv/bin/flask --app approval run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
