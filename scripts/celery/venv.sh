#!/usr/bin/env bash
# Makes (once) the Python environment with Celery, Django and django-celery-results that the
# preset tests drive through scripts/celery/harness.py, and prints its python's path.
#
#   python=$(scripts/celery/venv.sh)      # .build-venv/ in the repository, git-ignored
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
bin=$(bash "$repo/scripts/python-venv.sh" "$repo/scripts/celery/requirements.txt" "${TASKWARDEN_CELERY_VENV:-$repo/.build-venv}")
printf '%s\n' "$bin/python"
