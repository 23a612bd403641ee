-- Runs that look stuck: running, and no sign of life (the heartbeat, else the start time)
-- since :cutoff. Reads only the running rows, through the (status, heartbeat_at, started_at)
-- index, however many finished rows the table holds.
--   :running_statuses  the table's values meaning "running"
--   :cutoff            the database's now minus the smallest threshold in play
--   :kind              with a kind filter only
--   :limit             at most this many rows, longest silent first
-- Names in double braces are the table mapping's columns. A section opened with # applies
-- when that column (or option) is present, one opened with ^ when it is not.
SELECT {{id}} AS id,
       {{status}} AS status,
       {{#kind}}{{kind}}{{/kind}}{{^kind}}NULL{{/kind}} AS kind,
       {{started_at}} AS started_at,
       {{#heartbeat_at}}{{heartbeat_at}}{{/heartbeat_at}}{{^heartbeat_at}}NULL{{/heartbeat_at}} AS heartbeat_at
FROM {{table}}
WHERE {{status}} IN (:running_statuses)
  AND {{#heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{/heartbeat_at}}{{^heartbeat_at}}{{started_at}}{{/heartbeat_at}} < :cutoff
  {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
ORDER BY {{#heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{/heartbeat_at}}{{^heartbeat_at}}{{started_at}}{{/heartbeat_at}}, {{id}}
LIMIT :limit
