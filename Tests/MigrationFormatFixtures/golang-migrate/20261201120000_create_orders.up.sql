-- A timestamp version, as 'migrate create -ext sql' writes it by default.
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    note VARCHAR(200) DEFAULT '-- not a comment'
);

CREATE INDEX orders_user_id_idx ON orders (user_id);
