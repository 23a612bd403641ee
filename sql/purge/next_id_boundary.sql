-- The primary-key walk (PurgeOrder.primaryKey): the id that ends the next batch's key range,
-- :offset rows (all rows, purgeable or not) after the previous batch's last id, read in id
-- order from the primary key. Each batch is then one contiguous range of the table, deleted
-- with the retention predicate (delete_id_range.sql): its pages are read and written once, in
-- order, as the single DELETE reads them, however scattered the finish times of its rows are.
-- No row means the rest of the table is the last range.
--   :offset   rows in the range minus one (the purger adapts it so that a range holds about a
--             batch of purgeable rows)
--   after     the range starts after :after_id
SELECT {{id}} AS id
FROM {{table}}
{{#if after}}WHERE {{id}} > :after_id{{/if}}
ORDER BY {{id}}
LIMIT 1 OFFSET :offset
