-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX accounts_owner_idx ON accounts (owner);

-- +goose Down
DROP INDEX accounts_owner_idx ON accounts;
