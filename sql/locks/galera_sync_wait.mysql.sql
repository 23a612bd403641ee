-- Galera: makes this session's reads wait until the node has applied every write set the
-- cluster committed before them ({{integer mask}} 1: reads), or stop waiting again (0, or the
-- value galera_sync_wait_read.mysql.sql found). A node applies other nodes' write sets
-- shortly after they commit: a decision that depends on whether another node's commit landed
-- (an interrupted purge's last batch) must not read before that.
SET SESSION wsrep_sync_wait = {{integer mask}}
