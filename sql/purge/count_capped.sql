-- For the choice of the walk (PurgeOrder): how many rows of one status are past its cutoff,
-- counted from the (status, finished_at, id) index and at most :cap of them, so that the count
-- costs little on any table. A count that reaches the cap means "many".
--   :status, :cutoff, by_kind / excluding_kinds: as in delete_range.sql
SELECT COUNT(*) AS n FROM (
    SELECT 1 AS one
    FROM {{table}}
    WHERE {{status}} = :status
      AND {{finished_at}} < :cutoff
      {{#if by_kind}}AND {{kind}} = :kind{{/if}}
      {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
    LIMIT :cap
) AS capped
