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
       {{#has kind}}{{kind}}{{else}}NULL{{/has}} AS kind,
       {{#has started_at}}{{started_at}}{{else}}NULL{{/has}} AS started_at,
       {{#has heartbeat_at}}{{heartbeat_at}}{{else}}NULL{{/has}} AS heartbeat_at
FROM {{table}}
WHERE {{status}} IN (:statuses...)
  {{#if by_kind}}AND {{kind}} IN (:kinds...){{/if}}
  {{#if by_id}}AND {{id}} IN (:ids...){{/if}}
  {{#if by_age}}AND {{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}} < :cutoff{{/if}}
  {{#if after}}AND {{id}} > :after_id{{/if}}
ORDER BY {{id}}
LIMIT :limit
