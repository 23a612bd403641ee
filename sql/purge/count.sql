-- What a purge would delete, by kind: the dry run. Same filters as delete_range.sql.
SELECT {{#kind}}{{kind}}{{/kind}}{{^kind}}NULL{{/kind}} AS kind, COUNT(*) AS n
FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#by_kind}}AND {{kind}} = :kind{{/by_kind}}
  {{#except_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds)){{/except_kinds}}
{{#kind}}GROUP BY {{kind}}{{/kind}}
