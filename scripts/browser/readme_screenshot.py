#!/usr/bin/env python3
"""Makes the README's picture of the dashboard: docs/images/dashboard-overview.png.

Seeds a SQLite database with a day of runs of a few kinds (two of them stuck, some past the
configured retention), starts `taskwarden watch --http` on it as the browser test does, and
takes the overview in headless Chromium. Run it again when the overview changes:

    $(scripts/browser/venv.sh) scripts/browser/readme_screenshot.py
"""

import pathlib
import random
import secrets
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from dashboard_test import BINARY, CHROMIUM, REPO, Database, free_port, get, wait_for  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

OUT = REPO / "docs" / "images" / "dashboard-overview.png"
CONFIGURATION = """\
stuck:
  older_than: 30m
retention:
  succeeded: 14d
  failed: 30d
  cancelled: 7d
"""


def seed(database: Database) -> None:
    rows = []
    chance = random.Random(19)
    kinds = {"email.send": 0.97, "render.thumbnail": 0.9, "report.nightly": 0.8, "webhook.deliver": 0.93}
    for hours_ago in range(24 * 20):
        for kind, success in kinds.items():
            for _ in range(chance.randint(0, 3 if hours_ago < 24 else 1)):
                status = "succeeded" if chance.random() < success else chance.choice(["failed", "failed", "cancelled"])
                rows.append((kind, status, f"-{hours_ago * 60 + chance.randint(1, 59)} minutes"))
    database.run("INSERT INTO task_runs (kind, status, started_at, finished_at) VALUES ({p}, {p}, datetime('now', {p}), datetime('now', {p}))",
                 [(kind, status, age, age) for kind, status, age in rows])
    for kind, count in (("email.send", 6), ("render.thumbnail", 3), ("report.nightly", 1)):
        database.run("INSERT INTO task_runs (kind, status, started_at, heartbeat_at, worker) VALUES ({p}, 'running', datetime('now', '-2 minutes'), datetime('now'), 'worker-7')",
                     [(kind,)] * count)
    database.run("INSERT INTO task_runs (kind, status, started_at, worker) VALUES ('render.thumbnail', 'running', datetime('now', '-3 hours'), 'worker-3')")
    database.run("INSERT INTO task_runs (kind, status, started_at, worker) VALUES ('report.nightly', 'running', datetime('now', '-95 minutes'), 'worker-5')")
    database.run("INSERT INTO task_runs (kind, status) VALUES ({p}, 'queued')", [("email.send",)] * 12 + [("webhook.deliver",)] * 4)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="taskwarden-readme-") as scratch:
        work = pathlib.Path(scratch)
        path = work / "dashboard.sqlite"
        database = Database("sqlite", f"sqlite:{path}", path)
        admin = secrets.token_hex(24)
        (work / "admin-token").write_text(admin + "\n")
        (work / "taskwarden.yaml").write_text(CONFIGURATION)
        subprocess.run([str(BINARY), "migrate", "--database", database.url], cwd=work, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        watch = subprocess.Popen(
            [str(BINARY), "watch", "--database", database.url, "--http", f"127.0.0.1:{port}", "--every", "1h", "--purge-every", "1h",
             "--admin-token-file", str(work / "admin-token")],
            cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for("the server", lambda: get(base + "/healthz") is not None)
            wait_for("the watchdog's first cycle", lambda: "last cycle" in get(base + "/ui/", admin))
            seed(database)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"])
                page = browser.new_page(viewport={"width": 1100, "height": 800})
                page.goto(base + "/ui/login")
                page.fill("#token", admin)
                page.click("form.login button[type=submit]")
                page.wait_for_selector("h1:has-text('Overview')")
                OUT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(OUT), full_page=True)
                browser.close()
        finally:
            watch.terminate()
            watch.wait(timeout=10)
    print(f"readme_screenshot: {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
