#!/usr/bin/env bash
# Makes (once) the Python environment with Celery, Django and django-celery-results that the
# preset tests drive through scripts/celery/harness.py, and prints its python's path.
#
#   python=$(scripts/celery/venv.sh)      # .build-venv/ in the repository, git-ignored
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
venv=${TASKWARDEN_CELERY_VENV:-$repo/.build-venv}
requirements=$repo/scripts/celery/requirements.txt
stamp=$venv/.requirements
if [[ ! -x $venv/bin/python ]] || ! cmp -s "$requirements" "$stamp"; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$stamp"
fi
printf '%s\n' "$venv/bin/python"
