-- Runs by status and kind.
SELECT {{status}} AS status,
       {{#has kind}}{{kind}}{{else}}NULL{{/has}} AS kind,
       COUNT(*) AS n
FROM {{table}}
GROUP BY {{status}}{{#has kind}}, {{kind}}{{/has}}
