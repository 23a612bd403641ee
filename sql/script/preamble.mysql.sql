-- What a script for the mariadb (or mysql) client starts with (--show-sql): UTF-8 text, which
-- its literals assume. The client stops at the first error of a script it reads by itself.
SET NAMES utf8mb4;
