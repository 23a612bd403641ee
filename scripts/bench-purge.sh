#!/usr/bin/env bash
# The purge and recovery benchmark (not a test): seeds big task tables on throw-away
# PostgreSQL and MariaDB servers and a SQLite file, and measures purge against one single
# DELETE, the longest batch, a concurrent worker's UPDATE latency, the purge's peak RSS, and
# recover on a big vs a small table. Prints a table; writes JSON for run-to-run comparison.
#
#   scripts/bench-purge.sh                          # 2 000 000 rows, batch 5 000, all backends,
#                                                   # both layouts (chronological, scattered)
#   scripts/bench-purge.sh --rows 200000 --backend sqlite --layout scattered
#   scripts/bench-purge.sh --celery-rows 1000000 --skip-purge --layout chronological \
#       --output docs/benchmarks/celery-cleanup.json   # Celery's backend_cleanup vs the preset's purge
#   scripts/bench-purge.sh --dashboard-rows 10000000 --skip-purge --layout chronological \
#       --output docs/benchmarks/dashboard-10m.json     # the dashboard's pages and a purge from it
#
# Extra arguments go to taskwarden-bench (--rows, --batch-size, --backend, --rounds, --layout,
# --strategy auto|index|key-order, --output, --celery-rows, --dashboard-rows, --skip-purge). On MySQL,
# pt-archiver (Debian's percona-toolkit) runs as the peer when installed. The servers' settings
# are printed with the results.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
# shellcheck source=scripts/test-servers.sh
source "$repo/scripts/test-servers.sh"
trap tw_stop_servers EXIT
# The servers' own defaults: durability on, default buffer pools (PostgreSQL shared_buffers
# 128 MB, MariaDB innodb_buffer_pool_size 128 MB, smaller than the tables measured). A figure
# met only on a tuned server is not met, so the tests' tuned settings are never used here.
export TW_SERVER_SETTINGS=default
tw_start_postgres
tw_start_mariadb
swift build -c release --product taskwarden >&2
swift build -c release --product taskwarden-bench >&2
mkdir -p docs/benchmarks
layouts="chronological scattered"
output=yes
for argument in "$@"; do
    [[ $argument == --output ]] && output=""
    [[ $argument == --layout ]] && layouts=given
done
for layout in $layouts; do
    layout_arguments=()
    [[ $layout != given ]] && layout_arguments=(--layout "$layout")
    name=${layout/given/latest}
    "$repo/.build/release/taskwarden-bench" --taskwarden "$repo/.build/release/taskwarden" \
        ${output:+--output "docs/benchmarks/purge-$name.json"} "${layout_arguments[@]}" "$@"
done
