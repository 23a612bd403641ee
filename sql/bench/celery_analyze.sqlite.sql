-- Fresh statistics after seeding.
ANALYZE
