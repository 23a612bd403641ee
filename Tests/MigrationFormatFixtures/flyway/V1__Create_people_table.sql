-- Flyway's versioned migration, as in its getting-started guide.
CREATE TABLE people (
    id INT NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL
);
