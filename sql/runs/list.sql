-- Runs newest first (highest id first), filtered, one page: `taskwarden list`. Keyset paging:
-- the next page starts below the last id shown, so each page reads only its own rows however
-- deep it is. Long text (the error) comes as its first 200 characters.
--   :statuses         with by_status: the table's values of the statuses asked for
--   :kinds            with by_kind: only these kinds
--   :queue, :worker   with by_queue, by_worker: only this queue, this worker
--   :before_id        with before: ids below this one (the last id of the previous page)
--   :since            with by_since: started at or after this time (table's time format)
--   :finished_before  with by_finished: finished before this time
--   :started_before   with long_running: running and started before this time
--   :running_statuses the table's values meaning running (for long_running)
--   :limit            the page size
-- sort_matches: the matches are few (the caller counted them, capped): read them through the
-- filter's index and sort them. Without it SQLite, not knowing a bound kind's count, walks the
-- primary key newest first, which reads the whole table for a rare kind; COALESCE(id, id) is
-- the id itself, but an expression no index is in the order of.
SELECT {{id}} AS id,
       {{status}} AS status,
       {{#has kind}}{{kind}}{{else}}NULL{{/has}} AS kind,
       {{#has queue}}{{queue}}{{else}}NULL{{/has}} AS queue,
       {{#has worker}}{{worker}}{{else}}NULL{{/has}} AS worker,
       {{started_at}} AS started_at,
       {{#has heartbeat_at}}{{heartbeat_at}}{{else}}NULL{{/has}} AS heartbeat_at,
       {{#has finished_at}}{{finished_at}}{{else}}NULL{{/has}} AS finished_at,
       {{#has progress}}{{progress}}{{else}}NULL{{/has}} AS progress,
       {{#has note}}SUBSTR({{note}}, 1, 200){{else}}NULL{{/has}} AS note
FROM {{table}}
WHERE 1 = 1
  {{#if by_status}}AND {{status}} IN (:statuses...){{/if}}
  {{#if by_kind}}AND {{kind}} IN (:kinds...){{/if}}
  {{#if by_queue}}AND {{queue}} = :queue{{/if}}
  {{#if by_worker}}AND {{worker}} = :worker{{/if}}
  {{#if before}}AND {{id}} < :before_id{{/if}}
  {{#if by_since}}AND {{started_at}} >= :since{{/if}}
  {{#if by_finished}}AND {{finished_at}} < :finished_before{{/if}}
  {{#if long_running}}AND {{status}} IN (:running_statuses...) AND {{started_at}} < :started_before{{/if}}
ORDER BY {{#if sort_matches}}COALESCE({{id}}, {{id}}){{else}}{{id}}{{/if}} DESC
LIMIT :limit
