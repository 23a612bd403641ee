-- Whether this MariaDB server is a node of a Galera cluster, and the cluster's write-set limits.
-- wsrep_on is ON and wsrep_provider names a library on a Galera node; GET_LOCK there is local
-- to the node (MDEV-30473), so TaskWarden's locks become lease rows. wsrep_max_ws_rows (0: no
-- limit) and wsrep_max_ws_size (bytes) bound one transaction's write set: a purge or bulk
-- change batch larger than either fails, so batches are capped below them.
-- The server's own variables table (MariaDB): no row at all on a server built without wsrep.
SELECT
    MAX(CASE WHEN VARIABLE_NAME = 'WSREP_ON' THEN VARIABLE_VALUE END) AS wsrep_on,
    MAX(CASE WHEN VARIABLE_NAME = 'WSREP_PROVIDER' THEN VARIABLE_VALUE END) AS wsrep_provider,
    MAX(CASE WHEN VARIABLE_NAME = 'WSREP_MAX_WS_ROWS' THEN VARIABLE_VALUE END) AS max_ws_rows,
    MAX(CASE WHEN VARIABLE_NAME = 'WSREP_MAX_WS_SIZE' THEN VARIABLE_VALUE END) AS max_ws_size
FROM information_schema.GLOBAL_VARIABLES
WHERE VARIABLE_NAME IN ('WSREP_ON', 'WSREP_PROVIDER', 'WSREP_MAX_WS_ROWS', 'WSREP_MAX_WS_SIZE')
