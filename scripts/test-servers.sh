#!/usr/bin/env bash
# shellcheck shell=bash
#
# Throw-away PostgreSQL and MariaDB servers for TaskWarden's tests and benchmarks.
#
# Meant to be sourced:
#
#     source scripts/test-servers.sh
#     trap tw_stop_servers EXIT
#     tw_start_postgres      # exports TASKWARDEN_TEST_POSTGRES_URL
#     tw_start_mariadb       # exports TASKWARDEN_TEST_MYSQL_URL
#
# If TASKWARDEN_TEST_POSTGRES_URL / TASKWARDEN_TEST_MYSQL_URL are already set
# (e.g. pointing at the docker-compose services) nothing is started for that
# database. Each server gets a fresh temp dir under ${TMPDIR:-/tmp}, listens on
# a free 127.0.0.1 port only, and is removed again by tw_stop_servers.
#
# Credentials: user taskwarden, password tw-test-pw, database taskwarden_test.
#
# TW_SERVER_SETTINGS chooses how the servers are configured:
#   default  (the default) each server's own defaults (durability on, default buffer pools),
#            as users run them: what the benchmarks use, so that their figures hold on real
#            servers; taskwarden-bench refuses any other.
#   fast     durability off: PostgreSQL fsync, synchronous_commit and full_page_writes off;
#            MariaDB innodb_flush_log_at_trx_commit=2. Only scripts/test.sh asks for it: tests
#            assert behaviour, not speed, and run several times faster so.
# TW_MARIADB_BUFFER_POOL overrides MariaDB's InnoDB buffer pool either way (default 128M).
#
# Functions return non-zero (never exit) on failure, so callers using
# `set -e` abort and their trap cleans up.

TW_TEST_USER=taskwarden
TW_TEST_PASSWORD=tw-test-pw
TW_TEST_DATABASE=taskwarden_test

# State of what this library started (empty = nothing running).
TW_PG_DIR=${TW_PG_DIR:-}
TW_PG_BINDIR=${TW_PG_BINDIR:-}
TW_PG_RUNAS=()
TW_MARIADB_DIR=${TW_MARIADB_DIR:-}
TW_MARIADB_PID=${TW_MARIADB_PID:-}
TW_MARIADB_EXTRA_ARGS=()
# The second, TLS-enabled MariaDB (tw_start_mariadb_tls): its state while the first's is live.
TW_MARIADB_TLS_STATE=()

_tw_log() { printf 'test-servers: %s\n' "$*" >&2; }

_tw_now() { date +%s; }

# Print a free TCP port on 127.0.0.1.
_tw_free_port() {
    local port
    if command -v python3 >/dev/null 2>&1 &&
        port=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' 2>/dev/null) && [[ $port =~ ^[0-9]+$ ]]; then
        printf '%s\n' "$port"
        return 0
    fi
    # Fallback: random high port nobody answers on.
    local i
    for ((i = 0; i < 200; i++)); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    _tw_log "could not find a free TCP port on 127.0.0.1"
    return 1
}

