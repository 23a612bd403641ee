-- Runs by status and kind.
SELECT {{status}} AS status,
       {{#kind}}{{kind}}{{/kind}}{{^kind}}NULL{{/kind}} AS kind,
       COUNT(*) AS n
FROM {{table}}
GROUP BY {{status}}{{#kind}}, {{kind}}{{/kind}}
