-- +goose Up
-- A comment line; the next statement holds a ';' inside a string.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL DEFAULT 'nobody;really',
    balance NUMERIC NOT NULL DEFAULT 0,
    updated_at TEXT
);
INSERT INTO accounts (id, owner) VALUES (1, 'alice');

-- +goose Down
DROP TABLE accounts;
