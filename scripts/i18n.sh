#!/usr/bin/env bash
# Re-extract UI strings and update the English catalog (then translate the new msgids in
# approval/translations/en/LC_MESSAGES/messages.po). The app compiles catalogs itself at start-up.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin}
# The error classes take a msgid first (approval/core/errors.py): a refusal's literal message is
# extracted where it is raised.
"$PY/pybabel" extract -F babel.cfg -k _ -k _l -k N_ -k NP_:1c,2 -k gettext -k lazy_gettext \
  -k ServiceError -k NotFound -k PermissionDenied -k Conflict -k InvalidInput --no-location \
  --sort-output -o approval/translations/messages.pot .
if [ -f approval/translations/en/LC_MESSAGES/messages.po ]; then
  "$PY/pybabel" update -i approval/translations/messages.pot -d approval/translations -l en --no-fuzzy-matching --ignore-obsolete
else
  "$PY/pybabel" init -i approval/translations/messages.pot -d approval/translations -l en
fi
