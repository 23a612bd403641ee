-- The status (and kind) of each of :ids that exists: delete --id names the runs it does not
-- delete (missing, queued, running) with the reason.
--   :ids  the run ids given, of the id column's type
SELECT {{id}} AS id, {{status}} AS status{{#has kind}}, {{kind}} AS kind{{/has}}
FROM {{table}}
WHERE {{id}} IN (:ids...)
