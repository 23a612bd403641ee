-- What a script for psql starts with (--show-sql): stop at the first error, and the session
-- settings its literals assume: UTF-8 text, standard strings (a backslash is a backslash).
\set ON_ERROR_STOP on
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
