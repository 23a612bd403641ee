#!/usr/bin/env bash
# Makes (once, and again when the requirements change) a Python virtual environment with the
# packages a test harness needs from PyPI, and prints its bin folder.
#
#   bin=$(scripts/python-venv.sh REQUIREMENTS VENV)   # VENV under .build-*/, git-ignored
#
# The real systems TaskWarden is tested against (Celery, django-celery-results, dbmate) come
# from here: scripts/celery/venv.sh and scripts/migration-tools/venv.sh name theirs.
set -euo pipefail
requirements=$1
venv=$2
stamp=$venv/.requirements
if [[ ! -x $venv/bin/python ]] || ! cmp -s "$requirements" "$stamp"; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$stamp"
fi
printf '%s\n' "$venv/bin"
