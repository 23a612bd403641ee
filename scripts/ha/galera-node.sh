#!/usr/bin/env bash
# One node of the throw-away Galera cluster that scripts/ha/galera.sh starts:
#
#     bash scripts/ha/galera-node.sh CLUSTER_DIR start N [--new-cluster]
#     bash scripts/ha/galera-node.sh CLUSTER_DIR kill N      # SIGKILL, as a crash
#     bash scripts/ha/galera-node.sh CLUSTER_DIR stop N      # clean shutdown
#     bash scripts/ha/galera-node.sh CLUSTER_DIR restart N   # start after a kill, wait for Synced
#     bash scripts/ha/galera-node.sh CLUSTER_DIR status N    # prints wsrep_local_state_comment
#
# CLUSTER_DIR/nodeN/my.cnf (written by galera.sh) holds everything the node needs, so that
# the SST script (wsrep_sst_rsync), which mariadbd runs with --defaults-file, reads the same
# settings and never /etc/mysql. `start` returns once the node is Synced (limit 90 s).
set -euo pipefail

dir=$1 action=$2 node=$3
shift 3
ndir=$dir/node$node
[[ -f $ndir/my.cnf ]] || { echo "galera-node: no node $node in $dir" >&2; exit 2; }

log() { printf 'galera-node %s: %s\n' "$node" "$*" >&2; }

client() {
    mariadb --no-defaults --socket="$ndir/mariadb.sock" -uroot --connect-timeout=2 -N -B "$@"
}

state() {
    client -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | awk '{print $2}'
}

wait_synced() {
    local deadline=$(($(date +%s) + ${1:-90})) pid
    until [[ $(state) == Synced ]]; do
        pid=$(cat "$ndir/launcher.pid" 2>/dev/null || true)
        if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
            log "mariadbd exited during startup"
            tail -n 30 "$ndir/mariadbd.err" | sed 's/^/galera-node:   /' >&2
            return 1
        fi
        if (($(date +%s) > deadline)); then
            log "not Synced within ${1:-90} s (state: $(state || true))"
            tail -n 30 "$ndir/mariadbd.err" | sed 's/^/galera-node:   /' >&2
            return 1
        fi
        sleep 0.2
    done
}

start() {
    local extra=()
    [[ ${1:-} == --new-cluster ]] && extra=(--wsrep-new-cluster)
    # stdout/stderr to a file and every other descriptor closed, so the server never holds a
    # caller's pipes open (Foundation's Process watches its child through one: a test calling
    # this script would otherwise wait for mariadbd to exit).
    (
        for fd in /proc/$BASHPID/fd/*; do
            fd=${fd##*/}
            ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
        done
        exec setsid mariadbd --defaults-file="$ndir/my.cnf" "${extra[@]}" >"$ndir/mariadbd.out" 2>&1 </dev/null
    ) &
    echo $! >"$ndir/launcher.pid"
    wait_synced 90
}

kill_node() {
    local pid
    pid=$(cat "$ndir/launcher.pid" 2>/dev/null || true)
    [[ -n $pid ]] || return 0
    kill -KILL "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    rm -f "$ndir/launcher.pid"
}

stop_node() {
    local pid
    pid=$(cat "$ndir/launcher.pid" 2>/dev/null || true)
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 150; i++)); do # up to 30 s
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$ndir/launcher.pid"
}

case $action in
start) start "$@" ;;
kill) kill_node ;;
stop) stop_node ;;
restart)
    kill_node
    # A node killed mid-write has seqno -1 in grastate.dat: it rejoins by state transfer.
    start
    ;;
status) state ;;
*)
    echo "galera-node: unknown action '$action' (start, kill, stop, restart, status)" >&2
    exit 2
    ;;
esac
