#!/usr/bin/env bash
# TaskWarden test command:  scripts/test.sh [swift test arguments, e.g. --filter Foo]
#
# Starts throw-away PostgreSQL and MariaDB servers (unless TASKWARDEN_TEST_POSTGRES_URL /
# TASKWARDEN_TEST_MYSQL_URL are already set, e.g. for docker-compose.yml), builds with
# `swift build --build-tests` (failing on any compiler warning in Sources/ or Tests/),
# runs `swift test "$@"` (all but TaskWardenHATests, which scripts/test-ha.sh runs), exits with its status and always stops the servers again.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"

# shellcheck source=scripts/test-servers.sh
source "$repo/scripts/test-servers.sh"

build_log=
# shellcheck disable=SC2317  # invoked from traps
cleanup() {
    trap '' INT TERM
    [[ -z $build_log ]] || rm -f "$build_log"
    tw_stop_servers
}
trap cleanup EXIT

# swift build / swift test run as background jobs in their own process group (set -m,
# so SIGINT is not ignored) while this script waits, so INT/TERM are handled at once:
# SIGINT is forwarded to the job (SwiftPM stops its *.xctest runner cleanly on SIGINT;
# on SIGTERM it would orphan it), then the EXIT trap stops the servers.
job_pid=
# shellcheck disable=SC2317  # invoked from traps
interrupted() {
    trap '' INT TERM
    if [[ -n $job_pid ]] && kill -0 "$job_pid" 2>/dev/null; then
        echo "test.sh: interrupted, stopping $job_name" >&2
        kill -INT -- "-$job_pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 100; i++)); do
            kill -0 "$job_pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL -- "-$job_pid" 2>/dev/null || true
        wait "$job_pid" 2>/dev/null || true
    fi
    exit "$1"
}
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

run_job() {
    job_name=$1
    shift
    set -m
    "$@" </dev/null &
    job_pid=$!
    set +m
    local status=0
    wait "$job_pid" || status=$?
    job_pid=
    return "$status"
}

# Tests assert behaviour, not speed: durability off makes them several times faster. Only
# here; the benchmarks get the servers' defaults (scripts/test-servers.sh).
export TW_SERVER_SETTINGS=${TW_SERVER_SETTINGS:-fast}
tw_start_postgres
tw_start_mariadb
tw_start_mariadb_tls
echo "TASKWARDEN_TEST_POSTGRES_URL=$(tw_redact_url "$TASKWARDEN_TEST_POSTGRES_URL")"
echo "TASKWARDEN_TEST_MYSQL_URL=$(tw_redact_url "$TASKWARDEN_TEST_MYSQL_URL")"
echo "TASKWARDEN_TEST_MYSQL_TLS_URL=$(tw_redact_url "$TASKWARDEN_TEST_MYSQL_TLS_URL")"

# Celery and django-celery-results from PyPI, for the preset tests (TaskWardenTestSupport's
# CeleryHarness); made once in .build-venv/.
if [[ -z ${TASKWARDEN_TEST_CELERY_PYTHON:-} ]]; then
    TASKWARDEN_TEST_CELERY_PYTHON=$(bash "$repo/scripts/celery/venv.sh")
    export TASKWARDEN_TEST_CELERY_PYTHON
fi
echo "TASKWARDEN_TEST_CELERY_PYTHON=$TASKWARDEN_TEST_CELERY_PYTHON"
# Celery 5.6 (its result column a PickleType), for the celery_taskmeta preset's pickles.
if [[ -z ${TASKWARDEN_TEST_CELERY56_PYTHON:-} ]]; then
    TASKWARDEN_TEST_CELERY56_PYTHON=$(bash "$repo/scripts/celery/venv.sh" celery56)
    export TASKWARDEN_TEST_CELERY56_PYTHON
fi
echo "TASKWARDEN_TEST_CELERY56_PYTHON=$TASKWARDEN_TEST_CELERY56_PYTHON"

# kubernetes-validate from PyPI, for the deploy recipes' test (DeployRecipeTests).
if [[ -z ${TASKWARDEN_TEST_KUBERNETES_VALIDATE:-} ]]; then
    TASKWARDEN_TEST_KUBERNETES_VALIDATE=$(bash "$repo/scripts/deploy/venv.sh")
    export TASKWARDEN_TEST_KUBERNETES_VALIDATE
fi
echo "TASKWARDEN_TEST_KUBERNETES_VALIDATE=$TASKWARDEN_TEST_KUBERNETES_VALIDATE"

build_log=$(mktemp "${TMPDIR:-/tmp}/taskwarden-build.XXXXXX")
# shellcheck disable=SC2016  # expanded by the inner bash
run_job "swift build" bash -c 'set -o pipefail; swift build --build-tests 2>&1 | tee "$0"' "$build_log"

# Warnings in our own code (dependencies under .build/ are ignored). Only files compiled
# by this build are seen, so an up-to-date incremental build cannot report old warnings;
# CI builds from a clean clone.
warnings=$(grep -F 'warning:' "$build_log" |
    grep -F -e "$repo/Sources/" -e "$repo/Tests/" -e "$PWD/Sources/" -e "$PWD/Tests/" |
    sort -u || true)
if [[ -n $warnings ]]; then
    echo "error: swift build reported warnings in Sources/ or Tests/:" >&2
    printf '%s\n' "$warnings" >&2
    exit 1
fi

status=0
# TaskWardenHATests need topologies of several servers: scripts/test-ha.sh runs them.
run_job "swift test" swift test --skip TaskWardenHATests "$@" || status=$?
exit "$status"
