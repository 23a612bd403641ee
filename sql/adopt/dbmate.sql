-- dbmate's history: one row per applied migration, its version as text (the file name's
-- digits). The table as dbmate creates it: schema_migrations (version VARCHAR(128) PRIMARY
-- KEY). Read by 'migrate adopt'.
SELECT version
FROM schema_migrations
ORDER BY version
