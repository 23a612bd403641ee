-- A repeatable migration: re-applied whenever it changes, after every versioned one.
DROP VIEW IF EXISTS people_names;
CREATE VIEW people_names AS SELECT name FROM people;
