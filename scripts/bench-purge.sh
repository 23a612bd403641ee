#!/usr/bin/env bash
# The purge and recovery benchmark (not a test): seeds big task tables on throw-away
# PostgreSQL and MariaDB servers and a SQLite file, and measures purge against one single
# DELETE, the longest batch, a concurrent worker's UPDATE latency, the purge's peak RSS, and
# recover on a big vs a small table. Prints a table; writes JSON for run-to-run comparison.
#
#   scripts/bench-purge.sh                          # 2 000 000 rows, batch 5 000, all backends
#   scripts/bench-purge.sh --rows 200000 --backend sqlite
#
# Extra arguments go to taskwarden-bench (--rows, --batch-size, --backend, --output).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
# shellcheck source=scripts/test-servers.sh
source "$repo/scripts/test-servers.sh"
trap tw_stop_servers EXIT
# The servers' own defaults: durability on, default buffer pools (PostgreSQL shared_buffers
# 128 MB, MariaDB innodb_buffer_pool_size 128 MB, smaller than the tables measured). A figure
# met only on a tuned server is not met. TW_SERVER_SETTINGS=fast measures the tests' settings.
export TW_SERVER_SETTINGS=${TW_SERVER_SETTINGS:-default}
tw_start_postgres
tw_start_mariadb
swift build -c release --product taskwarden >&2
swift build -c release --product taskwarden-bench >&2
mkdir -p docs/benchmarks
output=docs/benchmarks/purge-latest.json
for argument in "$@"; do [[ $argument == --output ]] && output=""; done
"$repo/.build/release/taskwarden-bench" --taskwarden "$repo/.build/release/taskwarden" \
    ${output:+--output "$output"} "$@"
