#!/usr/bin/env bash
# Times `taskwarden migrate` on an up-to-date database, as a whole process, on each backend.
# Starts throw-away servers like scripts/test.sh does, but with each server's own default
# settings (durability on), as users run them. Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
# shellcheck source=scripts/test-servers.sh
source "$repo/scripts/test-servers.sh"
trap tw_stop_servers EXIT
# A figure met only on a tuned server is not met: the servers' defaults, not the tests' settings.
# The servers' own defaults, always: the tests' tuned settings are never measured.
export TW_SERVER_SETTINGS=default
tw_start_postgres
tw_start_mariadb
swift build -c release --product taskwarden >/dev/null
bin="$repo/.build/release/taskwarden"
work=$(mktemp -d)
sqlite_url="sqlite://$work/bench.sqlite"
for url in "$sqlite_url" "$TASKWARDEN_TEST_POSTGRES_URL" "$TASKWARDEN_TEST_MYSQL_URL"; do
    "$bin" migrate --database "$url" >/dev/null
done
hyperfine --warmup 3 --runs 30 --export-markdown "$work/noop.md" \
    -n sqlite "$bin migrate --database '$sqlite_url'" \
    -n postgresql "$bin migrate --database '$TASKWARDEN_TEST_POSTGRES_URL'" \
    -n mariadb "$bin migrate --database '$TASKWARDEN_TEST_MYSQL_URL'" >&2
sed -e "s/$TW_TEST_PASSWORD/***/g" "$work/noop.md"
rm -rf "$work"
