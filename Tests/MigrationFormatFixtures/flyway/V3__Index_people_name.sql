CREATE INDEX people_name_idx ON people (name);
