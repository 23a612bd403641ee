#!/usr/bin/env python3
"""The dashboard in a real browser: headless Chromium (the system's) driven by Playwright.

Starts `taskwarden watch --http` on a free loopback port against a migrated SQLite database,
seeds it once the watchdog's first cycle is done (so the watchdog, next due in an hour, does not
recover the stuck run first), then, as an operator in the browser: opens the overview, follows
the stuck count, previews and confirms a recover, finds it in the journal, undoes it, and
previews and runs a purge from the retention page's what-if. Each step is checked in the page
and in the database; a screenshot of each page goes to .build/test-output/screenshots/ (or
$TASKWARDEN_SCREENSHOTS). The browser's console must stay free of errors (a Content-Security-
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


def seed(path: pathlib.Path) -> None:
    """One stuck run, silent since 2020; OLD_RUNS succeeded runs finished in 2020; two recent ones."""
    with sqlite3.connect(path, timeout=10) as db:
        db.execute("INSERT INTO task_runs (kind, status, started_at, worker) VALUES ('render', 'running', ?, 'w-browser')", (STUCK_SINCE,))
        db.executemany(
            "INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('nightly', 'succeeded', ?, ?)",
            [(OLD_FINISH, OLD_FINISH)] * OLD_RUNS,
        )
        db.execute("INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('nightly', 'succeeded', datetime('now'), datetime('now'))")
        db.execute("INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ('render', 'succeeded', datetime('now'), datetime('now'))")


def scalar(path: pathlib.Path, sql: str):
    with sqlite3.connect(path, timeout=10) as db:
        return db.execute(sql).fetchone()[0]


def main() -> int:
    if not BINARY.exists():
        print(f"dashboard_test: {BINARY} is missing: swift build --product taskwarden first", file=sys.stderr)
        return 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="taskwarden-browser-") as scratch:
        work = pathlib.Path(scratch)
        database = work / "dashboard.sqlite"
        url = f"sqlite:{database}"
        admin, reader = secrets.token_hex(24), secrets.token_hex(24)
        (work / "admin-token").write_text(admin + "\n")
        (work / "read-token").write_text(reader + "\n")
        subprocess.run([str(BINARY), "migrate", "--database", url], cwd=work, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(work / "watch.log", "w")
        watch = subprocess.Popen(
            [str(BINARY), "watch", "--database", url, "--http", f"127.0.0.1:{port}", "--every", "1h",
             "--admin-token-file", str(work / "admin-token"), "--read-token-file", str(work / "read-token")],
            cwd=work, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for("the server", lambda: get(base + "/healthz") is not None)
            # The first cycle has run (and found nothing): the next is an hour away.
            wait_for("the watchdog's first cycle", lambda: "last cycle" in get(base + "/ui/", admin))
            seed(database)
            stuck_id = scalar(database, "SELECT id FROM task_runs WHERE status = 'running'")
            run_browser(base, admin, database, stuck_id)
        except BaseException:
            log.flush()
            print((work / "watch.log").read_text()[-4000:], file=sys.stderr)
            raise
        finally:
            watch.terminate()
            try:
                watch.wait(timeout=10)
            except subprocess.TimeoutExpired:
                watch.kill()
            log.close()
    print(f"dashboard_test: passed in {time.monotonic() - started:.1f} s; screenshots in {SCREENSHOTS}")
    return 0


def run_browser(base: str, admin: str, database: pathlib.Path, stuck_id: int) -> None:
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None)

        def shot(name: str) -> None:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

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
        assert scalar(database, f"SELECT status FROM task_runs WHERE id = {stuck_id}") == "failed"
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
        assert scalar(database, f"SELECT status FROM task_runs WHERE id = {stuck_id}") == "running"

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
        assert scalar(database, "SELECT COUNT(*) FROM task_runs WHERE finished_at < '2021-01-01'") == 0
        assert scalar(database, "SELECT COUNT(*) FROM task_runs WHERE status = 'succeeded'") == 2

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
