-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts
FOR EACH ROW
BEGIN
    SET NEW.updated_at = NOW(6);
    IF NEW.balance < 0 THEN
        SET NEW.balance = 0;
    END IF;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER accounts_touch;