# Create a fresh private temp dir for a server and store its path in the global
# variable named $1 (set *before* the dir exists, so a signal arriving in between
# cannot leak it; mkdir fails rather than reuse an existing path, like mktemp -d).
# Unix socket paths must stay short (<108 bytes), hence the length check.
_tw_mktemp() {
    local var=$1 prefix=$2 base=${TMPDIR:-/tmp} i
    if ((${#base} > 60)); then
        _tw_log "TMPDIR '$base' is too long for unix socket paths, using /tmp"
        base=/tmp
    fi
    for ((i = 0; i < 100; i++)); do
        printf -v "$var" '%s/%s.%s' "${base%/}" "$prefix" \
            "$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 8)"
        if mkdir -m 700 -- "${!var}" 2>/dev/null; then
            return 0
        fi
        printf -v "$var" '%s' ""
        [[ -d $base && -w $base ]] || break
    done
    _tw_log "could not create a temp dir in $base"
    return 1
}

_tw_tail_log() {
    local file=$1
    if [[ -f $file ]]; then
        _tw_log "---- last lines of $file ----"
        tail -n 40 "$file" | sed 's/^/test-servers:   /' >&2
        _tw_log "---- end of $file ----"
    else
        _tw_log "(no log file $file)"
    fi
}

# Safety net for callers killed with SIGKILL (no trap runs): a detached watchdog
# polls the owning shell and, once it is gone while the server's temp dir still
# exists, runs the given stop command and removes the dir. It exits by itself as
# soon as tw_stop_* removed the dir (and is also killed there). Prints its pid.
_tw_spawn_watchdog() {
    local owner=$1 dir=$2
    shift 2
    # shellcheck disable=SC2016  # expanded by the watchdog's bash
    local script='owner=$1 dir=$2; shift 2; cd / || exit 1
while kill -0 "$owner" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done
[ -d "$dir" ] || exit 0
"$@" >/dev/null 2>&1
rm -rf -- "$dir"'
    local launcher=()
    command -v setsid >/dev/null 2>&1 && launcher=(setsid)
    "${launcher[@]}" bash -c "$script" tw-watchdog "$owner" "$dir" "$@" \
        </dev/null >/dev/null 2>&1 &
    printf '%s\n' "$!"
}

_tw_kill_watchdog() {
    [[ -n ${1:-} ]] && kill "$1" 2>/dev/null
    return 0
}

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------

_tw_pg_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1 && dir=$(pg_config --bindir 2>/dev/null) &&
        [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then
        printf '%s\n' "$dir"
        return 0
    fi
    # Debian/Ubuntu layout: newest /usr/lib/postgresql/<major>/bin with a server.
    dir=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
        sed 's#/initdb$##' | sort -t/ -k5,5n | tail -n 1)
    if [[ -n $dir && -x $dir/pg_ctl ]]; then
        printf '%s\n' "$dir"
        return 0
    fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    _tw_log "PostgreSQL server binaries (initdb, pg_ctl) not found; install the 'postgresql' package"
    return 1
}

# _tw_pg_run LOGFILE CMD...: run CMD as the unprivileged PostgreSQL owner with cwd =
# the temp dir and output to LOGFILE. (The redirection happens inside the subshell:
# redirecting a function call would also redirect a signal trap firing meanwhile.)
_tw_pg_run() {
    local logfile=$1
    shift
    (cd "$TW_PG_DIR" && exec "${TW_PG_RUNAS[@]}" "$@" >"$logfile" 2>&1)
}

# The durability lines of postgresql.conf for TW_SERVER_SETTINGS (none for "default").
_tw_pg_durability() {
    case ${TW_SERVER_SETTINGS:-default} in
    fast) printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' ;;
    *) printf '# durability and buffers: PostgreSQL defaults\n' ;;
    esac
}

# The durability options of mariadbd for TW_SERVER_SETTINGS (none for "default").
_tw_mariadb_durability() {
    case ${TW_SERVER_SETTINGS:-default} in
    fast) printf '%s\n' --innodb-flush-log-at-trx-commit=2 ;;
    *) ;;
    esac
}

