#!/usr/bin/env bash
# PgBouncer in transaction pooling mode in front of a throw-away PostgreSQL, on free loopback
# ports:  scripts/ha/pgbouncer.sh COMMAND...
#
# Exports for COMMAND:
#   TASKWARDEN_TEST_POSTGRES_URL    the PostgreSQL itself (to create databases, check results)
#   TASKWARDEN_TEST_PGBOUNCER_URL   the same database through PgBouncer (pool_mode = transaction;
#                                   any database name is forwarded to the server)
# and tears everything down when COMMAND ends, returning its status.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=scripts/test-servers.sh
source "$repo/scripts/test-servers.sh"
# shellcheck source=scripts/ha/common.sh
source "$repo/scripts/ha/common.sh"
trap tw_ha_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export TW_SERVER_SETTINGS=${TW_SERVER_SETTINGS:-fast}
unset TASKWARDEN_TEST_POSTGRES_URL
tw_start_postgres

pgbouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[[ -x $pgbouncer ]] || { _tw_ha_log "pgbouncer not found; install the 'pgbouncer' package"; exit 1; }

_tw_mktemp TW_PGBOUNCER_DIR taskwarden-pgbouncer
dir=$TW_PGBOUNCER_DIR
tw_ha_on_stop 'tw_ha_stop_pgbouncer'
tw_ha_stop_pgbouncer() {
    if [[ -f $dir/pgbouncer.pid ]]; then
        local pid
        pid=$(cat "$dir/pgbouncer.pid" 2>/dev/null || true)
        if [[ $pid =~ ^[0-9]+$ ]]; then
            kill -INT "$pid" 2>/dev/null || true # immediate shutdown
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -rf -- "$dir"
    _tw_ha_log "PgBouncer stopped"
}

port=$(_tw_free_port)
printf '"%s" "%s"\n' "$TW_TEST_USER" "$TW_TEST_PASSWORD" >"$dir/userlist.txt"
cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$(tw_ha_pg_port)

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $dir
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
admin_users = $TW_TEST_USER
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
max_db_connections = 60
server_tls_sslmode = disable
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
chmod 600 "$dir/userlist.txt"
if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$dir"; fi

# PgBouncer refuses to run as root: as the PostgreSQL owner, like the server.
(cd "$dir" && exec "${TW_PG_RUNAS[@]}" "$pgbouncer" -d "$dir/pgbouncer.ini" >"$dir/start.log" 2>&1)
url="postgres://$TW_TEST_USER:$TW_TEST_PASSWORD@127.0.0.1:$port/$TW_TEST_DATABASE"
if ! tw_ha_wait_for 30 "PgBouncer on 127.0.0.1:$port" \
    env PGPASSWORD="$TW_TEST_PASSWORD" "$TW_PG_BINDIR/psql" -X -q -h 127.0.0.1 -p "$port" -U "$TW_TEST_USER" -d "$TW_TEST_DATABASE" -c 'SELECT 1'; then
    _tw_tail_log "$dir/start.log"
    _tw_tail_log "$dir/pgbouncer.log"
    exit 1
fi
# If this script is killed with SIGKILL (no trap runs), the watchdog stops PgBouncer.
owner=$BASHPID # expanded here, not inside $(...)
# shellcheck disable=SC2016  # expanded by the watchdog's bash
TW_PGBOUNCER_WATCHDOG=$(_tw_spawn_watchdog "$owner" "$dir" bash -c 'kill -INT "$(cat "$0")"' "$dir/pgbouncer.pid")
tw_ha_on_stop '_tw_kill_watchdog "$TW_PGBOUNCER_WATCHDOG"'
export TASKWARDEN_TEST_PGBOUNCER_URL=$url
_tw_ha_log "$("$pgbouncer" --version | head -n 1) (pool_mode = transaction) on 127.0.0.1:$port in front of $(tw_redact_url "$TASKWARDEN_TEST_POSTGRES_URL")"

tw_ha_run_and_stop "$@"
