-- The runs a bulk change takes: the predicate every statement of sql/bulk/ includes, so that each
-- statement of a batch re-checks it in the same transaction (a run that moved on is left alone).
--   :from_statuses        the table's values the runs must (still) have
--   :kinds                with by_kind: only these kinds
--   :except_kinds         with other_kinds: any kind but these (kinds with a threshold of their own)
--   :ids                  with by_id: only these runs (recover --limit, parents, cancel --id)
--   :cutoff               with check_cutoff: last sign of life older than this (table's time format)
--   attempts_left         only runs with attempts left (recover --to queued requeues these)
--   attempts_exhausted    only runs without (recover --to queued fails these)
--   not_cancel_requested  only runs not asked to stop yet (cancel)
--   :after_id             with after: the last id of the previous batch
--   :upper_id             with up_to: the last id of this batch (from bound.sql)
WHERE {{status}} IN (:from_statuses...)
  {{#if by_kind}}AND {{kind}} IN (:kinds...){{/if}}
  {{#if other_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
  {{#if by_id}}AND {{id}} IN (:ids...){{/if}}
  {{#if check_cutoff}}AND {{#has heartbeat_at}}COALESCE({{heartbeat_at}}, {{started_at}}){{else}}{{started_at}}{{/has}} < :cutoff{{/if}}
  {{#if attempts_left}}AND COALESCE({{attempt}}, 0) < COALESCE({{max_attempts}}, 1){{/if}}
  {{#if attempts_exhausted}}AND COALESCE({{attempt}}, 0) >= COALESCE({{max_attempts}}, 1){{/if}}
  {{#if not_cancel_requested}}AND {{cancel_requested_at}} IS NULL{{/if}}
  {{#if after}}AND {{id}} > :after_id{{/if}}
  {{#if up_to}}AND {{id}} <= :upper_id{{/if}}
