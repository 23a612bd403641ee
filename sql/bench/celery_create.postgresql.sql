-- Celery's result table as Celery 5.7's database backend creates it (SQLAlchemy's DDL for
-- celery.backends.database.models.TaskExtended on this dialect): date_done indexed, task_id
-- unique, no index on status. Ids are given by the seed (Celery draws them from
-- task_id_sequence).
CREATE TABLE celery_taskmeta (
    id INTEGER NOT NULL,
    task_id VARCHAR(155),
    status VARCHAR(50),
    result BYTEA,
    date_done TIMESTAMP WITHOUT TIME ZONE,
    traceback TEXT,
    children BYTEA,
    name VARCHAR(155),
    args BYTEA,
    kwargs BYTEA,
    worker VARCHAR(155),
    retries INTEGER,
    queue VARCHAR(155),
    stamps BYTEA,
    PRIMARY KEY (id),
    UNIQUE (task_id)
);
CREATE INDEX ix_celery_taskmeta_date_done ON celery_taskmeta (date_done)
