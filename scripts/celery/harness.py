#!/usr/bin/env python3
"""Task tables made and read by their own systems, for TaskWarden's preset tests.

TaskWarden's presets change rows in tables that Celery, django-celery-results and django-tasks
own. The only proof that a change is right is that the system reads it back as it would have
written it. So this harness never writes SQL of its own: the tables come from the systems'
own migrations (Django's `migrate` for django-celery-results and django-tasks, SQLAlchemy's
metadata for Celery's database backend), runs are stored through the systems' own APIs (Celery's
result backend; django-tasks' `enqueue` and its `db_worker`, which really runs the tasks), and
rows are read back through the APIs applications use (`AsyncResult`, `get_result`).

    harness.py setup  --backend django|sqlalchemy|django_tasks [--extended] --url URL
    harness.py store  --backend ... --url URL --id TASK_ID --state STARTED|SUCCESS|FAILURE|... [--name NAME]
    harness.py store  --backend django_tasks --url URL --state READY|RUNNING|SUCCESSFUL|FAILED   # prints the new id
    harness.py read   --backend ... --url URL --id TASK_ID      # prints one JSON object
    harness.py check-pickles --file CASES.jsonl   # each {"json": text, "pickle": hex}: equal values?

URLs are TaskWarden's (postgres://, mysql://, sqlite:///path). Each call prints JSON on
standard output and exits 0, or prints one error line on standard error and exits 1.
"""

import argparse
import json
import os
import sys
import urllib.parse


def parse_url(url):
    """TaskWarden's URL as (scheme, user, password, host, port, database or path)."""
    parts = urllib.parse.urlsplit(url)
    scheme = {"postgresql": "postgres", "mariadb": "mysql"}.get(parts.scheme, parts.scheme)
    if scheme == "sqlite":
        path = url.split(":", 1)[1]
        path = path[2:] if path.startswith("//") else path
        return scheme, None, None, None, None, urllib.parse.unquote(path)
    return (
        scheme,
        urllib.parse.unquote(parts.username or ""),
        urllib.parse.unquote(parts.password or ""),
        parts.hostname or "127.0.0.1",
        parts.port,
        parts.path.lstrip("/"),
    )


def django_setup(url, apps, **extra):
    """Django configured for `url` with `apps` installed."""
    import django
    from django.conf import settings

    scheme, user, password, host, port, name = parse_url(url)
    if scheme == "postgres":
        database = {"ENGINE": "django.db.backends.postgresql", "NAME": name, "USER": user,
                    "PASSWORD": password, "HOST": host, "PORT": str(port or 5432)}
    elif scheme == "mysql":
        import pymysql

        pymysql.install_as_MySQLdb()
        database = {"ENGINE": "django.db.backends.mysql", "NAME": name, "USER": user,
                    "PASSWORD": password, "HOST": host, "PORT": str(port or 3306),
                    "OPTIONS": {"charset": "utf8mb4"}}
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    settings.configure(
        DATABASES={"default": database},
        INSTALLED_APPS=apps,
        USE_TZ=True,
        TIME_ZONE="UTC",
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        **extra,
    )
    django.setup()


def django_app(url):
    """A Celery app whose result backend is django-celery-results on `url`."""
    django_setup(url, ["django_celery_results"], CELERY_RESULT_EXTENDED=True)
    from celery import Celery

    app = Celery("taskwarden-harness")
    app.conf.update(result_backend="django-db", result_extended=True, task_serializer="json",
                    result_serializer="json", accept_content=["json"])
    return app


def sqlalchemy_app(url, extended):
    """A Celery app whose result backend is Celery's own database backend on `url`."""
    from celery import Celery

    scheme, user, password, host, port, name = parse_url(url)
    quoted = urllib.parse.quote(password or "", safe="")
    if scheme == "postgres":
        backend = f"db+postgresql+psycopg2://{user}:{quoted}@{host}:{port or 5432}/{name}"
    elif scheme == "mysql":
        backend = f"db+mysql+pymysql://{user}:{quoted}@{host}:{port or 3306}/{name}?charset=utf8mb4"
    else:
        backend = f"db+sqlite:///{name}"
    app = Celery("taskwarden-harness")
    app.conf.update(result_backend=backend, result_extended=extended, task_serializer="json",
                    result_serializer="json", accept_content=["json"], enable_utc=True)
    return app


