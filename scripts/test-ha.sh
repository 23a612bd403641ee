#!/usr/bin/env bash
# TaskWarden's tests beyond one database server:  scripts/test-ha.sh [topology...]
#
# Each topology is a script scripts/ha/<topology>.sh that starts it on free loopback ports,
# exports its URLs and control commands, runs the command it is given (here its test suite in
# TaskWardenHATests) and always tears the topology down again. `.ci/run` calls this after the
# main suite (scripts/test.sh), which has built the tests already.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"

# topology name -> the suites of TaskWardenHATests it runs (a swift test --filter regex)
declare -A suites=()
suites[pgbouncer]="PgBouncerTests"
suites[pg-failover]="PostgresFailoverTests"
suites[galera]="GaleraTests"

if (($# > 0)); then topologies=("$@"); else topologies=("${!suites[@]}"); fi
((${#topologies[@]} > 0)) || { echo "test-ha.sh: no topologies defined yet" >&2; exit 0; }

swift build --build-tests
status=0
for topology in "${topologies[@]}"; do
    [[ -n ${suites[$topology]:-} ]] || { echo "test-ha.sh: unknown topology '$topology' (known: ${!suites[*]})" >&2; exit 2; }
    echo "test-ha.sh: topology $topology" >&2
    started=$(date +%s)
    bash "$repo/scripts/ha/$topology.sh" swift test --skip-build --filter "TaskWardenHATests\\.(${suites[$topology]})" || status=$?
    echo "test-ha.sh: topology $topology finished (status $status) in $(($(date +%s) - started)) s" >&2
done
exit "$status"
