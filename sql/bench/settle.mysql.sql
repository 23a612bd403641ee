-- Before each timed phase: nothing to run. InnoDB flushes dirty pages in the background and
-- has no statement that waits for it (the benchmark's buffer pool holds the whole table).
DO 0
