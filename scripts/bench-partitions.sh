#!/usr/bin/env bash
# The partitioned purge benchmark (not a test): TaskWarden's task_runs, partitioned by month of
# created_at with the migration template, holding N runs spread evenly over 24 months, on
# throw-away PostgreSQL and MariaDB servers with their default settings; then one purge with a
# 90-day retention, which drops the ~21 months wholly past it and deletes the boundary month's
# expired rows by batches. Before the purge each server is let settle (PostgreSQL CHECKPOINT;
# InnoDB's dirty pages written out), as months-old partitions are. Prints the figures and the
# servers' settings; writes JSON.
#
#   scripts/bench-partitions.sh                       # 10 000 000 runs, both backends
#   scripts/bench-partitions.sh --rows 1000000 --backend postgresql
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"

rows=10000000
backends="postgresql mysql"
output=docs/benchmarks/partitions.json
while (($# > 0)); do
    case $1 in
    --rows) rows=$2; shift 2 ;;
    --backend) backends=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    *) echo "bench-partitions.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=scripts/test-servers.sh
source "$repo/scripts/test-servers.sh"
trap tw_stop_servers EXIT
export TW_SERVER_SETTINGS=default
swift build -c release --product taskwarden >&2
taskwarden=$repo/.build/release/taskwarden
results=$(mktemp)

now() { date +%s.%N; }
seconds_since() { python3 -c "import sys; print(round($(now) - $1, 3))"; }

bench_postgresql() {
    tw_start_postgres
    local url=$TASKWARDEN_TEST_POSTGRES_URL
    "$taskwarden" migrate --database "$url" >/dev/null
    "$taskwarden" migrate --database "$url" --dir migrations/templates/partitioned --set partitioned >/dev/null
    # The template made the last 12 months and the next 3; 24 months back need 12 more.
    psql "$url" -qX <<'SQL'
DO $$
DECLARE month date;
BEGIN
    FOR month IN SELECT CAST(m AS date) FROM generate_series(date_trunc('month', now() - interval '24 months'), date_trunc('month', now() - interval '13 months'), interval '1 month') AS m
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF task_runs FOR VALUES FROM (%L) TO (%L)', 'task_runs_p' || to_char(month, 'YYYY_MM'), month, month + interval '1 month');
    END LOOP;
END $$;
SQL
    local start seeded
    start=$(now)
    psql "$url" -qX -v rows="$rows" <<'SQL'
INSERT INTO task_runs (kind, status, created_at, started_at, finished_at)
SELECT 'bench', CASE WHEN i % 3 = 0 THEN 'failed' ELSE 'succeeded' END, t, t, t + interval '1 minute'
FROM generate_series(1, :rows) AS i, LATERAL (SELECT now() - (i * 720.0 / :rows) * interval '1 day' AS t) AS x;
-- Runs still going, in the last month: they keep it.
INSERT INTO task_runs (kind, status, created_at, started_at)
SELECT 'bench', 'running', now() - interval '1 hour', now() - interval '1 hour' FROM generate_series(1, 100);
VACUUM ANALYZE task_runs;
-- Settled: the seeding's dirty pages written out, as they are for months-old partitions.
CHECKPOINT;
SQL
    seeded=$(seconds_since "$start")
    local settings
    settings=$(psql "$url" -AtX -c "SELECT string_agg(name || '=' || setting || COALESCE(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'server_version')")
    run_purge postgresql "$url" "$seeded" "$settings" \
        "$(psql "$url" -AtX -c "SELECT count(*) FROM pg_inherits WHERE inhparent = 'task_runs'::regclass")"
    tw_stop_postgres
}

