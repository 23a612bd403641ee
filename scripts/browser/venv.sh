#!/usr/bin/env bash
# Makes (once, and again when the requirements change) the Python environment of the dashboard's
# browser test (Playwright, from PyPI), and prints its python's path. Playwright's own browsers are
# not downloaded: the test drives the system's Chromium (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).
#
#   python=$(scripts/browser/venv.sh)   # .build-venv-browser/ in the repository, git-ignored
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
bin=$(bash "$repo/scripts/python-venv.sh" "$repo/scripts/browser/requirements.txt" "${TASKWARDEN_BROWSER_VENV:-$repo/.build-venv-browser}")
printf '%s\n' "$bin/python"
