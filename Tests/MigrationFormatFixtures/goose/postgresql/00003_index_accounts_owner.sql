-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY accounts_owner_idx ON accounts (owner);

-- +goose Down
DROP INDEX CONCURRENTLY accounts_owner_idx;
