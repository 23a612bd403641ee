#!/usr/bin/env bash
# A PostgreSQL primary with one synchronous streaming standby on free loopback ports, and a
# scripted failover:  scripts/ha/pg-failover.sh COMMAND...
#
# Exports for COMMAND:
#   TASKWARDEN_TEST_PG_FAILOVER_URL      both servers, postgres://u:p@127.0.0.1:P1,127.0.0.1:P2/db
#                                        ?target_session_attrs=read-write (libpq finds the primary)
#   TASKWARDEN_TEST_PG_FAILOVER_COMMAND  a command that fails over: stops the primary at once
#                                        (pg_ctl stop -m immediate, a crash), promotes the standby,
#                                        then makes the old primary's node a new synchronous
#                                        standby of the new primary (pg_basebackup), so that the
#                                        next failover finds the same two-server topology. It
#                                        prints what it did with timings, one line per step.
#
# Replication is synchronous (synchronous_commit = remote_apply, the standby named in
# synchronous_standby_names): a commit is acknowledged once the standby has applied it, so a
# failover loses no acknowledged commit (whatever the tests count as lost is TaskWarden's
# doing), and a database just created is already on the standby (libpq does not try the next
# host when one answers "database does not exist").
# Everything is torn down when COMMAND ends, and its status returned.
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
node_a=$TW_PG_DIR
port_a=$(tw_ha_pg_port)

_tw_mktemp TW_PG_STANDBY_DIR taskwarden-pg-standby
node_b=$TW_PG_STANDBY_DIR
tw_ha_on_stop 'tw_ha_stop_node_b'
tw_ha_stop_node_b() {
    _tw_kill_watchdog "${TW_PG_STANDBY_WATCHDOG:-}"
    if [[ -f $node_b/data/postmaster.pid ]]; then
        _tw_pg_run /dev/null "$TW_PG_BINDIR/pg_ctl" -D "$node_b/data" -m immediate -w -t 30 -s stop || true
    fi
    rm -rf -- "$node_b"
    _tw_ha_log "second PostgreSQL node stopped"
}
# The first node's own stop (tw_stop_postgres) stops it only when it still runs.
[[ $(id -u) -eq 0 ]] && chown postgres: "$node_b"
port_b=$(_tw_free_port)

# The control script, with this topology's paths and ports written into it.
control=$node_b/failover.sh
cat >"$control" <<SCRIPT
#!/usr/bin/env bash
# Fails the PostgreSQL pair over: crash-stops the primary, promotes the standby, rebuilds the
# old primary's node as the new primary's synchronous standby. Serialized by flock.
set -euo pipefail
exec 9>"$node_b/failover.lock"
flock 9
runas=(${TW_PG_RUNAS[*]})
bindir=$TW_PG_BINDIR
state=$node_b/primary
start=\$(date +%s%N)
log() {
    local tenths=\$(((\$(date +%s%N) - start) / 100000000))
    printf 'failover: +%d.%ds %s\n' \$((tenths / 10)) \$((tenths % 10)) "\$*"
}
if [[ \$(cat "\$state") == a ]]; then
    old=$node_a old_port=$port_a new=$node_b new_port=$port_b next=b
else
    old=$node_b old_port=$port_b new=$node_a new_port=$port_a next=a
fi
sql() { "\${runas[@]}" "\$bindir/psql" -X -q -At -h "\$1" -p "\$2" -U $TW_TEST_USER -d postgres -c "\$3"; }
"\${runas[@]}" "\$bindir/pg_ctl" -D "\$old/data" -m immediate -w -t 30 -s stop
log "primary on port \$old_port stopped (immediate)"
"\${runas[@]}" "\$bindir/pg_ctl" -D "\$new/data" -w -t 60 -s promote
echo "\$next" >"\$state"
log "standby on port \$new_port promoted"
rm -rf -- "\$old/data"
"\${runas[@]}" env PGPASSWORD=$TW_TEST_PASSWORD "\$bindir/pg_basebackup" -D "\$old/data" -R -X stream --no-sync --checkpoint=fast \\
    -d "host=127.0.0.1 port=\$new_port user=$TW_TEST_USER application_name=standby" >"\$old/basebackup.log" 2>&1