def django_tasks_setup(url):
    """django-tasks with its database backend on `url` (Django 5.2: the django_tasks backport)."""
    django_setup(url, ["django_tasks", "django_tasks_db"],
                 TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    import harness_tasks

    return harness_tasks


def django_tasks_store(args):
    """Enqueues a task and brings it to `args.state` the way production does: READY is just
    enqueued; SUCCESSFUL and FAILED are run by django-tasks' own `db_worker`; RUNNING is a
    task whose worker process dies while running it (os._exit), leaving the row as a dead
    worker leaves it."""
    import multiprocessing

    from django.core.management import call_command
    from django.db import connections

    tasks = django_tasks_setup(args.url)
    task = {"READY": tasks.crawl, "SUCCESSFUL": tasks.crawl, "FAILED": tasks.boom, "RUNNING": tasks.die}[args.state]
    result = task.enqueue(7)
    if args.state in ("SUCCESSFUL", "FAILED"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "worker-1", verbosity=0)
    elif args.state == "RUNNING":
        connections.close_all()
        worker = multiprocessing.get_context("fork").Process(
            target=call_command, args=("db_worker", "--batch", "--no-startup-delay", "--worker-id", "worker-2"),
            kwargs={"verbosity": 0})
        worker.start()
        worker.join(60)
        if worker.exitcode != 17:
            raise RuntimeError(f"the worker meant to die exited with {worker.exitcode}")
    return {"ok": True, "id": str(result.id), "state": args.state}


def django_tasks_read(args):
    """What `default_task_backend.get_result(id)` reports, each part an application reads."""
    from django_tasks_db.compat import TaskResultDoesNotExist, task_backends

    django_tasks_setup(args.url)
    report = {"id": args.id}
    try:
        result = task_backends["default"].get_result(args.id)
    except TaskResultDoesNotExist:
        report["missing"] = True
        return report
    report["status"] = str(result.status.value)
    report["is_finished"] = result.is_finished
    report["started_at"] = result.started_at
    report["finished_at"] = result.finished_at
    report["worker_ids"] = result.worker_ids
    report["errors"] = []
    for error in result.errors:
        entry = {"exception_class_path": error.exception_class_path, "traceback": error.traceback}
        try:
            entry["exception_class"] = error.exception_class.__name__
        except Exception as failure:  # noqa: BLE001 - reported, not hidden
            entry["exception_class_error"] = f"{type(failure).__name__}: {failure}"
        report["errors"].append(entry)
    try:
        report["return_value"] = result.return_value
    except Exception as failure:  # noqa: BLE001 - not finished successfully: Django raises
        report["return_value_raises"] = type(failure).__name__
    return report


def make_app(args):
    if args.backend == "django":
        return django_app(args.url)
    return sqlalchemy_app(args.url, args.extended)


def setup(args):
    if args.backend == "django_tasks":
        django_tasks_setup(args.url)
        from django.core.management import call_command

        call_command("migrate", "django_tasks_database", verbosity=0, interactive=False)
        return {"ok": True, "tables": ["django_tasks_database_dbtaskresult"]}
    if args.backend == "django":
        make_app(args)
        from django.core.management import call_command

        call_command("migrate", "django_celery_results", verbosity=0, interactive=False)
        return {"ok": True, "tables": ["django_celery_results_taskresult", "django_celery_results_groupresult"]}
    app = make_app(args)
    # Celery's database backend creates its tables on first use, from its own models.
    session = app.backend.ResultSession()
    session.close()
    return {"ok": True, "tables": ["celery_taskmeta", "celery_tasksetmeta"]}


class Request:
    """What a worker's task request carries, for backends that keep extended results."""

    def __init__(self, task_id, name):
        self.id = task_id
        self.task = name
        self.args = [1, 2]
        self.kwargs = {"x": 1}
        self.hostname = "worker-1@harness"
        self.retries = 0
        self.delivery_info = {"routing_key": "celery", "exchange": ""}
        self.group = None
        self.parent_id = None
        self.root_id = task_id
        self.ignore_result = False
        self.properties = {}
        self.periodic_task_name = None
        self.chord = None
        self.chain = None
        self.errbacks = None
        self.callbacks = None


def store(args):
    if args.backend == "django_tasks":
        return django_tasks_store(args)
    app = make_app(args)
    request = Request(args.id, args.name)
    backend = app.backend
    if args.state == "STARTED":
        # What a worker stores when it starts a task with task_track_started.
        backend.store_result(args.id, {"pid": 4242, "hostname": request.hostname}, "STARTED", request=request)
    elif args.state == "SUCCESS":
        backend.mark_as_done(args.id, {"answer": 42}, request=request)
    elif args.state == "FAILURE":
        try:
            raise RuntimeError("boom")
        except RuntimeError as error:
            backend.mark_as_failure(args.id, error, traceback="Traceback: boom", request=request)
    elif args.state == "REVOKED":
        backend.mark_as_revoked(args.id, "revoked by harness", request=request)
    elif args.state == "RETRY":
        backend.mark_as_retry(args.id, RuntimeError("again"), traceback="Traceback: again", request=request)
    else:
        backend.store_result(args.id, None, args.state, request=request)
    return {"ok": True, "id": args.id, "state": args.state}


def read(args):
    if args.backend == "django_tasks":
        return django_tasks_read(args)
    app = make_app(args)
    from celery.result import AsyncResult

    outcome = AsyncResult(args.id, app=app)
    report = {"id": args.id}
    # Each of these is what an application calls; a row Celery cannot read raises here, and
    # the error is the finding, reported beside what did read.
    for key, call in (("state", lambda: outcome.state), ("failed", outcome.failed), ("successful", outcome.successful), ("ready", outcome.ready)):
        try:
            report[key] = call()
        except Exception as error:  # noqa: BLE001 - reported, not hidden
            report[key + "_error"] = f"{type(error).__name__}: {error}"
    try:
        result = outcome.result
        report["result_type"] = type(result).__name__
        report["result"] = result if isinstance(result, (dict, list, str, int, float, type(None))) else str(result)
    except Exception as error:  # noqa: BLE001
        report["result_error"] = f"{type(error).__name__}: {error}"
    try:
        report["traceback"] = outcome.traceback
    except Exception as error:  # noqa: BLE001
        report["traceback_error"] = f"{type(error).__name__}: {error}"
    try:
        done = outcome.date_done
        report["date_done"] = done.isoformat() if hasattr(done, "isoformat") else done
    except Exception as error:  # noqa: BLE001
        report["date_done_error"] = f"{type(error).__name__}: {error}"
    return report


def strictly_equal(a, b):
    """Equal values of equal types all the way down (Python's 1 == 1.0 == True is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a.keys()) == list(b.keys()) and all(strictly_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strictly_equal(x, y) for x, y in zip(a, b))
    return a == b


def check_pickles(args):
    """Python's own reading of TaskWarden's pickles (ColumnEncoding.pythonPickle): each case's
    pickle must load to what json.loads makes of its JSON text."""
    import pickle

    checked, mismatches = 0, []
    with open(args.file, encoding="utf-8") as cases:
        for line in cases:
            case = json.loads(line)
            expected = json.loads(case["json"])
            try:
                loaded = pickle.loads(bytes.fromhex(case["pickle"]))
                ok = strictly_equal(expected, loaded)
            except Exception as error:  # noqa: BLE001 - reported as a mismatch
                loaded, ok = f"{type(error).__name__}: {error}", False
            checked += 1
            if not ok and len(mismatches) < 5:
                mismatches.append({"json": case["json"], "loaded": repr(loaded)})
    return {"checked": checked, "mismatches": mismatches}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["setup", "store", "read", "check-pickles"])
    parser.add_argument("--backend", choices=["django", "sqlalchemy", "django_tasks"])
    parser.add_argument("--url", default="")
    parser.add_argument("--file", help="check-pickles: the cases, one JSON object a line")
    parser.add_argument("--extended", action="store_true", help="sqlalchemy: result_extended columns")
    parser.add_argument("--id")
    parser.add_argument("--state", default="STARTED")
    parser.add_argument("--name", default="tasks.crawl")
    args = parser.parse_args()
    os.environ.setdefault("TZ", "UTC")
    try:
        if args.command != "check-pickles" and not (args.backend and args.url):
            raise ValueError(f"{args.command} needs --backend and --url")
        report = {"setup": setup, "store": store, "read": read, "check-pickles": check_pickles}[args.command](args)
    except Exception as error:  # noqa: BLE001 - one line, never the URL
        message = str(error).replace(args.url or "\0", "<url>").splitlines()[0] if str(error) else ""
        print(f"harness: {type(error).__name__}: {message}", file=sys.stderr)
        return 1
    print(json.dumps(report, sort_keys=True, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
