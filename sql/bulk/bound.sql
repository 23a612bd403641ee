-- The next batch of a bulk change, walking the table in id order: how many runs qualify after
-- :after_id, up to :limit, and the last id among them. Only that id travels: the batch's
-- statements take the runs in (after_id, upper_id] by the same predicate. The last id is the
-- batch's last row rather than MAX(id): PostgreSQL has no max() of a uuid (django-tasks' ids).
-- The runs (the predicate every bulk/ statement repeats, so that each re-checks it):
--   :from_statuses        the table's values the runs must (still) have
--   :kinds                with by_kind: only these kinds
--   :except_kinds         with other_kinds: any kind but these (kinds with a threshold of their own)
--   :ids                  with by_id: only these runs (recover --limit, parents, cancel --id)
--   :cutoff               with check_cutoff: last sign of life older than this (table's time format)
--   attempts_left         only runs with attempts left (recover --to queued requeues these)
--   attempts_exhausted    only runs without (recover --to queued fails these)
--   not_cancel_requested  only runs not asked to stop yet (cancel)
--   :after_id             with after: the last id of the previous batch
--   :limit                the batch size
SELECT COUNT(*) OVER () AS n, id AS upper_id
FROM (
    SELECT {{id}} AS id
    FROM {{table}}
    WHERE {{status}} IN (:from_statuses...)
  {{#if by_kind}}AND {{kind}} IN (:kinds...){{/if}}
  {{#if other_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
  {{#if by_id}}AND {{id}} IN (:ids...){{/if}}
  {{#if check_cutoff}}AND {{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}} < :cutoff{{/if}}
  {{#if attempts_left}}AND COALESCE({{attempt}}, 0) < COALESCE({{max_attempts}}, 1){{/if}}
  {{#if attempts_exhausted}}AND COALESCE({{attempt}}, 0) >= COALESCE({{max_attempts}}, 1){{/if}}
  {{#if not_cancel_requested}}AND {{cancel_requested_at}} IS NULL{{/if}}
  {{#if after}}AND {{id}} > :after_id{{/if}}
    ORDER BY {{id}}
    LIMIT :limit
) AS batch
ORDER BY id DESC
LIMIT 1
