#!/usr/bin/env bash
# Makes (once) the Python environment with the real systems the preset tests drive through
# scripts/celery/harness.py (Celery, Django, django-celery-results, django-tasks), and prints its
# python's path. With `celery56`, the one with Celery 5.6 instead (a PickleType result column).
#
#   python=$(scripts/celery/venv.sh)            # .build-venv/ in the repository, git-ignored
#   python=$(scripts/celery/venv.sh celery56)   # .build-venv-celery56/
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
if [[ ${1:-} == celery56 ]]; then
    bin=$(bash "$repo/scripts/python-venv.sh" "$repo/scripts/celery/requirements-celery56.txt" "${TASKWARDEN_CELERY56_VENV:-$repo/.build-venv-celery56}")
else
    bin=$(bash "$repo/scripts/python-venv.sh" "$repo/scripts/celery/requirements.txt" "${TASKWARDEN_CELERY_VENV:-$repo/.build-venv}")
fi
printf '%s\n' "$bin/python"
