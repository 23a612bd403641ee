-- What a purge would delete, by kind: the dry run. Same filters as delete_range.sql.
SELECT {{#has kind}}{{kind}}{{else}}NULL{{/has}} AS kind, COUNT(*) AS n
FROM {{table}}
WHERE {{status}} = :status
  AND {{finished_at}} < :cutoff
  {{#if by_kind}}AND {{kind}} = :kind{{/if}}
  {{#if excluding_kinds}}AND ({{kind}} IS NULL OR {{kind}} NOT IN (:except_kinds...)){{/if}}
{{#has kind}}GROUP BY {{kind}}{{/has}}