tw_start_postgres() {
    if [[ -n ${TASKWARDEN_TEST_POSTGRES_URL:-} ]]; then
        _tw_log "TASKWARDEN_TEST_POSTGRES_URL is set; not starting PostgreSQL"
        return 0
    fi
    if [[ -n $TW_PG_DIR ]]; then
        _tw_log "PostgreSQL already started in $TW_PG_DIR"
        return 0
    fi
    local bindir port dir data log start
    start=$(_tw_now)
    bindir=$(_tw_pg_bindir) || return 1

    TW_PG_RUNAS=()
    if [[ $(id -u) -eq 0 ]]; then
        # PostgreSQL refuses to run as root.
        if ! id -u postgres >/dev/null 2>&1; then
            _tw_log "creating system user 'postgres'"
            useradd --system --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin postgres || {
                _tw_log "useradd postgres failed"
                return 1
            }
        fi
        TW_PG_RUNAS=(runuser -u postgres --)
    fi

    _tw_mktemp TW_PG_DIR taskwarden-pg || return 1
    dir=$TW_PG_DIR
    TW_PG_BINDIR=$bindir
    data=$dir/data
    log=$dir/postgres.log
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
        if ! runuser -u postgres -- test -w "$dir"; then
            _tw_log "user postgres cannot write to $dir (is a parent directory of TMPDIR private?)"
            tw_stop_postgres
            return 1
        fi
    fi

    local pwfile=$dir/pwfile
    printf '%s\n' "$TW_TEST_PASSWORD" >"$pwfile"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$pwfile"
    chmod 600 "$pwfile"

    if ! _tw_pg_run "$dir/initdb.log" "$bindir/initdb" -D "$data" -U "$TW_TEST_USER" \
        --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C \
        --no-sync; then
        _tw_log "initdb failed"
        _tw_tail_log "$dir/initdb.log"
        tw_stop_postgres
        return 1
    fi
    rm -f "$pwfile"

    local tls=
    if tw_make_test_certificates; then
        install -m 600 "$TASKWARDEN_TEST_TLS_DIR/server.pem" "$data/server.crt"
        install -m 600 "$TASKWARDEN_TEST_TLS_DIR/server.key" "$data/server.key"
        [[ $(id -u) -eq 0 ]] && chown postgres: "$data/server.crt" "$data/server.key"
        tls="ssl = on"
    fi

    cat >>"$data/postgresql.conf" <<EOF

# --- TaskWarden throw-away test cluster ---
$tls
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
$(_tw_pg_durability)
password_encryption = 'scram-sha-256'
log_min_messages = warning
log_connections = off
log_disconnections = off
EOF

    # The free port may be taken between picking and binding: retry on a new one.
    local attempt
    for attempt in 1 2 3; do
        port=$(_tw_free_port) || {
            tw_stop_postgres
            return 1
        }
        printf 'port = %s\n' "$port" >>"$data/postgresql.conf"
        rm -f "$log"
        if _tw_pg_run "$dir/pg_ctl.log" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 -s start; then
            break
        fi
        if ((attempt < 3)) && grep -q 'Address already in use' "$log" 2>/dev/null; then
            _tw_log "port $port was taken, retrying PostgreSQL on another port"
            continue
        fi
        _tw_log "PostgreSQL failed to start (port $port)"
        _tw_tail_log "$dir/pg_ctl.log"
        _tw_tail_log "$log"
        tw_stop_postgres
        return 1
    done

    if ! _tw_pg_run "$dir/createdb.log" "$bindir/psql" -X -q -v ON_ERROR_STOP=1 \
        -h "$dir" -p "$port" -U "$TW_TEST_USER" -d postgres \
        -c "CREATE DATABASE $TW_TEST_DATABASE ENCODING 'UTF8' TEMPLATE template0"; then
        _tw_log "creating database $TW_TEST_DATABASE failed"
        _tw_tail_log "$dir/createdb.log"
        _tw_tail_log "$log"
        tw_stop_postgres
        return 1
    fi

    local owner=$BASHPID # expanded here, not inside $(...)
    TW_PG_WATCHDOG=$(_tw_spawn_watchdog "$owner" "$dir" \
        "${TW_PG_RUNAS[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop)
    export TASKWARDEN_TEST_POSTGRES_URL="postgres://$TW_TEST_USER:$TW_TEST_PASSWORD@127.0.0.1:$port/$TW_TEST_DATABASE"
    TW_PG_STARTED_URL=1
    _tw_log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir) ready in $(($(_tw_now) - start))s"
}

tw_stop_postgres() {
    local dir=$TW_PG_DIR
    [[ -n $dir ]] || return 0
    local data=$dir/data pid=""
    _tw_kill_watchdog "${TW_PG_WATCHDOG:-}"
    TW_PG_WATCHDOG=
    if [[ -f $data/postmaster.pid ]]; then
        pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
        if ! _tw_pg_run /dev/null "$TW_PG_BINDIR/pg_ctl" -D "$data" -m fast -w -t 30 -s stop; then
            _tw_log "pg_ctl stop failed; killing postmaster ${pid:-?}"
            if [[ $pid =~ ^[0-9]+$ ]]; then
                kill -QUIT "$pid" 2>/dev/null || true
                sleep 1
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf -- "$dir" 2>/dev/null || _tw_log "could not remove $dir"
    TW_PG_DIR=
    if [[ -n ${TW_PG_STARTED_URL:-} ]]; then
        unset TASKWARDEN_TEST_POSTGRES_URL TW_PG_STARTED_URL
    fi
    _tw_log "PostgreSQL stopped"
    return 0
}

