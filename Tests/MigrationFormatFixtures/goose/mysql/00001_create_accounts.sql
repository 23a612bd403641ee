-- +goose Up
-- A comment line; the next statement holds a ';' inside a string.
CREATE TABLE accounts (
    id BIGINT PRIMARY KEY,
    owner VARCHAR(100) NOT NULL DEFAULT 'nobody;really',
    balance DECIMAL(12, 2) NOT NULL DEFAULT 0,
    updated_at DATETIME(6) NULL
);
INSERT INTO accounts (id, owner) VALUES (1, 'alice');

-- +goose Down
DROP TABLE accounts;
