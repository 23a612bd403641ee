-- Nothing to set on SQLite: each batch's BEGIN IMMEDIATE holds the one write lock briefly.
SELECT 1 AS nothing_to_set
