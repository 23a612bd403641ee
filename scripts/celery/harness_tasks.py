"""The tasks harness.py enqueues with django-tasks, imported once Django is configured.

db_worker imports a task by its path (`harness_tasks.crawl`), so they live in a module of
their own beside the harness, which is on the worker's import path.
"""

import os

from django_tasks import task


@task()
def crawl(pages):
    """Succeeds."""
    return {"answer": 42, "pages": pages}


@task()
def boom(pages):
    """Fails, as a task that raises does."""
    raise RuntimeError(f"boom after {pages} pages")


@task()
def die(pages):
    """Kills its worker process mid-task (OOM killer, lost host): the row stays RUNNING."""
    os._exit(17)
