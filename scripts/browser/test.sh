#!/usr/bin/env bash
# The dashboard's browser test, a step of .ci/run after the Swift tests: builds `taskwarden` (a
# no-op after scripts/test.sh), makes the Playwright venv (scripts/browser/venv.sh) and runs
# scripts/browser/dashboard_test.py against headless /usr/bin/chromium. Screenshots of each
# page: .build/test-output/screenshots/. Under a minute.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$repo"
if [[ ! -x ${TASKWARDEN_CHROMIUM:-/usr/bin/chromium} ]]; then
    echo "scripts/browser/test.sh: ${TASKWARDEN_CHROMIUM:-/usr/bin/chromium} is missing (apt-get install chromium)" >&2
    exit 2
fi
swift build --product taskwarden
python=$(bash "$repo/scripts/browser/venv.sh")
exec "$python" "$repo/scripts/browser/dashboard_test.py"