bench_mysql() {
    tw_start_mariadb
    local url=$TASKWARDEN_TEST_MYSQL_URL
    local port=${url##*:}
    port=${port%%/*}
    local client=(mariadb -h 127.0.0.1 -P "$port" -u "$TW_TEST_USER" "-p$TW_TEST_PASSWORD" "$TW_TEST_DATABASE")
    "$taskwarden" migrate --database "$url" >/dev/null
    "$taskwarden" migrate --database "$url" --dir migrations/templates/partitioned --set partitioned >/dev/null
    # p_old holds everything before the template's 12 months: split it into 12 more months.
    local split
    split=$("${client[@]}" -N -e "
        SET max_recursive_iterations = 100;
        WITH RECURSIVE months (m) AS (
            SELECT CAST(DATE_FORMAT(CURRENT_DATE - INTERVAL 24 MONTH, '%Y-%m-01') AS DATE)
            UNION ALL SELECT m + INTERVAL 1 MONTH FROM months WHERE m < CURRENT_DATE - INTERVAL 13 MONTH - INTERVAL 1 MONTH)
        SELECT GROUP_CONCAT(CONCAT('PARTITION p', DATE_FORMAT(m, '%Y%m'), ' VALUES LESS THAN (''', m + INTERVAL 1 MONTH, ''')') ORDER BY m SEPARATOR ', ')
        FROM months")
    # (the last new month ends where p_old ended, as REORGANIZE requires)
    "${client[@]}" -e "ALTER TABLE task_runs REORGANIZE PARTITION p_old INTO (PARTITION p_older VALUES LESS THAN ('$(date -u -d "$(date -u +%Y-%m-01) -24 months" +%Y-%m-%d)'), $split)"
    local start seeded chunk=1000000 from
    start=$(now)
    for ((from = 1; from <= rows; from += chunk)); do
        local to=$((from + chunk - 1))
        ((to > rows)) && to=$rows
        "${client[@]}" -e "SET time_zone = '+00:00';
            INSERT INTO task_runs (kind, status, created_at, started_at, finished_at)
            SELECT 'bench', IF(seq % 3 = 0, 'failed', 'succeeded'), t, t, t + INTERVAL 1 MINUTE
            FROM (SELECT seq, NOW(6) - INTERVAL ROUND(seq * 720.0 * 86400 / $rows) SECOND AS t FROM seq_${from}_to_${to}) AS s"
    done
    "${client[@]}" -e "SET time_zone = '+00:00';
        INSERT INTO task_runs (kind, status, created_at, started_at) SELECT 'bench', 'running', NOW() - INTERVAL 1 HOUR, NOW() - INTERVAL 1 HOUR FROM seq_1_to_100;
        ANALYZE TABLE task_runs" >/dev/null
    # Settled: InnoDB writes the seeding's dirty pages out in the background, as it has long
    # done for months-old partitions; a drop right after 10 M inserts waits for that flushing
    # (measured: 200 ms per drop, once 1 s, against about 20 ms settled). Wait (at most 5
    # minutes) until under 1 % of the buffer pool is dirty.
    local waited dirty=100
    for ((waited = 0; waited < 300; waited++)); do
        dirty=$("${client[@]}" -N -e "SELECT ROUND(100 * (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY') / (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_TOTAL'))")
        ((dirty < 1)) && break
        sleep 1
    done
    echo "bench-partitions: mysql let settle ${waited}s: ${dirty} % of the buffer pool dirty" >&2
    seeded=$(seconds_since "$start")
    local settings
    settings=$("${client[@]}" -N -e "SELECT GROUP_CONCAT(CONCAT(LOWER(VARIABLE_NAME), '=', VARIABLE_VALUE) ORDER BY VARIABLE_NAME SEPARATOR ', ') FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME IN ('INNODB_BUFFER_POOL_SIZE', 'INNODB_FLUSH_LOG_AT_TRX_COMMIT', 'SYNC_BINLOG', 'VERSION')")
    run_purge mysql "$url" "$seeded" "$settings" \
        "$("${client[@]}" -N -e "SELECT COUNT(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'task_runs'")"
    tw_stop_mariadb
}

# run_purge BACKEND URL SEEDED_SECONDS SETTINGS PARTITIONS_BEFORE
run_purge() {
    local backend=$1 url=$2 seeded=$3 settings=$4 partitions=$5
    echo "bench-partitions: $backend, $rows runs in $partitions partitions (seeded in ${seeded}s); settings: $settings" >&2
    local start json elapsed
    start=$(now)
    json=$("$taskwarden" purge --database "$url" --succeeded-older-than 90d --failed-older-than 90d --cancelled-older-than 90d --json)
    elapsed=$(seconds_since "$start")
    BACKEND=$backend ROWS=$rows SEEDED=$seeded SETTINGS=$settings PARTITIONS=$partitions ELAPSED=$elapsed PURGE=$json python3 - >>"$results" <<'PY'
import json, os, sys
purge = json.loads(os.environ["PURGE"])
dropped = purge["droppedPartitions"]
result = {
    "backend": os.environ["BACKEND"], "rows": int(os.environ["ROWS"]), "partitions": int(os.environ["PARTITIONS"]),
    "settings": os.environ["SETTINGS"], "seedSeconds": float(os.environ["SEEDED"]),
    "purgeSeconds": float(os.environ["ELAPSED"]),
    "partitionsDropped": len(dropped),
    "rowsInDroppedPartitionsEstimated": sum(p["estimatedRows"] for p in dropped),
    "tableLockedMillisecondsTotal": round(sum(p["lockedMilliseconds"] for p in dropped), 1),
    "tableLockedMillisecondsLongest": round(max([p["lockedMilliseconds"] for p in dropped] or [0]), 1),
    "rowsByBatches": purge["rows"],
    "batchSeconds": round(sum(p["seconds"] for p in purge["passes"]), 3),
    "longestBatchMilliseconds": round(max([p["longestBatchMilliseconds"] for p in purge["passes"]] or [0]), 1),
}
print(json.dumps(result))
r = result
print(f"{r['backend']}: purge {r['purgeSeconds']} s: dropped {r['partitionsDropped']} of {r['partitions']} partitions"
      f" (~{r['rowsInDroppedPartitionsEstimated']} rows), table locked {r['tableLockedMillisecondsTotal']} ms in all (longest {r['tableLockedMillisecondsLongest']} ms);"
      f" {r['rowsByBatches']} rows by batches in {r['batchSeconds']} s (longest batch {r['longestBatchMilliseconds']} ms)", file=sys.stderr)
PY
}

for backend in $backends; do
    "bench_$backend"
done
mkdir -p "$(dirname "$output")"
python3 -c '
import json, sys
print(json.dumps({"benchmark": "partitioned purge", "results": [json.loads(l) for l in open(sys.argv[1]) if l.strip()]}, indent=2))' "$results" >"$output"
rm -f "$results"
echo "bench-partitions: wrote $output" >&2
