-- +goose Up
-- A comment line; the next statement holds a ';' inside a string.
CREATE TABLE accounts (
    id BIGINT PRIMARY KEY,
    owner TEXT NOT NULL DEFAULT 'nobody;really',
    balance NUMERIC(12, 2) NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ
);
INSERT INTO accounts (id, owner) VALUES (1, 'alice');

-- +goose Down
DROP TABLE accounts;
