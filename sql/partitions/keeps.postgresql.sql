-- Whether one partition holds a row the purge must keep, among the statuses it removes: a
-- NULL status, or a run of a purged status not finished or finished after its cutoff. Each
-- EXISTS is a probe of the (status, finished_at) index. (statuses.sql finds the statuses the
-- purge does not remove.)
--   :arm.status, :arm.cutoff  one element per status value the purge removes, with its cutoff
SELECT CASE WHEN EXISTS (SELECT 1 FROM {{partition}} WHERE {{status}} IS NULL)
    {{#each arm in arms}}
    OR EXISTS (SELECT 1 FROM {{partition}} WHERE {{status}} = :arm.status AND ({{finished_at}} IS NULL OR {{finished_at}} >= :arm.cutoff))
    {{/each}}
    THEN 1 ELSE 0 END AS keeps
