-- Celery's result table as Celery 5.7's database backend creates it (SQLAlchemy's DDL for
-- celery.backends.database.models.TaskExtended on this dialect): date_done indexed, task_id
-- unique, no index on status.
CREATE TABLE celery_taskmeta (
    id INTEGER NOT NULL AUTO_INCREMENT,
    task_id VARCHAR(155),
    status VARCHAR(50),
    result BLOB,
    date_done DATETIME,
    traceback TEXT,
    children BLOB,
    name VARCHAR(155),
    args BLOB,
    kwargs BLOB,
    worker VARCHAR(155),
    retries INTEGER,
    queue VARCHAR(155),
    stamps BLOB,
    PRIMARY KEY (id),
    UNIQUE (task_id)
);
CREATE INDEX ix_celery_taskmeta_date_done ON celery_taskmeta (date_done)
