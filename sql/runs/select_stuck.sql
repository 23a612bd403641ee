-- Runs that look stuck: running, and no sign of life (the heartbeat, else the start time)
-- since :cutoff. Reads only the running rows, through the (status, heartbeat_at, started_at)
-- index, however many finished rows the table holds.
--   :running_statuses  the table's values meaning "running"
--   :cutoff            the database's now minus the smallest threshold in play
--   :kind              with a kind filter only
--   :limit             at most this many rows, longest silent first
-- Names in double braces are the table mapping's columns; a #has section applies when its
-- column is mapped, an #if section when its flag is set (docs/sql.md).
SELECT {{id}} AS id,
       {{status}} AS status,
       {{#has kind}}{{kind}}{{else}}NULL{{/has}} AS kind,
       {{started_at}} AS started_at,
       {{#has heartbeat_at}}{{heartbeat_at}}{{else}}NULL{{/has}} AS heartbeat_at,
       {{#has worker}}{{worker}}{{else}}NULL{{/has}} AS worker,
       {{#has progress}}{{progress}}{{else}}NULL{{/has}} AS progress
FROM {{table}}
WHERE {{status}} IN (:running_statuses...)
  AND {{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}} < :cutoff
  {{#if by_kind}}AND {{kind}} = :kind{{/if}}
ORDER BY {{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}}, {{id}}
LIMIT :limit
