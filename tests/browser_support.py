"""What the browser tests need: Debian's chromium (or a clear skip), `streamlit run` on a free port (on a copy of
the demo with an account of the test's own, if it likes), and the steps every test repeats: sign in, wait for the
script run to end, wait for the charts to draw."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipelines import auth, db

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("BSC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


MAKE_RUN_STREAMLIT = [str(Path(sys.executable).parent / "streamlit")]


def require_browser() -> None:
    """Skip where chromium is absent locally; with CI set, fail instead: CI must always run the browser tests."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {CHROMIUM} is missing: .ci/run must apt-get install chromium fonts-thai-tlwg")
    pytest.skip(f"browser test skipped: Debian's chromium is not at {CHROMIUM} "
                "(apt-get install chromium fonts-thai-tlwg to run it; CI always runs it)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_dashboard(db_path: Path, log_path: Path, start_seconds: float = 90, *,
                      as_make_run: bool = False) -> Iterator[str]:
    """The dashboard reading `db_path`, its output in `log_path`; yields the base URL once it answers. With
    `as_make_run`, started as `make run` starts it: the venv's `streamlit` script on dashboard/server.py, with no
    PYTHONPATH to lean on."""
    port = free_port()
    env = os.environ | {"BSC_DB": str(db_path), "PYTHONPATH": str(ROOT)}
    if as_make_run:
        env.pop("PYTHONPATH")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            # `python -m` puts the working directory on sys.path; the `streamlit` script (as make run) does not
            [*(MAKE_RUN_STREAMLIT if as_make_run else [sys.executable, "-m", "streamlit"]), "run",
             str(ROOT / "dashboard" / ("server.py" if as_make_run else "app.py")),
             "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_seconds
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text(errors="replace"))
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def demo_dashboard(template: Path, folder: Path, username: str, password: str,
                   role: str = "executive") -> Iterator[str]:
    """`running_dashboard` on a private copy (in `folder`) of the demo database `template`, with one account of
    the test's own; yields the base URL."""
    site = folder / "bsc.duckdb"
    shutil.copy(template, site)
    with db.open_db(site) as con:
        assert auth.add_user(con, username=username, role=role, password=password, by="test") == []
    with running_dashboard(site, folder / "streamlit.log") as base:
        yield base


@contextmanager
def chromium_page(**options) -> Iterator[object]:
    """A page of Debian's chromium, launched for it and closed after; `options` as Playwright's `new_page` takes
    them (viewport, accept_downloads, ...)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(**options)
        finally:
            browser.close()


RUN_WAIT_MS = 60_000


def settle(page, timeout_ms: int = RUN_WAIT_MS) -> None:
    """Wait until Streamlit has finished the run the last action started (its running indicator gone)."""
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
    page.wait_for_timeout(300)


def sign_in(page, username: str, password: str, *, at: str | None = None, screenshot: Path | None = None) -> None:
    """Sign in on the login form the page shows (after opening the URL `at`, if given), in Thai, as a user does;
    return once the app has drawn the signed-in page (its sign-out button) and finished that run. `screenshot`: a
    picture of the filled form first (the guides' login picture)."""
    if at is not None:
        page.goto(at)
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    if screenshot is not None:
        page.screenshot(path=screenshot)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_role("button", name="ออกจากระบบ").wait_for(timeout=RUN_WAIT_MS)
    settle(page)


def charts_drawn(page, script: str, expected_charts: int, seconds: float = 45) -> list:
    """Wait until the script run is over and at least `expected_charts` charts are drawn, each with something in it
    (a true value of `script`, JavaScript run in the page, for each chart), and stay as they are; what `script`
    says of each chart (after `seconds`, whatever it says)."""
    deadline = time.monotonic() + seconds
    previous = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count()
        flags = page.evaluate(script)
        if not running and len(flags) >= expected_charts and all(flags) and flags == previous:
            return flags
        previous = flags
        time.sleep(0.5)
    return page.evaluate(script)
