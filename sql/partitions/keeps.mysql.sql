-- Whether one partition holds a row the purge must keep, among the statuses it removes: a
-- NULL status, or a run of a purged status not finished or finished after its cutoff. One
-- range read of the (status, finished_at) index per condition. The table is named once: under
-- LOCK TABLES a query may not name a locked table twice.
-- (statuses.sql finds the statuses the purge does not remove.)
--   :arm.status, :arm.cutoff  one element per status value the purge removes, with its cutoff
SELECT CASE WHEN EXISTS (
    SELECT 1 FROM {{table}} PARTITION ({{partition}})
    WHERE {{status}} IS NULL
    {{#each arm in arms}}
       OR ({{status}} = :arm.status AND ({{finished_at}} IS NULL OR {{finished_at}} >= :arm.cutoff))
    {{/each}}
) THEN 1 ELSE 0 END AS keeps
