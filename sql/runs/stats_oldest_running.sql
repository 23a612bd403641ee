-- The oldest last sign of life among running runs.
SELECT MIN({{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}}) AS oldest
FROM {{table}}
WHERE {{status}} IN (:running_statuses...)
