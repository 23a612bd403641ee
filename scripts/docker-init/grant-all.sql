-- Run once by the mariadb/mysql images' entrypoint (docker-compose.yml) after they
-- created user taskwarden@'%': the tests need server-wide rights, e.g. to
-- KILL CONNECTION their own sessions and to SET GLOBAL variables.
GRANT ALL PRIVILEGES ON *.* TO 'taskwarden'@'%' WITH GRANT OPTION;
FLUSH PRIVILEGES;
