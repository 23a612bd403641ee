-- The runs an emergency reset would change, in id order, one batch at a time: each batch
-- starts after the last id of the previous one, so no batch re-reads what came before.
--   :statuses   the table's values of the statuses to reset
--   :kinds      with by_kind: only these kinds
--   :ids        with by_id: only these runs
--   :cutoff     with by_age: last sign of life older than this
--   :after_id   with after: the last id of the previous batch
--   :limit      the batch size
SELECT {{id}} AS id,
       {{status}} AS status,
       {{#kind}}{{kind}}{{/kind}}{{^kind}}NULL{{/kind}} AS kind,
       {{#started_at}}{{started_at}}{{/started_at}}{{^started_at}}NULL{{/started_at}} AS started_at,
       {{#heartbeat_at}}{{heartbeat_at}}{{/heartbeat_at}}{{^heartbeat_at}}NULL{{/heartbeat_at}} AS heartbeat_at
FROM {{table}}
WHERE {{status}} IN (:statuses)
  {{#by_kind}}AND {{kind}} IN (:kinds){{/by_kind}}
  {{#by_id}}AND {{id}} IN (:ids){{/by_id}}
  {{#by_age}}AND {{#heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{/heartbeat_at}}{{^heartbeat_at}}{{started_at}}{{/heartbeat_at}} < :cutoff{{/by_age}}
  {{#after}}AND {{id}} > :after_id{{/after}}
ORDER BY {{id}}
LIMIT :limit
