-- How many runs an emergency reset would change (same filters as select_matching.sql).
SELECT COUNT(*) AS n
FROM {{table}}
WHERE {{status}} IN (:statuses...)
  {{#if by_kind}}AND {{kind}} IN (:kinds...){{/if}}
  {{#if by_id}}AND {{id}} IN (:ids...){{/if}}
  {{#if by_age}}AND {{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}} < :cutoff{{/if}}
