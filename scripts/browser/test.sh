#!/usr/bin/env bash
# The dashboard's browser test, a step of .ci/run after the Swift tests: builds `taskwarden` (a
# no-op after scripts/test.sh), starts throw-away PostgreSQL and MariaDB servers unless
# TASKWARDEN_TEST_POSTGRES_URL / TASKWARDEN_TEST_MYSQL_URL are set (scripts/test-servers.sh),
# makes the Playwright venv (scripts/browser/venv.sh) and runs scripts/browser/dashboard_test.py
# against headless /usr/bin/chromium on SQLite, PostgreSQL and MariaDB. Screenshots of each
# page: .build/test-output/screenshots/BACKEND/. Under a minute.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$repo"
if [[ ! -x ${TASKWARDEN_CHROMIUM:-/usr/bin/chromium} ]]; then
    echo "scripts/browser/test.sh: ${TASKWARDEN_CHROMIUM:-/usr/bin/chromium} is missing (apt-get install chromium)" >&2
    exit 2
fi
# shellcheck source=scripts/test-servers.sh
source "$repo/scripts/test-servers.sh"
trap tw_stop_servers EXIT
export TW_SERVER_SETTINGS=${TW_SERVER_SETTINGS:-fast}
tw_start_postgres
tw_start_mariadb
swift build --product taskwarden
python=$(bash "$repo/scripts/browser/venv.sh")
"$python" "$repo/scripts/browser/dashboard_test.py"
