-- How many runs have one status value, as the optimizer estimates the range of the status index
-- (an index dive: a few pages read, whatever the count). The overview of a big table takes it for
-- the common values, which even a capped count reads by the hundred thousand; the `rows` column
-- of the plan is the estimate.
--   :status  the table's status value
EXPLAIN SELECT 1 FROM {{table}} WHERE {{status}} = :status
