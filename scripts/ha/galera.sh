#!/usr/bin/env bash
# A throw-away three-node MariaDB Galera cluster on loopback:  scripts/ha/galera.sh CMD...
#
# Starts three mariadbd with wsrep on (galera-4's libgalera_smm.so), each in its own data
# directory under one temp dir, on free 127.0.0.1 ports (client, gcomm, IST, SST each): node 1
# from a fresh mariadb-install-db with --wsrep-new-cluster, nodes 2 and 3 from empty data
# directories by rsync SST. Then it runs CMD with these variables exported, and always tears
# the cluster down again (EXIT, INT, TERM), returning CMD's status:
#
#   TASKWARDEN_TEST_GALERA_URL_1..3       mysql://taskwarden:...@127.0.0.1:PORT/taskwarden_test
#   TASKWARDEN_TEST_GALERA_NODE_COMMAND   "bash .../galera-node.sh DIR"; append `kill N`,
#                                         `restart N` (waits for Synced) or `status N`
#   TASKWARDEN_TEST_GALERA_MAX_WS_ROWS    the cluster's wsrep_max_ws_rows (small on purpose)
#
# wsrep_max_ws_rows is small (TW_GALERA_MAX_WS_ROWS, default 1000) so that the tests prove
# TaskWarden's batches stay under Galera's write-set limits. Failure detection is shortened
# (evs.suspect_timeout 2 s) so that a killed node leaves the cluster within a few seconds.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# shellcheck source=scripts/test-servers.sh
source "$repo/scripts/test-servers.sh"

