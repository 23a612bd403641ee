-- How many runs an emergency reset would change (same filters as select_matching.sql).
SELECT COUNT(*) AS n
FROM {{table}}
WHERE {{status}} IN (:statuses)
  {{#by_kind}}AND {{kind}} IN (:kinds){{/by_kind}}
  {{#by_id}}AND {{id}} IN (:ids){{/by_id}}
  {{#by_age}}AND {{#heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{/heartbeat_at}}{{^heartbeat_at}}{{started_at}}{{/heartbeat_at}} < :cutoff{{/by_age}}
