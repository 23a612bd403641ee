#!/usr/bin/env python3
"""The dashboard in a real browser: headless Chromium (the system's) driven by Playwright.

For each backend (SQLite, and PostgreSQL and MariaDB through $TASKWARDEN_TEST_POSTGRES_URL and
$TASKWARDEN_TEST_MYSQL_URL, each in a database of its own made and dropped here), starts
`taskwarden watch --http` on a free loopback port against the migrated database,
seeds it once the watchdog's first cycle is done (so the watchdog, next due in an hour, does not
recover the stuck run first), then, as an operator in the browser: opens the overview, follows
the stuck count, previews and confirms a recover, finds it in the journal, undoes it, and
previews and runs a purge from the retention page's what-if. Each step is checked in the page
and in the database; a screenshot of each page goes to .build/test-output/screenshots/BACKEND/
(or $TASKWARDEN_SCREENSHOTS/BACKEND/). The browser's console must stay free of errors (a Content-Security-
Policy violation, a failing script).

    python scripts/browser/dashboard_test.py     # scripts/browser/test.sh makes the venv first
"""

import os
import pathlib
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from playwright.sync_api import expect, sync_playwright

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = pathlib.Path(os.environ.get("TASKWARDEN_BIN", REPO / ".build" / "debug" / "taskwarden"))
SCREENSHOTS = pathlib.Path(os.environ.get("TASKWARDEN_SCREENSHOTS", REPO / ".build" / "test-output" / "screenshots"))
CHROMIUM = os.environ.get("TASKWARDEN_CHROMIUM", "/usr/bin/chromium")
STUCK_SINCE = "2020-01-01 00:00:00"
OLD_FINISH = "2020-01-02 00:00:00"
OLD_RUNS = 7


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, token: str | None = None) -> str:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read().decode()


