-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER accounts_touch AFTER UPDATE OF balance ON accounts
FOR EACH ROW
BEGIN
    UPDATE accounts SET updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = NEW.id;
    UPDATE accounts SET balance = 0 WHERE id = NEW.id AND NEW.balance < 0;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER accounts_touch;
