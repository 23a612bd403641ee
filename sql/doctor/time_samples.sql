-- The newest runs' time values, for doctor to check them against the mapping's time_format
-- (text with a space, ISO with a T, Unix seconds or milliseconds) and time_zone (wall-clock
-- times of a zone ahead of the one declared look like times in the future).
--   :limit  how many runs, newest (highest id) first
SELECT {{#has started_at}}{{started_at}}{{else}}NULL{{/has}} AS started_at,
       {{#has heartbeat_at}}{{heartbeat_at}}{{else}}NULL{{/has}} AS heartbeat_at,
       {{#has finished_at}}{{finished_at}}{{else}}NULL{{/has}} AS finished_at,
       {{#has created_at}}{{created_at}}{{else}}NULL{{/has}} AS created_at
FROM {{table}}
ORDER BY {{id}} DESC
LIMIT :limit