sed -i '/synchronous_standby_names/d' "\$old/data/postgresql.auto.conf"
printf "port = %s\nunix_socket_directories = '%s'\n" "\$old_port" "\$old" >>"\$old/data/postgresql.conf"
# (9>&-: the server must not inherit the lock, or it would hold it for its lifetime)
"\${runas[@]}" "\$bindir/pg_ctl" -D "\$old/data" -l "\$old/postgres.log" -w -t 60 -s start 9>&-
for _ in \$(seq 300); do
    [[ \$(sql "\$new" "\$new_port" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1 ]] && break
    sleep 0.1
done
sql "\$new" "\$new_port" "ALTER SYSTEM SET synchronous_standby_names = 'standby'"
sql "\$new" "\$new_port" "SELECT pg_reload_conf()" >/dev/null
log "port \$old_port rebuilt as the synchronous standby of port \$new_port"
SCRIPT
chmod 755 "$control"
echo a >"$node_b/primary"

# Synchronous replication on the first node (the primary), then its copy as the standby.
cat >>"$node_a/data/postgresql.conf" <<EOF2
synchronous_commit = remote_apply
wal_level = replica
max_wal_senders = 10
EOF2
_tw_pg_run "$node_a/restart.log" "$TW_PG_BINDIR/pg_ctl" -D "$node_a/data" -l "$node_a/postgres.log" -w -t 60 -s restart
_tw_pg_run "$node_b/basebackup.log" env PGPASSWORD="$TW_TEST_PASSWORD" "$TW_PG_BINDIR/pg_basebackup" -D "$node_b/data" -R -X stream --no-sync \
    -d "host=127.0.0.1 port=$port_a user=$TW_TEST_USER application_name=standby"
printf "port = %s\nunix_socket_directories = '%s'\n" "$port_b" "$node_b" >>"$node_b/data/postgresql.conf"
if ! _tw_pg_run "$node_b/pg_ctl.log" "$TW_PG_BINDIR/pg_ctl" -D "$node_b/data" -l "$node_b/postgres.log" -w -t 60 -s start; then
    _tw_tail_log "$node_b/postgres.log"
    exit 1
fi
owner=$BASHPID # expanded here, not inside $(...)
TW_PG_STANDBY_WATCHDOG=$(_tw_spawn_watchdog "$owner" "$node_b" \
    "${TW_PG_RUNAS[@]}" "$TW_PG_BINDIR/pg_ctl" -D "$node_b/data" -m immediate -w -t 30 stop)
streaming() {
    [[ $(_tw_pg_run /dev/stdout "$TW_PG_BINDIR/psql" -X -q -At -h "$node_a" -p "$port_a" -U "$TW_TEST_USER" -d postgres \
        -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1 ]]
}
tw_ha_wait_for 60 "the standby to stream" streaming
_tw_pg_run /dev/null "$TW_PG_BINDIR/psql" -X -q -h "$node_a" -p "$port_a" -U "$TW_TEST_USER" -d postgres \
    -c "ALTER SYSTEM SET synchronous_standby_names = 'standby'" -c "SELECT pg_reload_conf()"

export TASKWARDEN_TEST_PG_FAILOVER_URL="postgres://$TW_TEST_USER:$TW_TEST_PASSWORD@127.0.0.1:$port_a,127.0.0.1:$port_b/$TW_TEST_DATABASE?target_session_attrs=read-write"
export TASKWARDEN_TEST_PG_FAILOVER_COMMAND=$control
_tw_ha_log "PostgreSQL primary on 127.0.0.1:$port_a, synchronous standby on 127.0.0.1:$port_b; failover: $control"

tw_ha_run_and_stop "$@"