def wait_for(what: str, check, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Database:
    """The test's own connection to the database the server watches, for seeding and checking."""

    def __init__(self, backend: str, url: str, path: pathlib.Path | None = None):
        self.backend, self.url, self.path = backend, url, path

    def connect(self):
        if self.backend == "sqlite":
            return sqlite3.connect(self.path, timeout=10)
        parts = urllib.parse.urlsplit(self.url)
        options = dict(host=parts.hostname, port=parts.port, user=urllib.parse.unquote(parts.username or ""),
                       password=urllib.parse.unquote(parts.password or ""))
        if self.backend == "postgresql":
            import psycopg2
            return psycopg2.connect(dbname=parts.path.lstrip("/"), **options)
        import pymysql
        return pymysql.connect(database=parts.path.lstrip("/"), **options)

    def run(self, sql: str, rows: list[tuple] = [()]) -> None:
        sql = sql.replace("{p}", "?" if self.backend == "sqlite" else "%s")
        connection = self.connect()
        try:
            cursor = connection.cursor()
            cursor.executemany(sql, rows) if len(rows) > 1 else cursor.execute(sql, rows[0])
            connection.commit()
        finally:
            connection.close()

    def scalar(self, sql: str):
        connection = self.connect()
        try:
            cursor = connection.cursor()
            cursor.execute(sql)
            return cursor.fetchone()[0]
        finally:
            connection.close()

    def seed(self) -> None:
        """One stuck run, silent since 2020; OLD_RUNS succeeded runs finished in 2020; two recent ones."""
        self.run("INSERT INTO task_runs (kind, status, started_at, worker) VALUES ('render', 'running', {p}, 'w-browser')", [(STUCK_SINCE,)])
        self.run("INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('nightly', 'succeeded', {p}, {p})", [(OLD_FINISH, OLD_FINISH)] * OLD_RUNS)
        for kind in ("nightly", "render"):
            self.run(f"INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('{kind}', 'succeeded', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")


def own_database(backend: str, work: pathlib.Path) -> tuple[Database, "callable"]:
    """A database of this run's own: a new file for SQLite, else one made on the test server
    (and dropped by the returned function)."""
    if backend == "sqlite":
        path = work / "dashboard.sqlite"
        return Database(backend, f"sqlite:{path}", path), lambda: None
    variable = "TASKWARDEN_TEST_POSTGRES_URL" if backend == "postgresql" else "TASKWARDEN_TEST_MYSQL_URL"
    base = os.environ.get(variable)
    if not base:
        raise SystemExit(f"dashboard_test: {variable} is not set: scripts/browser/test.sh starts the servers")
    server = Database(backend, base)
    name = "tw_browser_" + secrets.token_hex(6)

    def admin(sql: str) -> None:
        connection = server.connect()
        try:
            if backend == "postgresql":
                connection.autocommit = True
            connection.cursor().execute(sql)
        finally:
            connection.close()

    admin(f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(base)
    url = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    return Database(backend, url), lambda: admin(f"DROP DATABASE {name}")


def main() -> int:
    if not BINARY.exists():
        print(f"dashboard_test: {BINARY} is missing: swift build --product taskwarden first", file=sys.stderr)
        return 2
    backends = os.environ.get("TASKWARDEN_BROWSER_BACKENDS", "sqlite,postgresql,mysql").split(",")
    started = time.monotonic()
    for backend in backends:
        began = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="taskwarden-browser-") as scratch:
            database, drop = own_database(backend, pathlib.Path(scratch))
            try:
                run_backend(backend, database, pathlib.Path(scratch))
            finally:
                drop()
        print(f"dashboard_test: {backend} passed in {time.monotonic() - began:.1f} s")
    print(f"dashboard_test: passed in {time.monotonic() - started:.1f} s; screenshots in {SCREENSHOTS}")
    return 0


def run_backend(backend: str, database: Database, work: pathlib.Path) -> None:
    admin, reader = secrets.token_hex(24), secrets.token_hex(24)
    (work / "admin-token").write_text(admin + "\n")
    (work / "read-token").write_text(reader + "\n")
    # The URL (a password, for the servers) goes in a file, never on a command line or in a log.
    (work / "database-url").write_text(database.url + "\n")
    source = ["--database-file", str(work / "database-url")]
    subprocess.run([str(BINARY), "migrate", *source], cwd=work, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(work / "watch.log", "w")
    watch = subprocess.Popen(
        [str(BINARY), "watch", *source, "--http", f"127.0.0.1:{port}", "--every", "1h",
         "--admin-token-file", str(work / "admin-token"), "--read-token-file", str(work / "read-token")],
        cwd=work, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for("the server", lambda: get(base + "/healthz") is not None)
        # The first cycle has run (and found nothing): the next is an hour away.
        wait_for("the watchdog's first cycle", lambda: "last cycle" in get(base + "/ui/", admin))
        database.seed()
        stuck_id = database.scalar("SELECT id FROM task_runs WHERE status = 'running'")
        screenshots = SCREENSHOTS / backend
        screenshots.mkdir(parents=True, exist_ok=True)
        run_browser(base, admin, database, stuck_id, screenshots)
    except BaseException:
        log.flush()
        print(f"dashboard_test: {backend} failed; the server's log:", file=sys.stderr)
        print((work / "watch.log").read_text()[-4000:], file=sys.stderr)
        raise
    finally:
        watch.terminate()
        try:
            watch.wait(timeout=10)
        except subprocess.TimeoutExpired:
            watch.kill()
        log.close()


def run_browser(base: str, admin: str, database: Database, stuck_id: int, screenshots: pathlib.Path) -> None:
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None)

        def shot(name: str) -> None:
            page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)

        def confirm(count: int, reason: str) -> None:
            page.fill("input[name=count]", str(count))
            page.fill("input[name=reason]", reason)
            page.fill("input[name=actor]", "playwright")
            page.click("form.confirm button[type=submit]")
            page.wait_for_url(re.compile(r"/ui/operation\?id="))
            expect(page.locator("main")).to_contain_text(f"Done: {count} runs changed.")

        page.goto(base + "/ui/login")
        shot("login")
        page.fill("#token", admin)
        page.click("form.login button[type=submit]")
        expect(page.locator("h1")).to_have_text("Overview")
        expect(page.locator("main")).to_contain_text("Stuck now")
        shot("overview")

        # The stuck count links to the stuck page, which lists the run.
        page.click("a.bad")
        expect(page.locator("h1")).to_contain_text("Stuck runs")
        expect(page.locator(f"a[href='/ui/run?table=task_runs&id={stuck_id}']")).to_be_visible()
        shot("stuck")

        page.click("text=Recover these runs…")
        expect(page.locator("main p strong").first).to_have_text("1")
        expect(page.locator("details summary")).to_contain_text("taskwarden recover --show-sql")
        shot("recover-preview")
        confirm(1, "browser test: the worker died")
        shot("recover-done")
        assert database.scalar(f"SELECT status FROM task_runs WHERE id = {stuck_id}") == "failed"
        batch = re.search(r"undo --batch ([0-9a-z-]+)", page.content()).group(1)

        page.click("header nav >> text=Journal")
        row = page.locator("table.batches tbody tr", has_text=batch)
        expect(row).to_contain_text("ui:playwright")
        expect(row).to_contain_text("browser test: the worker died")
        shot("journal")
        row.locator("a", has_text="Undo…").click()
        expect(page.locator("main")).to_contain_text("1 runs of the batch would go back")
        shot("undo-preview")
        confirm(1, "browser test: undo")
        shot("undo-done")
        assert database.scalar(f"SELECT status FROM task_runs WHERE id = {stuck_id}") == "running"

        page.click("header nav >> text=Retention")
        page.fill("input[name=older_than]", "30d")
        page.click("form.filters button[type=submit]")
        expect(page.locator("table.what-if")).to_contain_text("nightly")
        expect(page.locator("table.what-if tfoot")).to_contain_text(str(OLD_RUNS))
        shot("retention")
        page.click("text=Purge these runs…")
        expect(page.locator("main p strong").first).to_have_text(str(OLD_RUNS))
        shot("purge-preview")
        confirm(OLD_RUNS, "browser test: disk")
        shot("purge-done")
        assert database.scalar("SELECT COUNT(*) FROM task_runs WHERE finished_at < '2021-01-01'") == 0
        assert database.scalar("SELECT COUNT(*) FROM task_runs WHERE status = 'succeeded'") == 2

        # Ticking a run's box on the runs browser offers the changes on it.
        page.click("header nav >> text=Runs")
        page.check(f"input[type=checkbox][value='{stuck_id}']")
        page.click("button[formaction='/ui/cancel']")
        expect(page.locator("main")).to_contain_text("1 queued or running runs match")
        shot("cancel-preview")
        browser.close()
    assert not errors, f"the browser's console reported errors: {errors}"


if __name__ == "__main__":
    sys.exit(main())