provider=${TW_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
[[ -f $provider ]] || { echo "galera.sh: $provider not found; install the 'galera-4' package" >&2; exit 1; }
command -v rsync >/dev/null || { echo "galera.sh: rsync not found (the SST method); install 'rsync'" >&2; exit 1; }
installdb=$(_tw_find_cmd mariadb-install-db mysql_install_db) &&
    _tw_find_cmd mariadbd >/dev/null && _tw_find_cmd mariadb >/dev/null ||
    { echo "galera.sh: MariaDB binaries not found; install 'mariadb-server'" >&2; exit 1; }
max_ws_rows=${TW_GALERA_MAX_WS_ROWS:-1000}

cluster= watchdog= child=
node_script=$repo/scripts/ha/galera-node.sh
# The command runs as a background job in its own process group while this script waits, so
# INT/TERM are handled at once (bash runs traps only after a foreground child ends): the job
# gets SIGINT (SwiftPM stops its test runner cleanly on it), then the cluster is torn down.
stop_child() {
    [[ -n $child ]] && kill -0 "$child" 2>/dev/null || return 0
    local signal i
    # (INT first; TERM for a command that ignores INT, as jobs a non-interactive shell put in
    # the background inherit; then KILL)
    for signal in INT TERM; do
        kill -"$signal" -- "-$child" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            kill -0 "$child" 2>/dev/null || return 0
            sleep 0.2
        done
    done
    kill -KILL -- "-$child" 2>/dev/null || true
}
cleanup() {
    trap '' INT TERM
    [[ -n $cluster ]] || return 0
    _tw_kill_watchdog "$watchdog"
    local n stops=()
    for n in 1 2 3; do
        bash "$node_script" "$cluster" stop "$n" 2>/dev/null &
        stops+=($!)
    done
    wait "${stops[@]}" # (not a bare wait: the watchdog is a child too)
    rm -rf -- "$cluster"
    echo "galera.sh: cluster stopped" >&2
}
trap cleanup EXIT
trap 'trap "" INT TERM; stop_child; exit 130' INT
trap 'trap "" INT TERM; stop_child; exit 143' TERM

started=$(date +%s)
_tw_mktemp cluster taskwarden-galera
# The nodes run as `mysql`, not root: the SST script's rsync daemon, started by a root
# mariadbd, would switch to `nobody` and be refused the joiner's data directory.
run_user=${TW_GALERA_USER:-mysql}
if [[ $(id -u) -ne 0 ]]; then run_user=$(id -un); fi

# Twelve distinct free ports: client, gcomm, IST and SST for each node.
ports=()
while ((${#ports[@]} < 12)); do
    port=$(_tw_free_port)
    [[ " ${ports[*]} " == *" $port "* ]] || ports+=("$port")
done
gcomm=()
for n in 1 2 3; do gcomm+=("127.0.0.1:${ports[(n - 1) * 4 + 1]}"); done
address=$(IFS=,; echo "gcomm://${gcomm[*]}")

for n in 1 2 3; do
    ndir=$cluster/node$n
    mkdir -p "$ndir/data" "$ndir/tmp"
    client=${ports[(n - 1) * 4]} group=${ports[(n - 1) * 4 + 1]}
    ist=${ports[(n - 1) * 4 + 2]} sst=${ports[(n - 1) * 4 + 3]}
    cat >"$ndir/my.cnf" <<EOF
[mysqld]
user=$run_user
datadir=$ndir/data
socket=$ndir/mariadb.sock
port=$client
bind-address=127.0.0.1
skip-name-resolve
pid-file=$ndir/mariadbd.pid
log-error=$ndir/mariadbd.err
tmpdir=$ndir/tmp
innodb-flush-log-at-trx-commit=2
innodb-buffer-pool-size=64M
innodb-log-file-size=16M
max-connections=300
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=$provider
wsrep_cluster_name=taskwarden_test
wsrep_cluster_address=$address
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$group
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$group;ist.recv_addr=127.0.0.1:$ist;gcache.size=64M;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S;evs.inactive_check_period=PT0.5S;evs.keepalive_period=PT0.5S;evs.install_timeout=PT4S;evs.join_retrans_period=PT0.5S"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$sst
wsrep_max_ws_rows=$max_ws_rows
EOF
    printf 'mysql://%s:%s@127.0.0.1:%s/%s\n' "$TW_TEST_USER" "$TW_TEST_PASSWORD" "$client" "$TW_TEST_DATABASE" >"$ndir/url"
done

[[ $(id -u) -ne 0 ]] || chown -R "$run_user:" "$cluster"

# Only node 1 is initialized; the others receive its data by SST.
if ! "$installdb" --no-defaults --datadir="$cluster/node1/data" --user="$run_user" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    >"$cluster/install-db.log" 2>&1 </dev/null; then
    echo "galera.sh: mariadb-install-db failed" >&2
    tail -n 20 "$cluster/install-db.log" >&2
    exit 1
fi

# A SIGKILLed caller runs no trap: a watchdog stops the nodes once this shell is gone.
# shellcheck disable=SC2016  # expanded by the watchdog's bash
owner=$BASHPID
watchdog=$(_tw_spawn_watchdog "$owner" "$cluster" bash -c \
    'for n in 1 2 3; do bash "$0" "$1" kill "$n"; done' "$node_script" "$cluster")

bash "$node_script" "$cluster" start 1 --new-cluster
mariadb --no-defaults --socket="$cluster/node1/mariadb.sock" -uroot <<EOF
CREATE DATABASE IF NOT EXISTS \`$TW_TEST_DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER '$TW_TEST_USER'@'127.0.0.1' IDENTIFIED BY '$TW_TEST_PASSWORD';
CREATE USER '$TW_TEST_USER'@'localhost' IDENTIFIED BY '$TW_TEST_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$TW_TEST_USER'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$TW_TEST_USER'@'localhost' WITH GRANT OPTION;
EOF
# One joiner at a time: node 1 can be the rsync donor of one node at once.
bash "$node_script" "$cluster" start 2
bash "$node_script" "$cluster" start 3
size=$(mariadb --no-defaults --socket="$cluster/node1/mariadb.sock" -uroot -N -B \
    -e "SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'" | awk '{print $2}')
[[ $size == 3 ]] || { echo "galera.sh: cluster size $size, not 3" >&2; exit 1; }
echo "galera.sh: 3-node Galera cluster ($(mariadb --no-defaults --socket="$cluster/node1/mariadb.sock" -uroot -N -B -e 'SELECT VERSION()')) in $cluster ready in $(($(date +%s) - started)) s" >&2

for n in 1 2 3; do
    export "TASKWARDEN_TEST_GALERA_URL_$n=$(cat "$cluster/node$n/url")"
    echo "galera.sh: node $n: $(tw_redact_url "$(cat "$cluster/node$n/url")")" >&2
done
export TASKWARDEN_TEST_GALERA_NODE_COMMAND="bash $node_script $cluster"
export TASKWARDEN_TEST_GALERA_MAX_WS_ROWS=$max_ws_rows

status=0
set -m
"$@" </dev/null &
child=$!
set +m
wait "$child" || status=$?
child=
exit "$status"
