-- A zero-padded version, as 'migrate create -seq -digits 6' writes it.
ALTER TABLE users ADD COLUMN name VARCHAR(100) DEFAULT 'a;b';
