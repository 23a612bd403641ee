-- For the choice of the walk (PurgeOrder): the ids of the first :limit purgeable rows of one
-- status in finish order, read from the (status, finished_at, id) index. If their ids rise
-- with their finish times (runs finish in the order they were inserted, as a table grows),
-- the walk in finish order reads the table in order too; if not, each batch's rows sit on
-- pages all over the table. The purger measures that as a rank correlation.
--   :status, :cutoff, by_kind / excluding_kinds: as in delete_range.sql
SELECT {{id}} AS id
FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#if by_kind}}AND {{kind}} = :kind{{/if}}
  {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
ORDER BY {{finished_at}}, {{id}}
LIMIT :limit
