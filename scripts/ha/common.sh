#!/usr/bin/env bash
# shellcheck shell=bash
#
# What the topology scripts of scripts/ha/ share. Sourced after scripts/test-servers.sh.
#
#     source scripts/ha/common.sh
#     tw_ha_run_and_stop "$@"     # runs the command, then tw_ha_stop (also on INT/TERM)
#
# Each topology script registers its own stop steps with tw_ha_on_stop; they run in reverse
# order, once, whatever way the script ends.

TW_HA_STOP_STEPS=()
TW_HA_STARTED=$(date +%s)

_tw_ha_log() { printf 'ha: %s\n' "$*" >&2; }

# tw_ha_on_stop COMMAND...: run COMMAND (a string for eval) when the topology is torn down.
tw_ha_on_stop() { TW_HA_STOP_STEPS+=("$*"); }

# Tears down everything registered, newest first. Idempotent; never fails.
tw_ha_stop() {
    trap '' INT TERM
    local i started
    started=$(date +%s)
    for ((i = ${#TW_HA_STOP_STEPS[@]} - 1; i >= 0; i--)); do
        eval "${TW_HA_STOP_STEPS[$i]}" || true
    done
    TW_HA_STOP_STEPS=()
    tw_stop_servers || true
    _tw_ha_log "topology stopped in $(($(date +%s) - started)) s"
    trap - INT TERM
}

# Runs "$@" with the topology up and returns its status; tears down on every exit path.
tw_ha_run_and_stop() {
    _tw_ha_log "topology ready in $(($(date +%s) - TW_HA_STARTED)) s; running: $*"
    local status=0
    "$@" || status=$?
    return "$status"
}

# tw_ha_wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.2 s until it succeeds.
tw_ha_wait_for() {
    local seconds=$1 what=$2 deadline
    shift 2
    deadline=$(($(date +%s) + seconds))
    until "$@" >/dev/null 2>&1; do
        if (($(date +%s) > deadline)); then
            _tw_ha_log "timed out after ${seconds}s waiting for $what"
            return 1
        fi
        sleep 0.2
    done
}

# The test PostgreSQL's port (from TASKWARDEN_TEST_POSTGRES_URL).
tw_ha_pg_port() {
    local url=${TASKWARDEN_TEST_POSTGRES_URL:?}
    url=${url##*@127.0.0.1:}
    printf '%s\n' "${url%%/*}"
}
