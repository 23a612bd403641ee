-- Ends lock.sql's lock.
UNLOCK TABLES