# ---------------------------------------------------------------------------
# MariaDB
# ---------------------------------------------------------------------------

_tw_find_cmd() {
    local c
    for c in "$@"; do
        if command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    for c in "$@"; do
        if [[ -x /usr/sbin/$c ]]; then
            printf '%s\n' "/usr/sbin/$c"
            return 0
        fi
    done
    return 1
}

# mariadb client as the (passwordless, socket-only) root account.
_tw_mariadb_root() {
    "$TW_MARIADB_CLIENT" --no-defaults --socket="$TW_MARIADB_DIR/mariadb.sock" -uroot "$@"
}

tw_start_mariadb() {
    if [[ -n ${TASKWARDEN_TEST_MYSQL_URL:-} ]]; then
        _tw_log "TASKWARDEN_TEST_MYSQL_URL is set; not starting MariaDB"
        return 0
    fi
    if [[ -n $TW_MARIADB_DIR ]]; then
        _tw_log "MariaDB already started in $TW_MARIADB_DIR"
        return 0
    fi
    local installdb server admin port dir data sock log start user
    start=$(_tw_now)
    if ! { installdb=$(_tw_find_cmd mariadb-install-db mysql_install_db) &&
        server=$(_tw_find_cmd mariadbd mysqld) &&
        admin=$(_tw_find_cmd mariadb-admin mysqladmin) &&
        TW_MARIADB_CLIENT=$(_tw_find_cmd mariadb mysql); }; then
        _tw_log "MariaDB binaries (mariadb-install-db, mariadbd, mariadb-admin, mariadb) not found; install 'mariadb-server'"
        return 1
    fi
    TW_MARIADB_ADMIN=$admin
    user=$(id -un)

    _tw_mktemp TW_MARIADB_DIR taskwarden-mariadb || return 1
    dir=$TW_MARIADB_DIR
    data=$dir/data
    sock=$dir/mariadb.sock
    log=$dir/mariadbd.err

    # --no-defaults must come first: ignore /etc/mysql/* (system service config).
    if ! "$installdb" --no-defaults --datadir="$data" --user="$user" \
        --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
        >"$dir/install-db.log" 2>&1 </dev/null; then
        _tw_log "mariadb-install-db failed"
        _tw_tail_log "$dir/install-db.log"
        tw_stop_mariadb
        return 1
    fi

    local durability
    mapfile -t durability < <(_tw_mariadb_durability)
    # The free port may be taken between picking and binding: retry on a new one.
    local attempt deadline ready
    for attempt in 1 2 3; do
        port=$(_tw_free_port) || {
            tw_stop_mariadb
            return 1
        }
        rm -f "$log"
        # stdout/stderr go to a file so the server never holds the caller's pipes open.
        "$server" --no-defaults --user="$user" --datadir="$data" --socket="$sock" \
            --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
            --pid-file="$dir/mariadbd.pid" --log-error="$log" --tmpdir="$dir" \
            "${durability[@]}" --innodb-buffer-pool-size="${TW_MARIADB_BUFFER_POOL:-128M}" \
            --max-connections=300 --skip-log-bin "${TW_MARIADB_EXTRA_ARGS[@]}" \
            --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
            >"$dir/mariadbd.out" 2>&1 </dev/null &
        TW_MARIADB_PID=$!

        deadline=$(($(_tw_now) + 60))
        ready=
        until "$admin" --no-defaults --socket="$sock" -uroot --connect-timeout=2 ping >/dev/null 2>&1; do
            if ! kill -0 "$TW_MARIADB_PID" 2>/dev/null; then
                ready=exited
                break
            fi
            if (($(_tw_now) > deadline)); then
                ready=timeout
                break
            fi
            sleep 0.2
        done
        [[ -z $ready ]] && break
        wait "$TW_MARIADB_PID" 2>/dev/null || true
        if [[ $ready == exited ]] && ((attempt < 3)) &&
            grep -q 'Address already in use' "$log" 2>/dev/null; then
            _tw_log "port $port was taken, retrying MariaDB on another port"
            continue
        fi
        if [[ $ready == exited ]]; then
            _tw_log "mariadbd exited during startup (port $port)"
        else
            _tw_log "mariadbd did not answer within 60s (port $port)"
        fi
        _tw_tail_log "$log"
        _tw_tail_log "$dir/mariadbd.out"
        tw_stop_mariadb
        return 1
    done

    # (client called directly, not via a function: see _tw_pg_run)
    if ! "$TW_MARIADB_CLIENT" --no-defaults --socket="$sock" -uroot >"$dir/setup.log" 2>&1 <<EOF; then
CREATE DATABASE IF NOT EXISTS \`$TW_TEST_DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER '$TW_TEST_USER'@'127.0.0.1' IDENTIFIED BY '$TW_TEST_PASSWORD';
CREATE USER '$TW_TEST_USER'@'localhost' IDENTIFIED BY '$TW_TEST_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$TW_TEST_USER'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$TW_TEST_USER'@'localhost' WITH GRANT OPTION;
FLUSH PRIVILEGES;
EOF
        _tw_log "creating database/user in MariaDB failed"
        _tw_tail_log "$dir/setup.log"
        _tw_tail_log "$log"
        tw_stop_mariadb
        return 1
    fi

    local owner=$BASHPID # expanded here, not inside $(...)
    # shellcheck disable=SC2016  # expanded by the watchdog's bash
    TW_MARIADB_WATCHDOG=$(_tw_spawn_watchdog "$owner" "$dir" bash -c \
        'kill -TERM "$0"; for i in $(seq 150); do kill -0 "$0" || exit 0; sleep 0.2; done; kill -KILL "$0"' \
        "$TW_MARIADB_PID")
    export TASKWARDEN_TEST_MYSQL_URL="mysql://$TW_TEST_USER:$TW_TEST_PASSWORD@127.0.0.1:$port/$TW_TEST_DATABASE"
    TW_MARIADB_STARTED_URL=1
    _tw_log "MariaDB $(_tw_mariadb_root -N -B -e 'SELECT VERSION()' 2>/dev/null) on 127.0.0.1:$port ($dir) ready in $(($(_tw_now) - start))s"
}

tw_stop_mariadb() {
    local dir=$TW_MARIADB_DIR pid=$TW_MARIADB_PID
    [[ -n $dir ]] || return 0
    _tw_kill_watchdog "${TW_MARIADB_WATCHDOG:-}"
    TW_MARIADB_WATCHDOG=
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        "${TW_MARIADB_ADMIN:-mariadb-admin}" --no-defaults --socket="$dir/mariadb.sock" -uroot \
            --connect-timeout=5 shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 150; i++)); do # up to 30s
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            _tw_log "mariadbd $pid did not stop; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf -- "$dir" 2>/dev/null || _tw_log "could not remove $dir"
    TW_MARIADB_DIR=
    TW_MARIADB_PID=
    if [[ -n ${TW_MARIADB_STARTED_URL:-} ]]; then
        unset TASKWARDEN_TEST_MYSQL_URL TW_MARIADB_STARTED_URL
    fi
    _tw_log "MariaDB stopped"
    return 0
}

# ---------------------------------------------------------------------------
# TLS: a throw-away CA and a server certificate for 127.0.0.1 / localhost
# ---------------------------------------------------------------------------

# Exports TASKWARDEN_TEST_TLS_DIR with ca.pem, server.pem and server.key (made once).
tw_make_test_certificates() {
    if [[ -n ${TASKWARDEN_TEST_TLS_DIR:-} && -f $TASKWARDEN_TEST_TLS_DIR/ca.pem ]]; then
        return 0
    fi
    command -v openssl >/dev/null 2>&1 || {
        _tw_log "openssl not found; install the 'openssl' package"
        return 1
    }
    _tw_mktemp TW_TLS_DIR taskwarden-tls || return 1
    local dir=$TW_TLS_DIR
    if ! {
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=TaskWarden test CA" \
            -keyout "$dir/ca.key" -out "$dir/ca.pem" &&
            openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
                -keyout "$dir/server.key" -out "$dir/server.csr" &&
            printf 'subjectAltName = IP:127.0.0.1, DNS:localhost\nbasicConstraints = CA:FALSE\n' >"$dir/server.ext" &&
            openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
                -days 2 -extfile "$dir/server.ext" -out "$dir/server.pem" &&
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Some other CA" \
                -keyout "$dir/other-ca.key" -out "$dir/other-ca.pem"
    } >"$dir/openssl.log" 2>&1; then
        _tw_log "making test certificates failed"
        _tw_tail_log "$dir/openssl.log"
        rm -rf -- "$dir"
        TW_TLS_DIR=
        return 1
    fi
    chmod 755 "$dir"
    chmod 644 "$dir"/*.pem "$dir/server.key"
    export TASKWARDEN_TEST_TLS_DIR=$dir
}

_tw_swap_mariadb_state() {
    local current=("${TW_MARIADB_DIR:-}" "${TW_MARIADB_PID:-}" "${TW_MARIADB_WATCHDOG:-}" \
        "${TASKWARDEN_TEST_MYSQL_URL:-}" "${TW_MARIADB_STARTED_URL:-}")
    TW_MARIADB_DIR=${TW_MARIADB_TLS_STATE[0]:-}
    TW_MARIADB_PID=${TW_MARIADB_TLS_STATE[1]:-}
    TW_MARIADB_WATCHDOG=${TW_MARIADB_TLS_STATE[2]:-}
    if [[ -n ${TW_MARIADB_TLS_STATE[3]:-} ]]; then
        export TASKWARDEN_TEST_MYSQL_URL=${TW_MARIADB_TLS_STATE[3]}
    else
        unset TASKWARDEN_TEST_MYSQL_URL
    fi
    TW_MARIADB_STARTED_URL=${TW_MARIADB_TLS_STATE[4]:-}
    TW_MARIADB_TLS_STATE=("${current[@]}")
}

# A second MariaDB with TLS (the first has none, so that a client demanding TLS can be
# tested against a server without it). Exports TASKWARDEN_TEST_MYSQL_TLS_URL.
tw_start_mariadb_tls() {
    if [[ -n ${TASKWARDEN_TEST_MYSQL_TLS_URL:-} ]]; then
        _tw_log "TASKWARDEN_TEST_MYSQL_TLS_URL is set; not starting a TLS MariaDB"
        return 0
    fi
    tw_make_test_certificates || return 1
    local status=0
    _tw_swap_mariadb_state
    TW_MARIADB_EXTRA_ARGS=(--ssl-ca="$TASKWARDEN_TEST_TLS_DIR/ca.pem"
        --ssl-cert="$TASKWARDEN_TEST_TLS_DIR/server.pem" --ssl-key="$TASKWARDEN_TEST_TLS_DIR/server.key")
    tw_start_mariadb || status=$?
    TW_MARIADB_EXTRA_ARGS=()
    local url=${TASKWARDEN_TEST_MYSQL_URL:-}
    _tw_swap_mariadb_state
    [[ $status -eq 0 ]] && export TASKWARDEN_TEST_MYSQL_TLS_URL=$url
    return "$status"
}

tw_stop_mariadb_tls() {
    [[ -n ${TW_MARIADB_TLS_STATE[0]:-} ]] || return 0
    _tw_swap_mariadb_state
    tw_stop_mariadb
    _tw_swap_mariadb_state
    unset TASKWARDEN_TEST_MYSQL_TLS_URL
}

# ---------------------------------------------------------------------------

# Stop everything this library started. Idempotent; never fails.
# INT/TERM are ignored while it runs so a second signal cannot abort the cleanup.
tw_stop_servers() {
    local saved_traps
    saved_traps=$(trap -p INT TERM)
    trap '' INT TERM
    tw_stop_mariadb_tls || true
    tw_stop_mariadb || true
    tw_stop_postgres || true
    if [[ -n ${TW_TLS_DIR:-} ]]; then
        rm -rf -- "$TW_TLS_DIR"
        TW_TLS_DIR=
        unset TASKWARDEN_TEST_TLS_DIR
    fi
    trap - INT TERM
    eval "$saved_traps"
    return 0
}

# Print a URL with its password replaced by ***.
tw_redact_url() {
    printf '%s\n' "$1" | sed -E 's#^([a-z]+://[^:/@]+):[^@]*@#\1:***@#'
}
